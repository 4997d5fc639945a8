import { labelOf } from '../../domain/codes.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { type Actor, type ServiceContext, withTransaction } from '../context.ts';
import { findOrg, findRootOrg } from '../orgs/repository.ts';
import { countyToday } from '../plans/clock.ts';
import { displayName } from '../plans/repository.ts';
import { presentCheck, presentRectification, presentRound } from './presenter.ts';
import * as repo from './repository.ts';
import {
  type CheckListQuery,
  type CloseInput,
  CONCLUSIONS,
  type CompleteCheckInput,
  type CreateRoundInput,
  type ProblemInput,
  type RecordCheckInput,
  type RectificationListQuery,
  type RoundListQuery,
} from './schemas.ts';

/**
 * 督查 [000 "季度检查"]: the county or a township committee plans a quarter's check round (which
 * pairings or organisations, checked by whom), staff record each check — by phone, on site or from
 * the records — with its conclusion and findings, and every problem found becomes a rectification
 * (整改) with an owner and a due date. A rectification stays open on its owner's home page and in the
 * dashboard until it is closed with evidence (整改销号).
 */

const STAFF_ROLES = new Set(['county_admin', 'committee_staff']);

function actorOf(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new AppError(401, 'unauthenticated', '请先登录', 'please sign in');
  return ctx.actor;
}

/** The user's name as it is now, kept with what they record. */
const nameOf = async (ctx: ServiceContext, actor: Actor) =>
  (await displayName(ctx.db, ctx.countyId, actor.userId)) ?? actor.username;

async function orgPath(ctx: ServiceContext, orgId: number | undefined) {
  if (orgId === undefined) return undefined;
  const org = await findOrg(ctx.db, ctx.countyId, orgId);
  if (!org) throw notFound('组织', 'Organisation');
  return org.path;
}

const paging = (q: { page: number; pageSize: number }) => ({
  limit: q.pageSize,
  offset: (q.page - 1) * q.pageSize,
});

// Rounds ----------------------------------------------------------------------------------------

/**
 * Plans a quarter's check round over an organisation's subtree: each item a pairing (with either
 * side in the subtree) or an organisation in it, assigned to a staff account. All items or none.
 */
export async function createRound(ctx: ServiceContext, input: CreateRoundInput) {
  const actor = actorOf(ctx);
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    const org = await findOrg(db, ctx.countyId, input.orgId ?? actor.orgId);
    if (!org) {
      throw invalid('orgId', '督查范围的组织不存在或不在管理范围内', 'the organisation is not in your scope');
    }
    if (input.dueOn && Number(input.dueOn.slice(0, 4)) < input.year) {
      throw invalid('dueOn', `完成时限早于${input.year}年`, `the due date lies before ${input.year}`);
    }
    const seen = new Set<string>();
    const items: repo.NewInspection[] = [];
    for (const [i, item] of input.items.entries()) {
      const at = `items.${i}`;
      const n = i + 1;
      const target = await resolveTarget(c, item, at, `第${n}项：`, `item ${n}: `);
      if (!(await targetUnder(c, target, org.path))) {
        throw invalid(
          `${at}.${target.field}`,
          `第${n}项：${target.name}不在本轮督查范围（${org.name}）内`,
          `item ${n}: ${target.name} lies outside the round's subtree`,
        );
      }
      const key = `${target.pairingId ?? ''}/${target.pairingId === null ? target.orgId : ''}`;
      if (seen.has(key)) {
        throw invalid(`${at}.${target.field}`, `第${n}项：${target.name}重复`, `item ${n}: given twice`);
      }
      seen.add(key);
      const user = await repo.findUser(db, ctx.countyId, item.assignedTo);
      if (user?.status !== 'active' || !STAFF_ROLES.has(user.role)) {
        throw invalid(
          `${at}.assignedTo`,
          `第${n}项：负责检查的账号不存在、已停用或不是组织部门工作人员`,
          `item ${n}: the assigned account is unknown, disabled or not a staff account`,
        );
      }
      items.push({
        county_id: ctx.countyId,
        round_id: null,
        pairing_id: target.pairingId,
        org_id: target.orgId,
        status: 'planned',
        assigned_to: user.id,
        assigned_to_name: user.display_name,
        method: null,
        checked_on: null,
        checked_by: null,
        checked_by_name: null,
        conclusion: null,
        findings: null,
      });
    }
    const id = await repo.insertRound(db, {
      county_id: ctx.countyId,
      year: input.year,
      quarter: input.quarter,
      title: input.title,
      org_id: org.id,
      due_on: input.dueOn ?? null,
      created_by: actor.userId,
      created_by_name: await nameOf(c, actor),
    });
    await repo.insertInspections(
      db,
      items.map((x) => ({ ...x, round_id: id })),
    );
    await recordAudit(c, {
      action: 'inspection.round.create',
      targetType: 'inspection_round',
      targetId: id,
      details: { year: input.year, quarter: input.quarter, orgId: org.id, items: items.length },
    });
    return getRound(c, id);
  });
}

