import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from './client';
import type { ApiRequestBody, ApiResponse } from './types';

/** Settings → Phân công tự động: an object's assignment rules and fallback owner (admins). */
export type AssignmentIndex = ApiResponse<'/settings/assignment'>;
export type AssignmentView = ApiResponse<'/settings/assignment/{object}'>;
export type AssignmentRule = AssignmentView['rules'][number];
export type RuleBody = ApiRequestBody<'/settings/assignment/{object}/rules', 'post'>;
export type RulePatch = ApiRequestBody<'/settings/assignment/{object}/rules/{id}', 'patch'>;

const base = (object: string) => `/settings/assignment/${encodeURIComponent(object)}`;

export const assignmentKeys = {
  index: ['assignment'] as const,
  one: (object: string) => ['assignment', object] as const,
};

export function useAssignmentObjects() {
  return useQuery({
    queryKey: assignmentKeys.index,
    queryFn: () => api.get<AssignmentIndex>('/settings/assignment'),
    select: (d) => d.items,
  });
}

export function useAssignment(object: string | null) {
  return useQuery({
    queryKey: assignmentKeys.one(object ?? ''),
    queryFn: () => api.get<AssignmentView>(base(object!)),
    enabled: object !== null,
  });
}

function useAssignmentMutation<V>(object: string, fn: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => qc.invalidateQueries({ queryKey: assignmentKeys.index }),
  });
}

export function useSaveRule(object: string) {
  return useAssignmentMutation(object, ({ id, body }: { id: string | null; body: RuleBody }) =>
    id
      ? api.patch<AssignmentRule>(`${base(object)}/rules/${encodeURIComponent(id)}`, body)
      : api.post<AssignmentRule>(`${base(object)}/rules`, body),
  );
}

export function useToggleRule(object: string) {
  return useAssignmentMutation(object, ({ id, active }: { id: string; active: boolean }) =>
    api.patch<AssignmentRule>(`${base(object)}/rules/${encodeURIComponent(id)}`, { active }),
  );
}

export function useDeleteRule(object: string) {
  return useAssignmentMutation(object, (id: string) =>
    api.delete(`${base(object)}/rules/${encodeURIComponent(id)}`),
  );
}

export function useReorderRules(object: string) {
  return useAssignmentMutation(object, (ids: string[]) =>
    request<AssignmentView>('PUT', `${base(object)}/order`, { body: { ids } }),
  );
}

export function useSetFallback(object: string) {
  return useAssignmentMutation(object, (fallbackUserId: string | null) =>
    request<AssignmentView>('PUT', `${base(object)}/fallback`, { body: { fallbackUserId } }),
  );
}
