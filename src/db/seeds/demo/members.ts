import type { EducationLevel, LeaderRank, MemberCategory, MemberStatus } from '../../../domain/codes.ts';
import { addDays, addYears, birthDateForAge, dateBetween, maxDate, minDate } from './dates.ts';
import type { IdNumbers, Phones } from './identity.ts';
import { type Gender, personName, pickEthnicity, words } from './names.ts';
import type { OrgNode, OrgTree } from './orgs.ts';
import {
  COUNTY_LEADER,
  drawAge,
  MOBILE_DESTINATIONS,
  PROFILES,
  type Profile,
  SECTION_LEADER,
  type Shares,
  VILLAGE_CADRE,
} from './profiles.ts';
import { type Rng, sampleWeighted } from './rng.ts';

/** A member before it is written: `org` becomes org_id once the tree has ids. */
export interface MemberSeed {
  org: OrgNode;
  name: string;
  gender: Gender;
  ethnicity: string;
  birth_date: string;
  id_number: string;
  phone: string | null;
  education: EducationLevel;
  address: string | null;
  category: MemberCategory;
  status: MemberStatus;
  join_date: string | null;
  full_member_date: string | null;
  occupation: string;
  is_needy: boolean;
  mobile_to: string | null;
  leader_rank: LeaderRank | null;
  leader_unit: string | null;
}

/**
 * Needy members: the seed helps 449 needy members "in villages and enterprises" [000]; a few more
 * than that are on file, since not every one is paired.
 */
export const NEEDY_RURAL_MEMBERS = 520;
export const NEEDY_ENTERPRISE_MEMBERS = 12;

/** Probationary members: 1–2% of a county's members, all young enough to have just joined. */
const PROBATIONARY_CHANCE = 0.045;
const PROBATIONARY_MAX_AGE = 45;

const SEAT_STREETS = words('人民路 解放路 青山大道 建设路 文化路 新华路 滨河路 府前街 东大街 西大街');
const TOWN_STREETS = words('正街 新街 老街 中街 河街');

export interface MemberContext {
  rng: Rng;
  ids: IdNumbers;
  phones: Phones;
  countyName: string;
  /** 1 January of the demo year: ages and full members' dates are fixed against it. */
  anchor: string;
  /** The demo's "today": nothing is dated after it. */
  asOf: string;
}

/** What is fixed about one person before the rest is drawn from the branch's profile. */
interface Shape {
  ages?: readonly [number, number];
  female?: number;
  education?: Shares<EducationLevel>;
  occupation?: string;
  category?: MemberCategory;
  leaderRank?: LeaderRank;
  leaderUnit?: string;
  /** Never mobile or out of touch: leaders and village cadres are on the spot. */
  present?: boolean;
}

/**
 * Every party member and admission-pipeline person, branch by branch in tree order. Each branch
 * gets exactly its planned number of party members: leaders and cadres first, then the rank and file.
 */
export function generateMembers(ctx: MemberContext, tree: OrgTree): MemberSeed[] {
  const { rng } = ctx;
  const out: MemberSeed[] = [];
  for (const org of tree.branches) {
    const plan = org.branch!;
    const shapes: Shape[] = [];
    for (let i = 0; i < plan.countyLeaders; i++) {
      shapes.push({
        ...COUNTY_LEADER,
        occupation: '公务员',
        leaderRank: 'county',
        leaderUnit: plan.leaderUnits[0]!,
        present: true,
      });
    }
    for (let i = 0; i < plan.sectionLeaders; i++) {
      const leaderUnit = plan.leaderUnits[i % plan.leaderUnits.length]!;
      shapes.push({ ...SECTION_LEADER, leaderRank: 'section', leaderUnit, present: true });
    }
    // A village branch's committee (书记 and two to four 支委) are the village cadres.
    if (plan.profile === 'rural') {
      const cadres = rng.int(3, 5);
      for (let i = 0; i < cadres; i++) {
        const female = VILLAGE_CADRE.female[i === 0 ? 0 : 1];
        shapes.push({ ...VILLAGE_CADRE, female, occupation: '村干部', present: true });
      }
    }
    if (shapes.length > plan.members) throw new Error(`${org.shortName}: more leaders than members`);
    while (shapes.length < plan.members) shapes.push({});
    for (const shape of shapes) out.push(person(ctx, org, shape));

    // The admission pipeline: about one activist for every two branches, fewer further along.
    if (plan.profile !== 'retired') {
      const young: Shape = { ages: plan.profile === 'rural' ? [20, 45] : [22, 38] };
      if (rng.chance(0.5)) out.push(person(ctx, org, { ...young, category: 'activist' }));
      if (rng.chance(0.15)) out.push(person(ctx, org, { ...young, category: 'development_target' }));
      if (rng.chance(0.25)) out.push(person(ctx, org, { ...young, category: 'applicant' }));
    }
  }
  markNeedy(rng, out, Number(ctx.anchor.slice(0, 4)));
  return out;
}

