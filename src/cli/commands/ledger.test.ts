import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.ts';

/**
 * `gongjian ledger export` end to end: real processes on the demo county in a temp directory; the
 * file read back, its rows against the database, the export audited as the CLI's act.
 */
const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'gongjian.js');
const SLOW = 120_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], dataDir: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, GONGJIAN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', PORT: '1' };
  for (const key of ['DATABASE_URL', 'TEST_DATABASE_URL', 'GONGJIAN_COUNTY', 'NODE_OPTIONS', 'VITEST'])
    delete env[key];
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env, timeout: SLOW, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

const lastJson = (r: Run) => JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');

describe('gongjian ledger export on the embedded database', () => {
  let dir: string;
  let dataDir: string;
  const year = new Date().getUTCFullYear();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongjian-ledger-cli-'));
    dataDir = join(dir, 'data');
    const loaded = await run(['demo', 'load', '--json'], dataDir);
    expect(loaded.code, loaded.stderr).toBe(0);
  }, SLOW);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the visits ledger of a township and a year: every visit of the database once; audited as the CLI', {
    timeout: SLOW,
  }, async () => {
    const file = join(dir, '走访台账.xlsx');
    const r = await run(
      ['ledger', 'export', 'visits', '--org', '2', '--year', String(year), '--out', file, '--json'],
      dataDir,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r);
    expect(out).toMatchObject({ ledger: 'visits', file });
    expect(out.title).toBe(`中共青山县城关镇委员会走访台账（${year}年）`);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell(1, 1).value).toBe(out.title);
    expect(ws.getCell(2, 1).value).toBe('编号\nNo.');
    const ids: number[] = [];
    ws.eachRow((row, n) => {
      if (n > 2) ids.push(Number(row.getCell(1).value));
    });
    expect(ids).toHaveLength(out.rows);

    const database = await openDatabase({ kind: 'embedded', dataDir });
    try {
      const { rows } = await sql<{ id: number }>`
        SELECT DISTINCT v.id FROM visits v
        JOIN visit_pairings vp ON vp.county_id = v.county_id AND vp.visit_id = v.id
        JOIN pairings p ON p.county_id = vp.county_id AND p.id = vp.pairing_id
        JOIN orgs o ON o.county_id = p.county_id AND o.id IN (p.helper_org_id, p.helped_org_id)
        WHERE o.path <@ (SELECT path FROM orgs WHERE id = 2) AND extract(year FROM v.visited_on) = ${year}
        ORDER BY v.id`.execute(database.db);
      expect(rows.length).toBeGreaterThan(100);
      expect(ids).toEqual(rows.map((x) => x.id));
      const audit = await database.db
        .selectFrom('audit_log')
        .select(['username', 'target_id', 'details'])
        .where('action', '=', 'ledger.export')
        .executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ username: 'cli', target_id: 'visits' });
      expect(audit.details).toEqual({
        filter: { orgId: 2, year },
        orgId: 2,
        rows: ids.length,
        osUser: userInfo().username,
      });
    } finally {
      await database.close();
    }
  });

  it('an unknown ledger, a bad period or a missing --out fail with a non-zero exit naming the problem', {
    timeout: SLOW,
  }, async () => {
    const [unknown, period, noOut] = await Promise.all([
      run(['ledger', 'export', 'nope', '--out', join(dir, 'x.xlsx')], dataDir),
      run(
        [
          'ledger',
          'export',
          'visits',
          '--from',
          '2026-05-01',
          '--to',
          '2026-04-01',
          '--out',
          join(dir, 'y.xlsx'),
        ],
        dataDir,
      ),
      run(['ledger', 'export', 'visits'], dataDir),
    ]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('没有名为“nope”的台账');
    expect(unknown.stderr).toContain('visits');
    expect(period.code).not.toBe(0);
    expect(period.stderr).toContain('--to');
    expect(noOut.code).not.toBe(0);
    expect(noOut.stderr).toContain('--out');
    expect(existsSync(join(dir, 'x.xlsx')) || existsSync(join(dir, 'y.xlsx'))).toBe(false);
  });
});
