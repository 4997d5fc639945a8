import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'kysely';
import { DEMO_COUNTY_CODE } from '../src/db/seeds/demo/index.ts';
import { importMembers } from '../src/modules/imports/service.ts';
import { getStructureStats } from '../src/modules/stats/service.ts';
import { MB, RssSampler, type Summary, sample, summarise, timed, vmHwmBytes } from './measure.ts';
import { type DatabaseRef, open } from './targets.ts';

/**
 * One member import in a process of its own, so that its peak RSS is the import's and not what
 * earlier steps (the demo load, another import) left behind. Started by run.ts with a JSON job as
 * its one argument; prints one JSON line (ImportResult) on stdout.
 */
export interface ImportJob {
  ref: DatabaseRef;
  file: string;
  rows: number;
  errorWorkbook: string;
  /** After the import, time the county-wide structure statistics (before and after ANALYZE). */
  statsAfter?: { runs: number; warmup: number };
}

export interface ImportResult {
  rows: number;
  created: number;
  failed: number;
  seconds: number;
  rowsPerSecond: number;
  /** RSS with the database open, just before the import. */
  /** User + system CPU of this process during the import (on PGlite that includes the database). */
  cpuSeconds: number;
  rssBeforeMB: number;
  /** The highest RSS sampled every 200 ms during the import. */
  peakRssMB: number;
  rssSamples: number;
  /** Peak V8 heap in use and peak memory outside it (Buffers, and on PGlite its WASM memory), sampled alike. */
  peakHeapMB: number;
  peakExternalMB: number;
  /** The kernel's high-water mark (VmHWM) for the child's whole life, open included. */
  vmHwmMB?: number;
  /**
   * How long the event loop was blocked at a stretch during the import (p99 and max, ms): what other
   * requests of the same process would wait. On PGlite the database runs on this thread too.
   */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  membersAfter: number;
  statsAfter?: { members: number; county: Summary; countyAfterAnalyze: Summary };
}

async function main() {
  const job = JSON.parse(process.argv[2] ?? '') as ImportJob;
  const database = await open(job.ref);
  try {
    const county = await database.db
      .selectFrom('counties')
      .select('id')
      .where('code', '=', DEMO_COUNTY_CODE)
      .executeTakeFirstOrThrow();
    const countyId = Number(county.id);
    const countMembers = async () =>
      Number(
        (
          await database.db
            .selectFrom('members')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('county_id', '=', countyId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await countMembers();
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const cpu = process.cpuUsage();
    const sampler = new RssSampler().start(200);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const { ms, value: report } = await timed(() =>
      importMembers(database, countyId, job.file, { errorWorkbook: job.errorWorkbook }),
    );
    const peak = sampler.stop();
    loopDelay.disable();
    const cpuUsed = process.cpuUsage(cpu);
    const hwm = vmHwmBytes();
    if (report.created !== job.rows || report.failed)
      throw new Error(
        `expected ${job.rows} created, got ${JSON.stringify({ ...report, errors: report.errors.slice(0, 3) })}`,
      );
    const after = await countMembers();
    if (after !== before + job.rows) throw new Error(`members went from ${before} to ${after}`);

    const result: ImportResult = {
      rows: job.rows,
      created: report.created,
      failed: report.failed,
      seconds: ms / 1000,
      rowsPerSecond: job.rows / (ms / 1000),
      cpuSeconds: (cpuUsed.user + cpuUsed.system) / 1e6,
      rssBeforeMB: rssBefore / MB,
      peakRssMB: peak.peakBytes / MB,
      rssSamples: peak.samples,
      peakHeapMB: peak.peakHeapBytes / MB,
      peakExternalMB: peak.peakExternalBytes / MB,
      ...(hwm && { vmHwmMB: hwm / MB }),
      eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      eventLoopDelayMaxMs: loopDelay.max / 1e6,
      membersAfter: after,
    };
    if (job.statsAfter) {
      const { runs, warmup } = job.statsAfter;
      const ctx = { db: database.db, countyId };
      const stats = () => sample(() => getStructureStats(ctx), runs, warmup);
      const county = summarise(await stats());
      await sql`ANALYZE`.execute(database.db);
      const countyAfterAnalyze = summarise(await stats());
      result.statsAfter = { members: after, county, countyAfterAnalyze };
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await database.close();
  }
}

await main();
