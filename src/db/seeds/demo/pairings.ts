import {
  HOUSEHOLD_CATEGORIES,
  type HouseholdCategory,
  type LeaderRank,
  labelOf,
} from '../../../domain/codes.ts';
import { FIVE_SYSTEMS, type SystemCode } from '../../../domain/pairings.ts';
import { addDays, dayOf } from './dates.ts';
import type { HouseholdSeed } from './households.ts';
import type { MemberSeed } from './members.ts';
import type { OrgNode, OrgTree } from './orgs.ts';
import type { Rng } from './rng.ts';

/**
 * The demo county's 三联共建 pairings, to the seed report's figures [000]: "111 leaders link 105
 * rural and 6 enterprise branches; 70 branches take part in branch co-building; 867 members help 449
 * needy members and 418 needy households." The demo year holds exactly these; a part of them also
 * ran the year before, so the year-end verdicts (short, signed off) have something to show.
 */
export const PAIRING_FIGURES = {
  leaders: 111,
  leaderVillages: 105,
  leaderEnterprises: 6,
  cobuildPairs: 35,
  cobuildBranches: 70,
  assistHelpers: 867,
  assistMembers: 449,
  assistHouseholds: 418,
} as const;

/** How many of this year's pairings also ran last year (year-end verdicts and sign-offs). */
const PREVIOUS_YEAR = { leader: 40, leaderShort: 4, cobuild: 10, cobuildShort: 2, assist: 60 } as const;
/** County-level leaders with a contact point (of 36): all but the few with other duties. */
const COUNTY_LEADER_POINTS = 31;
/** Villages whose contact leader is one of their own township's section-level leaders. */
const TOWNSHIP_LEADER_POINTS = 55;
/** This year's quota pairings whose helper falls behind pace (roughly one in seven). */
const BEHIND_SHARE = 1 / 7;

export type DemoPairingKind = 'leader_contact' | 'branch_cobuild' | 'member_assist';
/** The pace the helper keeps, which the visit generator follows. */
export type Pace = 'on_track' | 'behind_pace' | 'short';

/** A pairing before it is written; `id` is filled in once ids are reserved. */
export interface PairingSeed {
  kind: DemoPairingKind;
  year: number;
  startedOn: string;
  endedOn: string | null;
  formation: 'assigned' | 'chosen';
  helper: MemberSeed | null;
  helperOrg: OrgNode;
  helpedOrg: OrgNode;
  helpedMember: MemberSeed | null;
  helpedHousehold: HouseholdSeed | null;
  responsible: MemberSeed | null;
  obligations: SystemCode[];
  title: string;
  leaderRank: LeaderRank | null;
  pace: Pace;
  /** Why it ended before the year did (a leader moved to another post …). */
  endReason?: string;
  /** A leader's contact point whose branch also co-builds with the same village: they visit together. */
  partner?: PairingSeed;
  /**
   * Picked to start late or end early, whether or not the demo's year has got that far: what else
   * is drawn (who falls behind, what ran last year) stays the same whatever the day.
   */
  irregular?: boolean;
  /** The same sides were paired last year too (no 认亲 again this year). */
  ranLastYear?: boolean;
  id: number;
}

export interface CountyPeople {
  tree: OrgTree;
  members: MemberSeed[];
  households: HouseholdSeed[];
}

/** Party members of each branch in the order they are written: the first is taken as its secretary. */
export type Rosters = Map<OrgNode, MemberSeed[]>;

export const isPartyMember = (m: MemberSeed) => m.category === 'full' || m.category === 'probationary';

export function rostersOf(members: readonly MemberSeed[]): Rosters {
  const rosters: Rosters = new Map();
  for (const m of members) {
    if (!isPartyMember(m)) continue;
    const list = rosters.get(m.org);
    if (list) list.push(m);
    else rosters.set(m.org, [m]);
  }
  return rosters;
}

/** The branch's secretary, as the demo takes it: its first party member on file. */
export const secretaryOf = (rosters: Rosters, org: OrgNode): MemberSeed => {
  const first = rosters.get(org)?.[0];
  if (!first) throw new Error(`${org.shortName} has no party member`);
  return first;
};

/** 东山村 for a village branch, 县水务集团公司 for a firm's: how people name the place. */
export const placeOf = (org: OrgNode): string =>
  org.branch?.village?.name ?? org.shortName.replace(/(联合)?党支部$/, '');

