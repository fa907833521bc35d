/**
 * Option lists (lifecycle stages, industries, units…) a workspace edits, and the kanban board
 * that groups records by such a field: hooks over GET/PUT /field-options and GET /:object/board.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from './client';
import { boardKeys, boardQuery } from './queries';
import {
  compactFilter,
  recordKeys,
  type AnyRecord,
  type FilterNode,
  type ListPage,
  type RecordObjectKey,
} from './records';
import type { ApiRequestBody, ApiResponse, Items, ItemOf } from './types';

export type OptionListSummary = ItemOf<ApiResponse<'/field-options'>>;
export type OptionList = ApiResponse<'/field-options/{object}/{field}'>;
export type OptionListInput = ApiRequestBody<'/field-options/{object}/{field}', 'put'>;
export type OptionInput = OptionListInput['options'][number];

export const optionKeys = {
  all: ['field-options'] as const,
  one: (object: string, field: string) => ['field-options', object, field] as const,
};

/** The editable option lists of the objects the user may read. */
export function useOptionLists() {
  return useQuery({
    queryKey: optionKeys.all,
    queryFn: () => api.get<Items<OptionListSummary>>('/field-options'),
    select: (d) => d.items,
  });
}

export function useOptionList(object: string, field: string, enabled = true) {
  return useQuery({
    queryKey: optionKeys.one(object, field),
    queryFn: () => api.get<OptionList>(`/field-options/${object}/${encodeURIComponent(field)}`),
    enabled: enabled && Boolean(object && field),
  });
}

/** Save a whole list; every page showing the field (metadata, lists, boards) reloads. */
export function useSaveOptionList(object: string, field: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: OptionListInput) =>
      request<OptionList>('PUT', `/field-options/${object}/${encodeURIComponent(field)}`, {
        body: input,
      }),
    onSuccess: (list) => {
      qc.setQueryData(optionKeys.one(object, field), list);
      void qc.invalidateQueries({ queryKey: recordKeys.fields(object) });
      void qc.invalidateQueries({ queryKey: recordKeys.all(object) });
    },
  });
}

// --- kanban board ----------------------------------------------------------------------------

export interface BoardParams {
  groupBy: string;
  filter?: FilterNode | undefined;
  sort?: string | undefined;
  q?: string | undefined;
  limit?: number;
  /** A value of the groupBy field's scopedBy field (a deal board: its pipeline). */
  scope?: string | undefined;
  /** The records a board shows (the object's kanbanFilter): a column's further pages too. */
  shown?: FilterNode | undefined;
}

export type Board = Omit<ApiResponse<'/contacts/board'>, 'columns'> & {
  columns: (Omit<ApiResponse<'/contacts/board'>['columns'][number], 'items'> & {
    items: AnyRecord[];
  })[];
};
export type BoardColumn = Board['columns'][number];

// Its query and keys live in queries.ts (the records page's route loader asks it early).
export { boardKeys, boardQuery };

/** Every column's first cards and count in one request (while `enabled`). */
export function useBoard(object: RecordObjectKey, params: BoardParams, enabled = true) {
  return useQuery({ ...boardQuery(object, params), enabled: enabled && Boolean(params.groupBy) });
}

/**
 * The rest of one column, from its board cursor: the ordinary keyset list of the board's filter
 * AND "field is the column's value", page after page (`enabled` once the user scrolls there).
 */
export function useBoardColumnMore(
  object: RecordObjectKey,
  params: BoardParams,
  value: string | null,
  cursor: string | null,
  enabled: boolean,
) {
  const condition: FilterNode =
    value === null
      ? { field: params.groupBy, op: 'is_empty' }
      : { field: params.groupBy, op: 'is', value };
  const filter = compactFilter({
    and: [params.shown, params.filter, condition].filter((n): n is FilterNode => n !== undefined),
  });
  return useInfiniteQuery({
    queryKey: [...boardKeys.more(object, params, value), cursor],
    queryFn: ({ pageParam, signal }) =>
      api.get<ListPage<AnyRecord>>(
        `/${object}`,
        {
          filter: filter ? JSON.stringify(filter) : undefined,
          sort: params.sort,
          q: params.q?.trim() || undefined,
          limit: 50,
          cursor: pageParam,
        },
        signal,
      ),
    initialPageParam: cursor ?? undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: enabled && cursor !== null,
  });
}
