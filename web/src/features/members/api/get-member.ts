import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api';
import type { Member } from './get-members';

/** One member, masked: GET /api/members/:id. */
export const getMember = (id: number) => api.get<Member>(`/api/members/${id}`);

export const memberQuery = (id: number) =>
  queryOptions({ queryKey: ['members', 'detail', id], queryFn: () => getMember(id) });

export const useMember = (id: number) => useQuery({ ...memberQuery(id), enabled: id > 0 });