const RANK_ZH: Record<string, string> = { county: '县级', section: '科级' };
const isEnterprise = (o: OrgNode) => o.sector === 'state_enterprise' || o.sector === 'private_enterprise';
const date = (year: number, month: number, day: number) =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
const yearOf = (iso: string) => Number(iso.slice(0, 4));

export interface PairingsPlan {
  year: number;
  /** This year's pairings, then last year's. */
  all: PairingSeed[];
  current: PairingSeed[];
  previous: PairingSeed[];
  rosters: Rosters;
}

/**
 * Who pairs with whom, this year and last. Pure: the same seed, year and `asOf` give the same
 * pairings. Only the mid-year starts and ends depend on `asOf`: they are kept only where the year has
 * run far enough for them to have happened.
 */
export function planPairings(rng: Rng, county: CountyPeople, year: number, asOf: string): PairingsPlan {
  const rosters = rostersOf(county.members);
  const leaders = planLeaderContacts(rng, county, year);
  const cobuild = planCobuilding(rng, county, rosters, year, leaders);
  const assist = planAssistance(rng, county, rosters, year);
  const current = [...leaders, ...cobuild, ...assist];
  shapeTheYear(rng, leaders, cobuild, assist, asOf);
  const previous = planPreviousYear(rng, leaders, cobuild, assist, year);
  return { year, all: [...current, ...previous], current, previous, rosters };
}

// ---------------------------------------------------------------------------------------------
// 领导联点: 111 leaders, 105 village branches and 6 enterprise branches, one point each.
// ---------------------------------------------------------------------------------------------

function planLeaderContacts(rng: Rng, county: CountyPeople, year: number): PairingSeed[] {
  const { tree } = county;
  const leaders = county.members.filter((m) => isPartyMember(m) && m.leader_rank && m.status === 'normal');
  const countyLeaders = rng.shuffle(leaders.filter((m) => m.leader_rank === 'county'));
  const sectionLeaders = leaders.filter((m) => m.leader_rank === 'section');
  // A township's own section-level leaders (乡镇党委、政府班子成员) each take one of its villages.
  const byTownship = new Map<string, MemberSeed[]>();
  const others: MemberSeed[] = [];
  for (const m of sectionLeaders) {
    const t = m.org.branch!.township;
    if (m.org.branch!.profile === 'township_agency' && t) {
      byTownship.set(t.name, [...(byTownship.get(t.name) ?? []), m]);
    } else others.push(m);
  }
  for (const list of byTownship.values()) rng.shuffle(list);
  // Section leaders of the county's departments and firms, the state firms' own last.
  rng.shuffle(others);
  others.sort((a, b) => Number(isEnterprise(a.org)) - Number(isEnterprise(b.org)));

  const villages = rng.shuffle([...tree.villageBranches]).slice(0, PAIRING_FIGURES.leaderVillages);
  const firms = pickFirms(rng, tree);

  const out: PairingSeed[] = [];
  let fromTownships = 0;
  let otherAt = 0;
  const nextOther = () => {
    const m = others[otherAt++];
    if (!m) throw new Error('not enough section-level leaders for the contact points');
    return m;
  };
  villages.forEach((village, i) => {
    let leader: MemberSeed;
    if (i < COUNTY_LEADER_POINTS) leader = countyLeaders[i]!;
    else {
      const own = byTownship.get(village.branch!.village!.township.name) ?? [];
      if (fromTownships < TOWNSHIP_LEADER_POINTS && own.length > 0) {
        leader = own.pop()!;
        fromTownships++;
      } else leader = nextOther();
    }
    out.push(leaderPoint(leader, village, year));
  });
  for (const firm of firms) out.push(leaderPoint(nextOther(), firm, year));
  // Written in the tree's order of the branches linked, as a county's list of contact points reads.
  const order = new Map(tree.all.map((o, i) => [o, i]));
  out.sort((a, b) => order.get(a.helpedOrg)! - order.get(b.helpedOrg)!);
  return out;
}

/** Six firms' branches: two state-owned, four non-public, each with enough members to work with. */
function pickFirms(rng: Rng, tree: OrgTree): OrgNode[] {
  const firms = (sector: string) =>
    rng.shuffle(
      tree.branches.filter((o) => o.sector === sector && o.kind === 'branch' && o.branch!.members >= 5),
    );
  return [...firms('state_enterprise').slice(0, 2), ...firms('private_enterprise').slice(0, 4)];
}

