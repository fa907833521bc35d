import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from './client';
import { recordKeys } from './records';
import type { ApiRequestBody, ApiResponse } from './types';

/** Settings → Chấm điểm khách hàng tiềm năng: an object's scoring rules, thresholds and decay. */
export type ScoringView = ApiResponse<'/settings/scoring/{object}'>;
export type ScoringRule = ScoringView['rules'][number];
export type ScoringSettings = ScoringView['settings'];
export type ScoringRuleBody = ApiRequestBody<'/settings/scoring/{object}/rules', 'post'>;
export type ScoringRulePatch = ApiRequestBody<'/settings/scoring/{object}/rules/{id}', 'patch'>;
export type RuleWritten = ApiResponse<'/settings/scoring/{object}/rules', 'post'>;
export type SettingsWritten = ApiResponse<'/settings/scoring/{object}/settings', 'put'>;

const base = (object: string) => `/settings/scoring/${encodeURIComponent(object)}`;
const scoringKey = (object: string) => ['scoring', object] as const;

export function useScoring(object: string) {
  return useQuery({
    queryKey: scoringKey(object),
    queryFn: () => api.get<ScoringView>(base(object)),
  });
}

/** A change rescored the records: their lists and pages are refetched too. */
function useScoringMutation<V, R>(object: string, fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: scoringKey(object) });
      await qc.invalidateQueries({ queryKey: recordKeys.all(object) });
    },
  });
}

export function useSaveScoringRule(object: string) {
  return useScoringMutation(
    object,
    ({ id, body }: { id: string | null; body: ScoringRuleBody | ScoringRulePatch }) =>
      id
        ? api.patch<RuleWritten>(`${base(object)}/rules/${encodeURIComponent(id)}`, body)
        : api.post<RuleWritten>(`${base(object)}/rules`, body),
  );
}

export function usePatchScoringRule(object: string) {
  return useScoringMutation(object, ({ id, body }: { id: string; body: ScoringRulePatch }) =>
    api.patch<RuleWritten>(`${base(object)}/rules/${encodeURIComponent(id)}`, body),
  );
}

export function useDeleteScoringRule(object: string) {
  return useScoringMutation(object, (id: string) =>
    api.delete(`${base(object)}/rules/${encodeURIComponent(id)}`),
  );
}

export function useSaveScoringSettings(object: string) {
  return useScoringMutation(object, (body: ScoringSettings) =>
    request<SettingsWritten>('PUT', `${base(object)}/settings`, { body }),
  );
}
