import {
  BRANCH_KINDS,
  type HouseholdCategory,
  type LeaderRank,
  labelOf,
  NEEDY_HOUSEHOLD_CATEGORIES,
  type OrgKind,
} from '../../domain/codes.ts';
import {
  assessPairing,
  COMPLIANCE_LEVELS,
  type ComplianceResult,
  countByLevel,
  nextVisitDue,
  obligationStatus,
} from '../../domain/compliance.ts';
import { todayIso } from '../../domain/dates.ts';
import {
  type CountyQuotaOverrides,
  checkPairingShape,
  checkQuotaRule,
  effectiveRule,
  FIVE_SYSTEMS,
  isValidOutcome,
  isValidVisitSubKind,
  OUTCOME_UNITS,
  type OutcomeUnit,
  type PairingKindCode,
  pairingKind,
  type QuotaOverride,
  type QuotaRule,
  type SideType,
  type SystemCode,
  VISIT_KINDS,
  type VisitKind,
  visitKindsFor,
} from '../../domain/pairings.ts';
import { AppError, fieldError, invalid, notFound, unknownRef } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { type ServiceContext, withTransaction } from '../context.ts';
import { findOrg, findRootOrg } from '../orgs/repository.ts';
import { findPlaceInReach } from '../places/repository.ts';
import * as repo from './repository.ts';
import type { CreatePairingInput, CreateVisitInput, PairingListQuery, UpdateVisitInput } from './schemas.ts';

/** Edits to a visit after this many days need staff rights (and, like every edit, are audited). */
export const VISIT_EDIT_DAYS = 30;

const pad = (n: number) => String(n).padStart(2, '0');
const thisYear = () => Number(todayIso().slice(0, 4));

async function overrides(ctx: ServiceContext): Promise<CountyQuotaOverrides> {
  const rows = await repo.quotaOverrides(ctx.db, ctx.countyId);
  return Object.fromEntries(rows.map((r) => [r.kind, r.rule as QuotaOverride]));
}

type Counts = Awaited<ReturnType<typeof repo.monthCounts>>;
/** Counts grouped by pairing once per list (filtering per pairing was quadratic: ~2 s for 10 k pairings). */
const grouped = new WeakMap<Counts, Map<number, Counts>>();
function countsByPairing(counts: Counts): Map<number, Counts> {
  let map = grouped.get(counts);
  if (!map) {
    map = new Map();
    for (const c of counts) map.set(c.pairing_id, [...(map.get(c.pairing_id) ?? []), c]);
    grouped.set(counts, map);
  }
  return map;
}

function assess(
  row: repo.PairingRow,
  counts: Awaited<ReturnType<typeof repo.monthCounts>>,
  rules: CountyQuotaOverrides,
  year: number,
  asOf: string,
) {
  const kind = pairingKind(row.kind);
  if (!kind) return null;
  const endedOn = row.ended_on ?? `${row.year_to}-12-31`;
  return assessPairing({
    pairing: {
      id: row.id,
      leaderRank: row.helper_leader_rank as LeaderRank | null,
      startedOn: row.started_on,
      endedOn,
    },
    rule: effectiveRule(kind.code, rules),
    monthCounts: (countsByPairing(counts).get(row.id) ?? []).map((c) => ({
      month: `${year}-${pad(c.month)}`,
      count: c.visits,
      kind: c.kind as VisitKind,
    })),
    year,
    asOf,
  });
}

const presentCompliance = (c: ComplianceResult | null) =>
  c && {
    year: c.year,
    asOf: c.asOf,
    active: c.active,
    hasQuota: c.hasQuota,
    requiredFullYear: c.requiredFullYear,
    required: c.required,
    done: c.done,
    expectedByNow: c.expectedByNow,
    onPace: c.onPace,
    shortfall: c.shortfall,
    level: c.level,
    levelLabel: labelOf(COMPLIANCE_LEVELS, c.level),
    nextDueOn: nextVisitDue(c),
  };

