import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Member as MemberSchema,
  MemberListQuery as QuerySchema,
} from '../../../../../src/modules/members/schemas.ts';
import { api, type Page } from '../../../lib/api';

export type Member = z.infer<typeof MemberSchema>;
/** The list's query as the address bar carries it (booleans as 'true' / 'false'). */
export type MemberFilters = Partial<Record<keyof z.input<typeof QuerySchema>, string>>;

/** Members with filters and paging: GET /api/members. ID numbers and phones come masked. */
export const getMembers = (q: MemberFilters) => api.get<Page<Member>>('/api/members', q);

export const membersQuery = (q: MemberFilters) =>
  queryOptions({
    queryKey: ['members', 'list', q],
    queryFn: () => getMembers(q),
    placeholderData: keepPreviousData,
  });

export const useMembers = (q: MemberFilters) => useQuery(membersQuery(q));
