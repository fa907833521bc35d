import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { savedViews, type SavedViewRow, type ViewDefinition } from '../../db/schema/index.js';

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
