/**
 * Orders, invoices, payments and receivables (#20): the documents' actions
 * (POST /<object>/:id/<action>), an order's deliveries and the receivables report. Each action's
 * answer replaces the cached record; the document's lines, timeline and lists are refetched.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { API_BASE, api } from './client';
import { lineItemsKey } from './lineItems';
import { recordKeys } from './queries';
import type { ApiRequestBody, ApiResponse } from './types';

export type SellingObject = 'quotes' | 'orders' | 'invoices' | 'payments';
export type Order = ApiResponse<'/orders/{id}'>;
export type Invoice = ApiResponse<'/invoices/{id}'>;
export type Payment = ApiResponse<'/payments/{id}'>;
export type OrderDeliveries = ApiResponse<'/orders/{id}/deliveries'>;
export type DeliveryBody = ApiRequestBody<'/orders/{id}/deliveries', 'post'>;
export type PaymentBody = ApiRequestBody<'/payments', 'post'>;
export type Receivables = ApiResponse<'/receivables'>;

/** The PDFs are in Vietnamese unless asked for English (the UI language). */
const pdfLang = (language: string) => (language === 'en' ? 'en' : 'vi');

/** The document's PDF (an <a href download>: the browser sends the session cookie). */
export const pdfUrl = (object: SellingObject, id: string, language: string) =>
  `${API_BASE}/${object}/${encodeURIComponent(id)}/pdf?lang=${pdfLang(language)}`;

/** A customer's statement of account (bảng đối chiếu công nợ) as a PDF. */
export const statementUrl = (object: 'companies' | 'contacts', id: string, language: string) =>
  `${API_BASE}/receivables/statement?${new URLSearchParams({ object, id, lang: pdfLang(language) }).toString()}`;

const deliveriesKey = (id: string) => ['orders', 'deliveries', id] as const;

/**
 * POST /<object>/:id/<action> with a body; what it answers is refreshed in the cache — the
 * record itself when the answer is the same object, otherwise (a new order or invoice) its lists.
 */
export function useDocumentAction<T extends { id: string }>(object: SellingObject, id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: string; body?: unknown; creates?: SellingObject }) =>
      api.post<T>(`/${object}/${encodeURIComponent(id)}/${action}`, body),
    onSuccess: (answer, { creates }) => {
      if (creates) void qc.invalidateQueries({ queryKey: recordKeys.lists(creates) });
      else qc.setQueryData(recordKeys.one(object, id), answer);
      void qc.invalidateQueries({ queryKey: recordKeys.one(object, id) });
      void qc.invalidateQueries({ queryKey: recordKeys.lists(object) });
      void qc.invalidateQueries({ queryKey: recordKeys.timeline(object, id) });
      void qc.invalidateQueries({ queryKey: lineItemsKey(object, id) });
      if (object === 'orders') void qc.invalidateQueries({ queryKey: deliveriesKey(id) });
      void qc.invalidateQueries({ queryKey: ['receivables'] });
    },
  });
}

export function useOrderDeliveries(id: string, enabled = true) {
  return useQuery({
    queryKey: deliveriesKey(id),
    queryFn: () => api.get<OrderDeliveries>(`/orders/${encodeURIComponent(id)}/deliveries`),
    enabled,
  });
}

/** Records a payment (POST /payments) against an invoice; the invoice's figures are refetched. */
export function useRecordPayment(invoiceId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PaymentBody) => api.post<Payment>('/payments', body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: recordKeys.one('invoices', invoiceId) });
      void qc.invalidateQueries({ queryKey: recordKeys.lists('invoices') });
      void qc.invalidateQueries({ queryKey: recordKeys.timeline('invoices', invoiceId) });
      void qc.invalidateQueries({ queryKey: recordKeys.lists('payments') });
      void qc.invalidateQueries({ queryKey: ['receivables'] });
    },
  });
}

export function useReceivables(overdue: boolean) {
  return useQuery({
    queryKey: ['receivables', { overdue }],
    queryFn: () => api.get<Receivables>('/receivables', overdue ? { overdue: 'true' } : undefined),
  });
}
