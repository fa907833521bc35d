/**
 * Line items of a record (quotes; later orders and invoices): GET and PUT
 * /<object>/:id/line-items (src/modules/line-items). Every object that declares line items
 * answers the same shape; the quotes path names its type.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, api } from './client';
import { recordKeys } from './queries';
import type { ApiRequestBody, ApiResponse } from './types';

export type LineItemsView = ApiResponse<'/quotes/{id}/line-items'>;
export type LineItem = LineItemsView['items'][number];
export type LineItemsTotals = LineItemsView['totals'];
export type LineItemInput = ApiRequestBody<'/quotes/{id}/line-items', 'put'>['items'][number];
export type VatRate = LineItem['vatRate'];

export const lineItemsKey = (object: string, id: string) =>
  ['records', object, 'line-items', id] as const;

const path = (object: string, id: string) => `/${object}/${encodeURIComponent(id)}/line-items`;

export function useLineItems(object: string, id: string) {
  return useQuery({
    queryKey: lineItemsKey(object, id),
    queryFn: ({ signal }) => api.get<LineItemsView>(path(object, id), undefined, signal),
  });
}

/**
 * PUT the lines against the version they were read at (If-Match). On success the answer
 * replaces the cached lines and the record is refetched (its header shows the new totals).
 */
export function useSaveLineItems(object: string, id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ items, version }: { items: LineItemInput[]; version: number }) =>
      request<LineItemsView>('PUT', path(object, id), {
        body: { items },
        headers: { 'if-match': `"${version}"` },
      }),
    onSuccess: (view) => {
      qc.setQueryData(lineItemsKey(object, id), view);
      void qc.invalidateQueries({ queryKey: recordKeys.one(object, id) });
      void qc.invalidateQueries({ queryKey: recordKeys.lists(object) });
      void qc.invalidateQueries({ queryKey: recordKeys.timeline(object, id) });
    },
  });
}
