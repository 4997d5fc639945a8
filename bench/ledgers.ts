import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { appRoleName } from '../src/db/rls.ts';
import { makeIdNumber } from '../src/domain/idcard.ts';
import type { Actor } from '../src/modules/context.ts';
import { createCounty } from '../src/modules/counties/service.ts';
import { prepareLedger, writeLedger } from '../src/modules/ledgers/export.ts';
import { visitsLedger } from '../src/modules/ledgers/visits-ledger.ts';
import { createOrg } from '../src/modules/orgs/service.ts';
import { MB, RssSampler, timed, vmHwmBytes } from './measure.ts';

/**
 * The visits ledger (走访台账) at 100,000 rows against 10,000: rows per second, and the peak RSS and
 * V8 heap sampled while each export runs, each in a fresh process on the same embedded database —
 * so a growth with the rows would show. Run: `node bin/run-ts.js bench/ledgers.ts` (BENCH_ROWS sets
 * the big size; it is not part of `npm run bench`).
 *
 * The database: one county of 10 townships, a contact point in each, and BENCH_ROWS visits spread
 * evenly over them (a tenth per township), each with two participants, a third with outcomes.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const TOWNSHIPS = 10;
/** A V8 old-space cap the big export must run within, to show it needs no more. */
const HEAP_CAP_MB = 64;

interface Job {
  dataDir: string;
  countyId: number;
  orgId?: number;
  /** Export as a signed-in county administrator (row-level security), as the web app does. */
  asUser?: { actor: Actor };
  out: string;
}

interface Result {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  rssBeforeMB: number;
  peakRssMB: number;
  peakHeapMB: number;
  heapBeforeMB: number;
  vmHwmMB?: number;
  /** V8 heap in use after the export and a full GC: what the export left behind. */
  heapAfterGcMB: number;
  fileMB: number;
}

const log = (msg: string) => process.stderr.write(`${msg}\n`);

async function child(job: Job) {
  const database = await openDatabase({ kind: 'embedded', dataDir: job.dataDir });
  try {
    const access = job.asUser && { appRole: await appRoleName(database.db), actor: job.asUser.actor };
    const x = {
      db: database.db,
      countyId: job.countyId,
      ...(access && { access }),
      def: visitsLedger,
      filter: job.orgId === undefined ? {} : { orgId: job.orgId },
    };
    global.gc?.();
    const before = process.memoryUsage();
    const sampler = new RssSampler().start(50);
    const { ms, value } = await timed(async () => {
      const prepared = await prepareLedger(x);
      return writeLedger(x, { file: job.out, prepared });
    });
    const peak = sampler.stop();
    const hwm = vmHwmBytes();
    global.gc?.();
    const after = process.memoryUsage();
    const result: Result = {
      rows: value.rows,
      seconds: ms / 1000,
      rowsPerSecond: value.rows / (ms / 1000),
      rssBeforeMB: before.rss / MB,
      heapBeforeMB: before.heapUsed / MB,
      peakRssMB: peak.peakBytes / MB,
      peakHeapMB: peak.peakHeapBytes / MB,
      ...(hwm && { vmHwmMB: hwm / MB }),
      heapAfterGcMB: after.heapUsed / MB,
      fileMB: statSync(job.out).size / MB,
    };
    console.log(JSON.stringify(result));
  } finally {
    await database.close();
  }
}

