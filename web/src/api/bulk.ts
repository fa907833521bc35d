/**
 * Bulk operations (issue #18): typed hooks over POST /:object/bulk-operations (a bulk change on
 * a selection described by the list's filter and search, or by ids, run as a job), GET
 * /bulk-operations/:id (its progress and result) and POST /bulk-operations/:id/undo
 * (src/modules/bulk).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { recordKeys, type RecordObjectKey } from './records';
import type { ApiRequestBody, ApiResponse } from './types';

export type BulkOperation = ApiResponse<'/bulk-operations/{id}'>;
export type BulkStart = ApiRequestBody<'/contacts/bulk-operations', 'post'>;

/** An operation still moving: its progress is asked for every second. */
export const isBulkRunning = (status: BulkOperation['status']) =>
  status === 'queued' || status === 'running' || status === 'undoing';

export const bulkKeys = { one: (id: string) => ['bulk-operations', 'one', id] as const };

/** POST /:object/bulk-operations: answers at once with the job and the selection's size. */
export function useStartBulk(object: RecordObjectKey) {
  return useMutation({
    mutationFn: (body: BulkStart) => api.post<BulkOperation>(`/${object}/bulk-operations`, body),
  });
}

/** GET /bulk-operations/:id, every second while it runs; the object's lists refresh at the end. */
export function useBulkOperation(object: RecordObjectKey, id: string | null) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: bulkKeys.one(id ?? ''),
    queryFn: async ({ signal }) => {
      const op = await api.get<BulkOperation>(
        `/bulk-operations/${encodeURIComponent(id ?? '')}`,
        {},
        signal,
      );
      if (!isBulkRunning(op.status)) {
        void qc.invalidateQueries({ queryKey: recordKeys.all(object) });
      }
      return op;
    },
    enabled: Boolean(id),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && isBulkRunning(status) ? 1000 : false;
    },
  });
}

/** POST /bulk-operations/:id/undo (a job: its progress is the same query's). */
export function useUndoBulk(id: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.post<BulkOperation>(`/bulk-operations/${encodeURIComponent(id ?? '')}/undo`),
    onSuccess: (op) => qc.setQueryData(bulkKeys.one(op.id), op),
  });
}