export function presentPairing(p: repo.PairingRow, compliance: ComplianceResult | null) {
  return {
    id: p.id,
    kind: p.kind,
    kindLabel: pairingKind(p.kind)?.zh ?? p.kind,
    formation: p.formation,
    yearFrom: p.year_from,
    yearTo: p.year_to,
    startedOn: p.started_on,
    endedOn: p.ended_on,
    title: p.title,
    helper: {
      memberId: p.helper_member_id,
      name: p.helper_member_name ?? p.helper_org_name,
      leaderRank: p.helper_leader_rank,
      orgId: p.helper_org_id,
      orgName: p.helper_org_name,
    },
    helped: {
      orgId: p.helped_org_id,
      orgName: p.helped_org_name,
      memberId: p.helped_member_id,
      householdId: p.helped_household_id,
      placeId: p.helped_place_id,
      name: p.helped_member_name ?? p.helped_household_head ?? p.helped_org_name,
    },
    responsibleMemberId: p.responsible_member_id,
    obligations: p.obligations,
    compliance: presentCompliance(compliance),
  };
}

/** Pairings in scope for a year, each with its compliance; a member sees only their own. */
async function assessedPairings(
  ctx: ServiceContext,
  q: { year: number; kind?: string; underPath?: string; asOf: string; mine?: boolean },
) {
  const actor = ctx.actor;
  const rows = await repo.listPairings(ctx.db, ctx.countyId, {
    year: q.year,
    kind: q.kind,
    underPath: q.underPath,
    ...(q.mine && {
      helping: actor
        ? {
            memberId: actor.memberId,
            // A branch secretary carries out the pairings of their branch, on either side.
            ...(actor.role === 'branch_secretary' && { orgId: actor.orgId }),
          }
        : { memberId: -1 },
    }),
    ...(ctx.scope === 'own' && { memberId: ctx.actor?.memberId ?? -1 }),
  });
  const [counts, rules] = await Promise.all([
    repo.monthCounts(
      ctx.db,
      ctx.countyId,
      q.year,
      rows.map((r) => r.id),
    ),
    overrides(ctx),
  ]);
  return rows.map((row) => ({ row, compliance: assess(row, counts, rules, q.year, q.asOf) }));
}

async function pathOf(ctx: ServiceContext, orgId: number | undefined) {
  if (orgId === undefined) return undefined;
  const org = await findOrg(ctx.db, ctx.countyId, orgId);
  if (!org) throw notFound('组织', 'Organisation');
  return org.path;
}

export async function listPairings(ctx: ServiceContext, q: PairingListQuery) {
  const year = q.year ?? thisYear();
  const all = await assessedPairings(ctx, {
    year,
    kind: q.kind,
    underPath: await pathOf(ctx, q.under),
    asOf: q.asOf ?? todayIso(),
    mine: q.mine,
  });
  const filtered = q.level ? all.filter((p) => p.compliance?.active && p.compliance.level === q.level) : all;
  const page = filtered.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  return {
    items: page.map((p) => presentPairing(p.row, p.compliance)),
    total: filtered.length,
    page: q.page,
    pageSize: q.pageSize,
  };
}

function checkOwn(ctx: ServiceContext, p: repo.PairingRow) {
  const me = ctx.actor?.memberId;
  if (
    ctx.scope === 'own' &&
    (me == null || ![p.helper_member_id, p.helped_member_id, p.responsible_member_id].includes(me))
  ) {
    throw notFound('结对', 'Pairing');
  }
}

export async function requirePairing(ctx: ServiceContext, id: number) {
  const p = await repo.findPairing(ctx.db, ctx.countyId, id);
  if (!p) throw notFound('结对', 'Pairing');
  checkOwn(ctx, p);
  return p;
}

export async function getPairing(ctx: ServiceContext, id: number, year = thisYear(), asOf = todayIso()) {
  const p = await requirePairing(ctx, id);
  const [counts, rules, visits] = await Promise.all([
    repo.monthCounts(ctx.db, ctx.countyId, year, [id]),
    overrides(ctx),
    repo.visitsOfPairing(ctx.db, ctx.countyId, id),
  ]);
  // The five standing systems the pairing carries, each on its schedule: a missed period shows.
  const obligations = (p.obligations as SystemCode[]).map((system) => {
    const s = obligationStatus(
      system,
      year,
      asOf,
      visits.filter((v) => v.kind === system).map((v) => v.visited_on),
      { startedOn: p.started_on, endedOn: p.ended_on ?? `${p.year_to}-12-31` },
    );
    return {
      system,
      label: labelOf(FIVE_SYSTEMS, system),
      events: s.events,
      owed: s.owed,
      done: s.done,
      dueByNow: s.dueByNow,
      missed: s.missed,
      ok: s.ok,
    };
  });
  return {
    ...presentPairing(p, assess(p, counts, rules, year, asOf)),
    obligationStatus: obligations,
    visits: visits.map(presentVisit),
  };
}

