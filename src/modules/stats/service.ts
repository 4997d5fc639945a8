import {
  BRANCH_KINDS,
  COMMITTEE_KINDS,
  type Code,
  EDUCATION_LEVELS,
  GENDERS,
  HOUSEHOLD_CATEGORIES,
  NEEDY_HOUSEHOLD_CATEGORIES,
  ORG_KINDS,
  type OrgKind,
  SECTORS,
} from '../../domain/codes.ts';
import { todayIso } from '../../domain/dates.ts';
import { AGE_BANDS, ageBandOf } from '../../domain/structure.ts';
import { notFound } from '../../platform/errors.ts';
import type { ServiceContext } from '../context.ts';
import { findOrg, findRootOrg } from '../orgs/repository.ts';
import * as repo from './repository.ts';

export interface Bucket {
  code: string;
  label: string;
  count: number;
}

/** Every code of a list in its order, with zero where the subtree has none. */
function buckets(list: readonly Code[], counts: Map<string, number>, extra: Bucket[] = []): Bucket[] {
  return [
    ...list.map((c) => ({ code: c.code, label: c.zh, count: counts.get(c.code) ?? 0 })),
    ...extra.filter((b) => b.count > 0),
  ];
}

const pct = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : 0);

/**
 * Structure statistics of an organisation's subtree, as the county reports them: counts of
 * committees, branches and members, and the make-up of the membership (gender, age band,
 * education, sector) that shows "few women, high average age, low education".
 */
export async function getStructureStats(ctx: ServiceContext, orgId?: number, asOf = todayIso()) {
  // Without an organisation: the user's own (a township organiser sees their township), else the county.
  const start = orgId ?? ctx.actor?.orgId;
  const org =
    start === undefined
      ? await findRootOrg(ctx.db, ctx.countyId)
      : await findOrg(ctx.db, ctx.countyId, start);
  if (!org) throw notFound('组织', 'Organisation');
  const [orgRows, memberRows, householdRows] = await Promise.all([
    repo.orgBreakdown(ctx.db, ctx.countyId, org.path),
    repo.memberBreakdown(ctx.db, ctx.countyId, org.path, asOf),
    repo.householdBreakdown(ctx.db, ctx.countyId, org.path),
  ]);

  const byKind = new Map<string, number>();
  let committees = 0;
  let branches = 0;
  let villageBranches = 0;
  for (const r of orgRows) {
    byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + r.n);
    if (COMMITTEE_KINDS.includes(r.kind as OrgKind) && r.depth_gt_1) committees += r.n;
    if (BRANCH_KINDS.includes(r.kind as OrgKind)) {
      branches += r.n;
      if (r.sector === 'rural') villageBranches += r.n;
    }
  }

  const dim = (d: repo.MemberDim) => new Map(memberRows.filter((r) => r.dim === d).map((r) => [r.key, r.n]));
  const category = dim('category');
  const gender = dim('gender');
  const sector = dim('sector');
  const total = (category.get('full') ?? 0) + (category.get('probationary') ?? 0);

  let ageSum = 0;
  const ageBands = new Map<string, number>();
  for (const [age, n] of dim('age')) {
    ageSum += Number(age) * n;
    const band = ageBandOf(Number(age));
    ageBands.set(band, (ageBands.get(band) ?? 0) + n);
  }
  const women = gender.get('female') ?? 0;
  const leaders = dim('leader');
  const households = new Map(householdRows.map((r) => [r.category, r.n]));
  const householdTotal = householdRows.reduce((s, r) => s + r.n, 0);

  return {
    org: { id: org.id, name: org.name },
    asOf,
    orgs: {
      committees,
      branches,
      villageBranches,
      byKind: buckets(ORG_KINDS, byKind),
    },
    members: {
      total,
      full: category.get('full') ?? 0,
      probationary: category.get('probationary') ?? 0,
      rural: sector.get('rural') ?? 0,
      women,
      womenPercent: pct(women, total),
      averageAge: total ? Math.round((ageSum / total) * 10) / 10 : 0,
      newThisYear: dim('new').get('true') ?? 0,
      needy: dim('needy').get('true') ?? 0,
      mobile: dim('status').get('mobile') ?? 0,
      byGender: buckets(GENDERS, gender),
      byAgeBand: AGE_BANDS.map((b) => ({ code: b.code, label: b.zh, count: ageBands.get(b.code) ?? 0 })),
      byEducation: buckets(EDUCATION_LEVELS, dim('education'), [
        { code: 'unknown', label: '未填写', count: dim('education').get('unknown') ?? 0 },
      ]),
      bySector: buckets(SECTORS, sector),
    },
    pipeline: {
      developmentTargets: category.get('development_target') ?? 0,
      activists: category.get('activist') ?? 0,
      applicants: category.get('applicant') ?? 0,
    },
    leaders: {
      county: leaders.get('county') ?? 0,
      section: leaders.get('section') ?? 0,
      other: leaders.get('other') ?? 0,
    },
    households: {
      total: householdTotal,
      needy: NEEDY_HOUSEHOLD_CATEGORIES.reduce((s, c) => s + (households.get(c) ?? 0), 0),
      byCategory: buckets(HOUSEHOLD_CATEGORIES, households),
    },
  };
}

export type StructureStats = Awaited<ReturnType<typeof getStructureStats>>;
