import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { savedViews, type SavedViewRow, type ViewDefinition } from '../../db/schema/index.js';
import { lastUsedViews } from './views.table.js';

/** Views of an object the current user can see (RLS: shared ones and their own). */
export function listViews(tx: Tx, object: string): Promise<SavedViewRow[]> {
  return tx
    .select()
    .from(savedViews)
    .where(eq(savedViews.object, object))
    .orderBy(
      desc(savedViews.shared),
      asc(savedViews.position),
      asc(savedViews.name),
      asc(savedViews.id),
    );
}

export async function getView(tx: Tx, id: string): Promise<SavedViewRow | undefined> {
  const [row] = await tx.select().from(savedViews).where(eq(savedViews.id, id));
  return row;
}

export async function insertView(
  tx: Tx,
  view: {
    workspaceId: string;
    object: string;
    name: string;
    ownerId: string;
    shared: boolean;
    definition: ViewDefinition;
    position: number;
  },
): Promise<SavedViewRow> {
  const [row] = await tx.insert(savedViews).values(view).returning();
  if (!row) throw new Error('view insert returned nothing');
  return row;
}

export async function updateView(
  tx: Tx,
  id: string,
  patch: { name?: string; shared?: boolean; definition?: ViewDefinition; position?: number },
): Promise<SavedViewRow> {
  const [row] = await tx
    .update(savedViews)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(savedViews.id, id))
    .returning();
  if (!row) throw new Error('view update returned nothing');
  return row;
}

export async function deleteView(tx: Tx, id: string): Promise<void> {
  await tx.delete(savedViews).where(eq(savedViews.id, id));
}

/** The view the user last opened on an object's list: an id, null (every record) or undefined. */
export async function getLastUsed(
  tx: Tx,
  userId: string,
  object: string,
): Promise<string | null | undefined> {
  const [row] = await tx
    .select({ viewId: lastUsedViews.viewId })
    .from(lastUsedViews)
    .where(and(eq(lastUsedViews.userId, userId), eq(lastUsedViews.object, object)));
  return row?.viewId;
}

export async function setLastUsed(
  tx: Tx,
  row: { workspaceId: string; userId: string; object: string; viewId: string | null },
): Promise<void> {
  await tx
    .insert(lastUsedViews)
    .values(row)
    .onConflictDoUpdate({
      target: [lastUsedViews.workspaceId, lastUsedViews.userId, lastUsedViews.object],
      set: { viewId: row.viewId, updatedAt: sql`now()` },
    });
}
