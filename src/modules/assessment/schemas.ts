import { z } from 'zod';
import {
  checkScheme,
  DECISION_KINDS,
  type SchemeContent as SchemeContentData,
  SURVEY_ANSWERS,
} from '../../domain/assessment.ts';
import { codes } from '../../domain/codes.ts';
import { OUTCOME_UNITS, PAIRING_KIND_CODES } from '../../domain/pairings.ts';
import { Id, IsoDate, Paging } from '../shared-schemas.ts';

/** Requests and answers of the year-end assessment (年终考评) and the satisfaction surveys. */

const Year = z.coerce.number().int().min(2000).max(2100);
const BodyYear = z.number().int().min(2000).max(2100);
const BodyId = z.number().int().positive();
const Points = z.number().min(0).max(100);
const Text = (max: number) => z.string().trim().min(1).max(max);

// Schemes ---------------------------------------------------------------------------------------

const indicatorBase = {
  code: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,31}$/, '指标代码为小写字母、数字和下划线 / a–z, 0–9 and _')
    .describe('指标代码（方案内唯一）/ indicator code, unique in the scheme'),
  zh: Text(50).describe('指标名称 / Chinese name'),
  en: Text(100).describe('英文名称 / English name'),
  weight: z.number().gt(0).max(100).describe('权重，全部指标之和须为100 / weight; the weights sum to 100'),
  whenMissing: z
    .enum(['skip', 'zero'])
    .optional()
    .describe(
      '无相关记录时：skip 不计入（权重由其他指标分摊，默认），zero 计0分 / no records: leave out (default) or score 0',
    ),
  kinds: z
    .array(z.enum(PAIRING_KIND_CODES))
    .max(20)
    .optional()
    .describe('只适用于这些结对类型 / only for these kinds of pairing'),
};

const OpinionCredits = z
  .strictObject({
    satisfied: Points.optional(),
    basically_satisfied: Points.optional(),
    unsatisfied: Points.optional(),
  })
  .describe('各意见得分（0–100）/ points per opinion');

export const Indicator = z.discriminatedUnion('method', [
  z.strictObject({
    ...indicatorBase,
    method: z
      .literal('quota')
      .describe('到点工作完成率：实到次数÷应到次数（按结对期折算）/ quota completion'),
    params: z.strictObject({}).optional(),
  }),
  z.strictObject({
    ...indicatorBase,
    method: z.literal('tasks').describe('卡册任务完成情况（年中检查与进展记录）/ task completion'),
    params: z
      .strictObject({
        credits: z
          .strictObject({
            done: Points.optional(),
            in_progress: Points.optional(),
            noted: Points.optional(),
            behind: Points.optional(),
            not_started: Points.optional(),
          })
          .optional()
          .describe(
            '各状态得分；noted 为未检查但有进展记录 / points per status; noted: unchecked with notes',
          ),
      })
      .optional(),
  }),
  z.strictObject({
    ...indicatorBase,
    method: z.literal('signoff').describe('年末签署意见 / year-end sign-off opinions'),
    params: z.strictObject({ credits: OpinionCredits.optional() }).optional(),
  }),
  z.strictObject({
    ...indicatorBase,
    method: z.literal('satisfaction').describe('群众满意度（满意度测评与公示意见答复）/ mass satisfaction'),
    params: z
      .strictObject({
        credits: OpinionCredits.optional(),
        minResponses: z
          .number()
          .int()
          .min(1)
          .max(10_000)
          .optional()
          .describe('最少答卷数 / fewest responses used'),
        feedbackShare: Points.optional().describe(
          '公示意见答复率所占比例（%），默认20 / share of the feedback answered, per cent',
        ),
      })
      .optional(),
  }),
  z.strictObject({
    ...indicatorBase,
    method: z.literal('inspections').describe('督查发现问题及整改 / check findings and rectification'),
    params: z
      .strictObject({
        conclusions: z
          .strictObject({ good: Points.optional(), fair: Points.optional(), problems: Points.optional() })
          .optional()
          .describe('督查结论得分 / points per conclusion'),
        lateDeduction: Points.optional().describe('逾期整改每项扣分 / points off per late rectification'),
        overdueDeduction: Points.optional().describe(
          '逾期未整改每项扣分 / points off per overdue open problem',
        ),
      })
      .optional(),
  }),
  z.strictObject({
    ...indicatorBase,
    method: z.literal('outcomes').describe('帮扶成效（资金、项目、培训等）/ outcomes'),
    params: z
      .strictObject({
        targets: z
          .partialRecord(z.enum(codes(OUTCOME_UNITS)), z.number().gt(0))
          .optional()
          .describe('每个结对全年目标，达到任一目标即满分 / targets per pairing and year'),
      })
      .optional(),
  }),
]);

