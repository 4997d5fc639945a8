import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from '../src/db/database.ts';
import { DEMO_COUNTY_CODE, loadDemoCounty } from '../src/db/seeds/demo/index.ts';
import { writeMemberSheet } from '../src/modules/imports/generate.ts';
import { OrgIndex } from '../src/modules/imports/org-index.ts';
import { loadActiveOrgs } from '../src/modules/imports/repository.ts';
import { bundleReport, formatBundle } from './bundle.ts';
import { type CopyRows, copyInto, readBackRows } from './copy.ts';
import type { ImportJob, ImportResult } from './import-child.ts';
import { machineInfo } from './machine.ts';
import { timed } from './measure.ts';
import { type BenchResults, buildTable, formatTable, type TargetResults, type XlsxFile } from './report.ts';
import { timeStructureStats } from './structure.ts';
import {
  type BenchTarget,
  type DatabaseRef,
  embeddedTarget,
  serverTarget,
  serverVersion,
  type TargetName,
} from './targets.ts';

/**
 * `npm run bench`: the demo county's load time, the structure statistics, and the member import
 * against COPY, on the embedded database and (with BENCH_DATABASE_URL) on a PostgreSQL server.
 * Prints a table and writes it, with every figure, to bench/out/results.json. See docs/PERFORMANCE.md.
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

const config = {
  serverUrl: process.env.BENCH_DATABASE_URL ?? '',
  rows: envInt('BENCH_ROWS', 100_000),
  smallRows: envInt('BENCH_SMALL_ROWS', 20_000),
  statsRuns: envInt('BENCH_STATS_RUNS', 20),
  statsWarmup: envInt('BENCH_STATS_WARMUP', 3),
};
/** The generated sheet: ID numbers of area 369902, so none collides with the demo county's (369901). */
const SHEET = { seed: 1, countyAreaCode: '369902' };

/** The V8 old-space cap of the capped import run, in MB. */
export const HEAP_CAP_MB = 96;

interface ImportRun {
  key: string;
  rows: number;
  label: string;
  nodeFlags: string[];
  statsAfter?: boolean;
}

