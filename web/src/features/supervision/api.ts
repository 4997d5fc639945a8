import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../../lib/api';

/** 督查 screens' server state (shapes as src/modules/inspections/schemas.ts answers them). */
export interface Rectification {
  id: number;
  inspectionId: number;
  problem: string;
  ownerOrgId: number;
  ownerOrgName: string | null;
  ownerTownship: string | null;
  ownerName: string | null;
  dueOn: string;
  status: 'open' | 'overdue' | 'closed';
  statusLabel: string;
  overdue: boolean;
  evidence: string | null;
  closedOn: string | null;
  closedByName: string | null;
  check: { checkedOn: string | null; methodLabel: string; targetName: string | null };
}

export interface Check {
  id: number;
  roundId: number | null;
  roundTitle: string | null;
  status: 'planned' | 'done';
  statusLabel: string;
  target: { type: string; typeLabel: string; pairingId: number | null; orgId: number; name: string | null };
  township: string | null;
  assignedToName: string | null;
  methodLabel: string;
  checkedOn: string | null;
  checkedByName: string | null;
  conclusion: string | null;
  conclusionLabel: string;
  findings: string | null;
  rectifications: { total: number; open: number; overdue: number };
}

export interface Round {
  id: number;
  year: number;
  quarter: number;
  quarterLabel: string;
  title: string;
  orgName: string | null;
  dueOn: string | null;
  progress: {
    items: number;
    planned: number;
    done: number;
    withProblems: number;
    openRectifications: number;
    overdueRectifications: number;
  };
}

export interface RectificationDashboard {
  year: number;
  asOf: string;
  total: { open: number; overdue: number; closedThisYear: number };
  byTownship: { orgId: number | null; name: string; open: number; overdue: number; closedThisYear: number }[];
}

export const useRectifications = (q: { status?: string; page: number }) =>
  useQuery({
    queryKey: ['rectifications', q],
    queryFn: () =>
      api.get<Page<Rectification>>('/api/rectifications', { status: q.status, page: q.page, pageSize: 20 }),
  });

/** Open ones I or my organisation must put right (the home page shows them too). */
export const useMyRectifications = (enabled = true) =>
  useQuery({
    queryKey: ['rectifications', 'mine'],
    queryFn: () =>
      api.get<{ items: Rectification[]; open: number; overdue: number }>('/api/rectifications/mine'),
    enabled,
  });

export const useRectificationDashboard = (enabled: boolean) =>
  useQuery({
    queryKey: ['rectifications', 'dashboard'],
    queryFn: () => api.get<RectificationDashboard>('/api/rectifications/dashboard'),
    enabled,
  });

export const useChecks = (q: Record<string, string | number | undefined>) =>
  useQuery({ queryKey: ['inspections', q], queryFn: () => api.get<Page<Check>>('/api/inspections', q) });

export const useRounds = (year: number) =>
  useQuery({
    queryKey: ['inspection-rounds', year],
    queryFn: () => api.get<Page<Round>>('/api/inspection-rounds', { year, pageSize: 50 }),
  });

/** The pairings the user sees, as choices for a check or a round (one query both forms share). */
export const usePairingChoices = (enabled: boolean) =>
  useQuery({
    queryKey: ['pairings', 'choices'],
    queryFn: () =>
      api.get<Page<{ id: number; title: string; kindLabel: string }>>('/api/pairings', { pageSize: 500 }),
    enabled,
  });