export const Band = z.strictObject({
  code: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,31}$/)
    .describe('等次代码 / band code'),
  zh: Text(20).describe('等次，如“优秀” / band, e.g. 优秀'),
  en: Text(40),
  min: Points.describe('分数线（含）/ lowest score in the band'),
});

export const SchemeContent = z
  .strictObject({
    indicators: z.array(Indicator).min(1).max(30),
    bands: z.array(Band).min(1).max(10).describe('从高到低 / highest first'),
    minCoverage: Points.optional().describe(
      '计分指标权重合计低于此值的结对不评定（记录不足），默认0 / pairings scored on fewer weights are left unscored',
    ),
  })
  .superRefine((s, ctx) => {
    for (const p of checkScheme(s as SchemeContentData)) {
      ctx.addIssue({
        code: 'custom',
        message: p.message,
        path: p.field.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x)),
      });
    }
  });

export const SchemeInput = z.strictObject({
  year: BodyYear.describe('考评年度 / year assessed'),
  title: Text(200).describe('方案名称 / title'),
  content: SchemeContent,
  note: z.string().trim().max(1000).optional().describe('修订说明 / what changed'),
  activate: z.boolean().optional().describe('保存后即启用 / make it the active version'),
});
export type SchemeInput = z.infer<typeof SchemeInput>;

export const Scheme = z.object({
  id: z.number().int(),
  year: z.number().int(),
  version: z.number().int(),
  title: z.string(),
  content: z.any().describe('指标与等次 / indicators and bands'),
  note: z.string().nullable(),
  active: z.boolean(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  activatedAt: z.string().nullable(),
});

export const SchemeListQuery = z.strictObject({ year: Year.optional().describe('年度 / year') });

// Surveys -----------------------------------------------------------------------------------------

export const SurveyInput = z
  .strictObject({
    year: BodyYear.describe('所属考评年度 / the year it counts for'),
    pairingId: BodyId.optional().describe('针对一个结对 / about one pairing'),
    orgId: BodyId.optional().describe('针对一个村（组织）及其下的结对 / about a village and its pairings'),
    title: Text(200).optional().describe('标题，默认按对象生成 / title, made up when left out'),
    opensOn: IsoDate.optional().describe('开始日期，默认今天 / first day, default today'),
    closesOn: IsoDate.describe('截止日期 / last day'),
  })
  .refine((s) => (s.pairingId === undefined) !== (s.orgId === undefined), {
    message: '请指定结对或组织之一 / give a pairing or an organisation',
    path: ['pairingId'],
  });
export type SurveyInput = z.infer<typeof SurveyInput>;

export const SurveyCounts = z.object({
  satisfied: z.number().int(),
  basicallySatisfied: z.number().int(),
  unsatisfied: z.number().int(),
  total: z.number().int(),
});

export const Survey = z.object({
  id: z.number().int(),
  year: z.number().int(),
  title: z.string(),
  pairingId: z.number().int().nullable(),
  orgId: z.number().int(),
  orgName: z.string().nullable(),
  opensOn: z.string(),
  closesOn: z.string(),
  open: z.boolean(),
  closedAt: z.string().nullable(),
  token: z.string().describe('公开链接的口令 / the token of the public link'),
  url: z.string().describe('群众填写页面 / the public page'),
  responses: SurveyCounts,
  createdByName: z.string().nullable(),
});

export const SurveyListQuery = z.strictObject({ year: Year.optional() });

export const TokenParams = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/, '链接无效 / not a survey link'),
});

export const PublicSurvey = z.object({
  title: z.string(),
  county: z.object({ name: z.string() }),
  subject: z.string().describe('测评对象（组织名称，不含个人信息）/ what the survey is about'),
  year: z.number().int(),
  opensOn: z.string(),
  closesOn: z.string(),
  open: z.boolean(),
  question: z.string(),
  options: z.array(z.object({ code: z.string(), label: z.string() })),
});

export const ResponseInput = z.strictObject({
  answer: z.enum(codes(SURVEY_ANSWERS)).describe('满意 / 基本满意 / 不满意'),
  comment: z.string().trim().max(500).optional().describe('意见建议（选填，不超过500字）/ comment, optional'),
});
export type ResponseInput = z.infer<typeof ResponseInput>;

export const ResponseReceipt = z.object({ message: z.string(), messageEn: z.string() });

// Runs and results --------------------------------------------------------------------------------

export const RunInput = z.strictObject({
  year: BodyYear.describe('考评年度 / year'),
  orgId: BodyId.optional().describe('范围（含下级），默认全县 / subtree, default the county'),
  asOf: IsoDate.optional().describe('截至日期，往年默认12月31日、今年默认今天 / as of'),
});
export type RunInput = z.infer<typeof RunInput>;

const BandCount = z.object({ band: z.string().nullable(), label: z.string(), count: z.number().int() });

