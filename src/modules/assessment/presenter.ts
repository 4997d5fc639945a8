import {
  type Band,
  DECISION_KINDS,
  decisionKind,
  type IndicatorScore,
  type SchemeContent,
} from '../../domain/assessment.ts';
import { labelOf } from '../../domain/codes.ts';
import { pairingKind } from '../../domain/pairings.ts';
import type { DecisionRow, PairingResultRow, RunRow, SchemeRow, SurveyRow } from './repository.ts';

/** The assessment as the API shows it: camelCase, Chinese labels beside codes. */

export const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : String(d));
const num = (v: string | number | null | undefined) => (v === null || v === undefined ? null : Number(v));
const json = <T>(raw: unknown) => (typeof raw === 'string' ? JSON.parse(raw) : raw) as T;

export const schemeContent = (raw: unknown) => json<SchemeContent>(raw);

export function presentScheme(s: SchemeRow) {
  return {
    id: s.id,
    year: s.year,
    version: s.version,
    title: s.title,
    content: schemeContent(s.content),
    note: s.note,
    active: s.active,
    createdByName: s.created_by_name,
    createdAt: iso(s.created_at),
    activatedAt: s.activated_at ? iso(s.activated_at) : null,
  };
}

export const surveyUrl = (token: string) => `/public/surveys/${token}`;

export const isSurveyOpen = (s: Pick<SurveyRow, 'opens_on' | 'closes_on' | 'closed_at'>, today: string) =>
  s.closed_at === null && s.opens_on <= today && today <= s.closes_on;

export function presentSurvey(s: SurveyRow, today: string) {
  const counts = {
    satisfied: Number(s.satisfied),
    basicallySatisfied: Number(s.basically_satisfied),
    unsatisfied: Number(s.unsatisfied),
  };
  return {
    id: s.id,
    year: s.year,
    title: s.title,
    pairingId: s.pairing_id,
    orgId: s.org_id,
    orgName: s.org_name,
    opensOn: s.opens_on,
    closesOn: s.closes_on,
    open: isSurveyOpen(s, today),
    closedAt: s.closed_at ? iso(s.closed_at) : null,
    token: s.token,
    url: surveyUrl(s.token),
    responses: { ...counts, total: counts.satisfied + counts.basicallySatisfied + counts.unsatisfied },
    createdByName: s.created_by_name,
  };
}

const bandLabel = (bands: readonly Band[], code: string | null) =>
  code === null ? null : (bands.find((b) => b.code === code)?.zh ?? code);

export function presentRun(r: RunRow, counts?: { level: string; band: string | null; n: number }[]) {
  const scheme = schemeContent(r.scheme_content);
  const bands = counts
    ? Object.fromEntries(
        ['pairing', 'helper', 'branch', 'township'].map((level) => [
          level,
          [...scheme.bands.map((b) => b.code), null].map((band) => ({
            band,
            label: band === null ? '未评定' : bandLabel(scheme.bands, band)!,
            count: counts
              .filter((c) => c.level === level && c.band === band)
              .reduce((s, c) => s + Number(c.n), 0),
          })),
        ]),
      )
    : undefined;
  return {
    id: r.id,
    year: r.year,
    schemeId: r.scheme_id,
    schemeVersion: r.scheme_version,
    schemeTitle: r.scheme_title,
    orgId: r.org_id,
    orgName: r.org_name,
    asOf: r.as_of,
    pairings: r.pairings,
    scored: r.scored,
    runByName: r.run_by_name,
    runAt: iso(r.run_at),
    ...(bands && { bands }),
  };
}

export function presentPairingResult(p: PairingResultRow, scheme: SchemeContent) {
  const labels = new Map(scheme.indicators.map((i) => [i.code, i.zh]));
  const kind = pairingKind(p.kind);
  return {
    level: 'pairing',
    id: p.pairing_id,
    name: p.title,
    orgId: p.helper_org_id,
    orgName: p.helper_org_name,
    kind: p.kind,
    kindLabel: kind?.zh ?? p.kind,
    helper: p.helper_name ?? p.helper_org_name,
    helped: p.helped_org_name,
    township: p.township_name,
    pairings: 1,
    scored: p.score === null ? 0 : 1,
    score: num(p.score),
    band: p.band,
    bandLabel: bandLabel(scheme.bands, p.band),
    coverage: num(p.coverage),
    breakdown: json<IndicatorScore[]>(p.breakdown).map((b) => ({
      code: b.code,
      label: labels.get(b.code) ?? b.code,
      weight: b.weight,
      score: b.score,
      skipped: b.skipped,
    })),
  };
}

export function presentAggregate(
  level: string,
  a: {
    subject_id: number;
    org_id: number;
    name: string;
    org_name: string | null;
    pairings: number;
    scored: number;
    score: string | null;
    band: string | null;
  },
  scheme: SchemeContent,
) {
  return {
    level,
    id: a.subject_id,
    name: a.name,
    orgId: a.org_id,
    orgName: a.org_name,
    kind: null,
    kindLabel: null,
    helper: null,
    helped: null,
    township: null,
    pairings: a.pairings,
    scored: a.scored,
    score: num(a.score),
    band: a.band,
    bandLabel: bandLabel(scheme.bands, a.band),
    coverage: null,
    breakdown: null,
  };
}

export function presentDecision(d: DecisionRow) {
  const kind = decisionKind(d.kind);
  return {
    id: d.id,
    year: d.year,
    kind: d.kind,
    kindLabel: labelOf(DECISION_KINDS, d.kind),
    memberId: d.member_id,
    memberName: d.member_name,
    orgId: d.org_id,
    orgName: d.org_name,
    value: d.value,
    valueLabel: kind ? labelOf(kind.values, d.value) : d.value,
    reason: d.reason,
    runId: d.run_id,
    score: num(d.score),
    band: d.band,
    decidedByName: d.decided_by_name,
    decidedAt: iso(d.decided_at),
    applied: false as const,
  };
}