export async function listRounds(ctx: ServiceContext, q: RoundListQuery) {
  const { rows, total } = await repo.listRounds(ctx.db, ctx.countyId, countyToday(), {
    year: q.year,
    quarter: q.quarter,
    ...paging(q),
  });
  return { items: rows.map(presentRound), total, page: q.page, pageSize: q.pageSize };
}

/** A round with its progress and every item (planned or done). */
export async function getRound(ctx: ServiceContext, id: number) {
  const today = countyToday();
  const round = await repo.findRound(ctx.db, ctx.countyId, id, today);
  if (!round) throw notFound('督查轮次', 'Check round');
  const { rows } = await repo.listChecks(ctx.db, ctx.countyId, today, { roundId: id });
  return { ...presentRound(round), items: rows.map(presentCheck) };
}

// Checks ----------------------------------------------------------------------------------------

interface Target {
  pairingId: number | null;
  /** For a pairing, its helper's organisation (migration 0007). */
  orgId: number;
  /** The organisations a problem found may be owned by without being in the user's subtree. */
  sides: number[];
  name: string;
  field: 'pairingId' | 'orgId';
}

async function resolveTarget(
  ctx: ServiceContext,
  input: { pairingId?: number; orgId?: number },
  at: string,
  zhPrefix = '',
  enPrefix = '',
): Promise<Target> {
  const prefix = at ? `${at}.` : '';
  if (input.pairingId !== undefined && input.orgId !== undefined) {
    throw invalid(
      `${prefix}orgId`,
      `${zhPrefix}检查对象为结对或党组织，只能填一个`,
      `${enPrefix}check either a pairing or an organisation, not both`,
    );
  }
  if (input.pairingId !== undefined) {
    const p = await repo.findPairingSides(ctx.db, ctx.countyId, input.pairingId);
    if (!p) {
      throw invalid(
        `${prefix}pairingId`,
        `${zhPrefix}结对不存在或不在管理范围内`,
        `${enPrefix}the pairing does not exist or is out of scope`,
      );
    }
    return {
      pairingId: p.id,
      orgId: p.helper_org_id,
      sides: [p.helper_org_id, p.helped_org_id],
      name: `“${p.title}”`,
      field: 'pairingId',
    };
  }
  if (input.orgId !== undefined) {
    const o = await findOrg(ctx.db, ctx.countyId, input.orgId);
    if (!o) {
      throw invalid(
        `${prefix}orgId`,
        `${zhPrefix}党组织不存在或不在管理范围内`,
        `${enPrefix}the organisation does not exist or is out of scope`,
      );
    }
    return { pairingId: null, orgId: o.id, sides: [o.id], name: o.short_name ?? o.name, field: 'orgId' };
  }
  throw invalid(
    `${prefix}pairingId`,
    `${zhPrefix}请指定检查的结对或党组织`,
    `${enPrefix}give the pairing or the organisation to check`,
  );
}

async function targetUnder(ctx: ServiceContext, t: Target, path: string) {
  if (t.pairingId !== null) return repo.pairingUnder(ctx.db, ctx.countyId, t.pairingId, path);
  const o = await findOrg(ctx.db, ctx.countyId, t.orgId);
  return o !== undefined && (o.path === path || o.path.startsWith(`${path}.`));
}

