import { z } from 'zod';
import { codes } from '../../domain/codes.ts';
import {
  FIVE_SYSTEMS,
  FORMATIONS,
  OUTCOME_UNITS,
  PAIRING_KIND_CODES,
  VISIT_KINDS,
} from '../../domain/pairings.ts';
import { Id, IsoDate, Paging, QueryBool } from '../shared-schemas.ts';

export const PairingKind = z.enum(PAIRING_KIND_CODES).describe('结对类型 / pairing kind');
export const VisitKind = z.enum(codes(VISIT_KINDS)).describe('活动类型 / visit kind');
export const SystemCode = z.enum(codes(FIVE_SYSTEMS));
const Year = z.coerce.number().int().min(2000).max(2100);

export const Compliance = z.object({
  year: z.number().int(),
  asOf: z.string(),
  active: z.boolean(),
  hasQuota: z.boolean(),
  requiredFullYear: z.number().int(),
  required: z.number().int(),
  done: z.number().int(),
  expectedByNow: z.number().int(),
  onPace: z.boolean(),
  shortfall: z.number().int(),
  level: z.string(),
  levelLabel: z.string(),
  nextDueOn: z
    .string()
    .nullable()
    .describe('下次走访应在此日前（保持进度）/ next visit due by, to stay on pace'),
});

export const Pairing = z.object({
  id: z.number().int(),
  kind: z.string(),
  kindLabel: z.string(),
  formation: z.string(),
  yearFrom: z.number().int(),
  yearTo: z.number().int(),
  startedOn: z.string(),
  endedOn: z.string().nullable(),
  title: z.string(),
  helper: z.object({
    memberId: z.number().int().nullable(),
    name: z.string().nullable(),
    leaderRank: z.string().nullable(),
    orgId: z.number().int(),
    orgName: z.string().nullable(),
  }),
  helped: z.object({
    orgId: z.number().int(),
    orgName: z.string().nullable(),
    memberId: z.number().int().nullable(),
    householdId: z.number().int().nullable(),
    placeId: z.number().int().nullable(),
    name: z.string().nullable(),
  }),
  responsibleMemberId: z.number().int().nullable(),
  obligations: z.array(z.string()),
  compliance: Compliance.nullable(),
});

export const PairingListQuery = z.strictObject({
  year: Year.optional().describe('工作年度，默认今年 / work year, default this year'),
  kind: PairingKind.optional(),
  under: Id.optional().describe('任一方在该组织之下 / either side within this subtree'),
  level: z.enum(['on_track', 'behind_pace', 'short', 'not_started']).optional(),
  mine: QueryBool.optional().describe(
    '只看我承担的：我是帮扶人或责任人；支部书记为本支部作为任一方的结对 / only pairings I carry out (a branch secretary: their branch on either side)',
  ),
  asOf: IsoDate.optional(),
  ...Paging,
});
export type PairingListQuery = z.infer<typeof PairingListQuery>;

export const CreatePairingInput = z.strictObject({
  kind: PairingKind,
  formation: z.enum(codes(FORMATIONS)).optional(),
  yearFrom: Year,
  yearTo: Year.optional(),
  startedOn: IsoDate.optional().describe('默认为起始年度1月1日 / default 1 January of yearFrom'),
  endedOn: IsoDate.nullable().optional(),
  helper: z.strictObject({ memberId: Id.optional(), orgId: Id.optional() }),
  helped: z.strictObject({
    orgId: Id.optional(),
    memberId: Id.optional(),
    householdId: Id.optional(),
    placeId: Id.optional(),
  }),
  responsibleMemberId: Id.optional(),
  obligations: z.array(SystemCode).max(5).optional(),
  title: z.string().trim().min(2).max(100).optional(),
});
export type CreatePairingInput = z.infer<typeof CreatePairingInput>;

const Outcome = z.strictObject({
  unit: z.enum(codes(OUTCOME_UNITS)),
  amount: z.number().min(0).max(1e12),
  note: z.string().trim().max(200).optional(),
});

export const CreateVisitInput = z.strictObject({
  pairingIds: z
    .array(Id)
    .min(1)
    .max(20)
    .describe('本次活动计入的结对（一条记录可计入多个）/ pairings it counts for'),
  visitedOn: IsoDate,
  kind: VisitKind,
  subKind: z.string().trim().max(30).optional(),
  content: z.string().trim().min(2, '请写几句活动内容 / a few words on what was done').max(4000),
  problemsFound: z.string().trim().max(2000).optional(),
  problemsSolved: z.string().trim().max(2000).optional(),
  participantIds: z.array(Id).max(200).optional(),
  outcomes: z.array(Outcome).max(10).optional(),
  clientRef: z
    .string()
    .regex(/^[A-Za-z0-9-]{8,64}$/, '草稿编号格式不正确 / bad draft reference')
    .optional()
    .describe(
      '手机草稿的编号：网络不好重发时，同一编号只保存一次，返回已保存的记录 / the draft’s reference: sent again, the saved visit is returned, not a copy',
    ),
});
export type CreateVisitInput = z.infer<typeof CreateVisitInput>;