/** The import child running now, stopped on Ctrl-C. */
let currentChild: ChildProcess | undefined;

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  mkdirSync(OUT, { recursive: true });

  const targets: BenchTarget[] = [embeddedTarget()];
  if (config.serverUrl) targets.push(serverTarget(config.serverUrl));
  const disposeAll = async () => {
    for (const t of targets) await t.dispose().catch((err) => log(`cleanup of ${t.name} failed: ${err}`));
  };
  let interrupted = false;
  const onSignal = (signal: string) => {
    if (interrupted) return;
    interrupted = true;
    log(`\n${signal}: removing the benchmark's databases…`);
    currentChild?.kill('SIGTERM');
    // The abandoned steps now fail (their databases are being dropped under them): expected, ignored.
    process.on('uncaughtException', () => {});
    process.on('unhandledRejection', () => {});
    void disposeAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));

  try {
    const machine = machineInfo();
    if (config.serverUrl) machine.server = await serverVersion(config.serverUrl);

    const results: Partial<Record<TargetName, TargetResults>> = {};
    const demos = new Map<TargetName, DatabaseRef>();
    let sheetSource: Awaited<ReturnType<typeof villageBranches>> | undefined;

    for (const target of targets) {
      const fresh = await timed(() => target.fresh('demo'));
      const { database, ref } = fresh.value;
      try {
        const postgres = await versionOf(database);
        if (target.name === 'embedded') {
          machine.pglitePostgres = postgres;
          printMachine(machine, targets);
        }
        log(`\n== ${target.name}: ${target.where}`);
        log(`create + migrate: ${secs(fresh.ms)}`);
        const load = await timed(() => loadDemoCounty(database));
        const countyId = load.value.countyId;
        log(`demo county load: ${secs(load.ms)} (${load.value.members} party members)`);
        const demo = await demoCounts(database, countyId);
        log(`structure stats: ${config.statsRuns} runs each after ${config.statsWarmup} warm-up…`);
        const structure = await timeStructureStats(database, countyId, config.statsRuns, config.statsWarmup);
        log(
          `  county median ${structure.county.medianMs.toFixed(1)} ms, p95 ${structure.county.p95Ms.toFixed(1)} ms; ` +
            `${structure.townshipCount} townships median ${structure.townships.medianMs.toFixed(1)} ms, p95 ${structure.townships.p95Ms.toFixed(1)} ms`,
        );
        if (structure.townshipCount !== 15) log(`  note: ${structure.townshipCount} townships found, not 15`);
        sheetSource ??= await villageBranches(database, countyId);
        results[target.name] = {
          where: target.where,
          postgres,
          migrateSeconds: fresh.ms / 1000,
          demoLoadSeconds: load.ms / 1000,
          demo,
          structure,
          imports: {},
          copy: [],
        };
      } finally {
        await database.close();
      }
      demos.set(target.name, ref);
    }
    if (!sheetSource) throw new Error('no demo database');

    log('\n== member sheets');
    const sizes = [...new Set([config.rows, config.smallRows])];
    const files: XlsxFile[] = [];
    for (const rows of sizes) files.push(await memberSheet(rows, sheetSource.branchNames));
    const bigFile = files.find((f) => f.rows === config.rows)!;
    log(`reading ${relative(ROOT, bigFile.path)} back through the importer's parser for COPY…`);
    const read = await timed(() => readBackRows(bigFile.path, sheetSource!.orgs));
    const copyRows: CopyRows = read.value;
    log(`  ${copyRows.count} rows in ${secs(read.ms)}`);

    for (const target of targets) {
      const demo = demos.get(target.name)!;
      const result = results[target.name]!;
      log(`\n== ${target.name}: imports (each in a child process, on a copy of the demo database)`);
      for (const run of importRuns()) {
        const file = files.find((f) => f.rows === run.rows)!;
        const ref = await target.clone(demo, `import_${run.key.replace(/\W/g, '_')}`);
        const r = await runImportChild(
          {
            ref,
            file: file.path,
            rows: run.rows,
            errorWorkbook: join(OUT, `${target.name}-${run.key}.errors.xlsx`),
            ...(run.statsAfter && { statsAfter: { runs: Math.max(5, config.statsRuns >> 1), warmup: 2 } }),
          },
          run.nodeFlags,
        ).finally(() => target.remove(ref));
        result.imports[run.key] = r;
        log(
          `  ${run.label}: ${r.seconds.toFixed(2)} s, ${Math.round(r.rowsPerSecond)} rows/s, ` +
            `RSS ${Math.round(r.rssBeforeMB)} → peak ${Math.round(r.peakRssMB)} MB`,
        );
        if (r.statsAfter)
          log(
            `  county stats with ${r.statsAfter.members} members: median ${r.statsAfter.county.medianMs.toFixed(1)} ms, ` +
              `after ANALYZE ${r.statsAfter.countyAfterAnalyze.medianMs.toFixed(1)} ms`,
          );
      }
      log(`== ${target.name}: COPY ${copyRows.count} rows`);
      try {
        result.copy = await copyInto(demo, copyRows, DEMO_COUNTY_CODE, ['bare', 'indexed', 'members']);
        for (const c of result.copy)
          log(`  ${c.table}: ${c.seconds.toFixed(2)} s, ${Math.round(c.rowsPerSecond)} rows/s`);
      } catch (err) {
        // A server on another host cannot read our /tmp: the COPY rows stay n/a, the rest stands.
        result.copyError = (err as Error).message;
        log(`  COPY failed: ${result.copyError}`);
      }
    }

    const partial = {
      startedAt,
      config: {
        rows: config.rows,
        smallRows: config.smallRows,
        heapCapMB: HEAP_CAP_MB,
        statsRuns: config.statsRuns,
        statsWarmup: config.statsWarmup,
        server: Boolean(config.serverUrl),
      },
      machine,
      files: files.map((f) => ({ ...f, path: relative(ROOT, f.path) })),
      targets: results,
    };
    machine.loadAverage.end = loadavg()[0]!;
    const table = buildTable(partial);
    const totalSeconds = (performance.now() - started) / 1000;
    const out: BenchResults = { ...partial, totalSeconds, table };
    writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
    console.log(`\n${formatTable(table)}\n`);
    console.log(`web app download per screen (gzip):\n${formatBundle(await bundleReport())}\n`);
    if (!config.serverUrl)
      console.log('(server column: set BENCH_DATABASE_URL=postgres://… to add a PostgreSQL server)');
    console.log(
      `total ${totalSeconds.toFixed(0)} s; written to ${relative(ROOT, join(OUT, 'results.json'))}`,
    );
  } finally {
    if (!interrupted) await disposeAll();
  }
}

function printMachine(m: ReturnType<typeof machineInfo>, targets: BenchTarget[]) {
  console.log('Gongjian benchmark');
  console.log(`  CPU:        ${m.cpu} — ${m.cores} cores, ${m.memoryMB} MB RAM`);
  console.log(`  OS:         ${m.os}`);
  console.log(`  Node:       ${m.node}`);
  console.log(`  PGlite:     ${m.pglitePostgres ?? m.pglite}`);
  console.log(`  PostgreSQL: ${m.server ? `server ${m.server}` : 'no server (BENCH_DATABASE_URL unset)'}`);
  console.log(`  load avg:   ${m.loadAverage.start.toFixed(2)} (1 min, at the start)`);
  console.log(`  targets:    ${targets.map((t) => `${t.name} — ${t.where}`).join('; ')}`);
  console.log(
    `  settings:   import ${config.rows} and ${config.smallRows} rows; stats ${config.statsRuns} runs after ${config.statsWarmup} warm-up`,
  );
}

