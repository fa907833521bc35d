/**
 * Duplicates and merge (issue #18): hooks over src/modules/merge for every record object — the
 * ranked pairs of possible duplicates with their evidence, a scan, "not duplicates", the fuzzy
 * threshold, the merge dialog's preview, the merge and its undo. The paths are per object
 * (`/contacts/duplicate-pairs`…), so the shapes are written here once for all of them.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from './client';
import type { AnyRecord, RecordObjectKey } from './records';

export interface PairEvidence {
  keys: { key: string; value: string }[];
  nameSimilarity: number;
  sharedLinks: string[];
}

export interface DuplicatePair {
  /** 0..1, higher = more likely the same. */
  score: number;
  evidence: PairEvidence;
  dismissed: boolean;
  records: [AnyRecord, AnyRecord];
}

export interface PairsPage {
  items: DuplicatePair[];
  nextCursor: string | null;
  /** Per cent (30–100). */
  threshold: number;
  scannedAt: string | null;
}

export interface MergePreview {
  records: AnyRecord[];
  fields: { key: string; label: { vi: string; en: string }; type: string }[];
}

export interface MergeResult {
  mergeId: string;
  record: AnyRecord;
}

export const mergeKeys = {
  pairs: (object: RecordObjectKey, dismissed: boolean) =>
    ['duplicates', 'pairs', object, dismissed] as const,
  preview: (object: RecordObjectKey, ids: string[]) =>
    ['duplicates', 'preview', object, ...ids] as const,
  merges: (object: RecordObjectKey, id: string) => ['duplicates', 'merges', object, id] as const,
};

export function useDuplicatePairs(object: RecordObjectKey, dismissed = false) {
  return useInfiniteQuery({
    queryKey: mergeKeys.pairs(object, dismissed),
    queryFn: ({ pageParam }) =>
      api.get<PairsPage>(`/${object}/duplicate-pairs`, {
        limit: 20,
        dismissed: dismissed ? 'true' : 'false',
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Everything a merge or a dismissal changes: pairs, lists and records of the object. */
function useInvalidate(object: RecordObjectKey) {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ['duplicates'] }),
      qc.invalidateQueries({ queryKey: ['records', object] }),
      qc.invalidateQueries({ queryKey: ['records'] }),
    ]);
}

export function useScanPairs(object: RecordObjectKey) {
  const invalidate = useInvalidate(object);
  return useMutation({
    mutationFn: () =>
      api.post<{ pairs: number; scannedAt: string | null }>(`/${object}/duplicate-pairs/scan`),
    onSuccess: () => invalidate(),
  });
}

export function useDismissPair(object: RecordObjectKey) {
  const invalidate = useInvalidate(object);
  return useMutation({
    mutationFn: (v: { recordIds: [string, string]; dismissed: boolean }) =>
      api.post<void>(`/${object}/duplicate-pairs/dismiss`, v),
    onSuccess: () => invalidate(),
  });
}

export function useDuplicateThreshold(object: RecordObjectKey) {
  const invalidate = useInvalidate(object);
  return useMutation({
    mutationFn: (threshold: number) =>
      request<{ threshold: number }>('PUT', `/${object}/duplicate-settings`, {
        body: { threshold },
      }),
    onSuccess: () => invalidate(),
  });
}

export function useMergePreview(object: RecordObjectKey, ids: string[] | null) {
  return useQuery({
    queryKey: mergeKeys.preview(object, ids ?? []),
    queryFn: () =>
      api.get<MergePreview>(`/${object}/merge-preview`, { ids: (ids ?? []).join(',') }),
    enabled: ids !== null && ids.length >= 2,
    staleTime: 0,
  });
}

export function useMergeRecords(object: RecordObjectKey) {
  const invalidate = useInvalidate(object);
  return useMutation({
    mutationFn: (body: {
      survivorId: string;
      mergedIds: string[];
      values: Record<string, string>;
    }) => api.post<MergeResult>(`/${object}/merge`, body),
    onSuccess: () => invalidate(),
  });
}

export function useUndoMerge(object: RecordObjectKey) {
  const invalidate = useInvalidate(object);
  return useMutation({
    mutationFn: (mergeId: string) =>
      api.post<{ survivorId: string; restoredIds: string[] }>(
        `/merges/${encodeURIComponent(mergeId)}/undo`,
      ),
    onSuccess: () => invalidate(),
  });
}

/** The merges into a record, newest first (its page offers the undo of the last one). */
export function useRecordMerges(object: RecordObjectKey, id: string) {
  return useQuery({
    queryKey: mergeKeys.merges(object, id),
    queryFn: () =>
      api.get<{ items: { id: string; mergedIds: string[]; createdAt: string; undone: boolean }[] }>(
        `/${object}/${encodeURIComponent(id)}/merges`,
      ),
  });
}
