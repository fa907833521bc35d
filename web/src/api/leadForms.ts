import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { ApiRequestBody, ApiResponse } from './types';

/** Settings → Biểu mẫu thu thập: lead capture forms, their questions and their submissions. */
export type LeadForm = ApiResponse<'/lead-forms/{id}'>;
export type LeadFormField = LeadForm['fields'][number];
export type FormableField = ApiResponse<'/lead-forms/fields'>['items'][number];
export type LeadFormBody = ApiRequestBody<'/lead-forms', 'post'>;
export type LeadFormPatch = ApiRequestBody<'/lead-forms/{id}', 'patch'>;
export type SubmissionPage = ApiResponse<'/lead-forms/{id}/submissions'>;
export type Submission = SubmissionPage['items'][number];

const keys = {
  all: ['lead-forms'] as const,
  fields: ['lead-forms', 'fields'] as const,
  submissions: (id: string, cursor: string | null) =>
    ['lead-forms', id, 'submissions', cursor] as const,
};

export function useLeadForms() {
  return useQuery({
    queryKey: keys.all,
    queryFn: async () => (await api.get<{ items: LeadForm[] }>('/lead-forms')).items,
  });
}

export function useFormableFields() {
  return useQuery({
    queryKey: keys.fields,
    queryFn: async () => (await api.get<{ items: FormableField[] }>('/lead-forms/fields')).items,
  });
}

export function useFormSubmissions(id: string | null, cursor: string | null) {
  return useQuery({
    queryKey: keys.submissions(id ?? '', cursor),
    queryFn: () =>
      api.get<SubmissionPage>(
        `/lead-forms/${encodeURIComponent(id!)}/submissions${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
      ),
    enabled: id !== null,
    placeholderData: keepPreviousData,
  });
}

function useFormsMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useSaveLeadForm() {
  return useFormsMutation(({ id, body }: { id: string | null; body: LeadFormBody }) =>
    id
      ? api.patch<LeadForm>(`/lead-forms/${encodeURIComponent(id)}`, body)
      : api.post<LeadForm>('/lead-forms', body),
  );
}

export function usePatchLeadForm() {
  return useFormsMutation(({ id, body }: { id: string; body: LeadFormPatch }) =>
    api.patch<LeadForm>(`/lead-forms/${encodeURIComponent(id)}`, body),
  );
}

export function useRegenerateFormKey() {
  return useFormsMutation((id: string) =>
    api.post<LeadForm>(`/lead-forms/${encodeURIComponent(id)}/regenerate-key`),
  );
}

export function useDeleteLeadForm() {
  return useFormsMutation((id: string) => api.delete(`/lead-forms/${encodeURIComponent(id)}`));
}
