import { LEADER_RANKS, labelOf } from '../../domain/codes.ts';
import type { ComplianceLevel, ComplianceResult } from '../../domain/compliance.ts';
import { OUTCOME_UNITS, PAIRING_KINDS, pairingKind, type VisitKind } from '../../domain/pairings.ts';
import { notFound } from '../../platform/errors.ts';
import { complianceOf } from '../assessment/compliance.ts';
import type { ServiceContext } from '../context.ts';
import { findOrg, findRootOrg } from '../orgs/repository.ts';
import * as pairingsRepo from '../pairings/repository.ts';
import { maskText } from '../publicity/masking.ts';
import * as repo from './repository.ts';

/**
 * Everything the half-year bulletin (半年通报) [000 "半年通报"] says, gathered from the records in one
 * place before anything is rendered: the pairings of the year that ran in the half (started by its
 * last day, not ended before its first), in the subtree (either side within it); their visits and
 * outcomes dated in the half; compliance as of the half's last day; the mid-year checks of tasks and
 * the 督查 of the half with the rectifications still open at its end. Every figure of the document
 * comes from here.
 */

export interface BulletinQuery {
  year: number;
  half: 1 | 2;
  orgId?: number;
  /** Name people (leaders, helping members, rectification owners); otherwise organisations only. */
  names?: boolean;
  /** The date on the document; default today. */
  issuedOn?: string;
}

export interface Outcomes {
  yuan: number;
  projects: number;
  person_times: number;
  households: number;
  other: { unit: string; label: string; amount: number }[];
}

export interface LevelRow {
  pairings: number;
  withQuota: number;
  expected: number;
  done: number;
  on_track: number;
  behind_pace: number;
  short: number;
  not_started: number;
}

export interface TownshipRow extends LevelRow {
  orgId: number | null;
  name: string;
  visits: number;
  yuan: number;
}

export interface KindRow extends LevelRow {
  kind: string;
  label: string;
  visits: number;
}

export interface PracticeItem {
  pairingId: number;
  subject: string;
  kindLabel: string;
  visits: number;
  byKind: { label: string; count: number }[];
  outcomes: Outcomes;
  outcomeRecords: number;
}

export interface LaggardItem {
  pairingId: number;
  township: string;
  text: string;
  level: ComplianceLevel;
  expected: number;
  done: number;
  endedOn: string | null;
}

export interface RectificationItem {
  owner: string;
  problem: string;
  dueOn: string;
  overdue: boolean;
  ownerName: string | null;
}

export interface BulletinData {
  countyName: string;
  issuer: string;
  scope: { orgId: number; name: string; isCounty: boolean; short: string };
  year: number;
  half: 1 | 2;
  from: string;
  /** The last day reported: the half's end, or today while the half runs. */
  to: string;
  halfEnd: string;
  issuedOn: string;
  names: boolean;
  headline: {
    pairings: number;
    leaders: number;
    leaderRuralBranches: number;
    leaderEnterpriseBranches: number;
    cobuildBranches: number;
    assistMembers: number;
    assistedNeedyMembers: number;
    assistedNeedyHouseholds: number;
  };
  activity: { visits: number; onSite: number; outcomes: Outcomes };
  compliance: LevelRow;
  tasks: {
    pairings: number;
    checked: number;
    done: number;
    in_progress: number;
    behind: number;
    not_started: number;
  };
  byKind: KindRow[];
  byTownship: TownshipRow[];
  total: TownshipRow;
  practice: PracticeItem[];
  laggards: LaggardItem[];
  inspections: {
    checks: number;
    problems: number;
    closedInTime: number;
    open: number;
    overdue: number;
    items: RectificationItem[];
  };
}

const ENTERPRISE = ['state_enterprise', 'private_enterprise'];
const TOWNSHIP_PLACES = ['town', 'township', 'subdistrict'];
const PRACTICE_COUNT = 5;
const LAGGARD_LIMIT = 60;

export const halfOf = (year: number, half: 1 | 2) =>
  half === 1
    ? { from: `${year}-01-01`, to: `${year}-06-30` }
    : { from: `${year}-07-01`, to: `${year}-12-31` };

