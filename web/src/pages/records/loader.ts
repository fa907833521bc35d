/**
 * The route loader of `/:object` (routes.tsx): asks for what the records page shows first as soon
 * as the address is known, while the page's code is still loading, instead of one request after
 * the other as each component mounts (session → objects → fields and views → board). Once the
 * session says someone is signed in (a signed-out visit asks nothing more: no 401 in the
 * console), the objects, the fields and the views are asked together; the kanban's board as soon
 * as the objects name its default field, without waiting for the views when no saved view is in
 * use (listState.ts lastViewHint), else with the view's filter once the views have arrived.
 *
 * It never blocks the navigation (it returns at once) and never shows an error: the page's own
 * queries pick up these requests (same keys) and show their errors.
 */
import type { LoaderFunctionArgs } from 'react-router';
import { boardQuery, fieldsQuery, objectsQuery, viewsQuery } from '../../api/queries';
import { queryClient } from '../../api/queryClient';
import type { SavedView } from '../../api/records';
import { ensureSession } from '../../api/session';
import { lastViewHint, openingBoardParams } from './listState';

export function recordsLoader({ params, request }: LoaderFunctionArgs): null {
  const object = params.object;
  if (object) {
    prefetchRecordsPage(object, new URL(request.url).searchParams).catch(() => {
      // the page's own queries ask again and show the error
    });
  }
  return null;
}

async function prefetchRecordsPage(object: string, search: URLSearchParams): Promise<void> {
  const session = await ensureSession();
  if (!session) return;
  const objects = queryClient.ensureQueryData(objectsQuery);
  void queryClient.prefetchQuery(fieldsQuery(object));
  const views = queryClient.ensureQueryData(viewsQuery(object));
  views.catch(() => undefined); // awaited below only when a saved view is in use
  const hint = lastViewHint(session.workspace.id, object);

  const meta = (await objects).items.find((o) => o.key === object);
  if (!meta?.presentation.kanbanField) return;
  const layout = search.get('view');
  let view: SavedView | null = null;
  if (hint) {
    const list = await views;
    view = list.items.find((v) => v.id === list.lastUsedId) ?? null;
  }
  // The page shows the kanban when its address says so, else when its view is a kanban.
  const kanban = layout === 'kanban' || (layout === null && view?.definition.kind === 'kanban');
  if (kanban) void queryClient.prefetchQuery(boardQuery(object, openingBoardParams(meta, view)));
}
