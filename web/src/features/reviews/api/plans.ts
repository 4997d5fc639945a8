import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Plan as PlanSchema, TransitionInput } from '../../../../../src/modules/plans/schemas.ts';
import type { PlanDetail } from '../../../components/plan-view';
import { api, type Page } from '../../../lib/api';

/** Plans under review (审查制): what waits for me, one plan, and the decision on it. */
export type PlanSummary = z.infer<typeof PlanSchema>;

export interface PlanFilter {
  inbox?: boolean;
  status?: string;
  year?: number;
  page: number;
  pageSize: number;
}

export const getPlans = (f: PlanFilter) => api.get<Page<PlanSummary>>('/api/plans', { ...f });
export const plansQuery = (f: PlanFilter) =>
  queryOptions({
    queryKey: ['plans', 'list', f],
    queryFn: () => getPlans(f),
    placeholderData: keepPreviousData,
  });
export const usePlans = (f: PlanFilter) => useQuery(plansQuery(f));

export const getPlan = (id: number) => api.get<PlanDetail>(`/api/plans/${id}`);
export const usePlan = (id: number) => useQuery({ queryKey: ['plans', id], queryFn: () => getPlan(id) });

export const transitionPlan = (id: number, body: TransitionInput) =>
  api.post<PlanDetail>(`/api/plans/${id}/transitions`, body);

export function useTransitionPlan(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TransitionInput) => transitionPlan(id, body),
    onSuccess: (plan) => {
      qc.setQueryData(['plans', id], plan);
      void qc.invalidateQueries({ queryKey: ['plans', 'list'] });
      void qc.invalidateQueries({ queryKey: ['pairings', plan.pairingId] });
      void qc.invalidateQueries({ queryKey: ['notices'] });
    },
    onError: () => void qc.invalidateQueries({ queryKey: ['plans', id] }),
  });
}
