import { createBrowserRouter, Navigate } from 'react-router';
import { useSession } from '../lib/session';
import { AppLayout } from './layout';
import { RequireAuth } from './require-auth';
import { navFor } from './navigation';
import { NotFound } from '../components/not-found';

function Home() {
  const s = useSession();
  const first = navFor(s?.user.roles ?? [])[0];
  return <Navigate to={first?.path ?? '/funds'} replace />;
}

/** Screens load per route (code splitting): the first screen carries only the shell and login. */
export const router = createBrowserRouter([
  { path: '/login', lazy: () => import('../features/auth/login-page') },
  {
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <Home /> },
      { path: 'work', lazy: () => import('../features/tasks/my-work-page') },
      { path: 'cases', lazy: () => import('../features/cases/case-list-page') },
      { path: 'cases/:id', lazy: () => import('../features/cases/case-workspace-page') },
      { path: 'audit', lazy: () => import('../features/audit/audit-page') },
      { path: 'funds', lazy: () => import('../features/funds/funds-page') },
      { path: 'admin', lazy: () => import('../features/admin/admin-page') },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
