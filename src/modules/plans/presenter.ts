import { labelOf } from '../../domain/codes.ts';
import { pairingKind } from '../../domain/pairings.ts';
import { PLAN_ACTIONS, PLAN_STATUSES, type PlanAction } from '../../domain/plan-workflow.ts';
import type { EventRow, PlanRepoRow, PlanSnapshot, TaskRow } from './repository.ts';

/** Plans as the API shows them: camelCase, Chinese labels beside codes. */

/** Steps that are not transitions but are kept in the history all the same. */
const EXTRA_ACTIONS = [
  { code: 'create', zh: '起草', en: 'Drafted' },
  { code: 'edit', zh: '修改', en: 'Edited' },
];
const actionLabel = (a: string) => labelOf([...PLAN_ACTIONS, ...EXTRA_ACTIONS], a) || a;
const statusLabel = (s: string | null) => (s ? labelOf(PLAN_STATUSES, s) || s : null);

export const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : String(d));

export function presentPlan(r: PlanRepoRow) {
  const kind = pairingKind(r.pairing_kind);
  return {
    id: r.id,
    pairingId: r.pairing_id,
    pairingTitle: r.pairing_title,
    pairingKind: r.pairing_kind,
    pairingKindLabel: kind?.zh ?? r.pairing_kind,
    planName: kind?.plan.zh ?? '工作方案',
    helperName: r.helper_member_name ?? r.helper_org_name,
    helpedOrgName: r.helped_org_name,
    year: r.year,
    title: r.title,
    status: r.status,
    statusLabel: statusLabel(r.status)!,
    version: r.version,
    noticeDays: r.notice_days,
    noticeStartsOn: r.notice_starts_on,
    noticeEndsOn: r.notice_ends_on,
    inForceOn: r.in_force_on,
    lastReturnReason: r.last_return_reason,
    updatedAt: iso(r.updated_at),
  };
}

export const presentTask = (t: TaskRow) => ({ seq: t.seq, what: t.what, target: t.target, dueOn: t.due_on });

export const presentEvent = (e: EventRow) => ({
  id: e.id,
  at: iso(e.at),
  userId: e.user_id,
  userName: e.user_name,
  action: e.action,
  actionLabel: actionLabel(e.action),
  from: e.from_status,
  fromLabel: statusLabel(e.from_status),
  to: e.to_status,
  toLabel: statusLabel(e.to_status)!,
  reason: e.reason,
});

export const presentActions = (actions: PlanAction[]) =>
  actions.map((a) => ({ action: a, label: actionLabel(a) }));

export const snapshotOf = (p: { title: string; content: string }, tasks: TaskRow[]): PlanSnapshot => ({
  title: p.title,
  content: p.content,
  tasks: tasks.map((t) => ({ what: t.what, target: t.target, dueOn: t.due_on })),
});

const FIELD_LABELS = { title: '标题', content: '正文', tasks: '任务' } as const;

/**
 * What changed since the plan was last sent back: the plan now against the snapshot kept with the
 * last `return` event, field by field. Null when it was never sent back.
 */
export function diffSinceReturn(events: EventRow[], now: PlanSnapshot) {
  const last = [...events].reverse().find((e) => e.action === 'return');
  if (!last) return null;
  const before = normalizeSnapshot(last.snapshot);
  const changes = (['title', 'content', 'tasks'] as const)
    .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(now[f]))
    .map((f) => ({ field: f, label: FIELD_LABELS[f], before: before[f], after: now[f] }));
  return { sinceEventId: last.id, returnedAt: iso(last.at), reason: last.reason, changes };
}

function normalizeSnapshot(raw: unknown): PlanSnapshot {
  const s = (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {})) as Partial<PlanSnapshot>;
  return {
    title: s.title ?? '',
    content: s.content ?? '',
    tasks: (s.tasks ?? []).map((t) => ({ what: t.what, target: t.target ?? null, dueOn: t.dueOn ?? null })),
  };
}
