/**
 * Exports (issue #18): typed hooks over POST /:object/exports (a view's export: its download
 * address when it is small, a job when it is large) and GET /exports/:id (a job's progress and
 * download link; src/modules/exports).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { RecordObjectKey } from './records';
import type { paths } from './schema.gen';
import type { ApiRequestBody, ApiResponse } from './types';

export type ExportJob = ApiResponse<'/exports/{id}'>;
export type ExportFormat = ExportJob['format'];
export type ExportRequest = ApiRequestBody<'/contacts/exports', 'post'>;
/** 200: few enough rows to download at once; 201: a job. */
export type ExportStarted =
  | ApiResponse<'/contacts/exports', 'post'>
  | paths['/api/v1/contacts/exports']['post']['responses'][201]['content']['application/json'];

/** A job still moving: its progress is asked for every second. */
export const isRunning = (status: ExportJob['status']) =>
  status === 'queued' || status === 'running';

export const exportKeys = { one: (id: string) => ['exports', 'one', id] as const };

/** POST /:object/exports with the view's filter, sort, search and columns. */
export function useStartExport(object: RecordObjectKey) {
  return useMutation({
    mutationFn: (body: ExportRequest) => api.post<ExportStarted>(`/${object}/exports`, body),
  });
}

/** GET /exports/:id, every second while the job runs. */
export function useExportJob(id: string | null) {
  return useQuery({
    queryKey: exportKeys.one(id ?? ''),
    queryFn: ({ signal }) =>
      api.get<ExportJob>(`/exports/${encodeURIComponent(id ?? '')}`, {}, signal),
    enabled: Boolean(id),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && isRunning(status) ? 1000 : false;
    },
  });
}

/** Starts the browser's download of a same-origin file (it is sent as an attachment). */
export function download(url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.rel = 'noopener';
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
}
