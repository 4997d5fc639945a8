import { pairingKind } from '../../domain/pairings.ts';
import {
  availableActions,
  draftProblems,
  mayAct,
  type PlanAction,
  type TransitionRefusal,
  transition,
} from '../../domain/plan-workflow.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { type Actor, type ServiceContext, withTransaction } from '../context.ts';
import { openNotice } from '../publicity/notices.ts';
import { countyNow, countyToday } from './clock.ts';
import {
  diffSinceReturn,
  presentActions,
  presentEvent,
  presentPlan,
  presentTask,
  snapshotOf,
} from './presenter.ts';
import * as repo from './repository.ts';
import { mayRead, mayWrite, planActor } from './responsibility.ts';
import type { CreatePlanInput, PlanListQuery, TransitionInput, UpdatePlanInput } from './schemas.ts';
import { settleNotices } from './settle.ts';

/**
 * The plans of pairings and their way to force (审查制和公示制): draft → submitted → reviewed by the
 * committee above → approved by the county (opens the public notice) → in force when the notice is
 * over. The rules of who may do what are the domain's (`src/domain/plan-workflow.ts`); this writes
 * them, each step with its event (who, when, why, and what the plan said) and its audit record in one
 * transaction, and only where the plan is still at the version the user saw.
 */

/** The workflow's view of a plan row; a draft with a return reason was sent back. */
const planRef = (row: repo.PlanRepoRow) => ({
  status: row.status,
  version: row.version,
  noticeEndsOn: row.notice_ends_on,
  sentBack: row.status === 'draft' && row.last_return_reason !== null,
});

const planNotFound = () => notFound('方案', 'Plan');
const changedMeanwhile = () =>
  new AppError(
    409,
    'conflict',
    '方案已被他人处理，请刷新',
    'the plan changed meanwhile; reload it',
    'version',
  );

function actorOf(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new AppError(401, 'unauthenticated', '请先登录', 'please sign in');
  return ctx.actor;
}

/** A plan the actor may read, or 404 (out of scope and non-existent answer alike). */
async function readablePlan(ctx: ServiceContext, id: number) {
  const row = await repo.findPlan(ctx.db, ctx.countyId, id);
  if (!row || !mayRead(actorOf(ctx), ctx.scope, row)) throw planNotFound();
  return row;
}

/** Someone who sees the plan but does not write it: a member's 'own' scope hides it (404), others 403. */
function checkWrite(ctx: ServiceContext, sides: repo.PairingSides) {
  const actor = actorOf(ctx);
  if (mayWrite(actor, ctx.scope, sides)) return;
  if (ctx.scope === 'own') throw planNotFound();
  throw new AppError(
    403,
    'not_responsible',
    '只有结对帮扶方或其上级党组织可以编写此方案',
    "only the helper side or the committees above may write this pairing's plan",
  );
}

/** A draft that breaks a plan rule is refused whole, each problem on its field. */
function checkDraft(draft: Parameters<typeof draftProblems>[0]) {
  const problems = draftProblems(draft);
  if (!problems.length) return;
  const [first] = problems;
  throw new AppError(
    400,
    'invalid',
    first!.zh,
    first!.en,
    first!.field,
    problems.map((p) => ({ field: p.field, message: p.zh, messageEn: p.en })),
  );
}

const userNameOf = async (ctx: ServiceContext, actor: Actor) =>
  (await repo.displayName(ctx.db, ctx.countyId, actor.userId)) ?? actor.username;

// ---------------------------------------------------------------------------------------------
// Drafting
// ---------------------------------------------------------------------------------------------

