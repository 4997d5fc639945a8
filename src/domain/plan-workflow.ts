import type { Role } from './access.ts';
import type { Code } from './codes.ts';
import { DEFAULT_NOTICE_DAYS, noticeEnd, noticeHasEnded, type WorkCalendar } from './working-days.ts';

/**
 * The plan of a pairing (联点工作方案, 支部共建方案, 党员帮扶方案 …) and its way to force — the 审查制和公示制 of
 * [000]: drafted → submitted → reviewed by the grassroots party (work) committee above (审查) → approved
 * by the county organisation department (审定) → under public notice at the place (公示) → in force.
 * A reviewer sends it back to draft with a reason.
 *
 * `transition` is pure: it says whether an action is allowed and what it leads to; the caller writes
 * it. CONCURRENCY is the caller's: it writes the new status only where the version is still the one
 * read, e.g. `UPDATE plan SET status = $to, version = $version + 1 WHERE id = $id AND version = $version`,
 * and writes the returned event to the audit trail in the same transaction. When no row is updated,
 * someone else acted first: answer 409 and write nothing. The event has no user: the caller adds who.
 */

export type PlanStatus = 'draft' | 'submitted' | 'reviewed' | 'approved' | 'in_notice' | 'in_force';
export type PlanAction = 'submit' | 'review' | 'approve' | 'publish' | 'return' | 'take_effect';

export const PLAN_STATUSES: readonly Code<PlanStatus>[] = [
  { code: 'draft', zh: '草稿', en: 'Draft' },
  { code: 'submitted', zh: '待审查', en: 'Submitted for review', aliases: ['已提交'] },
  {
    code: 'reviewed',
    zh: '已审查(待审定)',
    en: 'Reviewed, awaiting approval',
    aliases: ['已审查', '审查通过'],
  },
  {
    code: 'approved',
    zh: '已审定(待公示)',
    en: 'Approved, awaiting notice',
    aliases: ['已审定', '审定通过'],
  },
  { code: 'in_notice', zh: '公示中', en: 'Under public notice', aliases: ['公示'] },
  { code: 'in_force', zh: '已生效', en: 'In force', aliases: ['生效'] },
];

export const PLAN_ACTIONS: readonly Code<PlanAction>[] = [
  { code: 'submit', zh: '提交', en: 'Submit' },
  { code: 'review', zh: '审查通过', en: 'Pass review', aliases: ['审查'] },
  { code: 'approve', zh: '审定通过', en: 'Approve', aliases: ['审定'] },
  { code: 'publish', zh: '公示', en: 'Open the public notice', aliases: ['发布公示'] },
  { code: 'return', zh: '退回', en: 'Send back', aliases: ['退回修改', '驳回'] },
  { code: 'take_effect', zh: '生效', en: 'Take effect' },
];

/** The state machine as data. `approve` lands on `in_notice` unless the caller holds the notice back. */
export const PLAN_TRANSITIONS: Record<PlanAction, { from: readonly PlanStatus[]; to: PlanStatus }> = {
  submit: { from: ['draft'], to: 'submitted' },
  review: { from: ['submitted'], to: 'reviewed' },
  approve: { from: ['reviewed'], to: 'in_notice' },
  publish: { from: ['approved'], to: 'in_notice' },
  return: { from: ['submitted', 'reviewed'], to: 'draft' },
  take_effect: { from: ['in_notice'], to: 'in_force' },
};

export const MAX_REASON_LENGTH = 500;

/** The shortest public notice [000]: "公示5个工作日"; a county's own rule may ask for more, never less. */
export const MIN_NOTICE_DAYS = DEFAULT_NOTICE_DAYS;
export const MAX_NOTICE_DAYS = 30;

export interface PlanDraft {
  year: number;
  noticeDays?: number;
  tasks?: readonly { dueOn?: string | null }[];
}

/** A rule a draft breaks, on the field it concerns (`noticeDays`, `tasks.2.dueOn`). */
export interface DraftProblem {
  field: string;
  zh: string;
  en: string;
}

/**
 * What is wrong with a plan as drafted: the notice must run at least the minimum number of working
 * days (so a notice of 0 is refused, never rounded up to 1), and every task's deadline must fall in
 * the plan's year — a 2026 plan whose task is due in 2025 cannot be done.
 */