/**
 * Checks a check's result and turns its problems into rectification rows (without the check's id):
 * the date is not in the future, the conclusion fits the problems, each problem's owner is an
 * organisation the user sees (or a side of the pairing checked), its account belongs to it, and its
 * due date does not precede the check.
 */
async function checkResult(
  ctx: ServiceContext,
  input: CompleteCheckInput,
  target: Target,
  today: string,
): Promise<Omit<repo.NewRectification, 'inspection_id'>[]> {
  if (input.checkedOn > today) {
    throw invalid('checkedOn', '检查日期不能晚于今天', 'a check cannot be dated in the future');
  }
  if (input.conclusion === 'problems' && input.problems.length === 0) {
    throw invalid(
      'problems',
      '结论为“存在问题”时，请逐条填写发现的问题及整改要求',
      'a check that found problems lists each of them',
    );
  }
  if (input.conclusion === 'good' && input.problems.length > 0) {
    throw invalid(
      'conclusion',
      `结论为“${labelOf(CONCLUSIONS, 'good')}”，却填写了需要整改的问题`,
      'a check concluded good lists no problems to rectify',
    );
  }
  const out: Omit<repo.NewRectification, 'inspection_id'>[] = [];
  for (const [i, p] of input.problems.entries()) {
    out.push(await checkProblem(ctx, p, i, input.checkedOn, target));
  }
  return out;
}

async function checkProblem(
  ctx: ServiceContext,
  p: ProblemInput,
  i: number,
  checkedOn: string,
  target: Target,
): Promise<Omit<repo.NewRectification, 'inspection_id'>> {
  const at = `problems.${i}`;
  const zh = `第${i + 1}个问题：`;
  const en = `problem ${i + 1}: `;
  if (p.dueOn < checkedOn) {
    throw invalid(`${at}.dueOn`, `${zh}整改期限早于检查日期`, `${en}the due date precedes the check`);
  }
  const owner = await findOrg(ctx.db, ctx.countyId, p.ownerOrgId);
  if (!owner && !target.sides.includes(p.ownerOrgId)) {
    throw invalid(
      `${at}.ownerOrgId`,
      `${zh}整改责任单位不存在或不在管理范围内`,
      `${en}the owner organisation does not exist or is out of scope`,
    );
  }
  let ownerName = p.ownerName || null;
  if (p.ownerUserId !== undefined) {
    const user = await repo.findUser(ctx.db, ctx.countyId, p.ownerUserId);
    const inOwner =
      user !== undefined &&
      owner !== undefined &&
      (user.org_path === owner.path || user.org_path.startsWith(`${owner.path}.`));
    if (user?.status !== 'active' || !inOwner) {
      throw invalid(
        `${at}.ownerUserId`,
        `${zh}责任人账号不存在、已停用或不属于整改责任单位`,
        `${en}the owner account is unknown, disabled or not of the owner organisation`,
      );
    }
    ownerName = user.display_name;
  }
  return {
    county_id: ctx.countyId,
    problem: p.problem,
    owner_org_id: p.ownerOrgId,
    owner_user_id: p.ownerUserId ?? null,
    owner_name: ownerName,
    due_on: p.dueOn,
  };
}

/**
 * Records a check of a pairing or an organisation, within a round or on its own, with one
 * rectification per problem found — all in one transaction.
 */
