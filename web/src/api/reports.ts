import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { ApiResponse } from './types';

export type SalesReport = ApiResponse<'/reports/sales'>;
export type PeriodKind = SalesReport['period']['kind'];

export interface SalesReportParams {
  period: PeriodKind;
  date: string;
  pipelineId?: string | undefined;
  ownerId?: string | undefined;
  teamId?: string | undefined;
}

export const reportKeys = {
  all: ['reports'] as const,
  sales: (p: SalesReportParams) => ['reports', 'sales', p] as const,
};

/** GET /reports/sales: the figures of a period (the previous period's stay while it loads). */
export function useSalesReport(params: SalesReportParams) {
  return useQuery({
    queryKey: reportKeys.sales(params),
    queryFn: ({ signal }) => api.get<SalesReport>('/reports/sales', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

/** The URL of one table of the report as a file (the browser downloads it). */
export function reportExportUrl(
  params: SalesReportParams,
  table: 'byOwner' | 'overTime' | 'funnel' | 'leadsBySource' | 'snapshots',
  format: 'csv' | 'xlsx',
): string {
  const q = new URLSearchParams({ period: params.period, date: params.date, table, format });
  for (const k of ['pipelineId', 'ownerId', 'teamId'] as const) {
    const v = params[k];
    if (v) q.set(k, v);
  }
  return `/api/v1/reports/sales/export?${q.toString()}`;
}

export interface PipelineOption {
  id: string;
  name: string;
}

/** The pipelines, for the report's filter. */
export function usePipelineOptions() {
  return useQuery({
    queryKey: ['pipelines'],
    queryFn: () => api.get<ApiResponse<'/pipelines'>>('/pipelines'),
    select: (d) => d.items.map((p) => ({ id: p.id, name: p.name })),
  });
}
