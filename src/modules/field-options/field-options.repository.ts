import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import type { RecordObject } from '../records/registry.js';
import {
  fieldOptionLists,
  type FieldOptionListRow,
  type StoredOption,
} from './field-options.table.js';

/** The workspace's edited lists of one object's fields (RLS: the current workspace). */
export async function listsOf(tx: Tx, object: string): Promise<FieldOptionListRow[]> {
  return tx.select().from(fieldOptionLists).where(eq(fieldOptionLists.object, object));
}

/** One field's edited list, locked for the update that follows when `lock`. */
export async function getList(
  tx: Tx,
  object: string,
  field: string,
  lock = false,
): Promise<FieldOptionListRow | undefined> {
  const query = tx
    .select()
    .from(fieldOptionLists)
    .where(and(eq(fieldOptionLists.object, object), eq(fieldOptionLists.field, field)));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function saveList(
  tx: Tx,
  workspaceId: string,
  object: string,
  field: string,
  options: StoredOption[],
): Promise<FieldOptionListRow> {
  const [row] = await tx
    .insert(fieldOptionLists)
    .values({ workspaceId, object, field, options })
    .onConflictDoUpdate({
      target: [fieldOptionLists.workspaceId, fieldOptionLists.object, fieldOptionLists.field],
      set: { options, updatedAt: sql`now()` },
    })
    .returning();
  if (!row) throw new Error('option list not saved');
  return row;
}

/**
 * How many records (the trash included: they can be restored) hold each value of a field, as
 * the value's text: one GROUP BY over the object's table (`expr` on alias `r`).
 */
export async function valueCounts(
  tx: Tx,
  object: RecordObject,
  expr: SQL,
): Promise<Map<string, number>> {
  const rows = await queryRows<{ value: string; count: number }>(
    tx,
    sql`SELECT (${expr})::text AS value, count(*)::int AS count
          FROM ${object.table} r
         WHERE ${expr} IS NOT NULL
         GROUP BY 1`,
  );
  return new Map(rows.map((r) => [r.value, Number(r.count)]));
}
