import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Pairing as PairingSchema } from '../../../../../src/modules/pairings/schemas.ts';
import { api, type Page } from '../../../lib/api';

export type Pairing = z.infer<typeof PairingSchema>;

export interface PairingKind {
  code: string;
  zh: string;
  en: string;
  plan: { zh: string; en: string };
}

export interface PairingFilter {
  kind?: string;
  under?: number;
  level?: string;
  year?: number;
  page: number;
  pageSize: number;
}

/** The kinds of pairing and their rules: data the county can change, so asked of the server. */
export const getPairingKinds = () => api.get<PairingKind[]>('/api/pairing-kinds');
export const pairingKindsQuery = () =>
  queryOptions({ queryKey: ['pairing-kinds'], queryFn: getPairingKinds, staleTime: 10 * 60_000 });
export const usePairingKinds = () => useQuery(pairingKindsQuery());

/** Pairings in my sight with their compliance as of today. */
export const getPairings = (f: PairingFilter) => api.get<Page<Pairing>>('/api/pairings', { ...f });
export const pairingsQuery = (f: PairingFilter) =>
  queryOptions({
    queryKey: ['pairings', 'list', f],
    queryFn: () => getPairings(f),
    placeholderData: keepPreviousData,
  });
export const usePairings = (f: PairingFilter) => useQuery(pairingsQuery(f));
