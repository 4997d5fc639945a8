import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CheckInput,
  CheckResult,
  Note,
  NoteInput,
  SignoffInput,
  SignoffResult,
} from '../../../../../src/modules/cards/schemas.ts';
import type { UpdateVisitInput } from '../../../../../src/modules/pairings/schemas.ts';
import { api } from '../../../lib/api';
import { VISIT_AFFECTED_KEYS } from '../../../lib/query-keys';

/** What the register (册) takes: progress notes, the mid-year check (年中), the year-end sign-off (年末). */
export const addNote = (pairingId: number, body: NoteInput) =>
  api.post<z.infer<typeof Note>>(`/api/pairings/${pairingId}/notes`, body);
export const recordChecks = (planId: number, body: CheckInput) =>
  api.post<z.infer<typeof CheckResult>>(`/api/plans/${planId}/checks`, body);
export const signOff = (pairingId: number, body: SignoffInput) =>
  api.post<z.infer<typeof SignoffResult>>(`/api/pairings/${pairingId}/signoffs`, body);

function useRefreshPairing(pairingId: number) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['pairings', pairingId] });
}

export const useAddNote = (pairingId: number) => {
  const refresh = useRefreshPairing(pairingId);
  return useMutation({ mutationFn: (body: NoteInput) => addNote(pairingId, body), onSuccess: refresh });
};

export const useRecordChecks = (pairingId: number, planId: number) => {
  const refresh = useRefreshPairing(pairingId);
  return useMutation({ mutationFn: (body: CheckInput) => recordChecks(planId, body), onSuccess: refresh });
};

export const useSignOff = (pairingId: number) => {
  const refresh = useRefreshPairing(pairingId);
  return useMutation({ mutationFn: (body: SignoffInput) => signOff(pairingId, body), onSuccess: refresh });
};

/** A visit corrected (within 30 days by its side, later by staff): every count it feeds refreshes. */
export const useCorrectVisit = (visitId: number) => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateVisitInput) => api.patch(`/api/visits/${visitId}`, body),
    onSuccess: () => {
      for (const queryKey of VISIT_AFFECTED_KEYS) void qc.invalidateQueries({ queryKey: [...queryKey] });
    },
  });
};
