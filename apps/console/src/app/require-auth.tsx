import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { session, useSession } from '../lib/session';

/** Pages behind login: without a session, go to /login and come back here afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const s = useSession();
  const location = useLocation();
  if (!s) {
    const expired = session.takeExpiredAt();
    const returnTo = expired ?? location.pathname + location.search;
    const params = new URLSearchParams({ returnTo });
    if (expired) params.set('expired', '1');
    return <Navigate to={`/login?${params.toString()}`} replace />;
  }
  return <>{children}</>;
}
