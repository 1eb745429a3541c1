import { Center, Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useRouterState } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { isSignedOutError, meQuery } from '../api/session';
import { QueryState } from '../components/QueryState';
import { homePath } from './access';
import { Redirect } from './Redirect';
import { safeReturnTo } from './returnTo';
import { SignedInContext } from './signedIn';

function FullPageLoader() {
  return (
    <Center h="100dvh" role="status" aria-label="Checking your sign-in">
      <Loader />
    </Center>
  );
}

/** Lets only signed-in people through: others go to sign-in (and come back), newcomers to sign-up. */
export function AuthGate({ children }: { children: ReactNode }) {
  const me = useQuery(meQuery);
  const location = useRouterState({ select: (state) => state.location });

  if (me.isPending) return <FullPageLoader />;
  if (me.isError && isSignedOutError(me.error)) {
    return <Redirect to="/sign-in" search={{ returnTo: safeReturnTo(location.href) }} replace />;
  }
  if (me.isError) {
    return (
      <Center h="100dvh" p="md">
        <QueryState query={me} label="your sign-in">
          {() => null}
        </QueryState>
      </Center>
    );
  }

  const data = me.data;
  const home = homePath(data);
  if (home === '/sign-up' && data.needsSignUp) return <Redirect to="/sign-up" replace />;
  // The dashboard is no one's page but the inventory roles': others start on their own home page.
  if (location.pathname === '/' && home !== '/' && home !== '/sign-up') return <Redirect to={home} replace />;

  return <SignedInContext.Provider value={data}>{children}</SignedInContext.Provider>;
}
