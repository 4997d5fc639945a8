import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { CompiledQuery, sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import type { Database } from '../src/db/database.ts';
import { appRoleName } from '../src/db/rls.ts';
import { DEMO_COUNTY_CODE, loadDemoCounty } from '../src/db/seeds/demo/index.ts';
import { writeMemberSheet } from '../src/modules/imports/generate.ts';
import { OrgIndex } from '../src/modules/imports/org-index.ts';
import { loadActiveOrgs } from '../src/modules/imports/repository.ts';
import { importMembers } from '../src/modules/imports/service.ts';
import { memberListQueries } from '../src/modules/members/repository.ts';
import { createDemoAccounts } from '../src/modules/users/demo.ts';
import { machineInfo } from './machine.ts';
import { timed } from './measure.ts';
import { type BenchTarget, embeddedTarget, serverTarget, serverVersion } from './targets.ts';

/**
 * `npm run bench:load`: the platform under concurrent load, as a township's staff use it. Starts the
 * HTTP server in this process (as `gongjian start` runs it) on the embedded database and, when a
 * server URL is given, on a PostgreSQL server; loads the demo county, tops its members up to
 * BENCH_LOAD_MEMBERS with the import generator, signs in as the demo township's staff (`zhen`), then
 * drives each scenario with a fixed number of keep-alive connections from a separate process (so the
 * load generator does not take the server's thread) and prints p50/p95/p99 and requests per second
 * next to the target. Only 127.0.0.1. Every database it makes is removed at the end. See
 * docs/PERFORMANCE.md, "Member search under load".
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');

const envInt = (name: string, fallback: number) => {
  const v = process.env[name];
  if (!v) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${v}"`);
  return n;
};

/** One URL the load hits; a scenario sends its routes round-robin. */
interface Route {
  label: string;
  path: string;
}

/**
 * What is measured. Add a route to `mixed` (or a scenario) to have it measured: every page route a
 * staff member's screens call belongs here, so a regression shows in the next run.
 */
interface Scenario {
  name: string;
  routes: Route[];
  seconds: number;
  /** The p99 a scenario must stay under, if it has one; the others are recorded for comparison. */
  targetP99Ms?: number;
}

const config = {
  serverUrl:
    process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || '',
  targets: (process.env.BENCH_LOAD_TARGETS ?? 'embedded,server').split(',').map((s) => s.trim()),
  members: envInt('BENCH_LOAD_MEMBERS', 50_000),
  connections: envInt('BENCH_LOAD_CONNECTIONS', 20),
  searchSeconds: envInt('BENCH_LOAD_SECONDS', 20),
  mixedSeconds: envInt('BENCH_LOAD_MIXED_SECONDS', 30),
  warmupSeconds: envInt('BENCH_LOAD_WARMUP_SECONDS', 3),
  /** Which scenarios to run (comma-separated names), all by default. */
  only: process.env.BENCH_LOAD_ONLY?.split(',').map((s) => s.trim()),
  /** Print EXPLAIN (ANALYZE, BUFFERS) of the search as the route runs it (app role, zhen's scope). */
  explain: process.env.BENCH_LOAD_EXPLAIN === '1',
  /** ANALYZE after the top-up (PGlite has no autovacuum; this server has it off): both plans are real. */
  analyze: process.env.BENCH_LOAD_ANALYZE === '1',
};

const SEARCH_Q = '王';
const enc = encodeURIComponent;

const scenarios = (): Scenario[] => [
  {
    name: 'member search',
    routes: [{ label: `members q=${SEARCH_Q}`, path: `/api/members?q=${enc(SEARCH_Q)}&pageSize=20` }],
    seconds: config.searchSeconds,
    targetP99Ms: 300,
  },
  {
    name: 'mixed pages',
    routes: [
      { label: 'home', path: '/api/home' },
      { label: 'members (first page)', path: '/api/members?pageSize=20' },
      { label: `members q=${SEARCH_Q}`, path: `/api/members?q=${enc(SEARCH_Q)}&pageSize=20` },
      { label: 'pairings', path: '/api/pairings?pageSize=20' },
      { label: 'summary', path: '/api/reports/summary' },
      { label: 'notices', path: '/api/notices?pageSize=20' },
    ],
    seconds: config.mixedSeconds,
  },
];

/** The generated sheet: ID numbers of area 369903, so none collides with the demo county's (369901). */
const SHEET = { seed: 7, countyAreaCode: '369903' };

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------
// The load generator (a child process: `load.ts --drive <job>`)
// ---------------------------------------------------------------------------------------------

interface DriveJob {
  port: number;
  cookie: string;
  routes: Route[];
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Requests per route sent one at a time before the load: each route's own time, without queueing. */
  aloneRuns: number;
}

interface RouteFigures {
  label: string;
  /** Median of the requests sent one at a time, before the load. */
  aloneMs: number;
  requests: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface DriveResult {
  /** Every request sent, the unmeasured ones included: what the server's CPU time is divided by. */
  sent: number;
  seconds: number;
  requests: number;
  errors: number;
  reqPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
  routes: RouteFigures[];
}

/** Nearest-rank percentile of sorted samples. */
const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]! : Number.NaN;

function figures(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50Ms: pct(s, 0.5), p95Ms: pct(s, 0.95), p99Ms: pct(s, 0.99), maxMs: s.at(-1) ?? Number.NaN };
}

