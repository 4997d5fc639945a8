import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Pairing } from '../../../components/pairing-table';
import { api, type Page } from '../../../lib/api';
import type { Member } from './get-members';

/**
 * A member's pairings: those where they help, are helped or are responsible. The API filters by
 * subtree only, so this reads the pairings touching the member's branch (both sides of a member's
 * pairings sit there) and keeps the member's own.
 */
export async function getMemberPairings(member: Pick<Member, 'id' | 'orgId'>): Promise<Pairing[]> {
  const mine = (p: Pairing) =>
    p.helper.memberId === member.id || p.helped.memberId === member.id || p.responsibleMemberId === member.id;
  const found: Pairing[] = [];
  for (let page = 1; page <= 20; page++) {
    const res = await api.get<Page<Pairing>>('/api/pairings', { under: member.orgId, page, pageSize: 500 });
    found.push(...res.items.filter(mine));
    if (page * res.pageSize >= res.total) break;
  }
  return found;
}

export const memberPairingsQuery = (member: Pick<Member, 'id' | 'orgId'>) =>
  queryOptions({
    queryKey: ['pairings', 'of-member', member.id],
    queryFn: () => getMemberPairings(member),
  });

export const useMemberPairings = (member: Pick<Member, 'id' | 'orgId'> | undefined, enabled = true) =>
  useQuery({
    ...memberPairingsQuery(member ?? { id: 0, orgId: 0 }),
    enabled: enabled && !!member,
  });