export function draftProblems(draft: PlanDraft, minNoticeDays = MIN_NOTICE_DAYS): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const n = draft.noticeDays;
  if (n !== undefined && (n < minNoticeDays || n > MAX_NOTICE_DAYS)) {
    problems.push({
      field: 'noticeDays',
      zh: `公示期须为${minNoticeDays}至${MAX_NOTICE_DAYS}个工作日（现为${n}）`,
      en: `the notice must run ${minNoticeDays} to ${MAX_NOTICE_DAYS} working days (not ${n})`,
    });
  }
  const first = `${draft.year}-01-01`;
  const last = `${draft.year}-12-31`;
  draft.tasks?.forEach((task, i) => {
    if (task.dueOn && (task.dueOn < first || task.dueOn > last)) {
      problems.push({
        field: `tasks.${i}.dueOn`,
        zh: `第${i + 1}项任务的完成时限${task.dueOn}不在方案年度内（须在${first}至${last}之间）`,
        en: `task ${i + 1} is due on ${task.dueOn}, outside the plan's year (${first} to ${last})`,
      });
    }
  });
  return problems;
}

export interface PlanActor {
  role: Role;
  /** The person or branch secretary responsible for the pairing (the kind's `responsible`). */
  isResponsible: boolean;
  /** Belongs to the grassroots party (work) committee above the pairing's helped side. */
  isCommitteeAbove: boolean;
  /**
   * A secretary of the helper's own branch: submits on behalf of a member who answers for the
   * pairing but has no account (many helpers in a village branch do not).
   */
  isHelperBranchSecretary?: boolean;
  /** Wrote the plan (its creator): the drafting side, even when drafting on someone's behalf. */
  isDrafter?: boolean;
}

export interface PlanRef {
  status: PlanStatus;
  version: number;
  /** The last day of the notice, while the plan is under notice. */
  noticeEndsOn?: string | null;
  /** A draft that a reviewer sent back: only the drafting side may submit it again. */
  sentBack?: boolean;
}

export interface TransitionInput {
  /** Why. Required to send back (non-blank, at most 500 characters); kept when given with any action. */
  reason?: string | null;
  /** When: an ISO date or date-time in the county's local time; the date decides the notice. */
  at: string;
  /** The county's notice period in working days (default 5). */
  noticeDays?: number;
  calendar?: WorkCalendar;
  /** `approve` opens the notice at once; pass false to land on `approved` and `publish` later. */
  openNotice?: boolean;
}

export interface PlanEvent {
  from: PlanStatus;
  to: PlanStatus;
  action: PlanAction;
  reason?: string;
  at: string;
  by: Role | 'system';
}

export interface PlanNotice {
  startsOn: string;
  endsOn: string;
  workingDays: number;
}

export type TransitionRefusal =
  | 'not_allowed'
  | 'wrong_state'
  | 'reason_required'
  | 'reason_too_long'
  | 'notice_running';

export type TransitionResult =
  | { ok: true; status: PlanStatus; version: number; event: PlanEvent; notice?: PlanNotice }
  | { ok: false; code: TransitionRefusal; message: string };

// ---------------------------------------------------------------------------------------------
// Who may
// ---------------------------------------------------------------------------------------------

const isCounty = (a: PlanActor) => a.role === 'county_admin';
const isStaffAbove = (a: PlanActor) => a.role === 'committee_staff' && a.isCommitteeAbove;

/**
 * Who may take an action on a plan in a state (actor null is the system).
 * - submit: the responsible side, or on its behalf the secretary of the helper's branch, staff of the
 *   committee above or the county. A plan sent back goes back to the drafting side: only the
 *   responsible side, the helper branch's secretary or whoever wrote it submits it again, so the
 *   reviewer who sent it back cannot undo the send-back. Auditors are read-only and never act.
 * - review (审查): staff of the committee above, or the county.
 * - approve (审定): the county organisation department only.
 * - publish: the county, or staff of the committee above (they post it at the place).
 * - return: whoever may decide at that state — review for a submitted plan, approval for a reviewed one.
 * - take_effect: the system only, when the notice is over.
 * Nobody reviews, approves or sends back a plan they are responsible for.
 */