function leaderPoint(leader: MemberSeed, branch: OrgNode, year: number): PairingSeed {
  return {
    kind: 'leader_contact',
    year,
    startedOn: date(year, 1, 1),
    endedOn: null,
    formation: 'assigned',
    helper: leader,
    helperOrg: leader.org,
    helpedOrg: branch,
    helpedMember: null,
    helpedHousehold: null,
    responsible: leader,
    obligations: [],
    title: `${leader.name}（${RANK_ZH[leader.leader_rank!]}）联系${branch.shortName}`,
    leaderRank: leader.leader_rank as LeaderRank,
    pace: 'on_track',
    id: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// 支部联建: 35 pairs of 70 distinct branches — 机关–农村, 机关–企业, 企业–农村.
// ---------------------------------------------------------------------------------------------

const COBUILD_MIX = { agencyVillage: 20, agencyFirm: 5, firmVillage: 10 } as const;
/** Of the 机关–农村 pairs, those whose helper branch is also its contact leader's own: they visit together. */
const JOINT_PAIRS = 5;

function planCobuilding(
  rng: Rng,
  county: CountyPeople,
  rosters: Rosters,
  year: number,
  leaders: readonly PairingSeed[],
): PairingSeed[] {
  const { tree } = county;
  const used = new Set<OrgNode>();
  const take = (list: readonly OrgNode[]) => {
    const o = list.find((x) => !used.has(x));
    if (!o) throw new Error('not enough branches for the co-building pairs');
    used.add(o);
    return o;
  };
  const big = (o: OrgNode) => (rosters.get(o)?.length ?? 0) >= 5;
  const agencies = rng.shuffle(
    tree.branches.filter(
      (o) =>
        (o.sector === 'agency' || o.sector === 'institution') &&
        o.branch!.profile !== 'retired' &&
        o.branch!.profile !== 'township_agency' &&
        big(o),
    ),
  );
  const stateFirms = rng.shuffle(tree.branches.filter((o) => o.sector === 'state_enterprise' && big(o)));
  const privateFirms = rng.shuffle(
    tree.branches.filter((o) => o.sector === 'private_enterprise' && o.kind === 'branch' && big(o)),
  );
  const villages = rng.shuffle([...tree.villageBranches]);

  const pairs: [OrgNode, OrgNode][] = [];
  // The joint ones first: a department's leader links a village and the department's branch co-builds with it.
  const joint = rng
    .shuffle(
      leaders.filter(
        (p) =>
          p.helpedOrg.sector === 'rural' &&
          p.leaderRank === 'section' &&
          agencies.includes(p.helperOrg) &&
          p.helperOrg.branch!.profile !== 'township_agency',
      ),
    )
    .filter((p, i, list) => list.findIndex((q) => q.helperOrg === p.helperOrg) === i)
    .slice(0, JOINT_PAIRS);
  for (const p of joint) {
    used.add(p.helperOrg);
    used.add(p.helpedOrg);
    pairs.push([p.helperOrg, p.helpedOrg]);
  }
  while (pairs.length < COBUILD_MIX.agencyVillage) pairs.push([take(agencies), take(villages)]);
  for (let i = 0; i < COBUILD_MIX.agencyFirm; i++) pairs.push([take(agencies), take(privateFirms)]);
  // State firms lead the 企业–农村 pairs; the bigger non-public firms make up the rest.
  for (let i = 0; i < COBUILD_MIX.firmVillage; i++) {
    const helper = i < Math.min(6, stateFirms.length) ? take(stateFirms) : take(privateFirms);
    pairs.push([helper, take(villages)]);
  }

  const out = pairs.map(([helper, helped], i): PairingSeed => {
    const responsible = secretaryOf(rosters, helper);
    return {
      kind: 'branch_cobuild',
      year,
      startedOn: date(year, 1, 1),
      endedOn: null,
      formation: i % 4 === 3 ? 'chosen' : 'assigned',
      helper: null,
      helperOrg: helper,
      helpedOrg: helped,
      helpedMember: null,
      helpedHousehold: null,
      responsible,
      obligations: pickObligations(rng),
      title: `${helper.shortName}与${helped.shortName}支部联建`,
      leaderRank: null,
      pace: 'on_track',
      id: 0,
    };
  });
  joint.forEach((leader, i) => {
    leader.partner = out[i]!;
  });
  return out;
}

/** Three to five of the five systems, always the quarterly joint meeting; in the systems' own order. */
function pickObligations(rng: Rng): SystemCode[] {
  const chosen = new Set<SystemCode>(['joint_meeting']);
  const rest: SystemCode[] = ['collective_day', 'cross_learning', 'mutual_inspection', 'daily_help'];
  const want = rng.int(3, 5);
  for (const s of rng.shuffle(rest)) if (chosen.size < want) chosen.add(s);
  return FIVE_SYSTEMS.map((s) => s.code).filter((c) => chosen.has(c));
}

// ---------------------------------------------------------------------------------------------
// 党员联帮: 867 members, one needy member or household each (一帮一).
// ---------------------------------------------------------------------------------------------

const NEEDY_HOUSEHOLD: readonly HouseholdCategory[] = [
  'poor',
  'extreme_poor',
  'subsistence',
  'five_guarantee',
  'hardship',
];
/** Where a needy person's helper comes from: the same branch, elsewhere in the township, or a county office (城乡). */
const HELPER_SOURCES = { same: 45, township: 25, county: 30 } as const;

function planAssistance(rng: Rng, county: CountyPeople, rosters: Rosters, year: number): PairingSeed[] {
  const { tree, members, households } = county;
  const needyMembers = members.filter((m) => isPartyMember(m) && m.is_needy);
  const needyHouseholds = households.filter((h) => NEEDY_HOUSEHOLD.includes(h.category));
  const memberPick = new Set(rng.shuffle([...needyMembers]).slice(0, PAIRING_FIGURES.assistMembers));
  const householdPick = new Set(rng.shuffle([...needyHouseholds]).slice(0, PAIRING_FIGURES.assistHouseholds));

  // Who can help: members on the spot, not needy themselves, of working age or active in retirement.
  const able = (m: MemberSeed) =>
    !m.is_needy && m.status === 'normal' && year - yearOf(m.birth_date) <= 70 && !m.leader_rank;
  const pools = new Map<OrgNode, MemberSeed[]>();
  for (const [org, list] of rosters) pools.set(org, rng.shuffle(list.filter(able)));
  const townshipOrgs = new Map<string, OrgNode[]>();
  const countyOrgs: OrgNode[] = [];
  for (const o of tree.branches) {
    const t = o.branch!.township?.name;
    if (t) townshipOrgs.set(t, [...(townshipOrgs.get(t) ?? []), o]);
    else if ((o.sector === 'agency' || o.sector === 'institution') && o.branch!.profile !== 'retired')
      countyOrgs.push(o);
  }
  const from = (orgs: readonly OrgNode[]): MemberSeed | null => {
    const start = rng.int(0, Math.max(0, orgs.length - 1));
    for (let k = 0; k < orgs.length; k++) {
      const m = pools.get(orgs[(start + k) % orgs.length]!)?.pop();
      if (m) return m;
    }
    return null;
  };
  const helperFor = (org: OrgNode): MemberSeed => {
    const township = org.branch!.township?.name;
    const source = rng.weightedKey<keyof typeof HELPER_SOURCES>(HELPER_SOURCES);
    const near = township ? (townshipOrgs.get(township) ?? []).filter((o) => o !== org) : [];
    const order =
      source === 'same'
        ? [[org], near, countyOrgs]
        : source === 'township'
          ? [near, [org], countyOrgs]
          : [countyOrgs, [org], near];
    for (const orgs of order) {
      const m = from(orgs);
      if (m) return m;
    }
    throw new Error(`no helper left for a needy person of ${org.shortName}`);
  };

  const out: PairingSeed[] = [];
  const base = (helper: MemberSeed, helpedOrg: OrgNode) => ({
    kind: 'member_assist' as const,
    year,
    startedOn: date(year, 1, 1),
    endedOn: null,
    formation: rng.chance(0.8) ? ('assigned' as const) : ('chosen' as const),
    helper,
    helperOrg: helper.org,
    helpedOrg,
    responsible: helper,
    obligations: [],
    leaderRank: null,
    pace: 'on_track' as const,
    id: 0,
  });
  for (const m of needyMembers) {
    if (!memberPick.has(m)) continue;
    const helper = helperFor(m.org);
    out.push({
      ...base(helper, m.org),
      helpedMember: m,
      helpedHousehold: null,
      title: `${helper.name}帮扶困难党员${m.name}`,
    });
  }
  for (const h of needyHouseholds) {
    if (!householdPick.has(h)) continue;
    const helper = helperFor(h.org);
    out.push({
      ...base(helper, h.org),
      helpedMember: null,
      helpedHousehold: h,
      title: `${helper.name}帮扶${labelOf(HOUSEHOLD_CATEGORIES, h.category)}${h.head_name}`,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The shape of the year: who started late, who left early, who falls behind.
// ---------------------------------------------------------------------------------------------

function shapeTheYear(
  rng: Rng,
  leaders: PairingSeed[],
  cobuild: PairingSeed[],
  assist: PairingSeed[],
  asOf: string,
) {
  const year = leaders[0]!.year;
  const hasRun = (iso: string, days: number) => dayOf(iso) + days <= dayOf(asOf);
  const plain = (list: PairingSeed[]) =>
    rng.shuffle(list.filter((p) => !p.partner && !isPartnered(p, leaders)));

  // Contact points set up in spring and summer: a leader new to the post, a branch newly linked.
  const lateLeaders = plain(leaders);
  const starts = [date(year, 4, 8), date(year, 4, 20), date(year, 7, 1), date(year, 7, 15)];
  starts.forEach((on, i) => {
    lateLeaders[i]!.irregular = true;
    if (hasRun(on, 30)) lateLeaders[i]!.startedOn = on;
  });
  const lateBranches = plain(cobuild);
  [date(year, 3, 12), date(year, 4, 1)].forEach((on, i) => {
    lateBranches[i]!.irregular = true;
    if (hasRun(on, 30)) lateBranches[i]!.startedOn = on;
  });
  // Two leaders moved to other posts and one branch's unit was merged in the summer: their points ended short.
  const ends: [PairingSeed, string, string][] = [
    [lateLeaders[4]!, date(year, 6, 30), '联点领导工作调动'],
    [lateLeaders[5]!, date(year, 8, 31), '联点领导退休'],
    [lateBranches[2]!, date(year, 7, 15), '帮扶单位机构改革撤并'],
  ];
  for (const [p, on, why] of ends) {
    p.irregular = true;
    if (!hasRun(on, 14)) continue;
    p.endedOn = on;
    p.endReason = why;
    p.pace = 'short';
  }
  // About one in seven of the rest fall behind pace.
  for (const list of [leaders, cobuild]) {
    const running = rng.shuffle(list.filter((p) => !p.irregular));
    const behind = Math.round(list.length * BEHIND_SHARE);
    for (const p of running.slice(0, behind)) p.pace = 'behind_pace';
  }
  // Most members met the people they help in the new year's first weeks; some took until spring.
  for (const p of assist) {
    if (rng.chance(0.3)) {
      p.irregular = true;
      const on = addDays(date(year, 1, 1), rng.int(10, 85));
      if (hasRun(on, 7)) p.startedOn = on;
    }
  }
}

const isPartnered = (p: PairingSeed, leaders: readonly PairingSeed[]) => leaders.some((l) => l.partner === p);

// ---------------------------------------------------------------------------------------------
// Last year: the same points and pairs where they already ran, closed at the year's end.
// ---------------------------------------------------------------------------------------------

function planPreviousYear(
  rng: Rng,
  leaders: readonly PairingSeed[],
  cobuild: readonly PairingSeed[],
  assist: readonly PairingSeed[],
  year: number,
): PairingSeed[] {
  const last = year - 1;
  const fullYear = (p: PairingSeed) => !p.irregular && !p.partner;
  const copy = (p: PairingSeed, pace: Pace): PairingSeed => {
    const { partner: _partner, endReason: _reason, irregular: _irregular, ...rest } = p;
    p.ranLastYear = true;
    return { ...rest, year: last, startedOn: date(last, 1, 1), endedOn: date(last, 12, 31), pace, id: 0 };
  };
  const some = (list: readonly PairingSeed[], n: number, short: number) =>
    rng
      .shuffle(list.filter(fullYear))
      .slice(0, n)
      .map((p, i) => copy(p, i < short ? 'short' : 'on_track'));
  const prevLeaders = some(leaders, PREVIOUS_YEAR.leader, PREVIOUS_YEAR.leaderShort);
  // One of last year's points was set up in the spring.
  prevLeaders[prevLeaders.length - 1]!.startedOn = date(last, 3, 15);
  const prevCobuild = some(cobuild, PREVIOUS_YEAR.cobuild, PREVIOUS_YEAR.cobuildShort);
  const byMember = rng
    .shuffle(assist.filter((p) => p.helpedMember && fullYear(p)))
    .slice(0, PREVIOUS_YEAR.assist / 2);
  const byHousehold = rng
    .shuffle(assist.filter((p) => p.helpedHousehold && fullYear(p)))
    .slice(0, PREVIOUS_YEAR.assist / 2);
  const prevAssist = [...byMember, ...byHousehold].map((p) => copy(p, 'on_track'));
  return [...prevLeaders, ...prevCobuild, ...prevAssist];
}
