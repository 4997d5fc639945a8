import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Loading } from '../components/states';
import { api, setCsrfToken } from './api';

/** The signed-in user as /api/auth/me returns it. */
export interface Me {
  userId: number;
  username: string;
  displayName: string;
  role: 'county_admin' | 'committee_staff' | 'branch_secretary' | 'member' | 'auditor';
  roleLabel: string;
  orgId: number;
  orgName: string;
  countyCode: string;
  memberId: number | null;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  totpSetupRequired: boolean;
  csrfToken: string;
  permissions: string[];
}

export const ME_KEY = ['auth', 'me'] as const;

async function fetchMe(): Promise<Me | null> {
  // /api/auth/session answers 200 either way: no 401 in the console before anyone signs in.
  const { user } = await api.get<{ user: Me | null }>('/api/auth/session');
  setCsrfToken(user?.csrfToken);
  return user;
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

/** The signed-in user; only inside <RequireAuth>. */
export function useUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useUser outside RequireAuth');
  return data;
}

export const can = (me: Me | null | undefined, permission: string) => !!me?.permissions.includes(permission);
export const useCan = () => {
  const { data } = useMe();
  return (permission: string) => can(data, permission);
};

/** Screens behind sign-in: unauthenticated visitors go to /sign-in and come back after. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { data, isPending } = useMe();
  const location = useLocation();
  const qc = useQueryClient();
  useEffect(() => {
    const onExpired = () => void qc.invalidateQueries({ queryKey: ME_KEY });
    window.addEventListener('gj:unauthenticated', onExpired);
    return () => window.removeEventListener('gj:unauthenticated', onExpired);
  }, [qc]);
  if (isPending) return <Loading />;
  if (!data)
    return (
      <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />
    );
  if (data.mustChangePassword && location.pathname !== '/account/password') {
    return <Navigate to="/account/password" replace />;
  }
  return <>{children}</>;
}