const emptyOutcomes = (): Outcomes => ({ yuan: 0, projects: 0, person_times: 0, households: 0, other: [] });
const emptyLevels = (): LevelRow => ({
  pairings: 0,
  withQuota: 0,
  expected: 0,
  done: 0,
  on_track: 0,
  behind_pace: 0,
  short: 0,
  not_started: 0,
});

function addOutcome(o: Outcomes, unit: string, amount: number) {
  if (unit === 'yuan' || unit === 'projects' || unit === 'person_times' || unit === 'households') {
    o[unit] += amount;
    return;
  }
  const label = labelOf(OUTCOME_UNITS, unit) || unit;
  const other = o.other.find((x) => x.unit === unit);
  if (other) other.amount += amount;
  else o.other.push({ unit, label, amount });
}

function addLevel(row: LevelRow, c: ComplianceResult | undefined) {
  row.pairings++;
  if (!c?.active || !c.hasQuota) return;
  row.withQuota++;
  row.expected += c.expectedByNow;
  row.done += c.done;
  row[c.level]++;
}

export async function gatherBulletin(
  ctx: ServiceContext,
  q: BulletinQuery,
  today: string,
): Promise<BulletinData> {
  const db = ctx.db;
  const { from, to: halfEnd } = halfOf(q.year, q.half);
  // A half still running is reported up to today.
  const to = halfEnd < today ? halfEnd : today;
  const start = q.orgId ?? ctx.actor?.orgId;
  const org =
    start === undefined ? await findRootOrg(db, ctx.countyId) : await findOrg(db, ctx.countyId, start);
  if (!org) throw notFound('组织', 'Organisation');
  const countyName = (await repo.countyName(db, ctx.countyId)) ?? '';
  const isCounty = org.parent_id === null;
  const names = q.names === true;

  const rows = (
    await pairingsRepo.listPairings(db, ctx.countyId, { year: q.year, underPath: org.path })
  ).filter((r) => r.started_on <= to && (r.ended_on === null || r.ended_on >= from));
  const ids = rows.map((r) => r.id);
  const compliance = await complianceOf(db, ctx.countyId, rows, q.year, to);

  // The seed report's headline [000], counted as `report summary` counts it, over the half's pairings.
  const of = (k: string) => rows.filter((p) => p.kind === k);
  const distinct = <T>(xs: T[]) => new Set(xs.filter((x) => x !== null && x !== undefined)).size;
  const leaders = of('leader_contact');
  const cobuild = of('branch_cobuild');
  const assist = of('member_assist');
  const headline = {
    pairings: rows.length,
    leaders: distinct(leaders.map((p) => p.helper_member_id)),
    leaderRuralBranches: distinct(
      leaders.filter((p) => p.helped_org_sector === 'rural').map((p) => p.helped_org_id),
    ),
    leaderEnterpriseBranches: distinct(
      leaders.filter((p) => ENTERPRISE.includes(p.helped_org_sector ?? '')).map((p) => p.helped_org_id),
    ),
    cobuildBranches: distinct(cobuild.flatMap((p) => [p.helper_org_id, p.helped_org_id])),
    assistMembers: distinct(assist.map((p) => p.helper_member_id)),
    assistedNeedyMembers: distinct(assist.map((p) => p.helped_member_id)),
    assistedNeedyHouseholds: distinct(assist.map((p) => p.helped_household_id)),
  };

  // Visits and outcomes of the half: a visit counted for several pairings is one visit in the totals.
  const links = await repo.visitLinks(db, ctx.countyId, ids, from, to);
  const visitIds = [...new Set(links.map((l) => l.visit_id))];
  const outcomeRows = await repo.outcomesOf(db, ctx.countyId, visitIds);
  const outcomesByVisit = new Map<number, { unit: string; amount: number }[]>();
  for (const o of outcomeRows) {
    outcomesByVisit.set(o.visit_id, [
      ...(outcomesByVisit.get(o.visit_id) ?? []),
      { unit: o.unit, amount: Number(o.amount) },
    ]);
  }
  const visitKind = new Map(links.map((l) => [l.visit_id, l.kind]));
  const activity = { visits: visitIds.length, onSite: 0, outcomes: emptyOutcomes() };
  for (const id of visitIds) {
    if (visitKind.get(id) === 'on_site_work') activity.onSite++;
    for (const o of outcomesByVisit.get(id) ?? []) addOutcome(activity.outcomes, o.unit, o.amount);
  }
  const visitsOfPairing = new Map<number, number[]>();
  for (const l of links)
    visitsOfPairing.set(l.pairing_id, [...(visitsOfPairing.get(l.pairing_id) ?? []), l.visit_id]);

  // Progress by kind and by township (of the helped side, as the summary groups them).
  const total = {
    ...emptyLevels(),
    orgId: null,
    name: '合计',
    visits: visitIds.length,
    yuan: activity.outcomes.yuan,
  };
  const overall = emptyLevels();
  const kindRows = new Map<string, KindRow>();
  const townshipRows = new Map<number | null, TownshipRow & { visitSet: Set<number> }>();
  for (const r of rows) {
    const c = compliance.get(r.id);
    addLevel(overall, c);
    addLevel(total, c);
    const k = kindRows.get(r.kind) ?? {
      ...emptyLevels(),
      kind: r.kind,
      label: pairingKind(r.kind)?.zh ?? r.kind,
      visits: 0,
    };
    addLevel(k, c);
    kindRows.set(r.kind, k);
    const tid = r.helped_township_id === null ? null : Number(r.helped_township_id);
    const t = townshipRows.get(tid) ?? {
      ...emptyLevels(),
      orgId: tid,
      name: '',
      visits: 0,
      yuan: 0,
      visitSet: new Set(),
    };
    addLevel(t, c);
    for (const v of visitsOfPairing.get(r.id) ?? []) t.visitSet.add(v);
    townshipRows.set(tid, t);
  }
  for (const k of kindRows.values()) {
    k.visits = new Set(
      rows.filter((r) => r.kind === k.kind).flatMap((r) => visitsOfPairing.get(r.id) ?? []),
    ).size;
  }
  const townshipOrgs = await repo.orgPlaces(
    db,
    ctx.countyId,
    [...townshipRows.keys()].filter((k): k is number => k !== null),
  );
  const pairingTownship = (r: pairingsRepo.PairingRow) =>
    r.helped_township_id === null ? null : Number(r.helped_township_id);
  const townshipName = (id: number | null) => {
    if (id === null) return '县直';
    const o = townshipOrgs.get(id);
    return o
      ? (o.short_name ?? o.name)
      : (rows.find((r) => pairingTownship(r) === id)?.helped_org_name ?? `#${id}`);
  };
  for (const t of townshipRows.values()) {
    t.name = townshipName(t.orgId);
    t.visits = t.visitSet.size;
    t.yuan = [...t.visitSet].reduce(
      (sum, v) =>
        sum +
        (outcomesByVisit.get(v) ?? []).filter((o) => o.unit === 'yuan').reduce((s, o) => s + o.amount, 0),
      0,
    );
  }
  const isTownship = (id: number | null) => {
    const o = id === null ? undefined : townshipOrgs.get(id);
    return !!o && o.kind === 'party_committee' && TOWNSHIP_PLACES.includes(o.place_kind ?? '');
  };
  const byTownship = [...townshipRows.values()]
    .sort(
      (a, b) =>
        Number(isTownship(b.orgId)) - Number(isTownship(a.orgId)) ||
        (a.orgId === null ? 1 : 0) - (b.orgId === null ? 1 : 0) ||
        (a.orgId ?? 0) - (b.orgId ?? 0),
    )
    .map(({ visitSet: _visitSet, ...t }) => t);
  const kindOrder = PAIRING_KINDS.map((k) => k.code as string);
  const byKind = [...kindRows.values()].sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind));

  // Mid-year checks of the card and register's tasks (年中督促检查).
  const checks = await repo.taskChecksIn(db, ctx.countyId, q.year, ids, from, to);
  const tasks = {
    pairings: new Set(checks.map((c) => c.pairing_id)).size,
    checked: checks.length,
    done: checks.filter((c) => c.status === 'done').length,
    in_progress: checks.filter((c) => c.status === 'in_progress').length,
    behind: checks.filter((c) => c.status === 'behind').length,
    not_started: checks.filter((c) => c.status === 'not_started').length,
  };

  // Who is who, as the document may name them.
  const units = await repo.leaderUnits(
    db,
    ctx.countyId,
    leaders.map((p) => p.helper_member_id).filter((x): x is number => x !== null),
  );
  // The people helped are never named; without `names`, nor are helpers.
  const sides = await repo.orgPlaces(db, ctx.countyId, [
    ...new Set(rows.flatMap((r) => [r.helper_org_id, r.helped_org_id])),
  ]);
  const shortName = (id: number, fallback: string | null) => {
    const o = sides.get(id);
    return o ? (o.short_name ?? o.name) : (fallback ?? '');
  };
  const people = rows
    .flatMap((r) => [r.helped_member_name, r.helped_household_head, names ? null : r.helper_member_name])
    .filter((n): n is string => !!n);
  const subject = (r: pairingsRepo.PairingRow) =>
    describe(
      r,
      names,
      units,
      shortName(r.helper_org_id, r.helper_org_name),
      shortName(r.helped_org_id, r.helped_org_name),
    );

  // Good practice: the pairings whose records hold the most outcomes in the half.
  const practice = rows
    .map((r) => {
      const vs = visitsOfPairing.get(r.id) ?? [];
      const outcomes = emptyOutcomes();
      let records = 0;
      for (const v of vs)
        for (const o of outcomesByVisit.get(v) ?? []) {
          records++;
          addOutcome(outcomes, o.unit, o.amount);
        }
      const kinds = new Map<string, number>();
      for (const v of vs) {
        const k = visitKind.get(v) as VisitKind;
        kinds.set(k, (kinds.get(k) ?? 0) + 1);
      }
      return { r, vs, outcomes, records, kinds };
    })
    .filter((x) => {
      // A pairing behind pace is not held up as an example.
      const level = compliance.get(x.r.id)?.level;
      return x.records > 0 && level !== 'behind_pace' && level !== 'short';
    })
    .sort(
      (a, b) =>
        b.records - a.records ||
        b.outcomes.yuan - a.outcomes.yuan ||
        b.vs.length - a.vs.length ||
        a.r.id - b.r.id,
    )
    .slice(0, PRACTICE_COUNT)
    .map(
      (x): PracticeItem => ({
        pairingId: x.r.id,
        subject: subject(x.r),
        kindLabel: pairingKind(x.r.kind)?.zh ?? x.r.kind,
        visits: x.vs.length,
        byKind: [...x.kinds.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([k, count]) => ({ label: visitKindLabel(k), count })),
        outcomes: x.outcomes,
        outcomeRecords: x.records,
      }),
    );

  // Problems: pairings behind pace or short at the half's end, by township; then open rectifications.
  const severity = { short: 0, behind_pace: 1, not_started: 2, on_track: 3 } as const;
  const laggards = rows
    .flatMap((r) => {
      const c = compliance.get(r.id);
      if (!c?.active || !c.hasQuota || (c.level !== 'behind_pace' && c.level !== 'short')) return [];
      return [{ r, c }];
    })
    .sort(
      (a, b) =>
        byTownship.findIndex((t) => t.orgId === pairingTownship(a.r)) -
          byTownship.findIndex((t) => t.orgId === pairingTownship(b.r)) ||
        severity[a.c.level] - severity[b.c.level] ||
        a.r.id - b.r.id,
    )
    .slice(0, LAGGARD_LIMIT)
    .map(
      ({ r, c }): LaggardItem => ({
        pairingId: r.id,
        township: townshipName(pairingTownship(r)),
        text: subject(r),
        level: c.level,
        expected: c.level === 'short' ? c.required : c.expectedByNow,
        done: c.done,
        endedOn: r.ended_on !== null && r.ended_on <= to ? r.ended_on : null,
      }),
    );
  const laggardCount = overall.behind_pace + overall.short;

  const [checksInHalf, rectifications] = await Promise.all([
    repo.checksIn(db, ctx.countyId, org.path, ids, from, to),
    repo.rectificationsUpTo(db, ctx.countyId, org.path, ids, to),
  ]);
  const closedBy = (r: repo.RectificationRow, day: string) =>
    r.status === 'closed' && r.closed_on !== null && r.closed_on <= day;
  const found = rectifications.filter((r) => r.checked_on >= from);
  const open = rectifications.filter((r) => !closedBy(r, to));
  const hidden = names
    ? people
    : [...people, ...rectifications.flatMap((r) => (r.owner_name ? [r.owner_name] : []))];
  const mask = (text: string) => maskText(text, hidden);
  const inspections = {
    checks: checksInHalf.length,
    problems: found.length,
    closedInTime: found.filter((r) => closedBy(r, to) && r.closed_on! <= r.due_on).length,
    open: open.length,
    overdue: open.filter((r) => r.due_on < to).length,
    // Named: the problems still open past their due date, by owner (the others are on schedule).
    items: open
      .filter((r) => r.due_on < to)
      .slice(0, LAGGARD_LIMIT)
      .map(
        (r): RectificationItem => ({
          owner: r.owner_org_name ?? r.inspected_org_name ?? '',
          problem: mask(r.problem),
          dueOn: r.due_on,
          overdue: true,
          ownerName: names ? r.owner_name : null,
        }),
      ),
  };

  return {
    countyName,
    issuer: `中共${countyName}委组织部`,
    scope: {
      orgId: org.id,
      name: org.short_name ?? org.name,
      isCounty,
      short: isCounty ? '全县' : (org.short_name ?? org.name),
    },
    year: q.year,
    half: q.half,
    from,
    to,
    halfEnd,
    issuedOn: q.issuedOn ?? today,
    names,
    headline,
    activity,
    compliance: overall,
    tasks,
    byKind,
    byTownship,
    total,
    practice,
    laggards: laggardCount > 0 ? laggards : [],
    inspections,
  };
}