export function presentVisit(v: Awaited<ReturnType<typeof repo.visitsOfPairing>>[number]) {
  return {
    id: v.id,
    visitedOn: v.visited_on,
    kind: v.kind,
    kindLabel: labelOf(VISIT_KINDS, v.kind),
    subKind: v.sub_kind,
    content: v.content,
    problemsFound: v.problems_found,
    problemsSolved: v.problems_solved,
    // Its author's side corrects it until this day; staff at any time (updateVisit decides).
    correctableUntil: todayIso(new Date(new Date(v.created_at).getTime() + VISIT_EDIT_DAYS * 86_400_000)),
    pairingIds: v.pairingIds,
    participants: v.participants.map((p) => ({ id: p.id, name: p.name })),
    outcomes: v.outcomes.map((o) => ({
      unit: o.unit,
      unitLabel: labelOf(OUTCOME_UNITS, o.unit),
      amount: Number(o.amount),
      note: o.note,
    })),
  };
}

// Creating a pairing ---------------------------------------------------------------------------

const SIDE_ZH: Record<string, string> = {
  helperType: '帮扶方',
  helpedType: '被帮扶方',
  cardinality: '结对方式',
  formation: '结对形式',
};

/** Resolves both sides to their organisations and checks the pairing fits its kind. */
export async function createPairing(ctx: ServiceContext, input: CreatePairingInput) {
  const kind = pairingKind(input.kind)!;
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    let helperType: SideType;
    let helperOrgId: number;
    let helperName: string;
    if (input.helper.memberId !== undefined) {
      const m = await repo.findMemberBrief(db, ctx.countyId, input.helper.memberId);
      if (!m?.is_party_member)
        throw invalid(
          'helper.memberId',
          '帮扶党员不存在或不在管理范围内',
          'the helping member does not exist or is out of scope',
        );
      helperType = m.leader_rank && kind.helper.includes('leader') ? 'leader' : 'member';
      if (kind.helper[0] === 'leader' && !m.leader_rank) {
        throw invalid(
          'helper.memberId',
          `${m.name}不是县级或科级领导干部`,
          `${m.name} is not a county- or section-level leader`,
        );
      }
      helperOrgId = m.org_id;
      helperName = m.name;
    } else if (input.helper.orgId !== undefined) {
      const o = await findOrg(db, ctx.countyId, input.helper.orgId);
      if (!o)
        throw invalid(
          'helper.orgId',
          '帮扶组织不存在或不在管理范围内',
          'the helping organisation does not exist or is out of scope',
        );
      helperType = kind.helper.find((t) => ['org', 'unit', 'team'].includes(t)) ?? 'org';
      helperOrgId = o.id;
      helperName = o.short_name ?? o.name;
    } else {
      throw invalid('helper', '请指定帮扶方（党员或组织）', 'give the helper: a member or an organisation');
    }

    let helpedType: SideType;
    let helpedOrgId: number;
    let helpedName: string;
    const h = input.helped;
    if (h.memberId !== undefined) {
      const m = await repo.findMemberBrief(db, ctx.countyId, h.memberId);
      if (!m)
        throw invalid(
          'helped.memberId',
          '被帮扶党员不存在或不在管理范围内',
          'the member helped does not exist or is out of scope',
        );
      if (kind.code === 'member_assist' && !m.is_needy)
        throw invalid(
          'helped.memberId',
          `${m.name}未登记为困难党员`,
          `${m.name} is not registered as a needy member`,
        );
      helpedType = 'member';
      helpedOrgId = m.org_id;
      helpedName = m.name;
    } else if (h.householdId !== undefined) {
      const hh = await repo.findHouseholdBrief(db, ctx.countyId, h.householdId);
      if (!hh)
        throw invalid(
          'helped.householdId',
          '农户不存在或不在管理范围内',
          'the household does not exist or is out of scope',
        );
      if (
        kind.code === 'member_assist' &&
        !NEEDY_HOUSEHOLD_CATEGORIES.includes(hh.category as HouseholdCategory)
      ) {
        throw invalid(
          'helped.householdId',
          `${hh.head_name}户不是困难户`,
          'the household is not a needy one',
        );
      }
      helpedType = 'household';
      helpedOrgId = hh.org_id;
      helpedName = `${hh.head_name}户`;
    } else if (h.orgId !== undefined) {
      const o = await findOrg(db, ctx.countyId, h.orgId);
      if (!o)
        throw invalid(
          'helped.orgId',
          '被帮扶组织不存在或不在管理范围内',
          'the organisation helped does not exist or is out of scope',
        );
      helpedType = kind.helped.includes('org') ? 'org' : (kind.helped[0] ?? 'org');
      if (kind.code === 'leader_contact' && !BRANCH_KINDS.includes(o.kind as OrgKind)) {
        throw invalid('helped.orgId', '领导联点应联系一个党支部', 'a contact point is a party branch');
      }
      helpedOrgId = o.id;
      helpedName = o.short_name ?? o.name;
    } else {
      throw invalid(
        'helped',
        '请指定被帮扶方（组织、党员或农户）',
        'give the helped side: an organisation, a member or a household',
      );
    }
    // The pairing's other references are read through the user's transaction like its sides: a
    // place within the user's geography, a responsible member within the subtree.
    if (h.placeId !== undefined && !(await findPlaceInReach(db, ctx.countyId, h.placeId))) {
      throw unknownRef('helped.placeId', '地点', 'the place');
    }
    if (
      input.responsibleMemberId !== undefined &&
      !(await repo.findMemberBrief(db, ctx.countyId, input.responsibleMemberId))
    ) {
      throw unknownRef('responsibleMemberId', '负责人', 'the responsible member');
    }
    if (helperOrgId === helpedOrgId && input.helper.orgId !== undefined) {
      throw invalid(
        'helped',
        '帮扶方和被帮扶方不能是同一组织',
        'the two sides cannot be the same organisation',
      );
    }
    const shapeProblems = checkPairingShape(kind, {
      helperType,
      helpedType,
      cardinality: kind.cardinality[0]!,
      formation: input.formation ?? kind.formations[0]!,
    });
    if (shapeProblems.length) {
      const f = shapeProblems[0]!;
      throw invalid(
        f,
        `${SIDE_ZH[f] ?? f}不符合“${kind.zh}”的要求`,
        `the ${f} does not fit a ${kind.en} pairing`,
      );
    }
    const yearTo = input.yearTo ?? input.yearFrom;
    if (yearTo < input.yearFrom) throw invalid('yearTo', '结束年度早于开始年度', 'yearTo precedes yearFrom');
    const startedOn = input.startedOn ?? `${input.yearFrom}-01-01`;
    if (Number(startedOn.slice(0, 4)) < input.yearFrom || Number(startedOn.slice(0, 4)) > yearTo) {
      throw invalid('startedOn', '开始日期不在结对年度内', 'startedOn lies outside the pairing’s years');
    }
    if (input.endedOn && input.endedOn < startedOn)
      throw invalid('endedOn', '结束日期早于开始日期', 'endedOn precedes startedOn');

    const id = await repo.insertPairing(db, {
      county_id: ctx.countyId,
      kind: kind.code,
      formation: input.formation ?? kind.formations[0]!,
      year_from: input.yearFrom,
      year_to: yearTo,
      started_on: startedOn,
      ended_on: input.endedOn ?? null,
      helper_member_id: input.helper.memberId ?? null,
      helper_org_id: helperOrgId,
      helped_org_id: helpedOrgId,
      helped_member_id: h.memberId ?? null,
      helped_household_id: h.householdId ?? null,
      helped_place_id: h.placeId ?? null,
      responsible_member_id: input.responsibleMemberId ?? input.helper.memberId ?? null,
      obligations: input.obligations ?? [...(kind.obligations ?? [])],
      title: input.title ?? `${helperName}${kind.code === 'leader_contact' ? '联系' : '帮扶'}${helpedName}`,
    });
    await recordAudit(c, {
      action: 'pairing.create',
      targetType: 'pairing',
      targetId: id,
      details: { kind: kind.code },
    });
    return getPairing(c, id, input.yearFrom);
  });
}

