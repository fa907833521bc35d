/**
 * The legal e-invoice of a Sen invoice (src/modules/invoices/invoices.einvoice.ts): its state,
 * "Phát hành hóa đơn điện tử", a status refresh and the signed files.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { API_BASE, api } from './client';
import { recordKeys } from './queries';
import type { ApiResponse } from './types';

export type InvoiceEInvoice = ApiResponse<'/invoices/{id}/einvoice'>;
export type EInvoiceSubmission = NonNullable<InvoiceEInvoice['submission']>;

const key = (id: string) => ['records', 'invoices', 'einvoice', id] as const;
const path = (id: string) => `/invoices/${encodeURIComponent(id)}/einvoice`;

/** `version`: the invoice's; a void (which cancels the e-invoice) changes it and refetches. */
export function useInvoiceEInvoice(id: string, version: number) {
  return useQuery({
    queryKey: [...key(id), version],
    queryFn: ({ signal }) => api.get<InvoiceEInvoice>(path(id), undefined, signal),
  });
}

/** Issue (POST …/einvoice) or refresh its state (POST …/einvoice/status). */
export function useEInvoiceAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (action: 'issue' | 'status') =>
      api.post<EInvoiceSubmission>(action === 'issue' ? path(id) : `${path(id)}/status`),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: key(id) });
      void qc.invalidateQueries({ queryKey: recordKeys.timeline('invoices', id) });
    },
  });
}

/** The signed PDF or XML from the provider (an <a href download>: the session cookie goes). */
export const eInvoiceFileUrl = (id: string, kind: 'pdf' | 'xml') =>
  `${API_BASE}${path(id)}/document?kind=${kind}`;
