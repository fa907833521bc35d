/**
 * Quotes (#20): status and discount approval actions (POST /quotes/:id/<action>), the versions
 * kept when a sent quote is revised, and Settings → Duyệt chiết khấu (discount limits per role).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from './client';
import { lineItemsKey } from './lineItems';
import { recordKeys } from './queries';
import type { ApiPath, ApiRequestBody, ApiResponse } from './types';

export type Quote = ApiResponse<'/quotes/{id}'>;
/** The POST routes under /quotes/{id}/ (as the server declares them). */
type PostUnderQuote<P> = P extends `/quotes/{id}/${infer A}`
  ? [ApiResponse<P & ApiPath, 'post'>] extends [never]
    ? never
    : A
  : never;
/** The status and approval actions (a name the server does not serve is a type error). */
export const quoteActions = [
  'send',
  'accept',
  'reject',
  'revise',
  'request-approval',
  'approve',
  'reject-approval',
] as const satisfies readonly PostUnderQuote<ApiPath>[];
export type QuoteAction = (typeof quoteActions)[number];
export type QuoteRevision = ApiResponse<'/quotes/{id}/revisions'>['items'][number];
export type DiscountLimits = ApiResponse<'/settings/discount-limits'>;
export type DiscountLimit = DiscountLimits['items'][number];
export type DiscountLimitsBody = ApiRequestBody<'/settings/discount-limits', 'put'>;

/** One action on a quote; the answer (the quote) replaces the cached record. */
export function useQuoteAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, comment }: { action: QuoteAction; comment?: string | null }) =>
      api.post<Quote>(`/quotes/${encodeURIComponent(id)}/${action}`, {
        comment: comment?.trim() || null,
      }),
    onSuccess: (quote) => {
      qc.setQueryData(recordKeys.one('quotes', id), quote);
      void qc.invalidateQueries({ queryKey: recordKeys.one('quotes', id) });
      void qc.invalidateQueries({ queryKey: recordKeys.lists('quotes') });
      void qc.invalidateQueries({ queryKey: recordKeys.timeline('quotes', id) });
      // Sending locks the lines, revising unlocks them.
      void qc.invalidateQueries({ queryKey: lineItemsKey('quotes', id) });
      void qc.invalidateQueries({ queryKey: ['quotes', 'revisions', id] });
    },
  });
}

export function useQuoteRevisions(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['quotes', 'revisions', id],
    queryFn: () =>
      api.get<{ items: QuoteRevision[] }>(`/quotes/${encodeURIComponent(id)}/revisions`),
    enabled,
  });
}

const limitsKey = ['settings', 'discount-limits'] as const;

export function useDiscountLimits() {
  return useQuery({
    queryKey: limitsKey,
    queryFn: () => api.get<DiscountLimits>('/settings/discount-limits'),
  });
}

export function useSaveDiscountLimits() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DiscountLimitsBody) =>
      request<DiscountLimits>('PUT', '/settings/discount-limits', { body }),
    onSuccess: (saved) => qc.setQueryData(limitsKey, saved),
  });
}
