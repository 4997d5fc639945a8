import {
  type Band,
  DECISION_KINDS,
  DEFAULT_CONCLUSION_POINTS,
  DEFAULT_FEEDBACK_SHARE,
  DEFAULT_LATE_DEDUCTION,
  DEFAULT_MIN_RESPONSES,
  DEFAULT_OPINION_CREDITS,
  DEFAULT_OUTCOME_TARGETS,
  DEFAULT_OVERDUE_DEDUCTION,
  DEFAULT_TASK_CREDITS,
  type Indicator,
  SCORING_METHODS,
} from '../../../../../src/domain/assessment.ts';
import { OUTCOME_UNITS, pairingKind } from '../../../../../src/domain/pairings.ts';
import type { Lang } from '../../../lib/i18n';

/**
 * How an indicator turns a pairing's records into 0–100, in words, with the scheme's own numbers
 * (or the domain's defaults where the scheme gives none): what the county reads when it checks a
 * scheme, the same rules src/domain/assessment.ts applies.
 */
export const methodLabel = (method: string, lang: Lang) => {
  const m = SCORING_METHODS.find((x) => x.code === method);
  return m ? (lang === 'en' ? m.en : m.zh) : method;
};

export function describeIndicator(ind: Indicator, lang: Lang): string {
  const en = lang === 'en';
  const L = (zh: string, e: string) => (en ? e : zh);
  const list = (pairs: [string, string, number][]) =>
    pairs.map(([zh, e, n]) => (en ? `${e} ${n}` : `${zh}${n}分`)).join(en ? ', ' : '、');
  switch (ind.method) {
    case 'quota':
      return L(
        '实到次数÷应到次数（按结对期折算），超过按100分计',
        'Visits made ÷ visits due (prorated for a part year), capped at 100',
      );
    case 'tasks': {
      const c = { ...DEFAULT_TASK_CREDITS, ...ind.params?.credits };
      return `${L('各任务按最近一次年中检查计分：', 'Each task by its latest mid-year check: ')}${list([
        ['已完成', 'done', c.done],
        ['推进中', 'in progress', c.in_progress],
        ['未检查但有进展记录', 'unchecked with notes', c.noted],
        ['滞后', 'behind', c.behind],
        ['未开始', 'not started', c.not_started],
      ])}${L('，取平均', '; the mean')}`;
    }
    case 'signoff': {
      const c = { ...DEFAULT_OPINION_CREDITS, ...ind.params?.credits };
      return `${L('年末签署意见：', 'Sign-off opinions: ')}${list([
        ['满意', 'satisfied', c.satisfied],
        ['基本满意', 'basically', c.basically_satisfied],
        ['不满意', 'unsatisfied', c.unsatisfied],
      ])}${L('，取平均', '; the mean')}`;
    }
    case 'satisfaction': {
      const p = ind.params ?? {};
      const c = { ...DEFAULT_OPINION_CREDITS, ...p.credits };
      const min = p.minResponses ?? DEFAULT_MIN_RESPONSES;
      const share = p.feedbackShare ?? DEFAULT_FEEDBACK_SHARE;
      return `${L('满意度测评答卷：', 'Survey answers: ')}${list([
        ['满意', 'satisfied', c.satisfied],
        ['基本满意', 'basically', c.basically_satisfied],
        ['不满意', 'unsatisfied', c.unsatisfied],
      ])}${L(
        `，取平均（少于${min}份不计）；公示意见答复率占${share}%`,
        ` averaged (fewer than ${min} answers not used); notice feedback answered weighs ${share}%`,
      )}`;
    }
    case 'inspections': {
      const p = ind.params ?? {};
      const c = { ...DEFAULT_CONCLUSION_POINTS, ...p.conclusions };
      const late = p.lateDeduction ?? DEFAULT_LATE_DEDUCTION;
      const overdue = p.overdueDeduction ?? DEFAULT_OVERDUE_DEDUCTION;
      return `${L('督查结论：', 'Check conclusions: ')}${list([
        ['好', 'good', c.good],
        ['一般', 'fair', c.fair],
        ['存在问题', 'problems', c.problems],
      ])}${L(
        `，取平均；逾期整改每项扣${late}分，逾期未整改每项扣${overdue}分`,
        `, the mean; ${late} off per late rectification, ${overdue} off per overdue open one`,
      )}`;
    }
    case 'outcomes': {
      const targets = ind.params?.targets ?? DEFAULT_OUTCOME_TARGETS;
      const parts = Object.entries(targets).map(([unit, n]) => {
        const u = OUTCOME_UNITS.find((x) => x.code === unit);
        if (!u) return `${unit} ${n}`;
        return en ? `${u.measure.en} ${n} ${u.en}` : `${u.measure.zh}${n}${u.zh}`;
      });
      return `${L('每个结对全年目标：', 'Yearly target per pairing: ')}${parts.join(en ? ', ' : '、')}${L(
        '；达到任一目标（或几项合计达到）即满分',
        '; one target reached (or parts adding up to one) is full marks',
      )}`;
    }
  }
}