/**
 * `connections` loops, each sending its next request when the last answer is read (closed loop, as
 * autocannon does), over keep-alive sockets. A warm-up first, unmeasured; then `seconds` measured.
 */
async function drive(job: DriveJob): Promise<DriveResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
  const get = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: job.port, path, agent, headers: { cookie: job.cookie } },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  let next = 0;
  let sent = 0;
  const run = async (until: number, record: boolean, samples: number[][], statuses: Map<number, number>) => {
    const loop = async () => {
      while (performance.now() < until) {
        const i = next++ % job.routes.length;
        const t = performance.now();
        sent++;
        let status: number;
        try {
          status = await get(job.routes[i]!.path);
        } catch {
          status = 0;
        }
        if (!record) continue;
        samples[i]!.push(performance.now() - t);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status !== 200) errorsByRoute[i]!++;
      }
    };
    await Promise.all(Array.from({ length: job.connections }, loop));
  };
  const alone = job.routes.map(() => [] as number[]);
  for (let n = -2; n < job.aloneRuns; n++) {
    for (const [i, r] of job.routes.entries()) {
      const t = performance.now();
      sent++;
      await get(r.path);
      if (n >= 0) alone[i]!.push(performance.now() - t);
    }
  }
  const errorsByRoute = job.routes.map(() => 0);
  const samples = job.routes.map(() => [] as number[]);
  const statuses = new Map<number, number>();
  await run(performance.now() + job.warmupSeconds * 1000, false, samples, statuses);
  const started = performance.now();
  await run(started + job.seconds * 1000, true, samples, statuses);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const all = samples.flat();
  const errors = errorsByRoute.reduce((a, b) => a + b, 0);
  return {
    sent,
    seconds: elapsed,
    requests: all.length,
    errors,
    reqPerSec: all.length / elapsed,
    ...figures(all),
    statuses: Object.fromEntries([...statuses].map(([k, v]) => [String(k), v])),
    routes: job.routes.map((r, i) => ({
      label: r.label,
      aloneMs: figures(alone[i]!).p50Ms,
      requests: samples[i]!.length,
      errors: errorsByRoute[i]!,
      ...figures(samples[i]!),
    })),
  };
}

