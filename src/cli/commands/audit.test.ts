import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty } from '../../../test/factories.ts';
import { openDatabase } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { recordAudit } from '../../modules/audit/service.ts';
import { BROKEN_CHAIN_EXIT } from './audit.ts';

/** `gongjian audit verify` end to end: a real process on an embedded database in a temp directory. */
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

describe('gongjian audit verify', () => {
  let dir: string;
  let countyId = 0;
  let ids: number[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongjian-audit-verify-'));
    const database = await openDatabase({ kind: 'embedded', dataDir: dir });
    try {
      await migrate(database);
      const { ctx } = await makeCounty(database.db, { code: '369491', name: '校验县' });
      countyId = ctx.countyId;
      for (let i = 0; i < 5; i++) await recordAudit(ctx, { action: 'test.verify', details: { i } });
      ids = (
        await database.db
          .selectFrom('audit_log')
          .select('id')
          .where('county_id', '=', countyId)
          .orderBy('chain_seq')
          .execute()
      ).map((r) => r.id);
    } finally {
      await database.close();
    }
  }, SLOW);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('says an untouched chain is whole and prints its head; an edited record exits 4 naming it', {
    timeout: SLOW * 2,
  }, async () => {
    const intact = await run(['audit', 'verify'], dir);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toContain(`审计记录哈希链完整，共${ids.length}条 / the audit hash chain is intact`);
    expect(intact.stdout).toMatch(new RegExp(`链头 / head: ${ids.length}:[0-9a-f]{64}`));

    const database = await openDatabase({ kind: 'embedded', dataDir: dir });
    try {
      await database.db.transaction().execute(async (trx) => {
        await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(trx);
        await sql`UPDATE audit_log SET details = '{"i": 99}' WHERE county_id = ${countyId} AND id = ${ids[2]!}`.execute(
          trx,
        );
        await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(trx);
      });
    } finally {
      await database.close();
    }
    const broken = await run(['audit', 'verify', '--json'], dir);
    expect(broken.code).toBe(BROKEN_CHAIN_EXIT);
    const report = JSON.parse(broken.stdout.trim().split('\n').at(-1)!);
    expect(report).toMatchObject({ ok: false, records: 2 });
    expect(report.firstBreak).toMatchObject({ reason: 'altered', id: ids[2], chainSeq: 3 });
    expect(report.message).toContain(`审计记录第3条（编号${ids[2]}，`);
  });
});
