import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from './client';
import type { ApiQuery, ApiRequestBody, ApiResponse, ItemOf } from './types';

/** Stock per warehouse (#20): levels, movements, receipts, adjustments, warehouses. */
export type StockLevel = ItemOf<ApiResponse<'/stock/levels'>>;
export type StockMovement = ItemOf<ApiResponse<'/stock/movements'>>;
export type MovementKind = StockMovement['kind'];
export type Warehouse = ItemOf<ApiResponse<'/stock/warehouses'>>;
export type ReceiptBody = ApiRequestBody<'/stock/receipts', 'post'>;
export type AdjustmentBody = ApiRequestBody<'/stock/adjustments', 'post'>;
export type WarehouseCreateBody = ApiRequestBody<'/stock/warehouses', 'post'>;
export type WarehousePatchBody = ApiRequestBody<'/stock/warehouses/{id}', 'patch'>;
type LevelsQuery = NonNullable<ApiQuery<'/stock/levels'>>;
type MovementsQuery = NonNullable<ApiQuery<'/stock/movements'>>;

export const MOVEMENT_KINDS: MovementKind[] = ['receipt', 'reserve', 'release', 'issue', 'adjust'];

const stockKey = ['stock'] as const;
const PAGE = 50;

export function useWarehouses(includeArchived = false) {
  return useQuery({
    queryKey: [...stockKey, 'warehouses', includeArchived],
    queryFn: () =>
      api.get<{ items: Warehouse[] }>('/stock/warehouses', {
        ...(includeArchived ? { includeArchived: 'true' } : {}),
      }),
    select: (d) => d.items,
  });
}

/** The levels, 50 rows a page ("more" loads the next). */
export function useStockLevels(filter: Omit<LevelsQuery, 'cursor' | 'limit'>) {
  return useInfiniteQuery({
    queryKey: [...stockKey, 'levels', filter],
    queryFn: ({ pageParam, signal }) =>
      api.get<ApiResponse<'/stock/levels'>>(
        '/stock/levels',
        { ...filter, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) },
        signal,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useStockMovements(filter: Omit<MovementsQuery, 'cursor' | 'limit'>) {
  return useInfiniteQuery({
    queryKey: [...stockKey, 'movements', filter],
    queryFn: ({ pageParam, signal }) =>
      api.get<ApiResponse<'/stock/movements'>>(
        '/stock/movements',
        { ...filter, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) },
        signal,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

/** Any stock write changes levels, movements and warehouses' counts: all are refetched. */
function useStockMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => qc.invalidateQueries({ queryKey: stockKey }),
  });
}

export function usePostReceipt() {
  return useStockMutation((body: ReceiptBody) =>
    api.post<ApiResponse<'/stock/receipts', 'post'>>('/stock/receipts', body),
  );
}

export function usePostAdjustment() {
  return useStockMutation((body: AdjustmentBody) =>
    api.post<ApiResponse<'/stock/adjustments', 'post'>>('/stock/adjustments', body),
  );
}

const one = (id: string) => `/stock/warehouses/${encodeURIComponent(id)}`;

export function useCreateWarehouse() {
  return useStockMutation((body: WarehouseCreateBody) =>
    api.post<Warehouse>('/stock/warehouses', body),
  );
}

export function useUpdateWarehouse() {
  return useStockMutation(({ id, body }: { id: string; body: WarehousePatchBody }) =>
    api.patch<Warehouse>(one(id), body),
  );
}

export function useDeleteWarehouse() {
  return useStockMutation((id: string) => api.delete(one(id)));
}
