import {
  useInfiniteQuery,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from './client';
import type {
  ApiKey,
  ApiQuery,
  ApiRequestBody,
  ApiResponse,
  AuditPage,
  Invitation,
  InvitationLookup,
  Items,
  Member,
  PermissionObject,
  Role,
  Session,
  Team,
  Workspace,
} from './types';
import { localised, useObjects, type FieldMeta } from './records';
import { acceptSession } from './session';

export const keys = {
  permissionObjects: ['permission-objects'] as const,
  users: ['users'] as const,
  invitations: ['invitations'] as const,
  roles: ['roles'] as const,
  teams: ['teams'] as const,
  apiKeys: ['api-keys'] as const,
  workspace: ['workspace'] as const,
  workspaces: ['workspaces'] as const,
  audit: (filters: AuditFilters) => ['audit-log', filters] as const,
};

// --- permission objects ---------------------------------------------------------------------

export function usePermissionObjects() {
  return useQuery({
    queryKey: keys.permissionObjects,
    queryFn: () => api.get<Items<PermissionObject>>('/permission-objects'),
    select: (d) => d.items,
    staleTime: 10 * 60_000,
  });
}

// --- users and invitations ------------------------------------------------------------------

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: keys.users,
    queryFn: () => api.get<Items<Member>>('/users'),
    select: (d) => d.items,
    enabled,
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string } & ApiRequestBody<'/users/{id}', 'patch'>) =>
      api.patch<Member>(`/users/${encodeURIComponent(id)}`, body),
    onSuccess: (member) => {
      qc.setQueryData<Items<Member>>(keys.users, (d) =>
        d ? { items: d.items.map((m) => (m.id === member.id ? member : m)) } : d,
      );
      void qc.invalidateQueries({ queryKey: keys.roles });
    },
  });
}

export function useInvitations(enabled = true) {
  return useQuery({
    queryKey: keys.invitations,
    queryFn: () => api.get<Items<Invitation>>('/invitations'),
    select: (d) => d.items,
    enabled,
  });
}

export function useCreateInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ApiRequestBody<'/invitations', 'post'>) =>
      api.post<ApiResponse<'/invitations', 'post'>>('/invitations', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.invitations }),
  });
}

export function useRevokeInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/invitations/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.invitations }),
  });
}

export function useInvitationLookup(token: string) {
  return useQuery({
    queryKey: ['invitation-lookup', token],
    queryFn: () => api.get<InvitationLookup>(`/invitations/lookup/${encodeURIComponent(token)}`),
    staleTime: Infinity,
  });
}

export function useAcceptInvitation() {
  return useMutation({
    mutationFn: (body: ApiRequestBody<'/invitations/accept', 'post'>) =>
      api.post<Session>('/invitations/accept', body),
    onSuccess: (session) => acceptSession(session),
  });
}

// --- roles ----------------------------------------------------------------------------------

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: keys.roles,
    queryFn: () => api.get<Items<Role>>('/roles'),
    select: (d) => d.items,
    enabled,
  });
}

export type RoleInput = ApiRequestBody<'/roles', 'post'>;

export function useCreateRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RoleInput) => api.post<Role>('/roles', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.roles }),
  });
}

export function useUpdateRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: Partial<RoleInput> & { id: string }) =>
      api.patch<Role>(`/roles/${encodeURIComponent(id)}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.roles }),
  });
}

export function useDeleteRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/roles/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.roles }),
  });
}

// --- teams ----------------------------------------------------------------------------------

export function useTeams(enabled = true) {
  return useQuery({
    queryKey: keys.teams,
    queryFn: () => api.get<Items<Team>>('/teams'),
    select: (d) => d.items,
    enabled,
  });
}

export function useCreateTeam() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ApiRequestBody<'/teams', 'post'>) => api.post<Team>('/teams', body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.teams });
      void qc.invalidateQueries({ queryKey: keys.users });
    },
  });
}

export function useUpdateTeam() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string } & ApiRequestBody<'/teams/{id}', 'patch'>) =>
      api.patch<Team>(`/teams/${encodeURIComponent(id)}`, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.teams });
      void qc.invalidateQueries({ queryKey: keys.users });
    },
  });
}

export function useDeleteTeam() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/teams/${encodeURIComponent(id)}`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.teams });
      void qc.invalidateQueries({ queryKey: keys.users });
    },
  });
}

// --- API keys -------------------------------------------------------------------------------

export function useApiKeys() {
  return useQuery({
    queryKey: keys.apiKeys,
    queryFn: () => api.get<Items<ApiKey>>('/api-keys'),
    select: (d) => d.items,
  });
}

export function useCreateApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ApiRequestBody<'/api-keys', 'post'>) =>
      api.post<ApiResponse<'/api-keys', 'post'>>('/api-keys', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.apiKeys }),
  });
}

export function useRevokeApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api-keys/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.apiKeys }),
  });
}

// --- workspace ------------------------------------------------------------------------------

export function useWorkspace() {
  return useQuery({
    queryKey: keys.workspace,
    queryFn: () => api.get<Workspace>('/workspace'),
  });
}

export function useUpdateWorkspace() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ApiRequestBody<'/workspace', 'patch'>) =>
      api.patch<Workspace>('/workspace', body),
    onSuccess: (ws) => {
      qc.setQueryData(keys.workspace, ws);
      // The shell shows the workspace name and formats dates in its timezone.
      qc.setQueryData<Session | null>(['session'], (s) =>
        s
          ? {
              ...s,
              workspace: { ...s.workspace, ...ws },
              workspaces: s.workspaces.map((w) => (w.id === ws.id ? { ...w, name: ws.name } : w)),
            }
          : s,
      );
    },
  });
}

// --- audit log ------------------------------------------------------------------------------

export type AuditFilters = Omit<ApiQuery<'/audit-log'>, 'limit' | 'cursor'>;

export function useAuditLog(filters: AuditFilters, limit = 50) {
  return useInfiniteQuery({
    queryKey: keys.audit(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditPage>('/audit-log', { ...filters, limit, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/**
 * Field labels of the record objects, as `object → field key → label` in the given language,
 * from GET /objects/:object/fields (standard and custom fields). An object the user may not
 * read is simply absent.
 */
export function useRecordFieldLabels(objects: readonly string[], lang: string) {
  const records = useObjects().data ?? [];
  const wanted = records.map((o) => o.key).filter((o) => objects.includes(o));
  const results = useQueries({
    queries: wanted.map((object) => ({
      queryKey: ['audit-field-labels', object] as const,
      queryFn: () => api.get<Items<FieldMeta>>(`/objects/${object}/fields`),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  const out: Record<string, Record<string, string>> = {};
  wanted.forEach((object, i) => {
    const items = results[i]?.data?.items ?? [];
    const labels: Record<string, string> = {};
    for (const f of items) {
      const text = localised(f.label, lang);
      if (text) labels[f.key] = text;
    }
    out[object] = labels;
  });
  return out;
}
