import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import {
  customFields,
  type CustomFieldOptions,
  type CustomFieldRow,
  type CustomFieldType,
} from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import type { RecordObject } from '../records/registry.js';

export { loadCustomFields as listFields } from './values.js';

export async function getField(tx: Tx, id: string): Promise<CustomFieldRow | undefined> {
  const [row] = await tx.select().from(customFields).where(eq(customFields.id, id));
  return row;
}

export async function keyExists(tx: Tx, object: string, key: string): Promise<boolean> {
  const rows = await tx
    .select({ id: customFields.id })
    .from(customFields)
    .where(and(eq(customFields.object, object), eq(customFields.key, key)))
    .limit(1);
  return rows.length > 0;
}

/** Keys of this object starting with `prefix` (to pick a free generated key). */
export async function keysLike(tx: Tx, object: string, prefix: string): Promise<Set<string>> {
  const rows = await tx
    .select({ key: customFields.key })
    .from(customFields)
    .where(and(eq(customFields.object, object), sql`starts_with(${customFields.key}, ${prefix})`));
  return new Set(rows.map((r) => r.key));
}

export async function nextPosition(tx: Tx, object: string): Promise<number> {
  const [row] = await tx
    .select({ next: sql<number>`coalesce(max(${customFields.position}) + 1, 0)::int` })
    .from(customFields)
    .where(eq(customFields.object, object));
  return Number(row?.next ?? 0);
}

export interface NewField {
  workspaceId: string;
  object: string;
  key: string;
  label: string;
  type: CustomFieldType;
  options: CustomFieldOptions;
  required: boolean;
  isUnique: boolean;
  defaultValue: unknown;
  position: number;
}

export async function insertField(tx: Tx, field: NewField): Promise<CustomFieldRow> {
  const [row] = await tx
    .insert(customFields)
    .values({ ...field, defaultValue: field.defaultValue ?? null })
    .returning();
  if (!row) throw new Error('custom field insert returned nothing');
  return row;
}

export async function updateField(
  tx: Tx,
  id: string,
  patch: Partial<Omit<NewField, 'workspaceId' | 'object' | 'key'>>,
): Promise<CustomFieldRow> {
  const [row] = await tx
    .update(customFields)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(customFields.id, id))
    .returning();
  if (!row) throw new Error('custom field update returned nothing');
  return row;
}

export async function deleteField(tx: Tx, id: string): Promise<void> {
  await tx.delete(customFields).where(eq(customFields.id, id));
}

/** Whether any record of the object (trash included) has a value for the key. */
export async function hasValues(tx: Tx, object: RecordObject, key: string): Promise<boolean> {
  const rows = await queryRows<{ found: number }>(
    tx,
    sql`SELECT 1 AS found FROM ${object.table} WHERE custom -> ${key}::text IS NOT NULL LIMIT 1`,
  );
  return rows.length > 0;
}

/** Whether any record uses a choice (select: the value; multi_select: one of the values). */
export async function choiceInUse(
  tx: Tx,
  object: RecordObject,
  key: string,
  choice: string,
  multi: boolean,
): Promise<boolean> {
  const probe = JSON.stringify({ [key]: multi ? [choice] : choice });
  const rows = await queryRows<{ found: number }>(
    tx,
    sql`SELECT 1 AS found FROM ${object.table} WHERE custom @> ${probe}::jsonb LIMIT 1`,
  );
  return rows.length > 0;
}

/** Remove a field's values from every record (trash included). Returns how many changed. */
export async function removeValues(tx: Tx, object: RecordObject, key: string): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE ${object.table} SET custom = custom - ${key}::text
         WHERE custom -> ${key}::text IS NOT NULL RETURNING id`,
  );
  return rows.length;
}

/** Every record's value of a key, for filling the unique side table when a field turns unique. */
export function valuesOf(
  tx: Tx,
  object: RecordObject,
  key: string,
): Promise<{ id: string; value: unknown }[]> {
  return queryRows<{ id: string; value: unknown }>(
    tx,
    sql`SELECT id, custom -> ${key}::text AS value FROM ${object.table} WHERE custom -> ${key}::text IS NOT NULL`,
  );
}

export async function insertUniqueValues(
  tx: Tx,
  workspaceId: string,
  fieldId: string,
  rows: { value: string; recordId: string }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await tx.execute(sql`
      INSERT INTO custom_field_unique_values (workspace_id, field_id, value, record_id)
      VALUES ${sql.join(
        chunk.map((r) => sql`(${workspaceId}, ${fieldId}, ${r.value}, ${r.recordId})`),
        sql`, `,
      )}`);
  }
}

export async function clearUniqueValues(tx: Tx, fieldId: string): Promise<void> {
  await tx.execute(sql`DELETE FROM custom_field_unique_values WHERE field_id = ${fieldId}`);
}
