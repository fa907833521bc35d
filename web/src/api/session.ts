import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { setLocale } from '../i18n';
import { api, setCsrfToken } from './client';
import { clearWorkspaceData, queryClient, sessionKey, setupKey } from './queryClient';
import type { Action, ApiRequestBody, ApiResponse, Session, SessionUser } from './types';

let signedOut = false;
/** True after the user signed out on purpose (the sign-in page then gets no `next`). */
export function wasSignedOut(): boolean {
  return signedOut;
}

/** Remembers a session the server handed us: CSRF token, cache, and the user's language. */
export function acceptSession(session: Session): Session {
  signedOut = false;
  setCsrfToken(session.csrfToken);
  queryClient.setQueryData(sessionKey, session);
  void setLocale(session.user.locale);
  return session;
}

/**
 * The current session, or null when not signed in. GET /auth/current-session answers "not signed
 * in" with 200 and null, not the 401 of GET /auth/session that the browser would log as a failed
 * request on every signed-out visit.
 */
async function fetchSession(): Promise<Session | null> {
  const { session } = await api.get<ApiResponse<'/auth/current-session'>>('/auth/current-session');
  setCsrfToken(session?.csrfToken ?? null);
  if (session) void setLocale(session.user.locale);
  return session;
}

const sessionQuery = { queryKey: sessionKey, queryFn: fetchSession, staleTime: 5 * 60_000 };

/** Asks for the session before the first page's code has loaded (main.tsx). */
export function prefetchSession(): void {
  void queryClient.prefetchQuery(sessionQuery);
}

/** The session (the request in flight, or the cached answer): for route loaders. */
export function ensureSession(): Promise<Session | null> {
  return queryClient.fetchQuery(sessionQuery);
}

export function useSessionQuery() {
  return useQuery(sessionQuery);
}

/** The session when signed in, otherwise null (never loading: use under the auth guard). */
export function useOptionalSession(): Session | null {
  return useQuery(sessionQuery).data ?? null;
}

/** The signed-in session. Only call below the auth guard. */
export function useSession(): Session {
  const session = useOptionalSession();
  if (!session) throw new Error('useSession called outside the signed-in area');
  return session;
}

export function can(session: Session | null, object: string, action: Action): boolean {
  if (!session) return false;
  if (session.role.isAdmin) return true;
  return session.role.permissions[object]?.[action] === true;
}

export function useCan(object: string, action: Action): boolean {
  return can(useOptionalSession(), object, action);
}

export function useSetupStatus(enabled = true) {
  return useQuery({
    queryKey: setupKey,
    queryFn: () => api.get<ApiResponse<'/setup'>>('/setup'),
    staleTime: Infinity,
    enabled,
  });
}

export type SetupInput = ApiRequestBody<'/setup', 'post'>;

export function useSetup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: SetupInput) => api.post<Session>('/setup', input),
    onSuccess: (session) => {
      qc.setQueryData(setupKey, { needsSetup: false });
      acceptSession(session);
    },
  });
}

export function useSignIn() {
  return useMutation({
    mutationFn: (input: ApiRequestBody<'/auth/sign-in', 'post'>) =>
      api.post<Session>('/auth/sign-in', input),
    onSuccess: (session) => {
      clearWorkspaceData();
      acceptSession(session);
    },
  });
}

export function useSignOut() {
  return useMutation({
    mutationFn: () => api.post<void>('/auth/sign-out'),
    onSettled: () => {
      signedOut = true;
      setCsrfToken(null);
      clearWorkspaceData();
      queryClient.setQueryData(sessionKey, null);
    },
  });
}

export function useSwitchWorkspace() {
  return useMutation({
    mutationFn: (workspaceId: string) =>
      api.post<Session>('/auth/switch-workspace', { workspaceId }),
    onSuccess: (session) => {
      clearWorkspaceData();
      acceptSession(session);
    },
  });
}

export function useCreateWorkspace() {
  return useMutation({
    mutationFn: (input: ApiRequestBody<'/workspaces', 'post'>) =>
      api.post<Session>('/workspaces', input),
    onSuccess: (session) => {
      clearWorkspaceData();
      acceptSession(session);
    },
  });
}

function patchSessionUser(user: SessionUser): void {
  queryClient.setQueryData<Session | null>(sessionKey, (s) => (s ? { ...s, user } : s));
}

export function useUpdateMe() {
  return useMutation({
    mutationFn: (input: ApiRequestBody<'/me', 'patch'>) =>
      api.patch<ApiResponse<'/me', 'patch'>>('/me', input),
    onSuccess: ({ user }) => patchSessionUser(user),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (input: ApiRequestBody<'/me/password', 'post'>) =>
      api.post<void>('/me/password', input),
  });
}
