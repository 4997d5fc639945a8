import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Database, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { appRoleName, enterScope } from '../src/db/rls.ts';
import type { LeaderRank } from '../src/domain/codes.ts';
import {
  assessPairing,
  type ComplianceResult,
  countByLevel,
  type LevelCounts,
  type MonthCount,
} from '../src/domain/compliance.ts';
import { todayIso } from '../src/domain/dates.ts';
import { effectiveRule, pairingKind, type QuotaRule, type VisitKind } from '../src/domain/pairings.ts';
import { summary } from '../src/modules/pairings/service.ts';
import * as q from './province-sql.ts';

/**
 * Compliance at province scale (issue 4): 100 counties, 1 M pairings, 10 M visits on a PostgreSQL
 * server, generated set-based in a throwaway database. Times one county's dashboard and the province
 * roll-up, each from the counts the triggers keep and as one raw query over the visits, and the price
 * of keeping the counts on the write side. Prints a table; writes bench/out/province.json.
 *
 *   node bin/run-ts.js bench/province.ts
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) must name a superuser: the
 * bulk load turns the counting triggers and foreign-key checks off for its session. Scale with
 * PROVINCE_COUNTIES, PROVINCE_PAIRINGS (per county), PROVINCE_VISITS (per county), PROVINCE_RUNS,
 * PROVINCE_WRITE_SAMPLE; PROVINCE_KEEP=1 keeps the database (and prints how to drop it).
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out', 'province.json');

const envInt = (name: string, fallback: number) => {
  const v = process.env[name];
  if (!v) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${v}"`);
  return n;
};

const today = todayIso();
const year = Number(today.slice(0, 4));
const month = Number(today.slice(5, 7));
const jan1 = `${year}-01-01`;

const config = {
  adminUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
  runs: envInt('PROVINCE_RUNS', 10),
  /** Visits written per mode in the write-side sample (batches of 1 000), and one at a time. */
  writeSample: envInt('PROVINCE_WRITE_SAMPLE', 20_000),
  writeSingle: envInt('PROVINCE_WRITE_SINGLE', 1_000),
  keep: process.env.PROVINCE_KEEP === '1',
};
const shape: q.Shape = {
  counties: envInt('PROVINCE_COUNTIES', 100),
  pairingsPerCounty: envInt('PROVINCE_PAIRINGS', 10_000),
  visitsPerCounty: envInt('PROVINCE_VISITS', 100_000),
  membersPerCounty: 1_000,
  year,
  today,
};
/** The county whose dashboard is timed. */
const COUNTY = Math.max(1, Math.round(shape.counties * 0.42));
const CHUNK = 10;

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const fmt = (n: number) => n.toLocaleString('en-US');
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const secs = (x: number) => `${(x / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------------------------

// As the application reads them: bigint and numeric as numbers, dates as 'YYYY-MM-DD'.
const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    if (oid === 1082) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

const urlFor = (admin: string, db: string) => {
  const u = new URL(admin);
  u.pathname = `/${db}`;
  return u.toString();
};

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, types, connectionTimeoutMillis: 5_000 });
  await c.connect();
  return c;
}

// ---------------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------------

interface Stats {
  runs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return {
    runs: s.length,
    medianMs: median,
    p95Ms: s[Math.max(0, Math.ceil(0.95 * s.length) - 1)]!,
    minMs: s[0]!,
    maxMs: s.at(-1)!,
  };
}

interface Figure {
  key: string;
  label: string;
  rows: number;
  /** The SQL alone (absent for the app's service call, which is timed whole). */
  sql?: Stats;
  /** SQL and the work in Node (assessing each pairing), when there is any. */
  total?: Stats;
}

interface RunResult {
  sqlMs?: number;
  totalMs?: number;
  rows: number;
}

/** One warm-up run, then `runs` runs (at least 3, fewer than `runs` once `budgetMs` is spent). */
async function measure(
  key: string,
  label: string,
  fn: () => Promise<RunResult>,
  budgetMs = 90_000,
): Promise<Figure> {
  await fn();
  const sql: number[] = [];
  const total: number[] = [];
  let rows = 0;
  const started = performance.now();
  for (let i = 0; i < config.runs; i++) {
    const r = await fn();
    if (r.sqlMs !== undefined) sql.push(r.sqlMs);
    if (r.totalMs !== undefined) total.push(r.totalMs);
    rows = r.rows;
    if (i >= 2 && performance.now() - started > budgetMs) break;
  }
  const f: Figure = {
    key,
    label,
    rows,
    ...(sql.length ? { sql: stats(sql) } : {}),
    ...(total.length ? { total: stats(total) } : {}),
  };
  const parts = [
    f.sql && `SQL median ${ms(f.sql.medianMs)} ms p95 ${ms(f.sql.p95Ms)} ms`,
    f.total && `total median ${ms(f.total.medianMs)} ms p95 ${ms(f.total.p95Ms)} ms`,
  ].filter(Boolean);
  log(`  ${key} ${label}: ${parts.join(', ')} (${Math.max(sql.length, total.length)} runs)`);
  return f;
}

async function timedQuery<T extends pg.QueryResultRow>(c: pg.Client, text: string, params: unknown[]) {
  const t = performance.now();
  const r = await c.query<T>(text, params);
  return { ms: performance.now() - t, rows: r.rows };
}

// ---------------------------------------------------------------------------------------------
// The county dashboard in Node, as the app assesses it
// ---------------------------------------------------------------------------------------------

interface PairingRow {
  id: number;
  kind: string;
  started_on: string;
  ended_on: string | null;
  year_to: number;
  leader_rank: string | null;
}
/** (1): one row per pairing, its counts as arrays. */
interface ArrayRow extends PairingRow {
  months: number[] | null;
  kinds: string[] | null;
  visits: number[] | null;
}
/** (1-flat): one row per pairing × month × kind count. */
interface FlatRow extends PairingRow {
  month: number | null;
  visit_kind: string | null;
  visits: number | null;
}
type Counted = { row: PairingRow; counts: MonthCount[] };

interface CountyDashboard {
  pairings: number;
  required: number;
  done: number;
  levels: LevelCounts;
  byKind: Record<string, LevelCounts & { required: number; done: number }>;
  donePerPairing: Map<number, number>;
}

const pad = (n: number) => String(n).padStart(2, '0');
const monthOf = (m: number) => `${year}-${pad(m)}`;

function fromArrays(rows: ArrayRow[]): Counted[] {
  return rows.map((r) => ({
    row: r,
    counts: (r.months ?? []).map((m, i) => ({
      month: monthOf(m),
      count: r.visits![i]!,
      kind: r.kinds![i] as VisitKind,
    })),
  }));
}

function fromFlat(rows: FlatRow[]): Counted[] {
  const byPairing = new Map<number, Counted>();
  for (const r of rows) {
    let p = byPairing.get(r.id);
    if (!p) {
      p = { row: r, counts: [] };
      byPairing.set(r.id, p);
    }
    if (r.month !== null && r.visits !== null) {
      p.counts.push({ month: monthOf(r.month), count: r.visits, kind: r.visit_kind as VisitKind });
    }
  }
  return [...byPairing.values()];
}

/** Assesses every pairing as the app does (`assessPairing` with the kind's rule) and tallies levels. */
function assessCounty(pairings: Counted[]): CountyDashboard {
  const rules = new Map<string, QuotaRule>();
  const results: (ComplianceResult & { kind: string })[] = [];
  for (const { row, counts } of pairings) {
    const kind = pairingKind(row.kind);
    if (!kind) continue;
    let rule = rules.get(kind.code);
    if (!rule) {
      rule = effectiveRule(kind.code, {});
      rules.set(kind.code, rule);
    }
    const r = assessPairing({
      pairing: {
        id: row.id,
        leaderRank: row.leader_rank as LeaderRank | null,
        startedOn: row.started_on,
        endedOn: row.ended_on ?? `${row.year_to}-12-31`,
      },
      rule,
      monthCounts: counts,
      year,
      asOf: today,
    });
    results.push({ ...r, kind: row.kind });
  }
  const byKind: CountyDashboard['byKind'] = {};
  for (const k of new Set(results.map((r) => r.kind))) {
    const rs = results.filter((r) => r.kind === k);
    byKind[k] = {
      ...countByLevel(rs),
      required: rs.reduce((a, r) => a + r.required, 0),
      done: rs.reduce((a, r) => a + r.done, 0),
    };
  }
  return {
    pairings: results.length,
    required: results.reduce((a, r) => a + r.required, 0),
    done: results.reduce((a, r) => a + r.done, 0),
    levels: countByLevel(results),
    byKind,
    donePerPairing: new Map(results.map((r) => [Number(r.id), r.done])),
  };
}

// ---------------------------------------------------------------------------------------------
// The write side
// ---------------------------------------------------------------------------------------------

type WriteMode = 'off' | 'on' | 'on_summary';
const MODE_LABEL: Record<WriteMode, string> = {
  off: 'counting trigger off',
  on: 'counting trigger on (migration 0003)',
  on_summary: 'trigger on + county summary (proposal)',
};

interface SamplePairing {
  county_id: number;
  id: number;
  from: string;
  to: string;
}

/** A small deterministic generator (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const SAMPLE_KINDS: VisitKind[] = [
  'on_site_work',
  'on_site_work',
  'on_site_work',
  'collective_day',
  'survey',
];

interface NewVisit {
  county_id: number;
  pairing_id: number;
  visited_on: string;
  kind: string;
}

function sampleVisits(pairings: SamplePairing[], n: number, seed: number): NewVisit[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const p = pairings[Math.floor(r() * pairings.length)]!;
    const from = Date.parse(p.from);
    const days = Math.round((Date.parse(p.to) - from) / DAY) + 1;
    return {
      county_id: p.county_id,
      pairing_id: p.id,
      visited_on: new Date(from + Math.floor(r() * days) * DAY).toISOString().slice(0, 10),
      kind: SAMPLE_KINDS[Math.floor(r() * SAMPLE_KINDS.length)]!,
    };
  });
}

/** Writes visits in one transaction, as normal INSERTs (one for the visits, one for their links). */
async function writeBatch(
  c: pg.Client,
  visits: NewVisit[],
): Promise<{ ms: number; ids: [number, number][] }> {
  const t = performance.now();
  await c.query('BEGIN');
  const { rows } = await c.query<{ id: number }>(
    `SELECT nextval(pg_get_serial_sequence('visits', 'id')) AS id FROM generate_series(1, $1)`,
    [visits.length],
  );
  const ids = rows.map((r) => r.id);
  await c.query(
    `INSERT INTO visits (county_id, id, visited_on, kind, content)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::date[], $4::text[], $5::text[])`,
    [
      visits.map((v) => v.county_id),
      ids,
      visits.map((v) => v.visited_on),
      visits.map((v) => v.kind),
      visits.map(() => '到点开展工作'),
    ],
  );
  await c.query(
    `INSERT INTO visit_pairings (county_id, visit_id, pairing_id)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[])`,
    [visits.map((v) => v.county_id), ids, visits.map((v) => v.pairing_id)],
  );
  await c.query('COMMIT');
  return { ms: performance.now() - t, ids: visits.map((v, i) => [v.county_id, ids[i]!]) };
}

/** Writes one visit as the app does: its own transaction, an id, the visit, its link. */
async function writeOne(c: pg.Client, v: NewVisit): Promise<{ ms: number; id: [number, number] }> {
  const t = performance.now();
  await c.query('BEGIN');
  const { rows } = await c.query<{ id: number }>(
    `SELECT nextval(pg_get_serial_sequence('visits', 'id')) AS id`,
  );
  const id = rows[0]!.id;
  await c.query('INSERT INTO visits (county_id, id, visited_on, kind, content) VALUES ($1, $2, $3, $4, $5)', [
    v.county_id,
    id,
    v.visited_on,
    v.kind,
    '到点开展工作',
  ]);
  await c.query('INSERT INTO visit_pairings (county_id, visit_id, pairing_id) VALUES ($1, $2, $3)', [
    v.county_id,
    id,
    v.pairing_id,
  ]);
  await c.query('COMMIT');
  return { ms: performance.now() - t, id: [v.county_id, id] };
}

async function setMode(c: pg.Client, mode: WriteMode) {
  await c.query(
    mode === 'off'
      ? 'ALTER TABLE visit_pairings DISABLE TRIGGER visit_pairings_counts'
      : 'ALTER TABLE visit_pairings ENABLE TRIGGER visit_pairings_counts',
  );
  if (mode !== 'off') await c.query(mode === 'on_summary' ? q.bumpWithSummarySql : q.bumpOriginalSql);
}

async function deleteVisits(c: pg.Client, ids: [number, number][]): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < ids.length; i += 1_000) {
    const part = ids.slice(i, i + 1_000);
    await c.query(
      `DELETE FROM visits v USING unnest($1::bigint[], $2::bigint[]) AS x (c, i)
       WHERE v.county_id = x.c AND v.id = x.i`,
      [part.map((p) => p[0]), part.map((p) => p[1])],
    );
  }
  return performance.now() - t;
}

interface WriteFigure {
  mode: WriteMode;
  label: string;
  batched: { visits: number; ms: number; perSecond: number };
  single: { visits: number; medianMs: number; p95Ms: number; perSecond: number };
  deleted: { visits: number; ms: number; perSecond: number };
}

async function writeSide(c: pg.Client, modes: WriteMode[]) {
  const { rows: pairings } = await c.query<SamplePairing>(
    `SELECT county_id, id, greatest(started_on, $1::date) AS from, least(coalesce(ended_on, $2::date), $2::date) AS to
     FROM pairings WHERE id % 1000000 % 500 = 250 ORDER BY county_id, id`,
    [jan1, today],
  );
  const batch = 1_000;
  const blocks = Math.max(1, Math.round(config.writeSample / batch));
  const singleBlock = 100;
  const singleBlocks = Math.max(1, Math.round(config.writeSingle / singleBlock));
  const acc = new Map(
    modes.map((m) => [
      m,
      { batchedMs: 0, batched: 0, single: [] as number[], ids: [] as [number, number][] },
    ]),
  );
  let seed = 1;
  // Modes alternate block by block, so each sees the same caches, checkpoints and neighbours.
  for (let b = 0; b < blocks; b++) {
    for (const mode of modes) {
      await setMode(c, mode);
      const a = acc.get(mode)!;
      const r = await writeBatch(c, sampleVisits(pairings, batch, seed++));
      a.batchedMs += r.ms;
      a.batched += batch;
      a.ids.push(...r.ids);
    }
  }
  for (let b = 0; b < singleBlocks; b++) {
    for (const mode of modes) {
      await setMode(c, mode);
      const a = acc.get(mode)!;
      for (const v of sampleVisits(pairings, singleBlock, seed++)) {
        const r = await writeOne(c, v);
        a.single.push(r.ms);
        a.ids.push(r.id);
      }
    }
  }
  // Take the sample out again, each mode's visits under its own mode, so the counts stay exact.
  const figures: WriteFigure[] = [];
  for (const mode of modes) {
    await setMode(c, mode);
    const a = acc.get(mode)!;
    const delMs = await deleteVisits(c, a.ids);
    const s = stats(a.single);
    figures.push({
      mode,
      label: MODE_LABEL[mode],
      batched: { visits: a.batched, ms: a.batchedMs, perSecond: (a.batched / a.batchedMs) * 1000 },
      single: {
        visits: a.single.length,
        medianMs: s.medianMs,
        p95Ms: s.p95Ms,
        perSecond: (a.single.length / a.single.reduce((x, y) => x + y, 0)) * 1000,
      },
      deleted: { visits: a.ids.length, ms: delMs, perSecond: (a.ids.length / delMs) * 1000 },
    });
  }
  await setMode(c, modes.includes('on_summary') ? 'on_summary' : 'on');
  return { figures, touched: pairings };
}

// ---------------------------------------------------------------------------------------------
// EXPLAIN
// ---------------------------------------------------------------------------------------------

interface Plan {
  key: string;
  text: string;
  executionMs: number;
  planningMs: number;
  jitMs: number | null;
}

async function explain(c: pg.Client, key: string, text: string, params: unknown[]): Promise<Plan> {
  const { rows } = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params);
  const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
  const num = (re: RegExp) => {
    const m = re.exec(plan);
    return m ? Number(m[1]) : null;
  };
  return {
    key,
    text: plan,
    executionMs: num(/Execution Time: ([\d.]+) ms/) ?? Number.NaN,
    planningMs: num(/Planning Time: ([\d.]+) ms/) ?? Number.NaN,
    jitMs: num(/Timing: .*Total ([\d.]+) ms/),
  };
}

// ---------------------------------------------------------------------------------------------
// Machine
// ---------------------------------------------------------------------------------------------

function machine() {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux
  }
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverage: { start: loadavg()[0]! } as { start: number; end?: number },
  };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
  const started = performance.now();
  const m = machine();
  let admin: pg.Client;
  try {
    admin = await connect(config.adminUrl);
  } catch (err) {
    log(
      `No PostgreSQL server at ${config.adminUrl} (${(err as Error).message}).\n` +
        'This benchmark needs one: set BENCH_DATABASE_URL to a superuser URL of a running server.',
    );
    process.exitCode = 2;
    return;
  }
  const { rows: who } = await admin.query<{ version: string; superuser: boolean }>(
    `SELECT version(), (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`,
  );
  if (!who[0]!.superuser) {
    await admin.end();
    log('BENCH_DATABASE_URL must name a superuser: the bulk load turns triggers and foreign-key checks off.');
    process.exitCode = 2;
    return;
  }
  const settingNames = [
    'shared_buffers',
    'work_mem',
    'effective_cache_size',
    'max_parallel_workers_per_gather',
    'jit',
    'synchronous_commit',
  ];
  const { rows: settingRows } = await admin.query<{ name: string; setting: string }>(
    `SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name`,
    [settingNames],
  );
  const settings = Object.fromEntries(settingRows.map((r) => [r.name, r.setting]));
  const server = who[0]!.version;
  log(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, load ${m.loadAverage.start}`);
  log(`Server: ${server}`);
  log(`Settings: ${settingRows.map((r) => `${r.name}=${r.setting}`).join(', ')}`);
  log(
    `Shape: ${shape.counties} counties × ${fmt(shape.pairingsPerCounty)} pairings × ${fmt(shape.visitsPerCounty)} visits; ` +
      `year ${year}, as of ${today}; runs ${config.runs}`,
  );

  const dbName = `gongjian_province_${process.pid}`;
  // The database's application and maintenance roles (src/db/roles.ts).
  const roles = [`gongjian_app_${dbName}`, `gongjian_maint_${dbName}`];
  const url = urlFor(config.adminUrl, dbName);
  let client: pg.Client | undefined;
  let app: Database | undefined;
  let dropped = false;
  const dropAll = async () => {
    if (dropped) return;
    dropped = true;
    await client?.end().catch(() => {});
    await app?.close().catch(() => {});
    if (config.keep) {
      log(
        `Kept ${dbName}. Drop it with: DROP DATABASE ${dbName} WITH (FORCE); DROP ROLE ${roles.join(', ')};`,
      );
    } else {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${roles.join(', ')}`);
      log(`Dropped ${dbName} and ${roles.join(', ')}.`);
    }
    await admin.end().catch(() => {});
  };
  const onSignal = () => {
    log('Interrupted: dropping the benchmark database…');
    dropAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const loadSteps: { step: string; ms: number; rows?: number }[] = [];
  const step = async <T>(name: string, fn: () => Promise<T>, rowsOf?: (v: T) => number) => {
    const t = performance.now();
    const v = await fn();
    const took = performance.now() - t;
    const rows = rowsOf?.(v);
    loadSteps.push({ step: name, ms: took, ...(rows !== undefined ? { rows } : {}) });
    const rate = rows ? ` (${fmt(rows)} rows, ${fmt(Math.round(rows / (took / 1000)))}/s)` : '';
    log(`  ${name}: ${secs(took)}${rate}`);
    return v;
  };

  try {
    log(`\nCreating ${dbName} and migrating…`);
    await admin.query(`CREATE DATABASE ${dbName}`);
    app = await openDatabase({ kind: 'server', url });
    await step('migrations', () => migrate(app!));
    client = await connect(url);
    const c = client;

    // -- Load ---------------------------------------------------------------------------------
    log('\nLoading (counting triggers and foreign-key checks off for this session)…');
    await c.query(`SET session_replication_role = replica`);
    await c.query(`SET maintenance_work_mem = '1GB'`);
    await c.query(`SET work_mem = '512MB'`);
    await c.query(`SET synchronous_commit = off`);
    await c.query(q.setupSql);
    const count = (r: pg.QueryResult) => r.rowCount ?? 0;
    await step('counties', () => c.query(q.countiesSql(shape)), count);
    await step('orgs', () => c.query(q.orgsSql(shape)), count);
    await step('members', () => c.query(q.membersSql(shape)), count);
    const chunks: [number, number][] = [];
    for (let c1 = 1; c1 <= shape.counties; c1 += CHUNK)
      chunks.push([c1, Math.min(shape.counties, c1 + CHUNK - 1)]);
    const chunked = async (name: string, sqlOf: (c1: number, c2: number) => string) => {
      let rows = 0;
      await step(
        name,
        async () => {
          for (const [c1, c2] of chunks) {
            const t = performance.now();
            const r = await c.query(sqlOf(c1, c2));
            rows += r.rowCount ?? 0;
            log(`    counties ${c1}–${c2}: ${fmt(r.rowCount ?? 0)} rows in ${secs(performance.now() - t)}`);
          }
        },
        () => rows,
      );
      return rows;
    };
    const pairingRows = await chunked('pairings', (a, b) => q.pairingsSql(shape, a, b));
    const visitRows = await chunked('visits', (a, b) => q.visitsSql(shape, a, b));
    const linkRows = await chunked('visit_pairings', (a, b) => q.linksSql(shape, a, b));
    const countRows = await step(
      'pairing_visit_counts (one aggregate INSERT … SELECT)',
      () => c.query(q.buildCountsSql),
      count,
    );
    await c.query(`RESET session_replication_role`);
    for (const t of ['counties', 'orgs', 'members', 'pairings', 'visits']) {
      await c.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT max(id) FROM ${t}))`);
    }
    await step('VACUUM ANALYZE', () =>
      c.query(
        'VACUUM (ANALYZE) counties, orgs, members, pairings, visits, visit_pairings, pairing_visit_counts',
      ),
    );
    await c.query(`RESET maintenance_work_mem`);
    await c.query(`RESET work_mem`);
    await c.query(`RESET synchronous_commit`);

    // -- Verify -------------------------------------------------------------------------------
    log('\nVerifying the counts…');
    const every = Math.max(1, Math.round((shape.counties * shape.pairingsPerCounty) / 1_000));
    const { rows: sampleCheck } = await c.query<{
      pairings: number;
      cells: number;
      visits: number;
      mismatches: number;
    }>(q.verifySampleSql(every), [[], []]);
    const { rows: totals } = await c.query<{ kept: number; links: number }>(
      `SELECT (SELECT sum(visits) FROM pairing_visit_counts) AS kept, (SELECT count(*) FROM visit_pairings) AS links`,
    );
    const verify = { sample: sampleCheck[0]!, totals: totals[0]! };
    log(
      `  sample of ${fmt(verify.sample.pairings)} pairings: ${fmt(verify.sample.cells)} month × kind cells, ` +
        `${fmt(verify.sample.visits)} visits, ${verify.sample.mismatches} mismatches; ` +
        `total kept ${fmt(verify.totals.kept)} vs ${fmt(verify.totals.links)} links`,
    );
    if (verify.sample.mismatches !== 0 || verify.totals.kept !== verify.totals.links) {
      throw new Error('the counts built do not match the visits');
    }
    const { rows: sizeRows } = await c.query<{ table: string; rows: number; mb: number }>(
      `SELECT relname AS table, reltuples::bigint AS rows, round(pg_total_relation_size(oid) / 1048576.0) AS mb
       FROM pg_class WHERE relname IN ('pairings', 'visits', 'visit_pairings', 'pairing_visit_counts', 'members', 'orgs')
       ORDER BY pg_total_relation_size(oid) DESC`,
    );
    for (const r of sizeRows) log(`  ${r.table}: ~${fmt(r.rows)} rows, ${fmt(r.mb)} MB with indexes`);

    // -- Reads --------------------------------------------------------------------------------
    log(`\nMeasuring (warm; 1 warm-up + up to ${config.runs} runs each; county ${COUNTY})…`);
    const rules = q.countedPairs();
    const ruleParams = [rules.pairingKinds, rules.visitKinds];
    const figures: Figure[] = [];

    let dashboard: CountyDashboard | undefined;
    figures.push(
      await measure('1', 'county dashboard from counts (1 SQL + assessPairing per pairing)', async () => {
        const t = performance.now();
        const r = await timedQuery<ArrayRow>(c, q.countyFromCountsSql, [COUNTY, year]);
        dashboard = assessCounty(fromArrays(r.rows));
        return { sqlMs: r.ms, totalMs: performance.now() - t, rows: r.rows.length };
      }),
    );
    figures.push(
      await measure('1-flat', 'same, counts as one row each (pairing × month × kind)', async () => {
        const t = performance.now();
        const r = await timedQuery<FlatRow>(c, q.countyFromCountsFlatSql, [COUNTY, year]);
        const d = assessCounty(fromFlat(r.rows));
        if (d.pairings !== dashboard?.pairings || d.done !== dashboard.done) {
          throw new Error('the flat county read differs from the one by arrays');
        }
        return { sqlMs: r.ms, totalMs: performance.now() - t, rows: r.rows.length };
      }),
    );
    const rootPath = String(COUNTY * 1000);
    /** Runs fn in a transaction narrowed as the app narrows a county-wide user's (role, county, scope). */
    const asCountyUser = async <T>(fn: () => Promise<T>, jitOff = false): Promise<T> => {
      await c.query('BEGIN');
      try {
        await c.query(`SET LOCAL ROLE "${roles[0]}"`);
        await c.query(`SELECT set_config('app.county', $1, true), set_config('app.scope', $2, true)`, [
          String(COUNTY),
          rootPath,
        ]);
        if (jitOff) await c.query('SET LOCAL jit = off');
        const v = await fn();
        await c.query('COMMIT');
        return v;
      } catch (err) {
        await c.query('ROLLBACK');
        throw err;
      }
    };
    for (const jitOff of [false, true]) {
      figures.push(
        await measure(
          jitOff ? '1-rls-nojit' : '1-rls',
          jitOff
            ? 'same under row-level security, jit = off for the transaction'
            : 'same, under row-level security (as a county-wide user)',
          async () => {
            const t = performance.now();
            const r = await asCountyUser(
              () => timedQuery<ArrayRow>(c, q.countyFromCountsSql, [COUNTY, year]),
              jitOff,
            );
            const d = assessCounty(fromArrays(r.rows));
            if (d.pairings !== dashboard?.pairings || d.done !== dashboard.done) {
              throw new Error('the county seen under row-level security differs from the owner’s view');
            }
            return { sqlMs: r.ms, totalMs: performance.now() - t, rows: r.rows.length };
          },
        ),
      );
    }
    let appSummary: Awaited<ReturnType<typeof summary>> | undefined;
    const appRole = await appRoleName(app.db);
    figures.push(
      await measure(
        '1-app',
        "the app's pairings summary() (service code, under row-level security)",
        async () => {
          const t = performance.now();
          appSummary = await app!.db.transaction().execute(async (trx) => {
            await enterScope(trx, appRole, COUNTY, rootPath);
            return summary({ db: trx, countyId: COUNTY }, { year, asOf: today });
          });
          const took = performance.now() - t;
          return { totalMs: took, rows: appSummary.compliance.total };
        },
        60_000,
      ),
    );
    let rawCounty: { id: number; done: number }[] = [];
    figures.push(
      await measure('2', 'county: one raw SQL over visits ⋈ visit_pairings ⋈ pairings', async () => {
        const r = await timedQuery<{ id: number; done: number }>(c, q.countyRawSql, [
          ...ruleParams,
          COUNTY,
          year,
          jan1,
          today,
        ]);
        rawCounty = r.rows;
        return { sqlMs: r.ms, rows: r.rows.length };
      }),
    );
    type RollupRow = { county_id: number; kind: string; pairings: number; visits: number };
    let rollupCounts: RollupRow[] = [];
    let rollupRaw: RollupRow[] = [];
    const rollupParams = [...ruleParams, year, month];
    figures.push(
      await measure('3', 'province roll-up from pairing_visit_counts ⋈ pairings', async () => {
        const r = await timedQuery<RollupRow>(c, q.rollupFromCountsSql, rollupParams);
        rollupCounts = r.rows;
        return { sqlMs: r.ms, rows: r.rows.length };
      }),
    );
    // Is (3) slow for spilling to disk (work_mem) or for its volume? The same with room in memory:
    await c.query(`SET work_mem = '256MB'`);
    figures.push(
      await measure('3-mem', 'same, with work_mem = 256MB for the session (no spill to disk)', async () => {
        const r = await timedQuery<RollupRow>(c, q.rollupFromCountsSql, rollupParams);
        return { sqlMs: r.ms, rows: r.rows.length };
      }),
    );
    const plan3Mem = await explain(c, '3-mem', q.rollupFromCountsSql, rollupParams);
    await c.query('RESET work_mem');
    const rawRollupParams = [...ruleParams, year, jan1, today];
    figures.push(
      await measure(
        '4',
        'province roll-up: one raw SQL over visits ⋈ visit_pairings ⋈ pairings',
        async () => {
          const r = await timedQuery<RollupRow>(c, q.rollupRawSql, rawRollupParams);
          rollupRaw = r.rows;
          return { sqlMs: r.ms, rows: r.rows.length };
        },
      ),
    );

    // Do the fast and the raw answers agree?
    const d = dashboard!;
    const rawMismatch = rawCounty.filter((r) => (d.donePerPairing.get(r.id) ?? -1) !== r.done).length;
    const key = (r: RollupRow) => `${r.county_id}/${r.kind}/${r.pairings}/${r.visits}`;
    const rollupAgree = JSON.stringify(rollupCounts.map(key)) === JSON.stringify(rollupRaw.map(key));
    const appAgrees =
      appSummary !== undefined && JSON.stringify(appSummary.compliance) === JSON.stringify(d.levels);
    log(
      `  agreement: county counts vs raw ${rawMismatch} of ${fmt(rawCounty.length)} pairings differ; ` +
        `app summary() levels ${appAgrees ? 'equal' : 'DIFFER'}; roll-ups ${rollupAgree ? 'equal' : 'DIFFER'}`,
    );
    if (rawMismatch || !rollupAgree || !appAgrees) throw new Error('the fast and the raw answers disagree');

    log('\nEXPLAIN ANALYZE…');
    const plans: Plan[] = [
      await explain(c, '1', q.countyFromCountsSql, [COUNTY, year]),
      await asCountyUser(() => explain(c, '1-rls', q.countyFromCountsSql, [COUNTY, year])),
      await explain(c, '2', q.countyRawSql, [...ruleParams, COUNTY, year, jan1, today]),
      await explain(c, '3', q.rollupFromCountsSql, rollupParams),
      await explain(c, '4', q.rollupRawSql, rawRollupParams),
    ];
    await c.query('SET jit = off');
    const plan3NoJit = await explain(c, '3-nojit', q.rollupFromCountsSql, rollupParams);
    await c.query('RESET jit');
    plans.push(plan3NoJit, plan3Mem);
    for (const p of plans) {
      log(
        `  (${p.key}) execution ${ms(p.executionMs)} ms, planning ${ms(p.planningMs)} ms` +
          (p.jitMs !== null ? `, of which JIT ${ms(p.jitMs)} ms` : ''),
      );
    }
    for (const k of ['1-rls', '3', '3-mem', '4']) {
      log(`\n  Plan of (${k}):\n${plans.find((p) => p.key === k)!.text.replace(/^/gm, '    ')}`);
    }

    // -- The proposal: a county summary kept by the same trigger -------------------------------
    log('\nApplying the proposed county summary (bench_county_counts) to the benchmark database…');
    await step('bench_county_counts (table, trigger, backfill)', () => c.query(q.proposalSql));
    const { rows: summaryRows } = await c.query<{ n: number }>(
      'SELECT count(*) AS n FROM bench_county_counts',
    );
    log(`  bench_county_counts: ${fmt(summaryRows[0]!.n)} rows`);
    let rollupSummary: RollupRow[] = [];
    figures.push(
      await measure('3b', 'province roll-up from bench_county_counts (proposal)', async () => {
        const r = await timedQuery<RollupRow>(c, q.rollupFromSummarySql, rollupParams);
        rollupSummary = r.rows;
        return { sqlMs: r.ms, rows: r.rows.length };
      }),
    );
    const summaryAgrees = JSON.stringify(rollupSummary.map(key)) === JSON.stringify(rollupCounts.map(key));
    log(`  agreement: summary roll-up ${summaryAgrees ? 'equals' : 'DIFFERS from'} the counts roll-up`);
    if (!summaryAgrees) throw new Error('the summary roll-up disagrees');
    const plan3b = await explain(c, '3b', q.rollupFromSummarySql, rollupParams);
    plans.push(plan3b);
    log(
      `  (3b) execution ${ms(plan3b.executionMs)} ms\n  Plan of (3b):\n${plan3b.text.replace(/^/gm, '    ')}`,
    );

    // -- The write side -----------------------------------------------------------------------
    log(
      `\nWrite side: ${fmt(config.writeSample)} visits per mode in batches of 1,000 and ` +
        `${fmt(config.writeSingle)} one at a time, modes alternating…`,
    );
    const modes: WriteMode[] = ['off', 'on', 'on_summary'];
    const write = await writeSide(c, modes);
    for (const w of write.figures) {
      log(
        `  ${w.label}: batched ${fmt(Math.round(w.batched.perSecond))} visits/s; one at a time ` +
          `median ${ms(w.single.medianMs)} ms p95 ${ms(w.single.p95Ms)} ms (${fmt(Math.round(w.single.perSecond))}/s); ` +
          `delete ${fmt(Math.round(w.deleted.perSecond))}/s`,
      );
    }
    const { rows: afterWrites } = await c.query<{ mismatches: number; pairings: number }>(
      q.verifySampleSql(every * 10),
      [write.touched.map((p) => p.county_id), write.touched.map((p) => p.id)],
    );
    const { rows: summaryCheck } = await c.query<{ cells: number; mismatches: number }>(q.verifySummarySql);
    log(
      `  after the sample was written and deleted: ${afterWrites[0]!.mismatches} mismatches over ` +
        `${fmt(afterWrites[0]!.pairings)} pairings; county summary ${summaryCheck[0]!.mismatches} mismatches ` +
        `over ${fmt(summaryCheck[0]!.cells)} cells`,
    );
    if (afterWrites[0]!.mismatches || summaryCheck[0]!.mismatches) throw new Error('the triggers lost count');

    // -- Report -------------------------------------------------------------------------------
    m.loadAverage.end = loadavg()[0]!;
    const table = [
      '',
      `Compliance at province scale — ${shape.counties} counties, ${fmt(pairingRows)} pairings, ${fmt(visitRows)} visits`,
      `${m.cpu}, ${m.cores} cores; ${server.split(' on ')[0]}`,
      '',
      '| # | question | rows | SQL median ms | SQL p95 ms | total median ms | total p95 ms |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
      ...figures.map(
        (f) =>
          `| ${f.key} | ${f.label} | ${fmt(f.rows)} | ${f.sql ? ms(f.sql.medianMs) : ''} | ${f.sql ? ms(f.sql.p95Ms) : ''} | ` +
          `${f.total ? ms(f.total.medianMs) : ''} | ${f.total ? ms(f.total.p95Ms) : ''} |`,
      ),
      '',
      '| write mode | batched visits/s | one-at-a-time median ms | p95 ms | visits/s | delete visits/s |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...write.figures.map(
        (w) =>
          `| ${w.label} | ${fmt(Math.round(w.batched.perSecond))} | ${ms(w.single.medianMs)} | ${ms(w.single.p95Ms)} | ` +
          `${fmt(Math.round(w.single.perSecond))} | ${fmt(Math.round(w.deleted.perSecond))} |`,
      ),
      '',
      `County ${COUNTY}: ${fmt(d.pairings)} pairings, required ${fmt(d.required)}, done ${fmt(d.done)}; ` +
        `levels ${JSON.stringify(d.levels)}`,
      ...Object.entries(d.byKind).map(
        ([k, v]) =>
          `  ${k}: ${v.total} pairings, on_track ${v.on_track}, behind_pace ${v.behind_pace}, short ${v.short}, ` +
          `not_started ${v.not_started}, required ${v.required}, done ${v.done}`,
      ),
    ];
    process.stdout.write(`${table.join('\n')}\n`);

    const loadMs = loadSteps.reduce((a, s) => a + s.ms, 0);
    const result = {
      startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
      machine: { ...m, server, settings },
      shape: { ...shape, pairings: pairingRows, visits: visitRows, links: linkRows, counts: countRows },
      county: COUNTY,
      load: { steps: loadSteps, totalMs: loadMs },
      tables: sizeRows,
      verify,
      figures,
      countyDashboard: { ...d, donePerPairing: undefined },
      appSummaryLevels: appSummary?.compliance,
      plans,
      proposal: { summaryRows: summaryRows[0]!.n },
      write: write.figures,
      runMs: performance.now() - started,
    };
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
    log(`\nWrote ${OUT}; whole run ${secs(performance.now() - started)}.`);
  } finally {
    await dropAll();
  }
}

await main();
