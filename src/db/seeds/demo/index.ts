import { NEEDY_HOUSEHOLD_CATEGORIES } from '../../../domain/codes.ts';
import { todayIso } from '../../../domain/dates.ts';
import { conflict } from '../../../platform/errors.ts';
import type { Database } from '../../database.ts';
import { reserveIds } from '../../ids.ts';
import { loadAssessmentDemo } from './assessment.ts';
import { generateHouseholds, type HouseholdSeed } from './households.ts';
import { IdNumbers, Phones } from './identity.ts';
import { loadInspectionsDemo } from './inspections.ts';
import { generateMembers, type MemberSeed } from './members.ts';
import { buildOrgTree, type OrgTree } from './orgs.ts';
import { buildPlaces, type CountyPlaces } from './places.ts';
import { Rng } from './rng.ts';
import { loadSanlian, type SanlianSummary } from './sanlian.ts';

export { IdNumbers, Phones } from './identity.ts';
export { personName, pickEthnicity, pickSurname, SURNAMES } from './names.ts';
export { SEED_FIGURES } from './orgs.ts';
export { apportion, Rng, sampleWeighted } from './rng.ts';

/**
 * The demo county 青山县: a fictional county built to the figures of the seed report [000], so the
 * whole product can be tried (and tested) on realistic data. Area code 3699 does not exist in
 * GB/T 2260, so no real person's ID number can come out of it.
 */
export const DEMO_COUNTY_CODE = '369901';
export const DEMO_COUNTY_NAME = '青山县';
export const DEFAULT_DEMO_SEED = 20260101;

export interface DemoOptions {
  /** The programme year; dates are laid out so that nothing lies after this year's "today". Default: this year. */
  year?: number;
  /** The PRNG seed: the same seed and year give the same county. Default 20260101. */
  seed?: number;
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface DemoSummary {
  countyId: number;
  countyCode: string;
  countyName: string;
  rootOrgId: number;
  townships: number;
  villages: number;
  committees: number;
  branches: number;
  villageBranches: number;
  members: number;
  ruralMembers: number;
  leaders: { county: number; section: number };
  households: number;
  needyHouseholds: number;
  needyMembers: number;
  /** 三联共建 of the demo year (and some of the year before), to the seed report's figures [000]. */
  pairings: SanlianSummary;
}

/** Rows per INSERT: the embedded database pays per statement, and 1,000 rows stay well under 65,535 parameters. */
const BATCH = 1000;

/** Builds the demo county in one transaction; refuses if it is already there. */
export async function loadDemoCounty(database: Database, options: DemoOptions = {}): Promise<DemoSummary> {
  const today = todayIso();
  const currentYear = Number(today.slice(0, 4));
  const year = options.year ?? currentYear;
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const progress = options.onProgress ?? (() => {});
  // Ages and full members' dates hang off 1 January, so the county stays the same all year; only
  // this year's newly admitted members depend on how far the year has run.
  const anchor = `${year}-01-01`;
  const asOf = year < currentYear ? `${year}-12-31` : year === currentYear ? today : anchor;

  return database.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('counties')
      .select('id')
      .where('code', '=', DEMO_COUNTY_CODE)
      .executeTakeFirst();
    if (existing) throw conflict('演示县已存在', 'the demo county is already loaded', 'code');

    progress('plan', 0, 1);
    const plan = planCounty(seed, anchor, asOf);
    progress('plan', 1, 1);
    const { places, tree, members, households } = plan;

    const county = await trx
      .insertInto('counties')
      .values({ code: DEMO_COUNTY_CODE, name: DEMO_COUNTY_NAME })
      .returning('id')
      .executeTakeFirstOrThrow();
    const countyId = county.id;

    // Ids first, so each row's ltree path (ancestor ids, then its own) goes in with the row.
    const placeIds = await reserveIds(trx, 'places', places.all.length);
    places.all.forEach((p, i) => {
      p.id = placeIds[i]!;
      p.path = p.parent ? `${p.parent.path}.${p.id}` : String(p.id);
    });
    await inBatches('places', places.all, progress, (rows) =>
      trx
        .insertInto('places')
        .values(
          rows.map((p) => ({
            county_id: countyId,
            id: p.id,
            parent_id: p.parent?.id ?? null,
            kind: p.kind,
            name: p.name,
            path: p.path,
          })),
        )
        .execute(),
    );

    const orgIds = await reserveIds(trx, 'orgs', tree.all.length);
    tree.all.forEach((o, i) => {
      o.id = orgIds[i]!;
      o.path = o.parent ? `${o.parent.path}.${o.id}` : String(o.id);
    });
    await inBatches('orgs', tree.all, progress, (rows) =>
      trx
        .insertInto('orgs')
        .values(
          rows.map((o) => ({
            county_id: countyId,
            id: o.id,
            parent_id: o.parent?.id ?? null,
            name: o.name,
            short_name: o.shortName,
            kind: o.kind,
            sector: o.sector,
            place_id: o.place?.id ?? null,
            path: o.path,
          })),
        )
        .execute(),
    );

    await inBatches('members', members, progress, (rows) =>
      trx
        .insertInto('members')
        .values(rows.map(({ org, ...m }) => ({ ...m, county_id: countyId, org_id: org.id })))
        .execute(),
    );

    await inBatches('households', households, progress, (rows) =>
      trx
        .insertInto('households')
        .values(
          rows.map(({ org, village, group, ...h }) => ({
            ...h,
            county_id: countyId,
            org_id: org.id,
            village_id: village.id,
            group_id: group.id,
          })),
        )
        .execute(),
    );

    const pairings = await loadSanlian(trx, { countyId, county: plan, seed, year, asOf });
    await loadInspectionsDemo(trx, { countyId, seed, year, asOf });
    await loadAssessmentDemo(trx, { countyId, countyName: DEMO_COUNTY_NAME, seed, year, asOf });
    return { ...summarise(countyId, plan), pairings };
  });
}