/** What the scheme does when a pairing has no records for the indicator, and which kinds it applies to. */
export function indicatorScope(ind: Indicator, lang: Lang): string {
  const en = lang === 'en';
  const missing =
    ind.whenMissing === 'zero'
      ? en
        ? 'No records: 0'
        : '无记录计0分'
      : en
        ? 'No records: left out'
        : '无记录不计入';
  if (!ind.kinds?.length) return missing;
  const kinds = ind.kinds.map((k) => (en ? (pairingKind(k)?.en ?? k) : (pairingKind(k)?.zh ?? k)));
  return `${missing}${en ? '; only ' : '；仅适用于'}${kinds.join(en ? ', ' : '、')}`;
}

/** A band's range in words: 优秀 90分以上, 良好 80–90分 … */
export function bandRange(bands: readonly Band[], i: number, lang: Lang): string {
  const b = bands[i];
  if (!b) return '';
  const above = bands[i - 1];
  if (!above) return lang === 'en' ? `${b.min} and above` : `${b.min}分及以上`;
  if (b.min === 0) return lang === 'en' ? `below ${above.min}` : `${above.min}分以下`;
  return lang === 'en' ? `${b.min} to below ${above.min}` : `${b.min}（含）至${above.min}分`;
}

/** Colours of bands by position, best first: the county names them, the screen only orders them. */
const BAND_COLORS = ['#389e0d', '#1677ff', '#fa8c16', '#cf1322', '#8c8c8c', '#722ed1'];
export const bandColor = (bands: readonly Band[], code: string | null | undefined) => {
  if (!code) return '#bfbfbf';
  const i = bands.findIndex((b) => b.code === code);
  return i < 0 ? '#8c8c8c' : (BAND_COLORS[Math.min(i, BAND_COLORS.length - 1)] ?? '#8c8c8c');
};

/** A band's name in the user's language (the server labels it in Chinese). */
export const bandName = (
  bands: readonly Band[],
  code: string | null | undefined,
  fallback: string | null | undefined,
  lang: Lang,
) => {
  const b = code ? bands.find((x) => x.code === code) : undefined;
  return b ? (lang === 'en' ? b.en : b.zh) : (fallback ?? '');
};

/** A decision's kind and value in the user's language. */
export function decisionLabels(
  d: { kind: string; kindLabel: string; value: string; valueLabel: string },
  lang: Lang,
) {
  if (lang !== 'en') return { kind: d.kindLabel, value: d.valueLabel };
  const k = DECISION_KINDS.find((x) => x.code === d.kind);
  const v = k?.values.find((x: { code: string }) => x.code === d.value);
  return { kind: k?.en ?? d.kindLabel, value: v?.en ?? d.valueLabel };
}
