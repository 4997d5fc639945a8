import { z } from 'zod';
import { codes } from '../../domain/codes.ts';
import { Id, IsoDate, Paging } from '../shared-schemas.ts';

/** Requests and answers of 督查: check rounds, checks and rectifications. */

export const METHODS = [
  { code: 'phone', zh: '电话抽查', en: 'By phone' },
  { code: 'on_site', zh: '实地检查', en: 'On site' },
  { code: 'records', zh: '查阅台账', en: 'From the records' },
] as const;
export const CONCLUSIONS = [
  { code: 'good', zh: '好', en: 'Good' },
  { code: 'fair', zh: '一般', en: 'Fair (minor problems)' },
  { code: 'problems', zh: '存在问题', en: 'Problems found' },
] as const;
export const CHECK_STATUSES = [
  { code: 'planned', zh: '待检查', en: 'Planned' },
  { code: 'done', zh: '已检查', en: 'Done' },
] as const;
/** A rectification's standing: 'overdue' is an open one past its due date (not stored, derived). */
export const RECTIFICATION_STATUSES = [
  { code: 'open', zh: '整改中', en: 'Open' },
  { code: 'overdue', zh: '逾期未整改', en: 'Overdue' },
  { code: 'closed', zh: '已整改销号', en: 'Closed' },
] as const;
export const TARGET_TYPES = [
  { code: 'pairing', zh: '结对', en: 'Pairing' },
  { code: 'org', zh: '党组织', en: 'Organisation' },
] as const;

export const Method = z
  .enum(codes(METHODS))
  .describe('检查方式：电话抽查/实地检查/查阅台账 / how: phone, on site, records');
export const Conclusion = z
  .enum(codes(CONCLUSIONS))
  .describe('检查结论：好/一般/存在问题 / conclusion: good, fair, problems');
export const RectificationStatus = z.enum(codes(RECTIFICATION_STATUSES));
export type RectificationStatus = z.infer<typeof RectificationStatus>;

const Year = z.coerce.number().int().min(2000).max(2100);
const BodyId = z.number().int().positive();
const Text = (max: number) => z.string().trim().max(max);

// Rounds ------------------------------------------------------------------------------------------

export const RoundItemInput = z.strictObject({
  pairingId: BodyId.optional().describe('检查的结对 / the pairing to check'),
  orgId: BodyId.optional().describe('检查的党组织（与结对二选一）/ or the organisation to check'),
  assignedTo: BodyId.describe('负责检查的工作人员账号 / the staff account that is to check'),
});

export const CreateRoundInput = z.strictObject({
  year: z.number().int().min(2000).max(2100).describe('年度 / year'),
  quarter: z.number().int().min(1).max(4).describe('季度（1–4）/ quarter'),
  title: Text(200).min(1).describe('标题，如“2026年第一季度三联共建督查” / title'),
  orgId: BodyId.optional().describe(
    '督查范围（组织及下级），默认本人所在组织 / the subtree covered, default your own',
  ),
  dueOn: IsoDate.optional().describe('完成时限 / to be done by'),
  items: z
    .array(RoundItemInput)
    .max(2000)
    .default([])
    .describe('计划检查的结对或组织及负责人 / what is to be checked, and by whom'),
});
export type CreateRoundInput = z.infer<typeof CreateRoundInput>;

export const RoundListQuery = z.strictObject({
  year: Year.optional().describe('年度 / year'),
  quarter: z.coerce.number().int().min(1).max(4).optional(),
  ...Paging,
});
export type RoundListQuery = z.infer<typeof RoundListQuery>;

export const RoundProgress = z
  .object({
    items: z.number().int().describe('检查项总数 / items in all'),
    planned: z.number().int().describe('待检查 / still to check'),
    done: z.number().int().describe('已检查 / checked'),
    withProblems: z.number().int().describe('发现问题的检查 / checks that found problems'),
    openRectifications: z.number().int().describe('未销号的整改 / rectifications still open'),
    overdueRectifications: z.number().int().describe('其中逾期 / of which overdue'),
  })
  .describe('进度 / progress');

export const Round = z.object({
  id: z.number().int(),
  year: z.number().int(),
  quarter: z.number().int(),
  quarterLabel: z.string(),
  title: z.string(),
  orgId: z.number().int(),
  orgName: z.string().nullable(),
  dueOn: z.string().nullable(),
  createdBy: z.number().int().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  progress: RoundProgress,
});

// Checks ------------------------------------------------------------------------------------------

export const ProblemInput = z.strictObject({
  problem: Text(1000).min(1).describe('发现的问题 / the problem'),
  ownerOrgId: BodyId.describe('整改责任单位 / the organisation that must put it right'),
  ownerUserId: BodyId.optional().describe('整改责任人账号（可选）/ the account that must act, if named'),
  ownerName: Text(50)
    .optional()
    .describe('责任人姓名（无账号时填写）/ the person responsible, without an account'),
  dueOn: IsoDate.describe('整改期限 / due date'),
});
export type ProblemInput = z.infer<typeof ProblemInput>;

