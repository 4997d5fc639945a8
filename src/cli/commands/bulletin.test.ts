import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { bulletinCounty, readDocx, Y } from '../../modules/reports/test-fixtures.ts';

/** `gongjian report bulletin` end to end: a real process on an embedded database in a temp directory. */
const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin', 'gongjian.js');
const SLOW = 90_000;

function run(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, GONGJIAN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', PORT: '1' };
  for (const key of ['DATABASE_URL', 'TEST_DATABASE_URL', 'GONGJIAN_COUNTY', 'NODE_OPTIONS', 'VITEST'])
    delete env[key];
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env, timeout: SLOW }, (err, stdout, stderr) => {
      done({
        code: err ? (typeof err.code === 'number' ? err.code : -1) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
      });
    });
  });
}

describe('gongjian report bulletin', () => {
  let dir: string;
  let countyId = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongjian-bulletin-'));
    const database = await openDatabase({ kind: 'embedded', dataDir: dir });
    try {
      await migrate(database);
      countyId = (await bulletinCounty(database, '369964', '命令县')).county.id;
    } finally {
      await database.close();
    }
  }, SLOW);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the first half’s bulletin as a .docx with the records’ figures, audited as the CLI', {
    timeout: SLOW,
  }, async () => {
    const out = join(dir, '通报.docx');
    const r = await run(
      ['report', 'bulletin', '--year', String(Y), '--half', '1', '--date', `${Y}-07-10`, '--out', out],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`已生成《关于${Y}年上半年城乡党建“三联共建”工作开展情况的通报》`);
    const doc = await readDocx(await readFile(out));
    expect(doc.paragraphs[0]).toBe(`关于${Y}年上半年城乡党建“三联共建”工作开展情况的通报`);
    expect(doc.text).toContain('共有2名党员领导干部参与“领导联点”');
    expect(doc.text).toContain('上半年各结对共开展活动6次');
    expect(doc.paragraphs.at(-1)).toBe(`${Y}年7月10日`);
    expect(doc.text).not.toContain('王志远');

    const named = join(dir, 'named.docx');
    expect(
      (await run(['report', 'bulletin', '--year', String(Y), '--half', '1', '--names', '--out', named], dir))
        .code,
    ).toBe(0);
    expect((await readDocx(await readFile(named))).text).toContain('王志远同志');

    const database = await openDatabase({ kind: 'embedded', dataDir: dir });
    try {
      const audit = await database.db
        .selectFrom('audit_log')
        .select(['username', 'details'])
        .where('county_id', '=', countyId)
        .where('action', '=', 'report.bulletin')
        .execute();
      expect(audit).toHaveLength(2);
      expect(audit[0]!.username).toBe('cli');
    } finally {
      await database.close();
    }
  });

  it('refuses a third half, a half not begun and an output that is not .docx', {
    timeout: SLOW,
  }, async () => {
    const third = await run(
      ['report', 'bulletin', '--year', String(Y), '--half', '3', '--out', join(dir, 'x.docx')],
      dir,
    );
    expect(third.code).not.toBe(0);
    expect(third.stderr).toContain('half');
    const later = await run(
      ['report', 'bulletin', '--year', String(Y + 2), '--half', '1', '--out', join(dir, 'y.docx')],
      dir,
    );
    expect(later.code).not.toBe(0);
    expect(later.stderr).toContain('尚未开始');
    const txt = await run(
      ['report', 'bulletin', '--year', String(Y), '--half', '1', '--out', join(dir, 'z.txt')],
      dir,
    );
    expect(txt.code).not.toBe(0);
    expect(txt.stderr).toContain('.docx');
    expect(existsSync(join(dir, 'x.docx'))).toBe(false);
  });
});