// Visits -------------------------------------------------------------------------------------

/** Who may log a visit for a pairing: its helper, the responsible member, staff above its helper. */
export function mayLog(ctx: ServiceContext, p: repo.PairingRow, helperVisible: boolean): boolean {
  const me = ctx.actor?.memberId;
  if (me != null && (p.helper_member_id === me || p.responsible_member_id === me)) return true;
  if (ctx.scope !== 'subtree') return false;
  // A secretary or staff whose subtree holds the helper's organisation; county staff for all.
  return helperVisible || ctx.actor?.role === 'county_admin' || ctx.actor?.role === 'committee_staff';
}

function checkOutcomes(outcomes: { unit: string; amount: number }[]) {
  outcomes.forEach((o, i) => {
    if (!isValidOutcome(o.unit as OutcomeUnit, o.amount)) {
      throw fieldError([
        {
          field: `outcomes.${i}.amount`,
          message: `成果数值不合规（${labelOf(OUTCOME_UNITS, o.unit)}）/ the amount does not fit its unit`,
        },
      ]);
    }
  });
}

/** A visit's kind must be one the pairing's kind records (a household's helper holds no 联席会). */
function checkVisitKind(p: { kind: string; title: string }, kind: VisitKind) {
  if (visitKindsFor(p.kind).includes(kind)) return;
  const label = labelOf(VISIT_KINDS, kind);
  const pk = pairingKind(p.kind);
  throw invalid(
    'kind',
    `“${label}”不适用于${pk?.zh ?? p.kind}结对“${p.title}”`,
    `a "${VISIT_KINDS.find((v) => v.code === kind)?.en ?? kind}" is not recorded for a ${pk?.en ?? p.kind} pairing`,
  );
}