export async function createPlan(ctx: ServiceContext, input: CreatePlanInput) {
  const actor = actorOf(ctx);
  const id = await withTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    const sides = await repo.findPairingSides(trx, ctx.countyId, input.pairingId);
    if (!sides || !mayRead(actor, ctx.scope, sides)) throw notFound('结对', 'Pairing');
    checkWrite(ctx, sides);
    if (input.year < sides.year_from || input.year > sides.year_to) {
      throw new AppError(
        400,
        'invalid',
        `结对期限为${sides.year_from}—${sides.year_to}年，不含${input.year}年`,
        `the pairing runs ${sides.year_from}–${sides.year_to}, not in ${input.year}`,
        'year',
      );
    }
    checkDraft(input);
    if (await repo.planIdForYear(trx, ctx.countyId, input.pairingId, input.year)) {
      throw conflict(
        `该结对${input.year}年度已有方案`,
        `the pairing already has a plan for ${input.year}`,
        'year',
      );
    }
    const kind = pairingKind(sides.pairing_kind);
    const title = input.title ?? `${input.year}年度${sides.pairing_title}${kind?.plan.zh ?? '工作方案'}`;
    const planId = await repo.insertPlan(trx, {
      county_id: ctx.countyId,
      pairing_id: input.pairingId,
      year: input.year,
      title,
      content: input.content,
      notice_days: input.noticeDays,
      created_by: actor.userId,
    });
    await repo.replaceTasks(trx, ctx.countyId, planId, input.tasks);
    await repo.insertEvent(trx, {
      county_id: ctx.countyId,
      plan_id: planId,
      user_id: actor.userId,
      user_name: await userNameOf(tctx, actor),
      action: 'create',
      from_status: null,
      to_status: 'draft',
      reason: null,
      snapshot: snapshotOf(
        { title, content: input.content },
        await repo.listTasks(trx, ctx.countyId, planId),
      ),
    });
    await recordAudit(tctx, {
      action: 'plan.create',
      targetType: 'plan',
      targetId: planId,
      details: { pairingId: input.pairingId, year: input.year },
    });
    return planId;
  });
  return getPlan(ctx, id);
}

export async function updatePlan(ctx: ServiceContext, id: number, patch: UpdatePlanInput) {
  const actor = actorOf(ctx);
  await withTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    const row = await readablePlan(tctx, id);
    checkWrite(ctx, row);
    if (row.status !== 'draft') {
      throw new AppError(
        409,
        'wrong_state',
        '只有草稿可以修改，已提交的方案须退回后再改',
        'only a draft can be edited; a submitted plan must be sent back first',
      );
    }
    if (row.version !== patch.version) throw changedMeanwhile();
    checkDraft({ year: row.year, noticeDays: patch.noticeDays, tasks: patch.tasks });
    const n = await repo.updateDraft(trx, ctx.countyId, id, patch.version, {
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.content !== undefined && { content: patch.content }),
      ...(patch.noticeDays !== undefined && { notice_days: patch.noticeDays }),
    });
    if (!n) throw changedMeanwhile();
    if (patch.tasks) await repo.replaceTasks(trx, ctx.countyId, id, patch.tasks);
    await repo.insertEvent(trx, {
      county_id: ctx.countyId,
      plan_id: id,
      user_id: actor.userId,
      user_name: await userNameOf(tctx, actor),
      action: 'edit',
      from_status: 'draft',
      to_status: 'draft',
      reason: null,
      snapshot: snapshotOf(
        { title: patch.title ?? row.title, content: patch.content ?? row.content },
        await repo.listTasks(trx, ctx.countyId, id),
      ),
    });
    await recordAudit(tctx, {
      action: 'plan.update',
      targetType: 'plan',
      targetId: id,
      details: { fields: Object.keys(patch).filter((k) => k !== 'version'), version: patch.version + 1 },
    });
  });
  return getPlan(ctx, id);
}

// ---------------------------------------------------------------------------------------------
// Transitions
// ---------------------------------------------------------------------------------------------

const REFUSAL_STATUS: Record<TransitionRefusal, number> = {
  not_allowed: 403,
  wrong_state: 409,
  reason_required: 400,
  reason_too_long: 400,
  notice_running: 409,
};

function refusal(code: TransitionRefusal, message: string) {
  const [zh, en] = message.split(' / ');
  const field = code === 'reason_required' || code === 'reason_too_long' ? 'reason' : undefined;
  return new AppError(
    REFUSAL_STATUS[code],
    code === 'not_allowed' ? 'forbidden' : code.startsWith('reason') ? 'invalid' : code,
    zh!,
    en ?? zh!,
    field,
  );
}