/** Runs the driver in a child process and returns its one JSON line. */
let currentChild: ChildProcess | undefined;
function driveInChild(job: DriveJob): Promise<DriveResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'run-ts.js'), fileURLToPath(import.meta.url), '--drive', JSON.stringify(job)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    currentChild = child;
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      currentChild = undefined;
      if (code !== 0) return reject(new Error(`load driver exited with ${code}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as DriveResult);
      } catch {
        reject(new Error(`load driver printed no result: ${stdout.slice(-500)}`));
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The platform under test
// ---------------------------------------------------------------------------------------------

/** The demo county with its members topped up to `members` by importing a generated sheet. */
async function prepare(database: Database) {
  const load = await timed(() => loadDemoCounty(database));
  const countyId = load.value.countyId;
  log(`  demo county: ${secs(load.ms)}`);
  const before = await memberRows(database, countyId);
  const add = config.members - before;
  if (add > 0) {
    const file = await memberSheet(add, await villageBranches(database, countyId));
    const imp = await timed(() => importMembers(database, countyId, file));
    if (imp.value.created !== add) throw new Error(`import created ${imp.value.created} of ${add} members`);
    log(`  imported ${add} members in ${secs(imp.ms)}`);
  }
  if (config.analyze) await sql`ANALYZE`.execute(database.db);
  const password = `Bench-${randomBytes(6).toString('hex')}-2026`;
  await createDemoAccounts(database.db, countyId, password);
  return { countyId, members: await memberRows(database, countyId), password };
}

async function memberRows(database: Database, countyId: number) {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM members WHERE county_id = ${countyId}`.execute(database.db);
  return Number(rows[0]!.n);
}

/** The demo county's village branches, by a name the importer resolves to exactly that branch. */
async function villageBranches(database: Database, countyId: number) {
  const orgs = await loadActiveOrgs(database.db, countyId);
  const index = new OrgIndex(orgs);
  return orgs
    .filter((o) => o.sector === 'rural' && (o.kind === 'branch' || o.kind === 'general_branch'))
    .map((o) => {
      const byShort = o.short_name ? index.resolve(o.short_name) : undefined;
      return o.short_name && byShort?.ok && byShort.org.id === o.id ? o.short_name : o.name;
    });
}

/** bench/out/load-members-<rows>.xlsx, generated once and reused while its recipe holds. */
async function memberSheet(rows: number, branchNames: string[]) {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `load-members-${rows}.xlsx`);
  const metaPath = join(OUT, `load-members-${rows}.json`);
  const recipe = JSON.stringify({ rows, ...SHEET, branchNames });
  if (existsSync(path) && existsSync(metaPath) && readFileSync(metaPath, 'utf8') === recipe) return path;
  const { ms } = await timed(() => writeMemberSheet(path, rows, { ...SHEET, branchNames }));
  writeFileSync(metaPath, recipe);
  log(`  generated ${relative(ROOT, path)} (${(statSync(path).size / 1e6).toFixed(1)} MB) in ${secs(ms)}`);
  return path;
}

/** Signs in through the API, as the web app does, and returns the Cookie header to send. */
async function signIn(port: number, account: string, password: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${account}: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
}

/** The search as the route runs it: the app role, zhen's county and subtree, EXPLAIN (ANALYZE, BUFFERS). */
async function explainSearch(database: Database, countyId: number) {
  const zhen = await database.db
    .selectFrom('users as u')
    .innerJoin('orgs as o', (j) => j.onRef('o.county_id', '=', 'u.county_id').onRef('o.id', '=', 'u.org_id'))
    .select('o.path')
    .where('u.county_id', '=', countyId)
    .where('u.username', '=', 'zhen')
    .executeTakeFirstOrThrow();
  const role = await appRoleName(database.db);
  await database.db
    .transaction()
    .execute(async (trx) => {
      await sql`SET LOCAL ROLE ${sql.id(role)}`.execute(trx);
      await sql`SELECT set_config('app.county', ${String(countyId)}, true), set_config('app.scope', ${zhen.path}, true)`.execute(
        trx,
      );
      const queries = memberListQueries(trx, countyId, { q: SEARCH_Q, limit: 20, offset: 0 });
      for (const [name, q] of Object.entries(queries)) {
        if (!q) continue;
        const c = q.compile();
        const { rows } = await trx.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`EXPLAIN (ANALYZE, BUFFERS) ${c.sql}`, [...c.parameters]),
        );
        log(`  -- ${name}: ${c.sql}`);
        for (const r of rows) log(`  ${r['QUERY PLAN']}`);
      }
      throw new Rollback();
    })
    .catch((err) => {
      if (!(err instanceof Rollback)) throw err;
    });
}
class Rollback extends Error {}
/**
 * CPU time (ms) used so far by each PostgreSQL backend of this database, read from /proc (the server is
 * on this machine). With the Node process's own CPU time it gives the work per request, which a busy
 * machine slows down but does not change, unlike latency.
 */
