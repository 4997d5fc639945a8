import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { Pairing } from '../../../components/pairing-table';
import { api, type Page } from '../../../lib/api';

export interface OrgPairingsQuery {
  under: number;
  level?: string;
  page: number;
  pageSize: number;
}

/** Pairings with either side in the subtree: GET /api/pairings?under=…. */
export const getOrgPairings = (q: OrgPairingsQuery) => api.get<Page<Pairing>>('/api/pairings', { ...q });

export const orgPairingsQuery = (q: OrgPairingsQuery) =>
  queryOptions({
    queryKey: ['pairings', 'list', q],
    queryFn: () => getOrgPairings(q),
    placeholderData: keepPreviousData,
  });

export const useOrgPairings = (q: OrgPairingsQuery, enabled = true) =>
  useQuery({ ...orgPairingsQuery(q), enabled });
