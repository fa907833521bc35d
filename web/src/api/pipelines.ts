import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from './client';
import { recordKeys } from './queries';
import type { ApiRequestBody, ApiResponse, ItemOf } from './types';

/** Settings → Quy trình bán hàng: the workspace's pipelines, each with its ordered stages. */
export type Pipeline = ItemOf<ApiResponse<'/pipelines'>>;
export type PipelineStage = Pipeline['stages'][number];
export type PipelineCreateBody = ApiRequestBody<'/pipelines', 'post'>;
export type PipelinePatchBody = ApiRequestBody<'/pipelines/{id}', 'patch'>;
export type StagesBody = ApiRequestBody<'/pipelines/{id}/stages', 'put'>;

const pipelinesKey = ['pipelines'] as const;
/** The object whose fields, lists and board show the pipelines and stages. */
const DEALS = 'deals';

export function usePipelines() {
  return useQuery({
    queryKey: pipelinesKey,
    queryFn: () => api.get<{ items: Pipeline[] }>('/pipelines'),
    select: (d) => d.items,
  });
}

/**
 * A change to pipelines is a change to the deals' metadata (the pipeline and stage fields'
 * options are the pipelines and their stages) and, when deals moved, to their lists, boards and
 * pages: all of them are refetched.
 */
function usePipelineMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: pipelinesKey }),
        qc.invalidateQueries({ queryKey: recordKeys.fields(DEALS) }),
        qc.invalidateQueries({ queryKey: recordKeys.all(DEALS) }),
      ]);
    },
  });
}

const one = (id: string) => `/pipelines/${encodeURIComponent(id)}`;

export function useCreatePipeline() {
  return usePipelineMutation((body: PipelineCreateBody) => api.post<Pipeline>('/pipelines', body));
}

export function useUpdatePipeline() {
  return usePipelineMutation(({ id, body }: { id: string; body: PipelinePatchBody }) =>
    api.patch<Pipeline>(one(id), body),
  );
}

export function useReorderPipelines() {
  return usePipelineMutation((ids: string[]) =>
    request<{ items: Pipeline[] }>('PUT', '/pipelines/order', { body: { ids } }),
  );
}

export function useSaveStages() {
  return usePipelineMutation(({ id, body }: { id: string; body: StagesBody }) =>
    request<Pipeline>('PUT', `${one(id)}/stages`, { body }),
  );
}

export function useDeletePipeline() {
  return usePipelineMutation(({ id, moveTo }: { id: string; moveTo: string | null }) =>
    request<void>('DELETE', one(id), { query: { moveTo } }),
  );
}