export async function recordCheck(ctx: ServiceContext, input: RecordCheckInput) {
  const actor = actorOf(ctx);
  const today = countyToday();
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    const target = await resolveTarget(c, input, '');
    if (input.roundId !== undefined) {
      const round = await repo.findRound(db, ctx.countyId, input.roundId, today);
      if (!round) {
        throw invalid(
          'roundId',
          '督查轮次不存在或不在管理范围内',
          'the round does not exist or is out of scope',
        );
      }
      // A round of a committee above the user (the county's) covers all the user sees; else the
      // target must lie in the round's subtree.
      const roundOrg = await findOrg(db, ctx.countyId, round.org_id);
      const covers = roundOrg
        ? await targetUnder(c, target, roundOrg.path)
        : actor.orgPath.split('.').includes(String(round.org_id));
      if (!covers) {
        throw invalid(
          target.field,
          `${target.name}不在该督查轮次的范围（${round.org_name ?? ''}）内`,
          "the pairing or organisation lies outside the round's subtree",
        );
      }
    }
    const problems = await checkResult(c, input, target, today);
    const [id] = await repo.insertInspections(db, [
      {
        county_id: ctx.countyId,
        round_id: input.roundId ?? null,
        pairing_id: target.pairingId,
        org_id: target.orgId,
        status: 'done',
        assigned_to: null,
        assigned_to_name: null,
        method: input.method,
        checked_on: input.checkedOn,
        checked_by: actor.userId,
        checked_by_name: await nameOf(c, actor),
        conclusion: input.conclusion,
        findings: input.findings || null,
      },
    ]);
    const rectIds = await repo.insertRectifications(
      db,
      problems.map((p) => ({ ...p, inspection_id: id! })),
    );
    await recordAudit(c, {
      action: 'inspection.record',
      targetType: 'inspection',
      targetId: id,
      details: {
        roundId: input.roundId ?? null,
        pairingId: target.pairingId,
        orgId: target.orgId,
        method: input.method,
        conclusion: input.conclusion,
        rectifications: rectIds,
      },
    });
    return getCheck(c, id!);
  });
}

/** Completes a planned item of a round with its result, as recordCheck records one. */
export async function completeCheck(ctx: ServiceContext, id: number, input: CompleteCheckInput) {
  const actor = actorOf(ctx);
  const today = countyToday();
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    const row = await repo.lockInspection(db, ctx.countyId, id);
    if (!row) throw notFound('检查', 'Check');
    if (row.status !== 'planned') {
      throw new AppError(
        409,
        'already_done',
        '该项已检查，不能重复录入',
        'this item has been checked already',
      );
    }
    let sides = [row.org_id];
    let name = '';
    if (row.pairing_id !== null) {
      const p = await repo.findPairingSides(db, ctx.countyId, row.pairing_id);
      if (p) {
        sides = [p.helper_org_id, p.helped_org_id];
        name = p.title;
      }
    }
    const target: Target = {
      pairingId: row.pairing_id,
      orgId: row.org_id,
      sides,
      name,
      field: row.pairing_id === null ? 'orgId' : 'pairingId',
    };
    const problems = await checkResult(c, input, target, today);
    await repo.completeInspection(db, ctx.countyId, id, {
      method: input.method,
      checked_on: input.checkedOn,
      checked_by: actor.userId,
      checked_by_name: await nameOf(c, actor),
      conclusion: input.conclusion,
      findings: input.findings || null,
    });
    const rectIds = await repo.insertRectifications(
      db,
      problems.map((p) => ({ ...p, inspection_id: id })),
    );
    await recordAudit(c, {
      action: 'inspection.complete',
      targetType: 'inspection',
      targetId: id,
      details: {
        roundId: row.round_id,
        method: input.method,
        conclusion: input.conclusion,
        rectifications: rectIds,
      },
    });
    return getCheck(c, id);
  });
}

export async function listChecks(ctx: ServiceContext, q: CheckListQuery) {
  if (q.from && q.to && q.from > q.to) throw invalid('to', '截止日期早于开始日期', '"to" precedes "from"');
  const { rows, total } = await repo.listChecks(
    ctx.db,
    ctx.countyId,
    countyToday(),
    {
      roundId: q.round,
      pairingId: q.pairing,
      underPath: await orgPath(ctx, q.org),
      from: q.from,
      to: q.to,
      conclusion: q.conclusion,
      status: q.status,
    },
    paging(q),
  );
  return { items: rows.map(presentCheck), total, page: q.page, pageSize: q.pageSize };
}

/** One check with its rectifications (404 when the user does not see it). */
export async function getCheck(ctx: ServiceContext, id: number) {
  const today = countyToday();
  const { rows } = await repo.listChecks(ctx.db, ctx.countyId, today, { ids: [id] });
  const check = rows[0];
  if (!check) throw notFound('检查', 'Check');
  const rects = await repo.listRectifications(ctx.db, ctx.countyId, today, { inspectionIds: [id] });
  return {
    ...presentCheck(check),
    rectificationList: rects.rows.sort((a, b) => a.id - b.id).map((r) => presentRectification(r, today)),
  };
}