export async function createVisit(ctx: ServiceContext, input: CreateVisitInput) {
  const today = todayIso();
  if (input.visitedOn > today)
    throw invalid('visitedOn', '活动日期不能晚于今天', 'a visit cannot be dated in the future');
  if (!isValidVisitSubKind(input.kind, input.subKind))
    throw invalid('subKind', '活动细类不符合活动类型', 'the sub-kind does not fit the kind');
  checkOutcomes(input.outcomes ?? []);
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    const pairingIds = [...new Set(input.pairingIds)];
    if (input.clientRef && ctx.actor) {
      // Sent again from a phone draft: answer with what was saved the first time.
      const saved = await repo.findVisitByClientRef(db, ctx.countyId, ctx.actor.userId, input.clientRef);
      if (saved !== undefined) {
        const linked = await repo.visitPairingIds(db, ctx.countyId, saved);
        const visits = await repo.visitsOfPairing(db, ctx.countyId, linked[0] ?? pairingIds[0]!);
        const v = visits.find((x) => x.id === saved);
        if (v) return presentVisit(v);
      }
    }
    const participantIds = [...new Set(input.participantIds ?? [])];
    if (participantIds.length) {
      // Participants are members the user sees; the rest answer like ids that do not exist.
      const seen = new Set(await repo.memberIdsSeen(db, ctx.countyId, participantIds));
      if (participantIds.some((m) => !seen.has(m)))
        throw unknownRef('participantIds', '参加活动的党员', 'a participating member');
    }
    for (const pid of pairingIds) {
      const p = await requirePairing(c, pid);
      const helperVisible = (await findOrg(db, ctx.countyId, p.helper_org_id)) !== undefined;
      if (!mayLog(c, p, helperVisible)) {
        throw new AppError(
          403,
          'forbidden',
          `无权为“${p.title}”登记活动`,
          `you may not log visits for "${p.title}"`,
          'pairingIds',
        );
      }
      checkVisitKind(p, input.kind);
      const end = p.ended_on ?? `${p.year_to}-12-31`;
      if (input.visitedOn < p.started_on || input.visitedOn > end) {
        throw invalid(
          'visitedOn',
          `活动日期不在“${p.title}”的结对期内（${p.started_on}至${end}）`,
          `the date lies outside the pairing's span ${p.started_on}–${end}`,
        );
      }
    }
    const id = await repo.insertVisit(
      db,
      ctx.countyId,
      {
        visited_on: input.visitedOn,
        kind: input.kind,
        sub_kind: input.subKind ?? null,
        content: input.content,
        problems_found: input.problemsFound ?? null,
        problems_solved: input.problemsSolved ?? null,
        created_by: ctx.actor?.userId ?? null,
        client_ref: input.clientRef ?? null,
      },
      pairingIds,
      participantIds,
      (input.outcomes ?? []).map((o) => ({ unit: o.unit, amount: o.amount, note: o.note ?? null })),
    );
    await recordAudit(c, {
      action: 'visit.create',
      targetType: 'visit',
      targetId: id,
      details: { pairingIds },
    });
    const visits = await repo.visitsOfPairing(db, ctx.countyId, pairingIds[0]!);
    return presentVisit(visits.find((v) => v.id === id)!);
  });
}

