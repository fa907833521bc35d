/**
 * What a records list opens with, shared by the page (RecordsPage, KanbanBoard) and its route
 * loader (loader.ts), which asks for the same data before the page's code has loaded: the two
 * must build the same query keys, so they build them here. Small on purpose: the loader's chunk
 * is this, the query definitions and nothing of the page.
 */
import type { BoardParams } from '../../api/options';
import { compactFilter } from '../../api/queries';
import type {
  FilterGroup,
  FilterNode,
  ObjectMeta,
  SavedView,
  ViewDefinition,
} from '../../api/records';

export const EMPTY_FILTER: FilterGroup = { and: [] };

/** Cards per kanban column in the first paint (a column's height). */
export const FIRST_CARDS = 10;

/** A saved view's filter as the filter builder's root group. */
export function toGroup(filter: unknown): FilterGroup {
  if (filter && typeof filter === 'object' && ('and' in filter || 'or' in filter)) {
    return filter as FilterGroup;
  }
  if (filter && typeof filter === 'object' && 'field' in filter) {
    return { and: [filter as unknown as FilterNode] };
  }
  return EMPTY_FILTER;
}

/** A saved view's sort as the list's `sort` parameter (`field` or `-field`). */
export const sortOf = (d: ViewDefinition): string | undefined => {
  const s = d.sort?.[0];
  return s ? (s.direction === 'desc' ? `-${s.field}` : s.field) : undefined;
};

/** The board request's parameters (one shape for the page and the loader: one query key). */
export function boardParams(p: {
  groupBy: string;
  filter: FilterNode | undefined;
  sort: string | undefined;
  q: string;
  scope?: string | undefined;
  shown?: FilterNode | undefined;
}): BoardParams {
  return {
    groupBy: p.groupBy,
    filter: p.filter,
    sort: p.sort,
    q: p.q,
    limit: FIRST_CARDS,
    ...(p.scope ? { scope: p.scope } : {}),
    ...(p.shown ? { shown: p.shown } : {}),
  };
}

/** The board scope (a deal board's pipeline) this browser last chose for an object. */
const scopeKey = (object: string) => `sen.boardScope.${object}`;
export function rememberedBoardScope(object: string): string | undefined {
  try {
    return localStorage.getItem(scopeKey(object)) ?? undefined;
  } catch {
    return undefined;
  }
}
export function rememberBoardScope(object: string, scope: string): void {
  try {
    localStorage.setItem(scopeKey(object), scope);
  } catch {
    // Private browsing: the board starts on the first pipeline next time.
  }
}

/** The board a list opened with `view` (null: every record) asks first, before any change. */
export function openingBoardParams(meta: ObjectMeta, view: SavedView | null): BoardParams {
  const d = view?.definition;
  return boardParams({
    groupBy: d?.groupBy ?? meta.presentation.kanbanField ?? '',
    filter: compactFilter(toGroup(d?.filter)),
    sort: d ? sortOf(d) : undefined,
    q: '',
    scope: rememberedBoardScope(meta.key),
    shown: (meta.presentation.kanbanFilter ?? undefined) as FilterNode | undefined,
  });
}

/**
 * The view last used on an object's list, as this browser last saw it ('' for every record;
 * null when never seen: taken as every record, the usual case). The server keeps the truth
 * (GET /views lastUsedId); this only tells the loader whether the board can be asked before the
 * views have arrived (no saved view) or must wait for the view's filter. A wrong guess costs one
 * board request: the page asks its own board once it knows the view.
 */
const hintKey = (workspaceId: string, object: string) => `sen.lastView.${workspaceId}.${object}`;

export function lastViewHint(workspaceId: string, object: string): string | null {
  try {
    return localStorage.getItem(hintKey(workspaceId, object));
  } catch {
    return null;
  }
}

export function rememberLastView(workspaceId: string, object: string, viewId: string | null) {
  try {
    localStorage.setItem(hintKey(workspaceId, object), viewId ?? '');
  } catch {
    // storage full or disabled: the loader then waits for the views
  }
}
