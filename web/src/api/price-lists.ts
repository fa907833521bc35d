import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from './client';
import { recordKeys } from './queries';
import type { ApiRequestBody, ApiResponse, ItemOf } from './types';

/** Settings → Bảng giá: the workspace's price lists and each list's prices. */
export type PriceList = ItemOf<ApiResponse<'/price-lists'>>;
export type PriceListItems = ApiResponse<'/price-lists/{id}/items'>;
export type PriceListItem = PriceListItems['items'][number];
export type PriceListCreateBody = ApiRequestBody<'/price-lists', 'post'>;
export type PriceListPatchBody = ApiRequestBody<'/price-lists/{id}', 'patch'>;
export type PriceListItemsBody = ApiRequestBody<'/price-lists/{id}/items', 'put'>;

const listsKey = ['price-lists'] as const;
const itemsKey = (id: string) => ['price-lists', id, 'items'] as const;
/** The objects whose "Bảng giá" field offers the lists. */
const CUSTOMERS = ['companies', 'contacts'] as const;

export function usePriceLists() {
  return useQuery({
    queryKey: listsKey,
    queryFn: () => api.get<{ items: PriceList[] }>('/price-lists'),
    select: (d) => d.items,
  });
}

export function usePriceListItems(id: string | null) {
  return useQuery({
    queryKey: itemsKey(id ?? ''),
    queryFn: () => api.get<PriceListItems>(`${one(id!)}/items`),
    enabled: id !== null,
  });
}

/**
 * A change to the lists is a change to the customers' metadata (the "Bảng giá" field's options
 * are the lists) and, when a list is deleted, to their records: all are refetched.
 */
function usePriceListMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: listsKey }),
        ...CUSTOMERS.flatMap((o) => [
          qc.invalidateQueries({ queryKey: recordKeys.fields(o) }),
          qc.invalidateQueries({ queryKey: recordKeys.all(o) }),
        ]),
      ]);
    },
  });
}

const one = (id: string) => `/price-lists/${encodeURIComponent(id)}`;

export function useCreatePriceList() {
  return usePriceListMutation((body: PriceListCreateBody) =>
    api.post<PriceList>('/price-lists', body),
  );
}

export function useUpdatePriceList() {
  return usePriceListMutation(({ id, body }: { id: string; body: PriceListPatchBody }) =>
    api.patch<PriceList>(one(id), body),
  );
}

export function useDeletePriceList() {
  return usePriceListMutation((id: string) => api.delete(one(id)));
}

export function useSavePriceListItems() {
  return usePriceListMutation(({ id, body }: { id: string; body: PriceListItemsBody }) =>
    request<PriceListItems>('PUT', `${one(id)}/items`, { body }),
  );
}

/** A product as the list editor's picker shows it. */
export interface ProductHit {
  id: string;
  sku: string;
  name: string;
  unit: string;
  unitPrice: number;
  active: boolean;
}

/** Products matching `q` (name, SKU; no diacritics needed), for the list editor's picker. */
export function useProductSearch(q: string) {
  return useQuery({
    queryKey: ['price-lists', 'products', q],
    queryFn: ({ signal }) =>
      api.get<{ items: ProductHit[] }>('/products', { q: q || undefined, limit: 20 }, signal),
    select: (d) => d.items,
    staleTime: 30_000,
  });
}
