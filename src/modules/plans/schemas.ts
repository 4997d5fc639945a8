import { z } from 'zod';
import { PLAN_STATUSES } from '../../domain/plan-workflow.ts';
import { Id, IsoDate, Paging, QueryBool } from '../shared-schemas.ts';

const BodyId = z.number().int().positive();
const Version = z.number().int().min(1).describe('读取时的版本号 / the version you read');

export const PlanTaskInput = z.strictObject({
  what: z.string().trim().min(1).max(500).describe('任务内容 / the task'),
  target: z.string().trim().max(500).nullish().describe('目标 / target'),
  dueOn: IsoDate.nullish().describe('完成时限 / due date'),
});
export type PlanTaskInput = z.infer<typeof PlanTaskInput>;

const Title = z.string().trim().min(1).max(200);
const Content = z.string().trim().min(1).max(20_000);
const Tasks = z.array(PlanTaskInput).max(100);

export const CreatePlanInput = z.strictObject({
  pairingId: BodyId,
  year: z.number().int().min(2000).max(2100),
  title: Title.optional().describe('默认：年度 + 结对名称 + 方案名称 / default: year, pairing and plan name'),
  content: Content,
  tasks: Tasks.default([]),
  // The range is the domain's rule (draftProblems), so the refusal names it in Chinese and English.
  noticeDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .default(5)
    .describe('公示工作日数（至少5个）/ notice in working days (5 at least)'),
});
export type CreatePlanInput = z.infer<typeof CreatePlanInput>;

export const UpdatePlanInput = z.strictObject({
  version: Version,
  title: Title.optional(),
  content: Content.optional(),
  tasks: Tasks.optional().describe('整体替换 / replaces all tasks'),
  noticeDays: z.number().int().min(0).max(365).optional(),
});
export type UpdatePlanInput = z.infer<typeof UpdatePlanInput>;

export const TRANSITION_ACTIONS = ['submit', 'review', 'approve', 'return', 'publish'] as const;
export const TransitionInput = z.strictObject({
  action: z.enum(TRANSITION_ACTIONS),
  reason: z.string().max(2000).nullish().describe('退回时必填 / required to send back'),
  version: Version,
});
export type TransitionInput = z.infer<typeof TransitionInput>;

const PlanStatus = z.enum(PLAN_STATUSES.map((s) => s.code) as [string, ...string[]]);
export const PlanListQuery = z.strictObject({
  status: PlanStatus.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  pairing: Id.optional(),
  inbox: QueryBool.optional().describe(
    '待我处理：我可审查的待审查方案、我可审定的已审查方案 / waiting for me',
  ),
  ...Paging,
});
export type PlanListQuery = z.infer<typeof PlanListQuery>;

export const PlanTask = z.object({
  seq: z.number().int(),
  what: z.string(),
  target: z.string().nullable(),
  dueOn: z.string().nullable(),
});

export const Plan = z.object({
  id: z.number().int(),
  pairingId: z.number().int(),
  pairingTitle: z.string(),
  pairingKind: z.string(),
  pairingKindLabel: z.string(),
  planName: z.string().describe('方案名称（按结对类型）/ the plan name of the kind'),
  helperName: z.string().nullable(),
  helpedOrgName: z.string().nullable(),
  year: z.number().int(),
  title: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  version: z.number().int(),
  noticeDays: z.number().int(),
  noticeStartsOn: z.string().nullable(),
  noticeEndsOn: z.string().nullable(),
  inForceOn: z.string().nullable(),
  lastReturnReason: z.string().nullable(),
  updatedAt: z.string(),
});

const Action = z.object({ action: z.string(), label: z.string() });

export const PlanEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.number().int().nullable(),
  userName: z.string().nullable(),
  action: z.string(),
  actionLabel: z.string(),
  from: z.string().nullable(),
  fromLabel: z.string().nullable(),
  to: z.string(),
  toLabel: z.string(),
  reason: z.string().nullable(),
});

const Change = z.object({
  field: z.enum(['title', 'content', 'tasks']),
  label: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

export const PlanDetail = Plan.extend({
  content: z.string(),
  tasks: z.array(PlanTask),
  events: z.array(PlanEvent),
  availableActions: z.array(Action).describe('我现在可进行的操作 / what I may do now'),
  canEdit: z.boolean(),
  noticeId: z.number().int().nullable(),
  diff: z
    .object({
      sinceEventId: z.number().int(),
      returnedAt: z.string(),
      reason: z.string().nullable(),
      changes: z.array(Change),
    })
    .nullable()
    .describe('自上次退回以来的修改 / what changed since the plan was last sent back'),
});
