import type { Database } from '../src/db/database.ts';
import { getStructureStats } from '../src/modules/stats/service.ts';
import { type Summary, sample, summarise } from './measure.ts';

/** The 乡镇党委: the committees under the root that hold village (rural) branches. */
export async function townshipCommittees(database: Database, countyId: number) {
  const rows = await database.db
    .selectFrom('orgs as t')
    .innerJoin('orgs as root', (j) =>
      j.onRef('root.county_id', '=', 't.county_id').onRef('root.id', '=', 't.parent_id'),
    )
    .select(['t.id', 't.name'])
    .where('t.county_id', '=', countyId)
    .where('root.parent_id', 'is', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('orgs as v')
          .select('v.id')
          .whereRef('v.county_id', '=', 't.county_id')
          .whereRef('v.parent_id', '=', 't.id')
          .where('v.sector', '=', 'rural'),
      ),
    )
    .orderBy('t.path')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), name: r.name }));
}

export interface StructureTimings {
  county: Summary;
  /** Every township's runs pooled. */
  townships: Summary;
  /** The slowest township by its own median. */
  slowestTownship: { name: string; medianMs: number };
  townshipCount: number;
}

/** getStructureStats for the whole county, then for each township subtree; `runs` timed runs each. */
export async function timeStructureStats(
  database: Database,
  countyId: number,
  runs: number,
  warmup: number,
): Promise<StructureTimings> {
  const ctx = { db: database.db, countyId };
  const county = summarise(await sample(() => getStructureStats(ctx), runs, warmup));
  const townships = await townshipCommittees(database, countyId);
  const pooled: number[] = [];
  let slowest = { name: '', medianMs: 0 };
  for (const t of townships) {
    const ms = await sample(() => getStructureStats(ctx, t.id), runs, warmup);
    pooled.push(...ms);
    const { medianMs } = summarise(ms);
    if (medianMs > slowest.medianMs) slowest = { name: t.name, medianMs };
  }
  return {
    county,
    townships: summarise(pooled),
    slowestTownship: slowest,
    townshipCount: townships.length,
  };
}
