import type { CopyResult } from './copy.ts';
import type { ImportResult } from './import-child.ts';
import type { MachineInfo } from './machine.ts';
import type { StructureTimings } from './structure.ts';
import type { TargetName } from './targets.ts';

/** What one target (embedded or server) measured. */
export interface TargetResults {
  where: string;
  postgres: string;
  /** CREATE DATABASE (server) or a new data directory (embedded), opening it and all migrations. */
  migrateSeconds: number;
  demoLoadSeconds: number;
  /** Rows written by the demo load, per county table, and their sum. */
  demo: { rows: Record<string, number>; total: number };
  structure: StructureTimings;
  imports: Record<string, ImportResult>;
  copy: CopyResult[];
  copyError?: string;
}

export interface XlsxFile {
  rows: number;
  path: string;
  bytes: number;
  reused: boolean;
  generateSeconds?: number;
}

export interface BenchResults {
  startedAt: string;
  totalSeconds: number;
  config: {
    rows: number;
    smallRows: number;
    heapCapMB: number;
    statsRuns: number;
    statsWarmup: number;
    server: boolean;
  };
  machine: MachineInfo;
  files: XlsxFile[];
  targets: Partial<Record<TargetName, TargetResults>>;
  table: TableRow[];
}

export interface TableRow {
  measure: string;
  embedded: string;
  server: string;
}

const fixed = (n: number, digits: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const s = (n: number) => fixed(n, 2);
const ms = (n: number) => fixed(n, 1);
const int = (n: number) => fixed(n, 0);
const mb = (bytes: number) => fixed(bytes / 1024 / 1024, 1);
const k = (rows: number) => (rows % 1000 === 0 ? `${rows / 1000}k` : String(rows));

/** One row per measure, a column per target ('—' where a target did not run). */
export function buildTable(r: Omit<BenchResults, 'table' | 'totalSeconds'>): TableRow[] {
  const rows: TableRow[] = [];
  const add = (measure: string, f: (t: TargetResults) => string | undefined) => {
    const cell = (name: TargetName) => {
      const t = r.targets[name];
      return t ? (f(t) ?? 'n/a') : '—';
    };
    rows.push({ measure, embedded: cell('embedded'), server: cell('server') });
  };
  const { rows: big, smallRows: small } = r.config;
  const imp = (t: TargetResults, n: number) => t.imports[String(n)];
  const copy = (t: TargetResults, table: CopyResult['table']) => t.copy.find((c) => c.table === table);

  add('create + migrate, s', (t) => s(t.migrateSeconds));
  add('demo county load (loadDemoCounty), s', (t) => s(t.demoLoadSeconds));
  add('  rows loaded, all county tables', (t) => int(t.demo.total));
  add('  of which members / households / orgs', (t) =>
    ['members', 'households', 'orgs'].map((n) => t.demo.rows[n] ?? 0).join(' / '),
  );
  add('structure stats, whole county: median ms', (t) => ms(t.structure.county.medianMs));
  add('structure stats, whole county: p95 ms', (t) => ms(t.structure.county.p95Ms));
  add('structure stats, 15 township subtrees: median ms', (t) => ms(t.structure.townships.medianMs));
  add('structure stats, 15 township subtrees: p95 ms', (t) => ms(t.structure.townships.p95Ms));
  add('  slowest township (its median), ms', (t) => ms(t.structure.slowestTownship.medianMs));
  for (const f of [...r.files].sort((a, b) => b.rows - a.rows)) {
    add(`xlsx size, ${k(f.rows)} rows, MB`, () => mb(f.bytes));
  }
  const runs: [string, string][] = [
    [String(big), `import ${k(big)} rows`],
    [String(small), `import ${k(small)} rows`],
    [`${big}@heap${r.config.heapCapMB}`, `import ${k(big)} rows, V8 heap capped at ${r.config.heapCapMB} MB`],
  ];
  for (const [key, label] of runs) {
    const row = (what: string, f: (i: ImportResult) => string) =>
      add(`${label}: ${what}`, (t) => (t.imports[key] ? f(t.imports[key]!) : undefined));
    row('wall s', (i) => s(i.seconds));
    row('rows/s', (i) => int(i.rowsPerSecond));
    row('CPU time of the importing process, s', (i) => s(i.cpuSeconds));
    row('RSS before, MB', (i) => int(i.rssBeforeMB));
    row('peak RSS, MB', (i) => int(i.peakRssMB));
    row('peak V8 heap used / external, MB', (i) => `${int(i.peakHeapMB)} / ${int(i.peakExternalMB)}`);
    row(
      'event-loop delay p99 / max, ms',
      (i) => `${int(i.eventLoopDelayP99Ms)} / ${int(i.eventLoopDelayMaxMs)}`,
    );
  }
  const copies: [CopyResult['table'], string][] = [
    ['bare', 'bare copy table'],
    ['indexed', 'indexed copy table'],
    ['members', 'members itself, rolled back'],
  ];
  for (const [table, label] of copies) {
    add(`COPY ${k(big)} rows, ${label}: wall s`, (t) => {
      const c = copy(t, table);
      return c ? s(c.seconds) : undefined;
    });
    add(`COPY ${k(big)} rows, ${label}: rows/s`, (t) => {
      const c = copy(t, table);
      return c ? int(c.rowsPerSecond) : undefined;
    });
  }
  for (const [table, label] of copies) {
    add(`import time ÷ COPY time (${label})`, (t) => {
      const c = copy(t, table);
      const i = imp(t, big);
      return c && i ? `${fixed(i.seconds / c.seconds, 1)}×` : undefined;
    });
  }
  add(`structure stats, county after +${k(big)} import: median ms`, (t) => {
    const a = imp(t, big)?.statsAfter;
    return a ? ms(a.county.medianMs) : undefined;
  });
  add(`structure stats, county after +${k(big)} import, ANALYZEd: median ms`, (t) => {
    const a = imp(t, big)?.statsAfter;
    return a ? ms(a.countyAfterAnalyze.medianMs) : undefined;
  });
  return rows;
}

export function formatTable(rows: readonly TableRow[]): string {
  const head: TableRow = { measure: 'measure', embedded: 'embedded', server: 'server' };
  const w = {
    measure: Math.max(...[head, ...rows].map((r) => r.measure.length)),
    embedded: Math.max(...[head, ...rows].map((r) => r.embedded.length)),
    server: Math.max(...[head, ...rows].map((r) => r.server.length)),
  };
  const line = (r: TableRow) =>
    `${r.measure.padEnd(w.measure)}  ${r.embedded.padStart(w.embedded)}  ${r.server.padStart(w.server)}`;
  const rule = `${'-'.repeat(w.measure)}  ${'-'.repeat(w.embedded)}  ${'-'.repeat(w.server)}`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}
