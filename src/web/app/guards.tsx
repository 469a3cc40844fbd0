import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useMe } from '../features/identity/identity.api';
import type { Me } from '../features/identity/identity.types';
import { PageLoader } from '../shared/ui/PageLoader';
import { type Audience, canEnter } from './audiences';
import { ErrorPage, ForbiddenPage } from './pages/ResultPages';

/** Renders its children for a signed-in person; others go to /login?next=<here>. */
export function RequireAuth({ children }: { children: (me: Me) => ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageLoader />;
  if (me.isError) return <ErrorPage error={me.error} onRetry={() => me.refetch()} />;
  // A regulator or admin who has not confirmed the SMS code finishes signing in on the login page first.
  if (!me.data || me.data.mfaPending) {
    const next = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  // Past its grace an MFA-role account without an authenticator may only set one up (issue 14).
  if (me.data.totpEnrolmentRequired && location.pathname !== '/account/security')
    return <Navigate to="/account/security#totp" replace />;
  return <>{children(me.data)}</>;
}

/** A console is open only to the roles it lists; anyone else sees 403. */
export function RequireAudience({
  audience,
  children,
}: {
  audience: Audience;
  children: (me: Me) => ReactNode;
}) {
  return (
    <RequireAuth>
      {(me) => (canEnter(audience, me.roles) ? children(me) : <ForbiddenPage me={me} />)}
    </RequireAuth>
  );
}
