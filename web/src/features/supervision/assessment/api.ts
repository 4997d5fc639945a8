import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { SchemeContent } from '../../../../../src/domain/assessment.ts';
import type {
  Decision as DecisionSchema,
  RESULT_LEVELS,
  ResultItem as ResultItemSchema,
  ResultsPage as ResultsPageSchema,
  Run as RunSchema,
  Scheme as SchemeSchema,
  SurveyResponse as SurveyResponseSchema,
  Survey as SurveySchema,
} from '../../../../../src/modules/assessment/schemas.ts';
import { api, type Page } from '../../../lib/api';

/**
 * 年终考评's server state, typed by the server's own response schemas
 * (src/modules/assessment/schemas.ts): schemes, scoring runs and their results, decisions, surveys.
 */
export type Scheme = Omit<z.infer<typeof SchemeSchema>, 'content'> & { content: SchemeContent };
export type Run = z.infer<typeof RunSchema>;
export type ResultItem = z.infer<typeof ResultItemSchema>;
export type ResultsPage = z.infer<typeof ResultsPageSchema>;
export type Decision = z.infer<typeof DecisionSchema>;
export type Survey = z.infer<typeof SurveySchema>;
export type SurveyResponse = z.infer<typeof SurveyResponseSchema>;
export type Level = (typeof RESULT_LEVELS)[number];

export const KEYS = {
  schemes: (year: number) => ['assessment', 'schemes', year] as const,
  runs: (year: number) => ['assessment', 'runs', year] as const,
  results: (runId: number, q: object) => ['assessment', 'results', runId, q] as const,
  decisions: (year: number, kind?: string) => ['assessment', 'decisions', year, kind ?? ''] as const,
  surveys: (year: number) => ['assessment', 'surveys', year] as const,
  responses: (id: number, page: number) => ['assessment', 'survey-responses', id, page] as const,
};

export const useSchemes = (year: number) =>
  useQuery({
    queryKey: KEYS.schemes(year),
    queryFn: () => api.get<Scheme[]>('/api/assessment/schemes', { year }),
  });

export const useRuns = (year: number) =>
  useQuery({ queryKey: KEYS.runs(year), queryFn: () => api.get<Run[]>('/api/assessment/runs', { year }) });

export const useResults = (
  runId: number | undefined,
  q: { level: Level; band?: string; page: number; pageSize: number },
) =>
  useQuery({
    queryKey: KEYS.results(runId ?? 0, q),
    queryFn: () => api.get<ResultsPage>(`/api/assessment/runs/${runId}/results`, q),
    enabled: runId !== undefined,
    placeholderData: keepPreviousData,
  });

export const useDecisions = (year: number, kind?: string) =>
  useQuery({
    queryKey: KEYS.decisions(year, kind),
    queryFn: () => api.get<Decision[]>('/api/assessment/decisions', { year, kind }),
  });

export const useSurveys = (year: number) =>
  useQuery({
    queryKey: KEYS.surveys(year),
    queryFn: () => api.get<Survey[]>('/api/assessment/surveys', { year }),
  });

export const useSurveyResponses = (id: number, page: number) =>
  useQuery({
    queryKey: KEYS.responses(id, page),
    queryFn: () =>
      api.get<Page<SurveyResponse>>(`/api/assessment/surveys/${id}/responses`, { page, pageSize: 10 }),
    placeholderData: keepPreviousData,
  });

/** The public form's full address, for copying into a message or a poster. */
export const publicUrl = (s: Pick<Survey, 'url'>) => new URL(s.url, window.location.origin).toString();
