/**
 * Imports (issue #18): typed TanStack Query hooks over the imports API (src/modules/imports):
 * upload and analyse a file into a record object, pick an XLSX sheet, preview a mapping, start
 * the run, follow its progress, undo it, and the object's import history.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from './client';
import { recordKeys, type RecordObjectKey } from './records';
import type { ApiRequestBody, ApiResponse, Items } from './types';

/** An import as the server presents it (the same shape for every object and every route). */
export type ImportJob = ApiResponse<'/imports/{id}'>;
export type ImportStatus = ImportJob['status'];
export type ImportFormat = ImportJob['format'];
export type ImportTarget = ImportJob['targets'][number];
/** Column index → target key (null: the column is not imported). */
export type ImportMapping = ImportJob['mapping'];
export type ImportOptions = ImportJob['options'];
export type DuplicatePolicy = ImportOptions['duplicates'];
export type ImportPlan = ApiRequestBody<'/imports/{id}/start', 'post'>;
export type ImportPreview = ApiResponse<'/imports/{id}/preview', 'post'>;
export type PreviewRow = ImportPreview['rows'][number];
export type RowOutcome = PreviewRow['outcome'];

/** An import still moving: its page asks for its progress every second. */
export const isActive = (status: ImportStatus): boolean =>
  status === 'queued' || status === 'running' || status === 'undoing';

export const importKeys = {
  one: (id: string) => ['imports', 'one', id] as const,
  history: (object: RecordObjectKey) => ['imports', 'history', object] as const,
  preview: (id: string, plan: Omit<ImportPlan, 'template'>) =>
    ['imports', 'preview', id, plan] as const,
};

/** GET /imports/:id/errors: the CSV of the failed and skipped rows, in the user's language. */
export function errorFileUrl(id: string): string {
  return `/api/v1/imports/${encodeURIComponent(id)}/errors`;
}

/** POST /:object/imports (multipart, one "file" part). */
export function useUploadImport(object: RecordObjectKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return api.upload<ImportJob>(`/${object}/imports`, form);
    },
    onSuccess: (imp) => qc.setQueryData(importKeys.one(imp.id), imp),
  });
}

/** PUT /imports/:id/sheet: read another sheet of an XLSX upload (a new suggested mapping). */
export function useChooseSheet() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, sheet }: { id: string; sheet: string }) =>
      request<ImportJob>('PUT', `/imports/${encodeURIComponent(id)}/sheet`, { body: { sheet } }),
    onSuccess: (imp) => qc.setQueryData(importKeys.one(imp.id), imp),
  });
}

/**
 * POST /imports/:id/preview: the first rows as the run would write them (nothing is kept, so it
 * is read like a query, again whenever the mapping or the options change).
 */
export function useImportPreview(id: string, plan: Omit<ImportPlan, 'template'>, enabled: boolean) {
  return useQuery({
    queryKey: importKeys.preview(id, plan),
    queryFn: () =>
      api.post<ImportPreview>(`/imports/${encodeURIComponent(id)}/preview`, {
        mapping: plan.mapping,
        options: plan.options,
      }),
    enabled,
    staleTime: Infinity,
    retry: false,
  });
}

/** GET /imports/:id, asked again every second while the import is queued, running or undoing. */
export function useImport(id: string | null) {
  return useQuery({
    queryKey: importKeys.one(id ?? ''),
    queryFn: ({ signal }) =>
      api.get<ImportJob>(`/imports/${encodeURIComponent(id ?? '')}`, {}, signal),
    enabled: Boolean(id),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && isActive(status) ? 1000 : false;
    },
  });
}

/** After a run or an undo: the object's lists and counts, and its import history. */
function invalidateAfterRun(qc: ReturnType<typeof useQueryClient>, object: RecordObjectKey) {
  void qc.invalidateQueries({ queryKey: recordKeys.all(object) });
  void qc.invalidateQueries({ queryKey: importKeys.history(object) });
}

/** POST /imports/:id/start: saves the mapping (and a template) and queues the run (202). */
export function useStartImport(object: RecordObjectKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, plan }: { id: string; plan: ImportPlan }) =>
      api.post<ImportJob>(`/imports/${encodeURIComponent(id)}/start`, plan),
    onSuccess: (imp) => {
      qc.setQueryData(importKeys.one(imp.id), imp);
      void qc.invalidateQueries({ queryKey: importKeys.history(object) });
    },
  });
}

/** POST /imports/:id/undo: created records removed, updated ones restored (a job, 202). */
export function useUndoImport(object: RecordObjectKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<ImportJob>(`/imports/${encodeURIComponent(id)}/undo`),
    onSuccess: (imp) => {
      qc.setQueryData(importKeys.one(imp.id), imp);
      invalidateAfterRun(qc, object);
    },
  });
}

/**
 * Call when an import followed by useImport stops moving (done, failed, undone): the records it
 * wrote or removed are in the object's lists now.
 */
export function useRefreshAfterRun(object: RecordObjectKey) {
  const qc = useQueryClient();
  return () => invalidateAfterRun(qc, object);
}

/** GET /:object/imports: the last 50 imports into the object, newest first. */
export function useImportHistory(object: RecordObjectKey) {
  return useQuery({
    queryKey: importKeys.history(object),
    queryFn: ({ signal }) => api.get<Items<ImportJob>>(`/${object}/imports`, {}, signal),
    select: (d) => d.items,
    // An import in the list still moving: follow it.
    refetchInterval: (query) =>
      query.state.data?.items.some((i) => isActive(i.status)) ? 2000 : false,
  });
}