export interface CountyPlan {
  places: CountyPlaces;
  tree: OrgTree;
  members: MemberSeed[];
  households: HouseholdSeed[];
}

/**
 * The whole county in memory, before any id exists. Each part draws from its own fork of the seed,
 * so later generators (pairings, plans, visits) can be added without changing what comes before.
 */
export function planCounty(seed: number, anchor: string, asOf: string): CountyPlan {
  const rng = new Rng(seed);
  const places = buildPlaces(rng.fork('places'), DEMO_COUNTY_NAME);
  const tree = buildOrgTree(rng.fork('orgs'), DEMO_COUNTY_NAME, places);
  // One ID-number book and one phone book for members and household heads alike: no number twice.
  const ids = new IdNumbers(rng.fork('ids'), DEMO_COUNTY_CODE);
  const phones = new Phones(rng.fork('phones'));
  const shared = { ids, phones, countyName: DEMO_COUNTY_NAME, anchor };
  const members = generateMembers({ ...shared, rng: rng.fork('members'), asOf }, tree);
  const households = generateHouseholds({ ...shared, rng: rng.fork('households') }, tree);
  return { places, tree, members, households };
}

async function inBatches<T>(
  step: string,
  rows: readonly T[],
  progress: NonNullable<DemoOptions['onProgress']>,
  insert: (batch: T[]) => Promise<unknown>,
) {
  progress(step, 0, rows.length);
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    await insert(batch);
    progress(step, i + batch.length, rows.length);
  }
}

function summarise(
  countyId: number,
  { places, tree, members, households }: CountyPlan,
): Omit<DemoSummary, 'pairings'> {
  const party = members.filter((m) => m.category === 'full' || m.category === 'probationary');
  return {
    countyId,
    countyCode: DEMO_COUNTY_CODE,
    countyName: DEMO_COUNTY_NAME,
    rootOrgId: tree.root.id,
    townships: places.townships.length,
    villages: places.villages.length,
    committees: tree.committees.length,
    branches: tree.branches.length,
    villageBranches: tree.villageBranches.length,
    members: party.length,
    ruralMembers: party.filter((m) => m.org.branch!.profile === 'rural').length,
    leaders: {
      county: party.filter((m) => m.leader_rank === 'county').length,
      section: party.filter((m) => m.leader_rank === 'section').length,
    },
    households: households.length,
    needyHouseholds: households.filter((h) => NEEDY_HOUSEHOLD_CATEGORIES.includes(h.category)).length,
    needyMembers: party.filter((m) => m.is_needy).length,
  };
}