// Rectifications ------------------------------------------------------------------------------

export async function listRectifications(ctx: ServiceContext, q: RectificationListQuery) {
  const today = countyToday();
  const { rows, total } = await repo.listRectifications(
    ctx.db,
    ctx.countyId,
    today,
    { status: q.status, underPath: await orgPath(ctx, q.org) },
    paging(q),
  );
  return {
    items: rows.map((r) => presentRectification(r, today)),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** For the home page: open rectifications owned by me, or by my organisation itself; soonest due first. */
export async function myRectifications(ctx: ServiceContext) {
  const actor = actorOf(ctx);
  const today = countyToday();
  const { rows } = await repo.listRectifications(
    ctx.db,
    ctx.countyId,
    today,
    { mine: { userId: actor.userId, orgId: actor.orgId } },
    { limit: 200, offset: 0 },
  );
  const items = rows.map((r) => presentRectification(r, today));
  return { items, open: items.length, overdue: items.filter((r) => r.overdue).length };
}

/**
 * Closes a rectification with evidence (整改销号): by its owner account, or by anyone with the right
 * whose subtree holds the owning organisation. Closed once; the evidence is required.
 */
export async function closeRectification(ctx: ServiceContext, id: number, input: CloseInput) {
  const actor = actorOf(ctx);
  const today = countyToday();
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    const row = await repo.lockRectification(db, ctx.countyId, id);
    if (!row) throw notFound('整改事项', 'Rectification');
    const ownerVisible = (await findOrg(db, ctx.countyId, row.owner_org_id)) !== undefined;
    if (row.owner_user_id !== actor.userId && !ownerVisible) {
      throw new AppError(
        403,
        'forbidden',
        '只有整改责任单位（或其上级党组织）可以销号',
        'only the owner, or the committees over it, close a rectification',
      );
    }
    if (row.status === 'closed') throw conflict('该问题已整改销号', 'the rectification is closed already');
    const closedOn = input.closedOn ?? today;
    if (closedOn > today) throw invalid('closedOn', '销号日期不能晚于今天', 'cannot be closed in the future');
    if (row.checked_on && closedOn < row.checked_on) {
      throw invalid('closedOn', '销号日期早于检查日期', 'the closing date precedes the check');
    }
    await repo.closeRectification(db, ctx.countyId, id, {
      evidence: input.evidence,
      closed_on: closedOn,
      closed_by: actor.userId,
      closed_by_name: await nameOf(c, actor),
    });
    await recordAudit(c, {
      action: 'rectification.close',
      targetType: 'rectification',
      targetId: id,
      details: { inspectionId: row.inspection_id, ownerOrgId: row.owner_org_id, closedOn },
    });
    const { rows } = await repo.listRectifications(db, ctx.countyId, today, { ids: [id] });
    return presentRectification(rows[0]!, today);
  });
}

/** Counts for the dashboard, by the 基层党(工)委 the owner sits under: open, overdue, closed this year. */
export async function rectificationDashboard(ctx: ServiceContext, q: { year?: number; org?: number }) {
  const today = countyToday();
  const year = q.year ?? Number(today.slice(0, 4));
  const path = q.org === undefined ? undefined : await orgPath(ctx, q.org);
  const rows = await repo.dashboard(ctx.db, ctx.countyId, { today, year, underPath: path });
  const root = await findRootOrg(ctx.db, ctx.countyId);
  const byTownship = rows.map((r) => ({
    orgId: r.township_id,
    name: r.township_id === null ? (root?.short_name ?? '县直') : (r.name ?? `#${r.township_id}`),
    open: r.open,
    overdue: r.overdue,
    closedThisYear: r.closed,
  }));
  const sum = (k: 'open' | 'overdue' | 'closedThisYear') => byTownship.reduce((n, r) => n + r[k], 0);
  return {
    year,
    asOf: today,
    total: { open: sum('open'), overdue: sum('overdue'), closedThisYear: sum('closedThisYear') },
    byTownship,
  };
}
