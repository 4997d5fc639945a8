import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreatePlanInput,
  TransitionInput,
  UpdatePlanInput,
} from '../../../../../src/modules/plans/schemas.ts';
import type { PlanDetail } from '../../../components/plan-view';
import { api } from '../../../lib/api';

/** A pairing's yearly plan: read, draft, edit and submit (审查制: the committee reviews, the county approves). */
export const getPlan = (id: number) => api.get<PlanDetail>(`/api/plans/${id}`);
export const planQuery = (id: number) =>
  queryOptions({ queryKey: ['plans', id], queryFn: () => getPlan(id) });
export const usePlan = (id: number | undefined) => useQuery({ ...planQuery(id ?? 0), enabled: !!id });

export type PlanDraft = Omit<CreatePlanInput, 'tasks' | 'noticeDays'> & {
  tasks: CreatePlanInput['tasks'];
  noticeDays?: number;
};

export const createPlan = (body: PlanDraft) => api.post<PlanDetail>('/api/plans', body);
export const updatePlan = (id: number, body: UpdatePlanInput) =>
  api.patch<PlanDetail>(`/api/plans/${id}`, body);
export const transitionPlan = (id: number, body: TransitionInput) =>
  api.post<PlanDetail>(`/api/plans/${id}/transitions`, body);

/** After any change: the plan, the pairing's register (it shows the plan) and the review lists. */
export function useInvalidatePlan() {
  const qc = useQueryClient();
  return (plan: PlanDetail) => {
    qc.setQueryData(['plans', plan.id], plan);
    void qc.invalidateQueries({ queryKey: ['pairings', plan.pairingId] });
    void qc.invalidateQueries({ queryKey: ['plans', 'list'] });
  };
}

export const useTransitionPlan = () => {
  const done = useInvalidatePlan();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: TransitionInput }) => transitionPlan(id, body),
    onSuccess: done,
  });
};