const ResultFields = {
  method: Method,
  checkedOn: IsoDate.describe('检查日期 / date of the check'),
  conclusion: Conclusion,
  findings: Text(4000).optional().describe('检查情况 / what the check found'),
  problems: z
    .array(ProblemInput)
    .max(50)
    .default([])
    .describe('发现的问题，每个问题一条整改 / each problem found becomes a rectification'),
};

export const RecordCheckInput = z.strictObject({
  roundId: BodyId.optional().describe('所属督查轮次（可选）/ the check round, if any'),
  pairingId: BodyId.optional().describe('检查的结对 / the pairing checked'),
  orgId: BodyId.optional().describe('检查的党组织（与结对二选一）/ or the organisation checked'),
  ...ResultFields,
});
export type RecordCheckInput = z.infer<typeof RecordCheckInput>;

export const CompleteCheckInput = z.strictObject(ResultFields);
export type CompleteCheckInput = z.infer<typeof CompleteCheckInput>;

export const CheckListQuery = z.strictObject({
  round: Id.optional().describe('督查轮次 / check round'),
  pairing: Id.optional().describe('结对 / pairing'),
  org: Id.optional().describe('组织（含下级）/ organisation subtree'),
  from: IsoDate.optional().describe('检查日期起 / checked on or after'),
  to: IsoDate.optional().describe('检查日期止 / checked on or before'),
  conclusion: Conclusion.optional(),
  status: z.enum(codes(CHECK_STATUSES)).optional().describe('待检查/已检查 / planned or done'),
  ...Paging,
});
export type CheckListQuery = z.infer<typeof CheckListQuery>;

export const Rectification = z.object({
  id: z.number().int(),
  inspectionId: z.number().int(),
  problem: z.string(),
  ownerOrgId: z.number().int(),
  ownerOrgName: z.string().nullable(),
  ownerTownship: z.string().nullable().describe('责任单位所在乡镇 / township of the owner'),
  ownerUserId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  dueOn: z.string(),
  status: z.string().describe('open / overdue / closed'),
  statusLabel: z.string(),
  overdue: z.boolean(),
  evidence: z.string().nullable().describe('整改佐证 / evidence of the rectification'),
  closedOn: z.string().nullable(),
  closedBy: z.number().int().nullable(),
  closedByName: z.string().nullable(),
  check: z.object({
    checkedOn: z.string().nullable(),
    method: z.string().nullable(),
    methodLabel: z.string(),
    targetName: z.string().nullable(),
  }),
});

export const Check = z.object({
  id: z.number().int(),
  roundId: z.number().int().nullable(),
  roundTitle: z.string().nullable(),
  status: z.string(),
  statusLabel: z.string(),
  target: z.object({
    type: z.string().describe('pairing / org'),
    typeLabel: z.string(),
    pairingId: z.number().int().nullable(),
    pairingTitle: z.string().nullable(),
    orgId: z.number().int(),
    orgName: z.string().nullable(),
    name: z.string().nullable().describe('检查对象名称 / what was checked'),
  }),
  township: z.string().nullable(),
  assignedTo: z.number().int().nullable(),
  assignedToName: z.string().nullable(),
  method: z.string().nullable(),
  methodLabel: z.string(),
  checkedOn: z.string().nullable(),
  checkedBy: z.number().int().nullable(),
  checkedByName: z.string().nullable(),
  conclusion: z.string().nullable(),
  conclusionLabel: z.string(),
  findings: z.string().nullable(),
  rectifications: z.object({ total: z.number().int(), open: z.number().int(), overdue: z.number().int() }),
});

export const CheckDetail = Check.extend({ rectificationList: z.array(Rectification) });

export const RoundDetail = Round.extend({ items: z.array(Check) });

// Rectifications ----------------------------------------------------------------------------------

export const RectificationListQuery = z.strictObject({
  status: RectificationStatus.optional().describe('整改中/逾期/已销号 / open, overdue or closed'),
  org: Id.optional().describe('责任单位（含下级）/ owner subtree'),
  ...Paging,
});
export type RectificationListQuery = z.infer<typeof RectificationListQuery>;

export const CloseInput = z.strictObject({
  evidence: Text(2000)
    .min(1, '请填写整改情况和佐证材料 / describe what was done, with evidence')
    .describe('整改情况及佐证（必填）/ what was done, with evidence (required)'),
  closedOn: IsoDate.optional().describe('销号日期，默认今天 / date closed, default today'),
});
export type CloseInput = z.infer<typeof CloseInput>;

export const DashboardQuery = z.strictObject({
  year: Year.optional().describe('年度，默认今年 / year, default this year'),
  org: Id.optional().describe('组织（含下级）/ subtree'),
});

const DashboardCounts = z.object({
  open: z.number().int().describe('整改中（含逾期）/ open, overdue included'),
  overdue: z.number().int().describe('逾期未整改 / overdue'),
  closedThisYear: z.number().int().describe('本年已销号 / closed this year'),
});

export const Dashboard = z.object({
  year: z.number().int(),
  asOf: z.string(),
  total: DashboardCounts,
  byTownship: z.array(
    DashboardCounts.extend({
      orgId: z
        .number()
        .int()
        .nullable()
        .describe('乡镇党委，县直为空 / township committee, null for county level'),
      name: z.string(),
    }),
  ),
});