/** Edits a visit; after 30 days only staff may, and the date stays within the pairings' spans. */
export async function updateVisit(ctx: ServiceContext, id: number, input: UpdateVisitInput) {
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    const v = await repo.findVisit(db, ctx.countyId, id);
    if (!v) throw notFound('活动记录', 'Visit');
    const pairingIds = await repo.visitPairingIds(db, ctx.countyId, id);
    const days = Math.floor((Date.now() - new Date(v.created_at as Date).getTime()) / 86400000);
    const staff = ctx.actor?.role === 'county_admin' || ctx.actor?.role === 'committee_staff';
    if (days > VISIT_EDIT_DAYS && !staff) {
      throw new AppError(
        403,
        'too_old',
        `登记超过${VISIT_EDIT_DAYS}天的活动记录须由党(工)委或组织部修改`,
        `visits older than ${VISIT_EDIT_DAYS} days are edited by staff only`,
      );
    }
    for (const pid of pairingIds) {
      const p = await requirePairing(c, pid);
      const helperVisible = (await findOrg(db, ctx.countyId, p.helper_org_id)) !== undefined;
      if (!mayLog(c, p, helperVisible))
        throw new AppError(403, 'forbidden', '无权修改该活动记录', 'you may not edit this visit');
      const end = p.ended_on ?? `${p.year_to}-12-31`;
      const on = input.visitedOn ?? v.visited_on;
      if (on > todayIso())
        throw invalid('visitedOn', '活动日期不能晚于今天', 'a visit cannot be dated in the future');
      if (on < p.started_on || on > end)
        throw invalid('visitedOn', '活动日期不在结对期内', 'the date lies outside the pairing’s span');
    }
    const kind = (input.kind ?? v.kind) as VisitKind;
    if (input.kind !== undefined) {
      for (const pid of pairingIds) checkVisitKind(await requirePairing(c, pid), kind);
    }
    const subKind = input.subKind !== undefined ? input.subKind : v.sub_kind;
    if (!isValidVisitSubKind(kind, subKind))
      throw invalid('subKind', '活动细类不符合活动类型', 'the sub-kind does not fit the kind');
    if (input.outcomes) checkOutcomes(input.outcomes);
    await repo.updateVisitRow(db, ctx.countyId, id, {
      ...(input.visitedOn !== undefined && { visited_on: input.visitedOn }),
      ...(input.kind !== undefined && { kind: input.kind }),
      ...(input.subKind !== undefined && { sub_kind: input.subKind }),
      ...(input.content !== undefined && { content: input.content }),
      ...(input.problemsFound !== undefined && { problems_found: input.problemsFound }),
      ...(input.problemsSolved !== undefined && { problems_solved: input.problemsSolved }),
    });
    if (input.outcomes) {
      await repo.replaceOutcomes(
        db,
        ctx.countyId,
        id,
        input.outcomes.map((o) => ({ unit: o.unit, amount: o.amount, note: o.note ?? null })),
      );
    }
    await recordAudit(c, {
      action: 'visit.update',
      targetType: 'visit',
      targetId: id,
      details: { fields: Object.keys(input), ageDays: days },
    });
    const visits = await repo.visitsOfPairing(db, ctx.countyId, pairingIds[0]!);
    return presentVisit(visits.find((x) => x.id === id)!);
  });
}

// The county's picture -------------------------------------------------------------------------

/**
 * The seed report's headline for a subtree and year, and compliance by level, kind and township:
 * "N 名党员领导干部参与“领导联点”，联系农村党支部 a 个，企业党支部 b 个；c 个党支部参与“支部联建”；
 * d 名党员参与“党员联帮”，帮扶农村和企业困难党员 e 名，农村和社区困难户 f 户".
 */
