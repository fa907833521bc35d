import { Center, Container } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useSessionQuery, useSetupStatus, wasSignedOut } from '../api/session';
import { FullPageLoader, QueryError } from '../components/PageStates';

/** Renders the signed-in area, or sends the visitor to setup (first run) or sign-in. */
export function RequireAuth() {
  const session = useSessionQuery();
  const setup = useSetupStatus(session.data === null);
  const location = useLocation();

  if (session.isPending) return <FullPageLoader />;
  if (session.isError && !session.data) {
    return (
      <Container size="sm" py="xl">
        <Center>
          <QueryError error={session.error} onRetry={() => void session.refetch()} />
        </Center>
      </Container>
    );
  }
  if (!session.data) {
    if (setup.isPending) return <FullPageLoader />;
    if (setup.data?.needsSetup) return <Navigate to="/setup" replace />;
    const here = location.pathname + location.search;
    const to =
      wasSignedOut() || here === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(here)}`;
    return <Navigate to={to} replace />;
  }
  return <Outlet />;
}
