import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './client';

export const sessionKey = ['session'] as const;
export const setupKey = ['setup'] as const;

function onAuthError(err: unknown): void {
  // The session ended (expired, signed out elsewhere): forget it; the route guard sends the
  // user to the sign-in page.
  if (err instanceof ApiError && err.status === 401) {
    if (queryClient.getQueryData(sessionKey)) queryClient.setQueryData(sessionKey, null);
  }
}

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onAuthError }),
  mutationCache: new MutationCache({
    onError: (err) => {
      // A wrong password on sign-in is also a 401, but then there is no session to forget.
      if (
        err instanceof ApiError &&
        (err.code === 'SESSION_EXPIRED' || err.code === 'UNAUTHENTICATED')
      ) {
        onAuthError(err);
      }
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      retry: (count, err) => {
        if (err instanceof ApiError && err.status < 500) return false;
        return count < 2;
      },
      refetchOnWindowFocus: true,
    },
    mutations: { retry: false },
  },
});

/** Drops every cached query that belongs to a workspace (after switching or signing out). */
export function clearWorkspaceData(): void {
  queryClient.removeQueries({
    predicate: (q) => q.queryKey[0] !== sessionKey[0] && q.queryKey[0] !== setupKey[0],
  });
}