export function mayAct(
  action: PlanAction,
  status: PlanStatus,
  actor: PlanActor | null,
  plan: { sentBack?: boolean } = {},
): boolean {
  if (action === 'take_effect') return actor === null;
  if (actor === null || actor.role === 'auditor') return false;
  const mayReview = !actor.isResponsible && (isCounty(actor) || isStaffAbove(actor));
  const mayApprove = !actor.isResponsible && isCounty(actor);
  switch (action) {
    case 'submit':
      if (plan.sentBack) return actor.isResponsible || !!actor.isHelperBranchSecretary || !!actor.isDrafter;
      return (
        actor.isResponsible ||
        isCounty(actor) ||
        isStaffAbove(actor) ||
        (actor.role === 'branch_secretary' && !!actor.isHelperBranchSecretary)
      );
    case 'review':
      return mayReview;
    case 'approve':
      return mayApprove;
    case 'publish':
      return isCounty(actor) || isStaffAbove(actor);
    case 'return':
      return status === 'reviewed' ? mayApprove : mayReview;
  }
}

// ---------------------------------------------------------------------------------------------
// The transition
// ---------------------------------------------------------------------------------------------

const statusZh = (s: PlanStatus) => PLAN_STATUSES.find((x) => x.code === s)!.zh;
const actionOf = (a: PlanAction) => PLAN_ACTIONS.find((x) => x.code === a)!;

const refuse = (code: TransitionRefusal, message: string): TransitionResult => ({ ok: false, code, message });

export function transition(
  plan: PlanRef,
  action: PlanAction,
  actor: PlanActor | null,
  input: TransitionInput,
): TransitionResult {
  const rule = PLAN_TRANSITIONS[action];
  if (!rule) return refuse('wrong_state', `未知操作：${String(action)} / unknown action`);
  if (!/^\d{4}-\d{2}-\d{2}/.test(input.at))
    throw new RangeError(`不是有效时间：${input.at} / not a valid time`);
  const atDate = input.at.slice(0, 10);
  const act = actionOf(action);

  if (!rule.from.includes(plan.status)) {
    return refuse(
      'wrong_state',
      `方案当前为“${statusZh(plan.status)}”，不能${act.zh} / the plan is ${plan.status}; it cannot take "${action}"`,
    );
  }
  if (!mayAct(action, plan.status, actor, plan)) {
    if (action === 'submit' && plan.sentBack && actor !== null) {
      return refuse(
        'not_allowed',
        '退回的方案须由起草方修改后重新提交 / a plan sent back is submitted again by its drafting side',
      );
    }
    return refuse(
      'not_allowed',
      actor === null
        ? `此操作须由用户执行 / a user must take "${action}"`
        : `无权${act.zh}此方案 / you may not ${act.en.toLowerCase()} this plan`,
    );
  }

  const reason = input.reason?.trim() ?? '';
  if (action === 'return' && !reason) {
    return refuse('reason_required', '退回须说明理由 / give a reason to send the plan back');
  }
  if ([...reason].length > MAX_REASON_LENGTH) {
    return refuse(
      'reason_too_long',
      `理由不超过${MAX_REASON_LENGTH}字 / the reason must be at most ${MAX_REASON_LENGTH} characters`,
    );
  }

  if (action === 'take_effect') {
    if (!plan.noticeEndsOn) return refuse('wrong_state', '方案没有公示期 / the plan has no notice period');
    if (!noticeHasEnded(plan.noticeEndsOn, atDate)) {
      return refuse(
        'notice_running',
        `公示期至${plan.noticeEndsOn}结束 / the notice runs until the end of ${plan.noticeEndsOn}`,
      );
    }
  }

  const to: PlanStatus = action === 'approve' && input.openNotice === false ? 'approved' : rule.to;
  const event: PlanEvent = {
    from: plan.status,
    to,
    action,
    ...(reason ? { reason } : {}),
    at: input.at,
    by: actor ? actor.role : 'system',
  };
  const result: TransitionResult = { ok: true, status: to, version: plan.version + 1, event };
  if (to === 'in_notice') {
    const workingDays = input.noticeDays ?? DEFAULT_NOTICE_DAYS;
    result.notice = { startsOn: atDate, endsOn: noticeEnd(atDate, workingDays, input.calendar), workingDays };
  }
  return result;
}

/** The actions the actor may take on the plan now (for the buttons a page shows). */
export function availableActions(plan: PlanRef, actor: PlanActor | null, at: string): PlanAction[] {
  return (Object.keys(PLAN_TRANSITIONS) as PlanAction[]).filter((action) => {
    if (!PLAN_TRANSITIONS[action].from.includes(plan.status) || !mayAct(action, plan.status, actor, plan))
      return false;
    if (action === 'take_effect')
      return !!plan.noticeEndsOn && noticeHasEnded(plan.noticeEndsOn, at.slice(0, 10));
    return true;
  });
}
