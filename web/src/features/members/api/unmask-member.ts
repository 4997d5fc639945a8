import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api';

export interface Unmasked {
  id: number;
  name: string;
  idNumber: string;
  phone: string | null;
  address: string | null;
}

/**
 * The full ID number and phone: GET /api/members/:id/unmasked. Every call is written to the audit
 * log, so it is asked for on a click only and never cached or retried.
 */
export const unmaskMember = (id: number) => api.get<Unmasked>(`/api/members/${id}/unmasked`);

export const useUnmaskMember = () => useMutation({ mutationFn: unmaskMember, retry: false });