export const Run = z.object({
  id: z.number().int(),
  year: z.number().int(),
  schemeId: z.number().int(),
  schemeVersion: z.number().int(),
  schemeTitle: z.string(),
  orgId: z.number().int(),
  orgName: z.string().nullable(),
  asOf: z.string(),
  pairings: z.number().int(),
  scored: z.number().int(),
  runByName: z.string().nullable(),
  runAt: z.string(),
  bands: z
    .record(z.string(), z.array(BandCount))
    .optional()
    .describe('各层级各等次数量（仅含可见范围）/ counts per level and band, within sight'),
});

export const RunListQuery = z.strictObject({ year: Year.optional() });

export const RESULT_LEVELS = ['pairing', 'helper', 'branch', 'township'] as const;
export const ResultsQuery = z.strictObject({
  level: z
    .enum(RESULT_LEVELS)
    .default('pairing')
    .describe('结对 / 帮扶人（党员、领导干部）/ 党支部 / 乡镇 — pairing, helper, branch or township'),
  band: z.string().max(32).optional().describe('只看某一等次 / one band only'),
  orgId: Id.optional().describe('只看该组织之下 / within this subtree'),
  ...Paging,
});
export type ResultsQuery = z.infer<typeof ResultsQuery>;

export const IndicatorResult = z.object({
  code: z.string(),
  label: z.string(),
  weight: z.number(),
  score: z.number().nullable(),
  skipped: z.string().nullable(),
});

export const ResultItem = z.object({
  level: z.string(),
  id: z.number().int().describe('结对、党员或组织的id / the pairing, member or organisation'),
  name: z.string(),
  orgId: z.number().int().nullable(),
  orgName: z.string().nullable(),
  kind: z.string().nullable(),
  kindLabel: z.string().nullable(),
  helper: z.string().nullable(),
  helped: z.string().nullable(),
  township: z.string().nullable(),
  pairings: z.number().int(),
  scored: z.number().int(),
  score: z.number().nullable(),
  band: z.string().nullable(),
  bandLabel: z.string().nullable(),
  coverage: z.number().nullable(),
  breakdown: z.array(IndicatorResult).nullable(),
});

export const ResultsPage = z.object({
  run: Run,
  level: z.string(),
  items: z.array(ResultItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

// Decisions ---------------------------------------------------------------------------------------

export const DecisionInput = z
  .strictObject({
    year: BodyYear,
    kind: z
      .enum(codes(DECISION_KINDS))
      .describe('民主评议党员 / 党建示范点 / 五好乡镇党委 / 五好村党支部 / 评星定级'),
    memberId: BodyId.optional().describe('民主评议的党员 / the member (democratic evaluation)'),
    orgId: BodyId.optional().describe('评选的组织 / the organisation (honours, stars)'),
    value: z
      .string()
      .max(32)
      .describe(
        '民主评议：excellent/qualified/basically_qualified/unqualified；荣誉：recommend/not_recommend；星级：1–5',
      ),
    reason: Text(1000).describe('理由（必填）/ why'),
    runId: BodyId.optional().describe(
      '参考的考评结果，默认该年最近一次 / the run consulted, default the latest',
    ),
  })
  .refine((d) => (d.memberId === undefined) !== (d.orgId === undefined), {
    message: '请指定党员或组织之一 / give a member or an organisation',
    path: ['memberId'],
  });
export type DecisionInput = z.infer<typeof DecisionInput>;

export const Decision = z.object({
  id: z.number().int(),
  year: z.number().int(),
  kind: z.string(),
  kindLabel: z.string(),
  memberId: z.number().int().nullable(),
  memberName: z.string().nullable(),
  orgId: z.number().int(),
  orgName: z.string().nullable(),
  value: z.string(),
  valueLabel: z.string(),
  reason: z.string(),
  runId: z.number().int().nullable(),
  score: z.number().nullable().describe('决定时参考的考评得分 / the score consulted'),
  band: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string(),
  applied: z
    .literal(false)
    .describe('仅为建议，由相关程序决定，系统不自动执行 / a proposal; never applied by the system'),
});

export const DecisionListQuery = z.strictObject({
  year: Year.optional(),
  kind: z.enum(codes(DECISION_KINDS)).optional(),
});

const Labelled = z.object({ code: z.string(), zh: z.string(), en: z.string() });
export const Catalogue = z.object({
  methods: z.array(Labelled),
  decisionKinds: z.array(Labelled.extend({ subject: z.string(), values: z.array(Labelled) })),
  surveyAnswers: z.array(Labelled),
});

export const SurveyResponse = z.object({
  id: z.number().int(),
  answer: z.string(),
  answerLabel: z.string(),
  comment: z.string().nullable(),
  createdAt: z.string(),
});