async function backendCpuMs(database: Database): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (database.kind !== 'server') return out;
  const { rows } = await sql<{ pid: number }>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(database.db);
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, fields 14 and 15 of proc(5), in clock ticks of 10 ms.
      out.set(Number(pid), (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // the backend has just exited
    }
  }
  return out;
}

const discard = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });

async function runTarget(target: BenchTarget) {
  log(`\n== ${target.name}: ${target.where}`);
  const { database } = await target.fresh('load');
  const dataDir = mkdtempSync(join(tmpdir(), 'gongjian-load-'));
  try {
    const { countyId, members, password } = await prepare(database);
    log(`  ${members} members in the county`);
    if (config.explain) await explainSearch(database, countyId);
    // As `gongjian start` runs: info-level request logs (serialised, then dropped here), no web app.
    const app = await buildApp({
      database,
      logStream: discard(),
      config: {
        countyCode: DEMO_COUNTY_CODE,
        logLevel: 'info',
        dataDir,
        require2fa: false,
        signInPerMinute: 1000,
        trustProxy: false,
      },
    });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      if (!address || typeof address === 'string') throw new Error('no port');
      const cookie = await signIn(address.port, 'zhen', password);
      const results: {
        scenario: Scenario;
        result: DriveResult;
        load: [number, number];
        /** CPU ms per request sent: this process (HTTP, app, and on PGlite the database) and the server's backends. */
        cpuPerRequest: { node: number; database?: number };
      }[] = [];
      for (const scenario of scenarios()) {
        if (config.only && !config.only.includes(scenario.name)) continue;
        log(`  ${scenario.name}: ${config.connections} connections, ${scenario.seconds} s…`);
        const loadStart = loadavg()[0]!;
        const cpuStart = process.cpuUsage();
        const dbStart = await backendCpuMs(database);
        const result = await driveInChild({
          port: address.port,
          cookie,
          routes: scenario.routes,
          connections: config.connections,
          seconds: scenario.seconds,
          warmupSeconds: config.warmupSeconds,
          aloneRuns: 10,
        });
        const cpu = process.cpuUsage(cpuStart);
        const dbEnd = await backendCpuMs(database);
        let dbMs = 0;
        for (const [pid, ms] of dbEnd) dbMs += ms - (dbStart.get(pid) ?? 0);
        results.push({
          scenario,
          result,
          load: [loadStart, loadavg()[0]!],
          cpuPerRequest: {
            node: (cpu.user + cpu.system) / 1000 / result.sent,
            ...(database.kind === 'server' && { database: dbMs / result.sent }),
          },
        });
      }
      return { members, results };
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '—');

function print(name: string, members: number, results: Awaited<ReturnType<typeof runTarget>>['results']) {
  console.log(`\n${name} (${members} members in the county, ${config.connections} connections)`);
  console.log(
    `  ${'scenario / route'.padEnd(28)} ${'alone'.padStart(6)} ${'req/s'.padStart(7)} ${'p50'.padStart(6)} ${'p95'.padStart(6)} ${'p99'.padStart(6)} ${'max'.padStart(6)} ${'errors'.padStart(6)}  target`,
  );
  for (const { scenario, result: r, load, cpuPerRequest: c } of results) {
    const target =
      scenario.targetP99Ms === undefined
        ? '(recorded)'
        : `p99 < ${scenario.targetP99Ms} ms: ${r.p99Ms < scenario.targetP99Ms && r.errors === 0 ? 'PASS' : 'FAIL'}`;
    console.log(
      `  ${scenario.name.padEnd(28)} ${ms(r.routes.length === 1 ? r.routes[0]!.aloneMs : Number.NaN).padStart(6)} ${r.reqPerSec.toFixed(0).padStart(7)} ${ms(r.p50Ms).padStart(6)} ${ms(r.p95Ms).padStart(6)} ${ms(r.p99Ms).padStart(6)} ${ms(r.maxMs).padStart(6)} ${String(r.errors).padStart(6)}  ${target}  (load avg ${load[0].toFixed(1)}→${load[1].toFixed(1)})`,
    );
    console.log(
      `    CPU per request: ${c.node.toFixed(1)} ms in Node${c.database === undefined ? ' (the embedded database included)' : `, ${c.database.toFixed(1)} ms in PostgreSQL`} (${r.sent} requests)`,
    );
    if (r.routes.length > 1) {
      for (const x of r.routes) {
        console.log(
          `    ${x.label.padEnd(26)} ${ms(x.aloneMs).padStart(6)} ${String(x.requests).padStart(7)} ${ms(x.p50Ms).padStart(6)} ${ms(x.p95Ms).padStart(6)} ${ms(x.p99Ms).padStart(6)} ${ms(x.maxMs).padStart(6)} ${String(x.errors).padStart(6)}`,
        );
      }
    }
  }
  console.log(
    '  (ms; "alone": median of 10 requests sent one at a time before the load; the route rows of a mixed scenario show requests instead of req/s)',
  );
}

async function main() {
  const targets: BenchTarget[] = [];
  if (config.targets.includes('embedded')) targets.push(embeddedTarget());
  if (config.targets.includes('server')) {
    if (config.serverUrl) {
      const host = new URL(config.serverUrl).hostname;
      if (host !== '127.0.0.1' && host !== 'localhost')
        throw new Error(`the server must be local, not ${host}`);
      targets.push(serverTarget(config.serverUrl));
    } else log('no BENCH_DATABASE_URL / DATABASE_URL / TEST_DATABASE_URL: embedded database only');
  }
  const disposeAll = async () => {
    for (const t of targets) await t.dispose().catch((err) => log(`cleanup of ${t.name} failed: ${err}`));
  };
  const onSignal = (signal: string) => {
    log(`\n${signal}: removing the benchmark's databases…`);
    currentChild?.kill('SIGTERM');
    process.on('uncaughtException', () => {});
    process.on('unhandledRejection', () => {});
    void disposeAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  try {
    const m = machineInfo();
    console.log('Gongjian load benchmark');
    console.log(`  CPU:        ${m.cpu} — ${m.cores} cores, ${m.memoryMB} MB RAM; Node ${m.node}`);
    if (config.serverUrl && targets.some((t) => t.name === 'server')) {
      console.log(`  PostgreSQL: server ${await serverVersion(config.serverUrl)}; PGlite ${m.pglite}`);
    }
    console.log(`  load avg:   ${loadavg()[0]!.toFixed(2)} (1 min, at the start)`);
    const out: Record<string, unknown> = {};
    for (const target of targets) {
      const r = await runTarget(target);
      print(target.name, r.members, r.results);
      out[target.name] = r;
    }
    mkdirSync(OUT, { recursive: true });
    writeFileSync(
      join(OUT, 'load.json'),
      `${JSON.stringify({ at: new Date().toISOString(), config, results: out }, null, 2)}\n`,
    );
  } finally {
    await disposeAll();
  }
}

if (process.argv[2] === '--drive') {
  process.stdout.write(`${JSON.stringify(await drive(JSON.parse(process.argv[3] ?? '') as DriveJob))}\n`);
} else {
  await main();
}