export const UpdateVisitInput = z
  .strictObject({
    visitedOn: IsoDate,
    kind: VisitKind,
    subKind: z.string().trim().max(30).nullable(),
    content: z.string().trim().min(2).max(4000),
    problemsFound: z.string().trim().max(2000).nullable(),
    problemsSolved: z.string().trim().max(2000).nullable(),
    outcomes: z.array(Outcome).max(10),
  })
  .partial();
export type UpdateVisitInput = z.infer<typeof UpdateVisitInput>;

export const Visit = z.object({
  id: z.number().int(),
  visitedOn: z.string(),
  kind: z.string(),
  kindLabel: z.string(),
  subKind: z.string().nullable(),
  content: z.string(),
  problemsFound: z.string().nullable(),
  problemsSolved: z.string().nullable(),
  correctableUntil: z
    .string()
    .describe(
      '登记后30天内可由登记方修改，此后须党(工)委或组织部 / correctable by its side until this day; staff later',
    ),
  pairingIds: z.array(z.number().int()),
  participants: z.array(z.object({ id: z.number().int(), name: z.string() })),
  outcomes: z.array(
    z.object({ unit: z.string(), unitLabel: z.string(), amount: z.number(), note: z.string().nullable() }),
  ),
});

export const ObligationStatus = z.object({
  system: z.string(),
  label: z.string(),
  events: z.number().int(),
  owed: z.number().int().describe('本年应开展的期数 / periods owed this year'),
  done: z.number().int(),
  dueByNow: z.number().int(),
  missed: z.array(z.string()).describe('已错过的期（如 2026-Q2）/ periods missed'),
  ok: z.boolean(),
});

export const PairingDetail = Pairing.extend({
  obligationStatus: z
    .array(ObligationStatus)
    .describe('互助共建五项制度的落实情况 / the five standing systems'),
  visits: z.array(Visit),
});

export const SummaryQuery = z.strictObject({
  year: Year.optional(),
  org: Id.optional().describe('组织（含下级），默认本人所在组织 / subtree, default your own'),
  asOf: IsoDate.optional(),
});

const LevelCounts = z.object({
  on_track: z.number().int(),
  behind_pace: z.number().int(),
  short: z.number().int(),
  not_started: z.number().int(),
  inactive: z.number().int(),
  total: z.number().int(),
});

export const Summary = z.object({
  year: z.number().int(),
  asOf: z.string(),
  org: z.object({ id: z.number().int(), name: z.string() }),
  headline: z.string().describe('调研报告000的表述 / the seed report’s own sentence'),
  leaders: z.number().int(),
  leaderRuralBranches: z.number().int(),
  leaderEnterpriseBranches: z.number().int(),
  cobuildBranches: z.number().int(),
  assistMembers: z.number().int(),
  assistedNeedyMembers: z.number().int(),
  assistedNeedyHouseholds: z.number().int(),
  compliance: LevelCounts,
  byKind: z.array(z.object({ kind: z.string(), kindLabel: z.string(), levels: LevelCounts })),
  byTownship: z.array(
    z.object({
      orgId: z.number().int().nullable(),
      name: z.string(),
      inScope: z.boolean().describe('可按该乡镇筛选（在本人管辖范围内）/ the user may narrow to it'),
      levels: LevelCounts,
    }),
  ),
  laggards: z.array(
    z.object({
      id: z.number().int(),
      title: z.string(),
      kindLabel: z.string(),
      level: z.string(),
      done: z.number().int(),
      required: z.number().int(),
      shortfall: z.number().int(),
    }),
  ),
});

/**
 * A kind's quota rule as the county sets it: a PUT replaces the rule whole, so it carries every field
 * of `QuotaRule` (src/domain/pairings.ts) — an empty or partial body is a 400 naming the missing
 * field, never a rule stored half (an empty one would silently fall back to the built-in numbers).
 */
export const QuotaRuleInput = z.strictObject({
  visitsPerYear: z
    .union([
      z.number().int().min(0).max(366),
      z.strictObject({
        byRank: z.strictObject({
          county: z.number().int().min(0).max(366),
          section: z.number().int().min(0).max(366),
          other: z.number().int().min(0).max(366).optional(),
        }),
      }),
    ])
    .describe('每年次数，或按职级 / visits a year, or by leader rank'),
  countsVisitKinds: z.array(VisitKind).min(1).describe('计入的走访类型 / visit kinds that count'),
  basis: z.enum(['on_site', 'any']).describe('到点(实地)或不限 / on site only, or any'),
});
export type QuotaRuleInput = z.infer<typeof QuotaRuleInput>;