export async function summary(ctx: ServiceContext, q: { year?: number; org?: number; asOf?: string }) {
  const year = q.year ?? thisYear();
  const asOf = q.asOf ?? (year < thisYear() ? `${year}-12-31` : todayIso());
  const start = q.org ?? ctx.actor?.orgId;
  const org =
    start === undefined
      ? await findRootOrg(ctx.db, ctx.countyId)
      : await findOrg(ctx.db, ctx.countyId, start);
  if (!org) throw notFound('组织', 'Organisation');
  const all = await assessedPairings(ctx, { year, underPath: org.path, asOf });
  const of = (k: PairingKindCode) => all.filter((p) => p.row.kind === k).map((p) => p.row);
  const distinct = <T>(xs: T[]) => new Set(xs.filter((x) => x !== null && x !== undefined)).size;
  const leaders = of('leader_contact');
  const cobuild = of('branch_cobuild');
  const assist = of('member_assist');
  const enterprise = ['state_enterprise', 'private_enterprise'];
  const figures = {
    leaders: distinct(leaders.map((p) => p.helper_member_id)),
    leaderRuralBranches: distinct(
      leaders.filter((p) => p.helped_org_sector === 'rural').map((p) => p.helped_org_id),
    ),
    leaderEnterpriseBranches: distinct(
      leaders.filter((p) => enterprise.includes(p.helped_org_sector ?? '')).map((p) => p.helped_org_id),
    ),
    cobuildBranches: distinct(cobuild.flatMap((p) => [p.helper_org_id, p.helped_org_id])),
    assistMembers: distinct(assist.map((p) => p.helper_member_id)),
    assistedNeedyMembers: distinct(assist.map((p) => p.helped_member_id)),
    assistedNeedyHouseholds: distinct(assist.map((p) => p.helped_household_id)),
  };
  const f = figures;
  const headline =
    `${f.leaders}名党员领导干部参与“领导联点”，联系农村党支部${f.leaderRuralBranches}个，企业党支部${f.leaderEnterpriseBranches}个；` +
    `${f.cobuildBranches}个党支部参与“支部联建”；${f.assistMembers}名党员参与“党员联帮”，` +
    `帮扶农村和企业困难党员${f.assistedNeedyMembers}名，农村和社区困难户${f.assistedNeedyHouseholds}户`;

  const results = all.flatMap((p) => (p.compliance ? [{ ...p.compliance, row: p.row }] : []));
  const kinds = [...new Set(results.map((r) => r.row.kind))];
  const townships = new Map<number | null, typeof results>();
  for (const r of results) {
    const key = r.row.helped_township_id;
    townships.set(key, [...(townships.get(key) ?? []), r]);
  }
  const names = new Map(
    (
      await repo.townshipNames(
        ctx.db,
        ctx.countyId,
        [...townships.keys()].filter((id): id is number => id !== null),
      )
    ).map((r) => [r.id, r]),
  );
  const severity = { short: 0, behind_pace: 1, not_started: 2, on_track: 3 } as const;
  return {
    year,
    asOf,
    org: { id: org.id, name: org.name },
    headline,
    ...figures,
    compliance: countByLevel(results),
    byKind: kinds.map((k) => ({
      kind: k,
      kindLabel: pairingKind(k)?.zh ?? k,
      levels: countByLevel(results.filter((r) => r.row.kind === k)),
    })),
    byTownship: [...townships.entries()].map(([id, rs]) => ({
      orgId: id,
      name: id === null ? '县直' : (names.get(id)?.name ?? '—'),
      // Whether the user may narrow the summary to it (GET …?org=id): only a township in their subtree.
      inScope: id !== null && !!names.get(id)?.in_scope,
      levels: countByLevel(rs),
    })),
    laggards: results
      .filter((r) => r.active && r.hasQuota && (r.level === 'short' || r.level === 'behind_pace'))
      .sort((a, b) => severity[a.level] - severity[b.level] || b.shortfall - a.shortfall)
      .slice(0, 50)
      .map((r) => ({
        id: r.row.id,
        title: r.row.title,
        kindLabel: pairingKind(r.row.kind)?.zh ?? r.row.kind,
        level: r.level,
        done: r.done,
        required: r.required,
        shortfall: r.shortfall,
      })),
  };
}

/** Replaces a kind's quota rule with a whole one (the route's schema requires every field). */
export async function setQuotaRule(ctx: ServiceContext, kind: PairingKindCode, rule: QuotaRule) {
  const problems = checkQuotaRule(rule);
  if (problems.length) throw fieldError(problems);
  await withTransaction(ctx.db, async (db) => {
    await repo.upsertQuotaRule(db, {
      county_id: ctx.countyId,
      kind,
      rule: JSON.stringify(rule),
      updated_by: ctx.actor?.userId ?? null,
    });
    await recordAudit(
      { ...ctx, db },
      { action: 'rules.quota', targetType: 'pairing_kind', targetId: kind, details: { rule } },
    );
  });
  return effectiveRule(kind, { [kind]: rule });
}
