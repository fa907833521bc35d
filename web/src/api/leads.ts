import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { recordKeys } from './queries';
import type { ApiRequestBody, ApiResponse } from './types';

/** A lead's conversion into a contact, company and deal (POST /leads/:id/convert). */
export type ConvertPreview = ApiResponse<'/leads/{id}/convert/preview'>;
export type ConvertBody = ApiRequestBody<'/leads/{id}/convert', 'post'>;
export type ConvertResult = ApiResponse<'/leads/{id}/convert', 'post'>;

const base = (id: string) => `/leads/${encodeURIComponent(id)}/convert`;

/** What the dialog proposes: the matching contacts and companies, the deal's default name. */
export function useConvertPreview(leadId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['leads', 'convert-preview', leadId],
    queryFn: ({ signal }) => api.get<ConvertPreview>(`${base(leadId)}/preview`, undefined, signal),
    enabled,
    staleTime: 0,
  });
}

/** The conversion changes the lead and creates or links contacts, companies and deals. */
export function useConvertLead(leadId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ConvertBody) => api.post<ConvertResult>(base(leadId), body),
    onSuccess: async () => {
      await Promise.all(
        ['leads', 'contacts', 'companies', 'deals'].map((o) =>
          qc.invalidateQueries({ queryKey: recordKeys.all(o) }),
        ),
      );
    },
  });
}
