import type { ComponentType } from 'react';
import { createBrowserRouter, type RouteObject, RouterProvider } from 'react-router';
import { Loading } from '../components/states';
import { RequireAuth } from '../lib/auth';
import { AppShell } from './shell';

/**
 * Every screen is its own chunk: the first screen downloads only the shell and itself.
 * Features live in src/features/<area>/ and export their pages as default exports.
 */
type PageModule = { default: ComponentType };
const page = (load: () => Promise<PageModule>): Pick<RouteObject, 'lazy'> => ({
  lazy: async () => ({ Component: (await load()).default }),
});

const routes: RouteObject[] = [
  // Lazy routes render a fallback while their chunk loads on the first page of a visit.
  {
    path: '/sign-in',
    ...page(() => import('../features/auth/sign-in')),
    hydrateFallbackElement: <Loading />,
  },
  {
    path: '/reset-password',
    ...page(() => import('../features/auth/reset-password')),
    hydrateFallbackElement: <Loading />,
  },
  {
    element: (
      <RequireAuth>
        <AppShell />
      </RequireAuth>
    ),
    hydrateFallbackElement: <Loading />,
    children: [
      { index: true, ...page(() => import('../features/home/home')) },
      { path: 'account/password', ...page(() => import('../features/auth/change-password')) },
      { path: 'dashboard', ...page(() => import('../features/dashboard/dashboard')) },
      { path: 'orgs', ...page(() => import('../features/orgs/org-tree')) },
      { path: 'orgs/:id', ...page(() => import('../features/orgs/org-page')) },
      { path: 'members', ...page(() => import('../features/members/member-list')) },
      { path: 'members/import', ...page(() => import('../features/members/import-wizard')) },
      { path: 'members/:id', ...page(() => import('../features/members/member-page')) },
      { path: 'pairings', ...page(() => import('../features/pairings/pairing-list')) },
      { path: 'pairings/:id', ...page(() => import('../features/pairings/pairing-page')) },
      { path: 'visits/new', ...page(() => import('../features/visits/log-visit')) },
      { path: 'reviews', ...page(() => import('../features/reviews/review-inbox')) },
      { path: 'reviews/:id', ...page(() => import('../features/reviews/review-plan')) },
      { path: 'notices', ...page(() => import('../features/notices/notice-list')) },
      { path: 'notices/:id', ...page(() => import('../features/notices/notice-page')) },
      { path: 'inspections', ...page(() => import('../features/supervision/inspections')) },
      { path: 'rectifications', ...page(() => import('../features/supervision/rectifications')) },
      { path: 'assessment', ...page(() => import('../features/supervision/assessment')) },
      { path: 'ledgers', ...page(() => import('../features/supervision/ledgers')) },
      { path: 'audit', ...page(() => import('../features/admin/audit-log')) },
      { path: 'users', ...page(() => import('../features/admin/users')) },
      { path: '*', ...page(() => import('../features/home/not-found')) },
    ],
  },
];

const router = createBrowserRouter(routes);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