async function versionOf(database: Database): Promise<string> {
  const { rows } = await sql<{ v: string }>`SELECT version() AS v`.execute(database.db);
  return rows[0]!.v.split(' on ')[0]!.split(',')[0]!;
}

/** Rows the demo load wrote, per table that carries county_id (the loader grows as the product does). */
async function demoCounts(database: Database, countyId: number) {
  const { rows: tables } = await sql<{ table_name: string }>`
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = current_schema() AND c.column_name = 'county_id' AND t.table_type = 'BASE TABLE'
    ORDER BY c.table_name`.execute(database.db);
  const rows: Record<string, number> = {};
  for (const { table_name } of tables) {
    const { rows: n } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ${sql.table(table_name)} WHERE county_id = ${countyId}`.execute(
      database.db,
    );
    if (n[0]!.n) rows[table_name] = Number(n[0]!.n);
  }
  return { rows, total: Object.values(rows).reduce((a, b) => a + b, 0) };
}

/**
 * The demo county's village branches as a clerk would name them: the short name (长寿村党支部) where
 * it names one organisation only, else the full name. Also the active orgs, for reading rows back.
 */
async function villageBranches(database: Database, countyId: number) {
  const orgs = await loadActiveOrgs(database.db, countyId);
  const index = new OrgIndex(orgs);
  const branchNames = orgs
    .filter((o) => o.sector === 'rural' && (o.kind === 'branch' || o.kind === 'general_branch'))
    .map((o) => {
      const short = o.short_name;
      const byShort = short ? index.resolve(short) : undefined;
      return short && byShort?.ok && byShort.org.id === o.id ? short : o.name;
    });
  if (!branchNames.length) throw new Error('the demo county has no village branches');
  return { branchNames, orgs };
}

/** bench/out/members-<rows>.xlsx, generated once and reused while its recipe (rows, seed, branches) holds. */
async function memberSheet(rows: number, branchNames: string[]): Promise<XlsxFile> {
  const path = join(OUT, `members-${rows}.xlsx`);
  const metaPath = join(OUT, `members-${rows}.json`);
  const recipe = { rows, ...SHEET, branchNames };
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as typeof recipe & { bytes: number };
    const { bytes, ...was } = meta;
    if (JSON.stringify(was) === JSON.stringify(recipe) && statSync(path).size === bytes) {
      log(`reusing ${relative(ROOT, path)} (${rows} rows, ${(bytes / 1024 / 1024).toFixed(1)} MB)`);
      return { rows, path, bytes, reused: true };
    }
  }
  const { ms } = await timed(() => writeMemberSheet(path, rows, { ...SHEET, branchNames }));
  const bytes = statSync(path).size;
  writeFileSync(metaPath, `${JSON.stringify({ ...recipe, bytes }, null, 2)}\n`);
  log(
    `generated ${relative(ROOT, path)}: ${rows} rows, ${(bytes / 1024 / 1024).toFixed(1)} MB in ${secs(ms)}`,
  );
  return { rows, path, bytes, reused: false, generateSeconds: ms / 1000 };
}

/**
 * The imports, smallest first: the small and the big sheet, then the big one again with V8's old
 * space capped, which shows how much memory the import needs rather than how much V8 lets it use.
 */
function importRuns(): ImportRun[] {
  return [
    {
      key: String(config.smallRows),
      rows: config.smallRows,
      label: `${config.smallRows} rows`,
      nodeFlags: [],
    },
    {
      key: String(config.rows),
      rows: config.rows,
      label: `${config.rows} rows`,
      nodeFlags: [],
      statsAfter: true,
    },
    {
      key: `${config.rows}@heap${HEAP_CAP_MB}`,
      rows: config.rows,
      label: `${config.rows} rows, --max-old-space-size=${HEAP_CAP_MB}`,
      nodeFlags: [`--max-old-space-size=${HEAP_CAP_MB}`],
    },
  ];
}

/** Runs bench/import-child.ts in a fresh Node process and returns its one JSON line. */
function runImportChild(job: ImportJob, nodeFlags: string[]): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        ...nodeFlags,
        join(ROOT, 'bin', 'run-ts.js'),
        join(ROOT, 'bench', 'import-child.ts'),
        JSON.stringify(job),
      ],
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
      if (code !== 0) return reject(new Error(`import child exited with ${code}`));
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(last) as ImportResult);
      } catch {
        reject(new Error(`import child printed no result: ${stdout.slice(-500)}`));
      }
    });
  });
}

await main();