function person(ctx: MemberContext, org: OrgNode, shape: Shape): MemberSeed {
  const { rng } = ctx;
  const plan = org.branch!;
  const spec = PROFILES[plan.profile];
  const gender: Gender = rng.chance(shape.female ?? spec.female) ? 'female' : 'male';
  const age = shape.ages ? rng.int(shape.ages[0], shape.ages[1]) : drawAge(rng, spec.ages);
  const birth = birthDateForAge(rng, age, ctx.anchor);
  const clans = plan.village ? { clans: plan.village.clans, clanShare: 0.35 } : {};
  const name = personName(rng, gender, Number(birth.slice(0, 4)), clans);

  let category = shape.category ?? 'full';
  if (
    category === 'full' &&
    !shape.leaderRank &&
    age <= PROBATIONARY_MAX_AGE &&
    rng.chance(PROBATIONARY_CHANCE)
  ) {
    category = 'probationary';
  }
  const { join, full } = partyDates(ctx, spec.joinAge, category, birth, age);

  let status: MemberStatus = 'normal';
  let mobileTo: string | null = null;
  if (!shape.present && category !== 'applicant') {
    if (rng.chance(spec.mobile(age))) {
      status = 'mobile';
      mobileTo = rng.weightedKey(MOBILE_DESTINATIONS);
    } else if (age < 60 && rng.chance(spec.lostContact)) {
      status = 'lost_contact';
    }
  }
  const occupation =
    shape.occupation ??
    (status === 'mobile' && plan.profile === 'rural'
      ? '外出务工人员'
      : rng.weightedKey(plan.occupations ?? spec.occupations));

  return {
    org,
    name,
    gender,
    ethnicity: pickEthnicity(rng),
    birth_date: birth,
    id_number: ctx.ids.next(birth, gender),
    // The oldest villagers often have no phone of their own.
    phone: age >= 75 && rng.chance(0.4) ? null : ctx.phones.next(),
    education: rng.weightedKey(shape.education ?? spec.education(age)),
    address: addressOf(ctx, org),
    category,
    status,
    join_date: join,
    full_member_date: full,
    occupation,
    is_needy: false,
    mobile_to: mobileTo,
    leader_rank: shape.leaderRank ?? null,
    leader_unit: shape.leaderUnit ?? null,
  };
}

/**
 * Join and full-member dates. A full member joined at least a year before the demo year began, so
 * the full-member date (a year after joining) is never in the future; a probationary one joined in
 * the last twelve months, a third of them this very year (the report's "newly admitted" line).
 */
function partyDates(
  ctx: MemberContext,
  joinAges: readonly [number, number],
  category: MemberCategory,
  birth: string,
  age: number,
): { join: string | null; full: string | null } {
  const { rng, anchor, asOf } = ctx;
  if (category === 'full') {
    const joinAge = Math.max(18, Math.min(rng.int(joinAges[0], joinAges[1]), age - 1));
    const earliest = addYears(birth, joinAge);
    const join = dateBetween(
      rng,
      earliest,
      minDate(addDays(earliest, 364), addDays(addYears(anchor, -1), -1)),
    );
    return { join, full: addYears(join, 1) };
  }
  if (category === 'probationary') {
    const from = rng.chance(0.35) ? maxDate(anchor, addDays(asOf, -364)) : addDays(asOf, -364);
    return { join: dateBetween(rng, maxDate(from, addYears(birth, 18)), asOf), full: null };
  }
  return { join: null, full: null };
}

function addressOf(ctx: MemberContext, org: OrgNode): string {
  const { rng, countyName } = ctx;
  const { village, township } = org.branch!;
  if (village) return `${countyName}${township!.name}${village.name}${rng.pick(village.groups).name}`;
  if (township && !township.seat)
    return `${countyName}${township.name}${rng.pick(TOWN_STREETS)}${rng.int(1, 120)}号`;
  return `${countyName}城关镇${rng.pick(SEAT_STREETS)}${rng.int(1, 300)}号`;
}

/**
 * Picks the needy members: exactly the planned numbers, older villagers far more likely (illness,
 * no labour left), and never a leader, a cadre, or someone working away or out of touch.
 */
function markNeedy(rng: Rng, members: MemberSeed[], demoYear: number) {
  const eligible = (m: MemberSeed, profiles: readonly Profile[]) =>
    profiles.includes(m.org.branch!.profile) &&
    m.status === 'normal' &&
    !m.leader_rank &&
    m.occupation !== '村干部' &&
    (m.category === 'full' || m.category === 'probationary');
  const ageWeight = (m: MemberSeed) => {
    const age = demoYear - Number(m.birth_date.slice(0, 4));
    return age >= 65 ? 4 : age >= 50 ? 1.5 : 0.4;
  };
  const rural = members.map((m) => (eligible(m, ['rural']) ? ageWeight(m) : 0));
  for (const i of sampleWeighted(rng, rural, NEEDY_RURAL_MEMBERS)) members[i]!.is_needy = true;
  const firms = members.map((m) => (eligible(m, ['private_enterprise', 'state_enterprise']) ? 1 : 0));
  for (const i of sampleWeighted(rng, firms, NEEDY_ENTERPRISE_MEMBERS)) members[i]!.is_needy = true;
}