function runChild(job: Job, nodeFlags: string[] = []): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [
        '--expose-gc',
        ...nodeFlags,
        join(ROOT, 'bin', 'run-ts.js'),
        join(ROOT, 'bench', 'ledgers.ts'),
        '--child',
        JSON.stringify(job),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`child exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Result);
    });
  });
}

/** The county, its townships and contact points, and the visits (in SQL: a 100,000-row INSERT … SELECT). */
async function build(dataDir: string) {
  const database = await openDatabase({ kind: 'embedded', dataDir });
  try {
    await migrate(database);
    const db = database.db;
    const { county, rootOrg } = await createCounty(db, { code: '369905', name: '基准县' });
    const ctx = { db, countyId: county.id };
    const agency = await createOrg(ctx, {
      parentId: rootOrg.id,
      name: '县发展和改革局机关党支部',
      kind: 'branch',
      sector: 'agency',
    });
    const townships: { committee: number; village: number }[] = [];
    for (let t = 0; t < TOWNSHIPS; t++) {
      const committee = await createOrg(ctx, {
        parentId: rootOrg.id,
        name: `中共基准县第${t + 1}镇委员会`,
        shortName: `第${t + 1}镇党委`,
        kind: 'party_committee',
        sector: 'agency',
      });
      const village = await createOrg(ctx, {
        parentId: committee.id,
        name: `第${t + 1}镇红星村党支部`,
        kind: 'branch',
        sector: 'rural',
      });
      townships.push({ committee: committee.id, village: village.id });
    }
    const members: number[] = [];
    for (let i = 0; i < 20; i++) {
      const m = await db
        .insertInto('members')
        .values({
          county_id: county.id,
          org_id: townships[i % TOWNSHIPS]!.village,
          name: `党员${i + 1}`,
          gender: i % 2 ? 'female' : 'male',
          birth_date: '1970-05-01',
          id_number: makeIdNumber('369905', '1970-05-01', i * 2 + 1),
          join_date: '1995-07-01',
          full_member_date: '1996-07-01',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      members.push(m.id);
    }
    const pairings: number[] = [];
    for (const [t, { village }] of townships.entries()) {
      const p = await db
        .insertInto('pairings')
        .values({
          county_id: county.id,
          kind: 'leader_contact',
          year_from: 2026,
          year_to: 2026,
          started_on: '2026-01-01',
          helper_org_id: agency.id,
          helped_org_id: village,
          title: `县发改局联系第${t + 1}镇红星村党支部`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      pairings.push(p.id);
    }
    log(`inserting ${ROWS} visits…`);
    const started = performance.now();
    // Visit n counts for township n mod 10's contact point: a tenth of the visits per township.
    await sql`
      INSERT INTO visits (county_id, visited_on, kind, content, problems_found, created_by)
      SELECT ${county.id}, DATE '2026-01-01' + (n % 320),
             CASE WHEN n % 3 = 0 THEN 'on_site_work' ELSE 'daily_help' END,
             '到村开展第' || n || '次走访，了解村集体经济发展和困难群众生产生活情况，协调解决群众反映的实际问题。',
             CASE WHEN n % 7 = 0 THEN '=村道亮化资金缺口' || (n % 50) || '万元' END,
             NULL
      FROM generate_series(1, ${ROWS}) n`.execute(db);
    const { rows: ids } = await sql<{
      min: number;
    }>`SELECT min(id) AS min FROM visits WHERE county_id = ${county.id}`.execute(db);
    const first = Number(ids[0]!.min);
    await sql`
      INSERT INTO visit_pairings (county_id, visit_id, pairing_id)
      SELECT ${county.id}, v.id, (${pairings}::bigint[])[((v.id - ${first}) % ${TOWNSHIPS}) + 1]
      FROM visits v WHERE v.county_id = ${county.id}`.execute(db);
    await sql`
      INSERT INTO visit_participants (county_id, visit_id, member_id)
      SELECT ${county.id}, v.id, (${members}::bigint[])[((v.id + k) % 20) + 1]
      FROM visits v, generate_series(0, 1) k WHERE v.county_id = ${county.id}`.execute(db);
    await sql`
      INSERT INTO visit_outcomes (county_id, visit_id, unit, amount)
      SELECT ${county.id}, v.id, 'yuan', 1000 + v.id % 9000 FROM visits v
      WHERE v.county_id = ${county.id} AND v.id % 3 = 0`.execute(db);
    await sql`ANALYZE`.execute(db);
    log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const admin = {
      userId: 0,
      username: 'bench',
      role: 'county_admin' as const,
      orgId: rootOrg.id,
      orgPath: rootOrg.path,
      memberId: null,
    };
    return { countyId: county.id, township: townships[0]!.committee, admin };
  } finally {
    await database.close();
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'gongjian-bench-ledgers-'));
  try {
    const dataDir = join(dir, 'db');
    const { countyId, township, admin } = await build(dataDir);
    const runs: [string, Job, string[]][] = [
      [
        `${ROWS / 10} rows (one township)`,
        { dataDir, countyId, orgId: township, out: join(dir, 'small.xlsx') },
        [],
      ],
      [`${ROWS} rows (the county)`, { dataDir, countyId, out: join(dir, 'big.xlsx') }, []],
      [
        `${ROWS} rows as a user (row-level security)`,
        { dataDir, countyId, asUser: { actor: admin }, out: join(dir, 'big-rls.xlsx') },
        [],
      ],
      [
        `${ROWS} rows, --max-old-space-size=${HEAP_CAP_MB}`,
        { dataDir, countyId, out: join(dir, 'big-capped.xlsx') },
        [`--max-old-space-size=${HEAP_CAP_MB}`],
      ],
    ];
    const results: [string, Result][] = [];
    for (const [label, job, flags] of runs) {
      log(`export: ${label}…`);
      results.push([label, await runChild(job, flags)]);
    }
    const f = (n: number, d = 0) => n.toFixed(d);
    console.log('\nvisits ledger (走访台账), embedded database, each export in a fresh process');
    console.log(
      'export                                      rows   seconds  rows/s  RSS before→peak MB  heap before→peak MB  heap after GC  file MB',
    );
    for (const [label, r] of results) {
      console.log(
        `${label.padEnd(41)} ${String(r.rows).padStart(7)} ${f(r.seconds, 1).padStart(8)} ${f(r.rowsPerSecond).padStart(7)}` +
          `  ${`${f(r.rssBeforeMB)} → ${f(r.peakRssMB)}`.padStart(18)}  ${`${f(r.heapBeforeMB)} → ${f(r.peakHeapMB)}`.padStart(19)}  ${f(r.heapAfterGcMB).padStart(13)}  ${f(r.fileMB, 1).padStart(7)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(JSON.parse(process.argv[3]!) as Job);
else await main();
