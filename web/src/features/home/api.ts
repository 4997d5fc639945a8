import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';

export interface HomePairing {
  id: number;
  kind: string;
  kindLabel: string;
  title: string;
  helper: { memberId: number | null; name: string | null; orgId: number; orgName: string | null };
  helped: { orgId: number; orgName: string | null; name: string | null };
  compliance: {
    level: string;
    levelLabel: string;
    hasQuota: boolean;
    required: number;
    done: number;
    expectedByNow: number;
    nextDueOn: string | null;
  } | null;
}

export interface HomeData {
  asOf: string;
  year: number;
  reviews: { waiting: number } | null;
  compliance: { total: number; onTrack: number; behindPace: number; short: number } | null;
  notices: { open: number; unanswered: number; openWithUnanswered: number } | null;
  myPairings: HomePairing[];
}

export const useHome = () => useQuery({ queryKey: ['home'], queryFn: () => api.get<HomeData>('/api/home') });
