import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from './client';
import type { ApiRequestBody, ApiResponse } from './types';

/** Settings → Đánh số chứng từ: each numbered document type's format and counter. */
export type NumberingView = ApiResponse<'/settings/numbering'>;
export type NumberingType = NumberingView['types'][number];
export type NumberingPatch = ApiRequestBody<'/settings/numbering/{type}', 'patch'>;

/** Settings → Thông tin doanh nghiệp: the business profile quotes, invoices and VietQR use. */
export type CompanyProfile = ApiResponse<'/settings/company-profile'>;
export type CompanyProfileBody = ApiRequestBody<'/settings/company-profile', 'put'>;
export type Bank = ApiResponse<'/settings/banks'>['items'][number];

const numberingKey = ['settings', 'numbering'] as const;
const profileKey = ['settings', 'company-profile'] as const;

export function useNumbering() {
  return useQuery({
    queryKey: numberingKey,
    queryFn: () => api.get<NumberingView>('/settings/numbering'),
  });
}

export function useUpdateNumbering() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ type, body }: { type: string; body: NumberingPatch }) =>
      api.patch<NumberingType>(`/settings/numbering/${encodeURIComponent(type)}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: numberingKey }),
  });
}

export function useCompanyProfile() {
  return useQuery({
    queryKey: profileKey,
    queryFn: () => api.get<CompanyProfile>('/settings/company-profile'),
  });
}

export function useBanks() {
  return useQuery({
    queryKey: ['settings', 'banks'],
    queryFn: () => api.get<{ items: Bank[] }>('/settings/banks'),
    staleTime: Infinity,
  });
}

function useProfileMutation<V>(fn: (v: V) => Promise<CompanyProfile>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (profile) => qc.setQueryData(profileKey, profile),
  });
}

export function useSaveCompanyProfile() {
  return useProfileMutation((body: CompanyProfileBody) =>
    request<CompanyProfile>('PUT', '/settings/company-profile', { body }),
  );
}

export function useUploadLogo() {
  return useProfileMutation((file: File) => {
    const form = new FormData();
    form.append('file', file);
    return request<CompanyProfile>('PUT', '/settings/company-profile/logo', { body: form });
  });
}

export function useDeleteLogo() {
  return useProfileMutation(() => api.delete<CompanyProfile>('/settings/company-profile/logo'));
}
