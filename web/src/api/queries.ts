/**
 * The queries a page asks first, and the keys every records query is cached under, shared by the
 * hooks (records.ts, options.ts) and the route loaders that ask for a page's data before its code
 * has loaded (pages/records/loader.ts). No React and nothing heavy: a loader is part of the first
 * JavaScript every page loads.
 */
import { api } from './client';
import type { Board, BoardParams } from './options';
import type {
  FieldMeta,
  FilterGroup,
  FilterNode,
  ListParams,
  ObjectMeta,
  RecordObjectKey,
  ViewList,
} from './records';
import type { Items } from './types';

// --- filter tree ------------------------------------------------------------------------------

export function isGroup(node: FilterNode): node is FilterGroup {
  return 'and' in node || 'or' in node;
}

export function groupChildren(group: FilterGroup): FilterNode[] {
  return 'and' in group ? group.and : group.or;
}

/** Drops empty groups and half-filled conditions; undefined when nothing is left. */
export function compactFilter(node: FilterNode | null | undefined): FilterNode | undefined {
  if (!node) return undefined;
  if (!isGroup(node)) {
    if (!node.field) return undefined;
    if (node.op === 'is_empty' || node.op === 'is_not_empty')
      return { field: node.field, op: node.op };
    const v = node.value;
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) {
      return undefined;
    }
    return node;
  }
  const children = groupChildren(node)
    .map((c) => compactFilter(c))
    .filter((c): c is FilterNode => c !== undefined);
  if (children.length === 0) return undefined;
  return 'and' in node ? { and: children } : { or: children };
}

// --- keys -------------------------------------------------------------------------------------

export const recordKeys = {
  all: (object: RecordObjectKey) => ['records', object] as const,
  lists: (object: RecordObjectKey) => ['records', object, 'list'] as const,
  list: (object: RecordObjectKey, params: ListParams) =>
    ['records', object, 'list', params] as const,
  count: (object: RecordObjectKey, params: ListParams) =>
    ['records', object, 'count', params] as const,
  one: (object: RecordObjectKey, id: string) => ['records', object, 'one', id] as const,
  timeline: (object: RecordObjectKey, id: string) => ['records', object, 'timeline', id] as const,
  related: (object: RecordObjectKey, id: string) => ['records', object, 'related', id] as const,
  fields: (object: RecordObjectKey) => ['record-fields', object] as const,
  customFields: (object: RecordObjectKey) => ['custom-fields', object] as const,
  views: (object: RecordObjectKey) => ['views', object] as const,
  search: (q: string, types?: string) => ['search', q, types ?? ''] as const,
  provinces: ['vn', 'provinces'] as const,
  wards: (provinceCode: string, q: string) => ['vn', 'wards', provinceCode, q] as const,
};

export const boardKeys = {
  all: (object: RecordObjectKey) => ['records', object, 'board'] as const,
  one: (object: RecordObjectKey, params: BoardParams) =>
    ['records', object, 'board', params] as const,
  more: (object: RecordObjectKey, params: BoardParams, value: string | null) =>
    ['records', object, 'board', 'more', params, value] as const,
};

// --- queries (plain objects: useQuery, prefetchQuery and ensureQueryData all take them) --------

/** GET /objects: the record objects the user may read, in sidebar order. */
export const objectsQuery = {
  queryKey: ['objects'] as const,
  queryFn: () => api.get<Items<ObjectMeta>>('/objects'),
  staleTime: 5 * 60_000,
};

/** GET /objects/:object/fields. */
export const fieldsQuery = (object: RecordObjectKey) => ({
  queryKey: recordKeys.fields(object),
  queryFn: () => api.get<Items<FieldMeta> | FieldMeta[]>(`/objects/${object}/fields`),
  staleTime: 5 * 60_000,
});

/** GET /views?object=: the object's views the user sees, and the one they last opened. */
export const viewsQuery = (object: RecordObjectKey) => ({
  queryKey: recordKeys.views(object),
  queryFn: () => api.get<ViewList>('/views', { object }),
});

/** GET /:object/board: every column's first cards and count. */
export function boardQuery(object: RecordObjectKey, params: BoardParams) {
  const filter = compactFilter(params.filter);
  return {
    queryKey: boardKeys.one(object, params),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api.get<Board>(
        `/${object}/board`,
        {
          groupBy: params.groupBy,
          filter: filter ? JSON.stringify(filter) : undefined,
          sort: params.sort,
          q: params.q?.trim() || undefined,
          limit: params.limit,
          scope: params.scope,
        },
        signal,
      ),
  };
}