export async function transitionPlan(ctx: ServiceContext, id: number, input: TransitionInput) {
  const actor = actorOf(ctx);
  await withTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    const row = await readablePlan(tctx, id);
    if (ctx.scope === 'own' && !mayWrite(actor, ctx.scope, row)) throw planNotFound();
    if (row.version !== input.version) throw changedMeanwhile();
    const action = input.action as PlanAction;
    const result = transition(planRef(row), action, planActor(actor, row), {
      reason: input.reason ?? null,
      at: countyNow(),
      noticeDays: row.notice_days,
    });
    if (!result.ok) throw refusal(result.code, result.message);
    const n = await repo.updateStatus(trx, ctx.countyId, id, row.version, {
      status: result.status,
      version: result.version,
      ...(result.notice && {
        notice_starts_on: result.notice.startsOn,
        notice_ends_on: result.notice.endsOn,
      }),
      ...(action === 'return' && { last_return_reason: result.event.reason! }),
    });
    if (!n) throw changedMeanwhile();
    const tasks = await repo.listTasks(trx, ctx.countyId, id);
    await repo.insertEvent(trx, {
      county_id: ctx.countyId,
      plan_id: id,
      user_id: actor.userId,
      user_name: await userNameOf(tctx, actor),
      action,
      from_status: result.event.from,
      to_status: result.event.to,
      reason: result.event.reason ?? null,
      snapshot: snapshotOf(row, tasks),
    });
    const noticeId = result.notice
      ? await openNotice(trx, ctx.countyId, row, tasks, result.notice)
      : undefined;
    await recordAudit(tctx, {
      action: `plan.${action}`,
      targetType: 'plan',
      targetId: id,
      details: {
        from: result.event.from,
        to: result.event.to,
        version: result.version,
        ...(result.event.reason && { reason: result.event.reason }),
        ...(noticeId !== undefined && {
          noticeId,
          noticeStartsOn: result.notice!.startsOn,
          noticeEndsOn: result.notice!.endsOn,
        }),
      },
    });
  });
  return getPlan(ctx, id);
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

export async function getPlan(ctx: ServiceContext, id: number) {
  await settleNotices(ctx.db, ctx.countyId);
  const actor = actorOf(ctx);
  const row = await readablePlan(ctx, id);
  const [tasks, events, noticeId] = await Promise.all([
    repo.listTasks(ctx.db, ctx.countyId, id),
    repo.listEvents(ctx.db, ctx.countyId, id),
    repo.noticeIdOf(ctx.db, ctx.countyId, id),
  ]);
  const pa = planActor(actor, row);
  const ref = planRef(row);
  return {
    ...presentPlan(row),
    content: row.content,
    tasks: tasks.map(presentTask),
    events: events.map(presentEvent),
    availableActions: presentActions(availableActions(ref, pa, countyNow())),
    canEdit: row.status === 'draft' && mayWrite(actor, ctx.scope, row),
    noticeId,
    diff: diffSinceReturn(events, snapshotOf(row, tasks)),
  };
}

/** How many plans the inbox looks through at most (submitted and reviewed plans in sight). */
const INBOX_SCAN = 5000;

export async function listPlans(ctx: ServiceContext, query: PlanListQuery) {
  await settleNotices(ctx.db, ctx.countyId, countyToday());
  const actor = actorOf(ctx);
  const own = ctx.scope === 'own' ? { ownMemberId: actor.memberId ?? -1 } : {};
  const offset = (query.page - 1) * query.pageSize;
  if (!query.inbox) {
    const { items, total } = await repo.listPlans(ctx.db, ctx.countyId, {
      ...own,
      status: query.status,
      year: query.year,
      pairingId: query.pairing,
      limit: query.pageSize,
      offset,
    });
    return { items: items.map(presentPlan), total, page: query.page, pageSize: query.pageSize };
  }
  // Waiting for me: submitted plans I may review, reviewed plans I may approve.
  const statuses = (['submitted', 'reviewed'] as const).filter((s) => !query.status || query.status === s);
  const { items } = await repo.listPlans(ctx.db, ctx.countyId, {
    ...own,
    status: statuses,
    year: query.year,
    pairingId: query.pairing,
    limit: INBOX_SCAN,
    offset: 0,
  });
  const mine = items.filter((r) =>
    mayAct(r.status === 'submitted' ? 'review' : 'approve', r.status, planActor(actor, r), planRef(r)),
  );
  return {
    items: mine.slice(offset, offset + query.pageSize).map(presentPlan),
    total: mine.length,
    page: query.page,
    pageSize: query.pageSize,
  };
}