const visitKindLabel = (k: string) => {
  const labels: Record<string, string> = {
    on_site_work: '到点工作',
    meet_family: '结对认亲',
    collective_day: '集体活动日',
    cross_learning: '交叉学习',
    joint_meeting: '季度联席会',
    mutual_inspection: '党建互检',
    daily_help: '日常互助',
    four_visits: '“四访”',
    training: '培训',
    donation: '捐赠',
    project: '项目建设',
    survey: '调研',
    other: '其他活动',
  };
  return labels[k] ?? k;
};

/**
 * Who helps whom, as a bulletin names it. Organisations always; a leader or a helping member by
 * name only when the county asks for names; never the person or household helped.
 */
function describe(
  r: pairingsRepo.PairingRow,
  names: boolean,
  units: Map<number, string>,
  helperOrg: string,
  helpedOrg: string,
): string {
  switch (r.kind) {
    case 'leader_contact': {
      const unit = (r.helper_member_id !== null && units.get(r.helper_member_id)) || helperOrg;
      const rank = labelOf(LEADER_RANKS, r.helper_leader_rank);
      if (names && r.helper_member_name) return `${unit}${r.helper_member_name}同志联系${helpedOrg}`;
      return `${unit}${rank === '其他' ? '' : rank}联点领导联系${helpedOrg}`;
    }
    case 'branch_cobuild':
      return `${helperOrg}与${helpedOrg}`;
    case 'member_assist':
    case 'household_link': {
      const whom = r.helped_household_id !== null ? '困难户' : '困难党员';
      if (names && r.helper_member_name) return `${helperOrg}党员${r.helper_member_name}同志结对帮扶${whom}`;
      return `${helperOrg}党员结对帮扶${helpedOrg === helperOrg ? '' : helpedOrg}${whom}`;
    }
    default:
      return `${helperOrg}帮扶${helpedOrg}`;
  }
}
