import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/database.js';
import { queryOne, queryRows, uuidArray } from '../../db/sql.js';
import { attachments, notes } from '../../db/schema/index.js';
import type { RecordObject } from '../records/registry.js';
import type { RelationEnd } from '../relations/registry.js';
import type { MergeMoved } from './merge.table.js';

const ident = (name: string) => sql.identifier(name);
const col = (c: AnyPgColumn) => sql.identifier(c.name);

/**
 * Tables of things hung on any record by (record_type, record_id): notes and attachments; a
 * later module's (tasks, emails…) registers its own (registerMergeChild) and merges move them.
 */
const childTables: PgTable[] = [notes, attachments];

export function registerMergeChild(table: PgTable): void {
  if (!childTables.includes(table)) childTables.push(table);
}

export interface LockedRecord {
  id: string;
  owner_id: string | null;
  deleted: boolean;
}

/** The records, locked for the transaction (RLS: the current workspace only). */
export async function lockRecords(
  tx: Tx,
  object: RecordObject,
  ids: string[],
): Promise<LockedRecord[]> {
  const c = object.columns;
  return queryRows<LockedRecord>(
    tx,
    sql`SELECT ${col(c.id)} AS id, ${col(c.ownerId)} AS owner_id,
               ${col(c.deletedAt)} IS NOT NULL AS deleted
          FROM ${object.table} WHERE ${col(c.id)} = ANY(${uuidArray(ids)})
         ORDER BY ${col(c.id)} FOR UPDATE`,
  );
}

/** The whole row as jsonb (its column names), what an undo writes back. */
export async function rowSnapshot(
  tx: Tx,
  object: RecordObject,
  id: string,
): Promise<Record<string, unknown>> {
  const row = await queryOne<{ row: Record<string, unknown> }>(
    tx,
    sql`SELECT to_jsonb(r) AS row FROM ${object.table} r WHERE r.id = ${id}::uuid`,
  );
  if (!row) throw new Error(`record ${id} vanished`);
  return row.row;
}

/** Write a snapshot back over the row, every column (the undo of the survivor's values). */
export async function writeSnapshot(
  tx: Tx,
  object: RecordObject,
  id: string,
  snapshot: Record<string, unknown>,
): Promise<void> {
  const names = Object.values(getTableColumns(object.table))
    .map((c) => c.name)
    .filter((n) => n !== 'id' && n !== 'workspace_id');
  const list = sql.join(
    names.map((n) => ident(n)),
    sql`, `,
  );
  const values = sql.join(
    names.map((n) => sql`s.${ident(n)}`),
    sql`, `,
  );
  await tx.execute(
    sql`UPDATE ${object.table} t SET (${list}) = (SELECT ${values}
          FROM jsonb_populate_record(NULL::${object.table}, ${JSON.stringify(snapshot)}::jsonb) s)
         WHERE t.id = ${id}::uuid`,
  );
}

/** Touch the survivor (so an undo sees a later change) and return its updated_at as text. */
export async function touch(
  tx: Tx,
  object: RecordObject,
  id: string,
  userId: string | null,
): Promise<void> {
  await tx.execute(
    sql`UPDATE ${object.table} SET updated_at = clock_timestamp(), updated_by = ${userId}::uuid
         WHERE id = ${id}::uuid`,
  );
}

/** Re-point every child (notes, attachments…) of the merged records to the survivor. */
export async function moveChildren(
  tx: Tx,
  objectKey: string,
  mergedIds: string[],
  survivorId: string,
): Promise<MergeMoved['children']> {
  const moved: MergeMoved['children'] = [];
  for (const table of childTables) {
    const rows = await queryRows<{ id: string; from: string }>(
      tx,
      sql`WITH old AS (
            SELECT id, record_id FROM ${table}
             WHERE record_type = ${objectKey} AND record_id = ANY(${uuidArray(mergedIds)})
             FOR UPDATE)
          UPDATE ${table} t SET record_id = ${survivorId}::uuid FROM old
           WHERE t.id = old.id RETURNING t.id, old.record_id AS "from"`,
    );
    if (rows.length > 0) moved.push({ table: getTableName(table), rows });
  }
  return moved;
}

export async function moveChildrenBack(
  tx: Tx,
  objectKey: string,
  children: MergeMoved['children'],
  survivorId: string,
): Promise<void> {
  for (const entry of children) {
    const table = childTables.find((t) => getTableName(t) === entry.table);
    if (!table) continue;
    await tx.execute(
      sql`UPDATE ${table} t SET record_id = m."from"
            FROM jsonb_to_recordset(${JSON.stringify(entry.rows)}::jsonb) AS m(id uuid, "from" uuid)
           WHERE t.id = m.id AND t.record_type = ${objectKey} AND t.record_id = ${survivorId}::uuid`,
    );
  }
}

/**
 * Move one relation end's links from the merged records to the survivor: a link to a record
 * the survivor is already linked to (or that an earlier merged record brought) is dropped; a
 * moved link keeps its attributes, and a primary flag only while the survivor has no primary
 * link (relations with a primary flag, on their `from` side).
 */
export async function moveLinks(
  tx: Tx,
  end: RelationEnd,
  mergedIds: string[],
  survivorId: string,
): Promise<MergeMoved['links'][number] | null> {
  const c = col(end.column);
  const other = end.otherColumn.name;
  const rows = await queryRows<{ row: Record<string, unknown> }>(
    tx,
    sql`SELECT to_jsonb(l) AS row FROM ${end.table} l
         WHERE l.${c} = ANY(${uuidArray(mergedIds)})
         ORDER BY array_position(${uuidArray(mergedIds)}, l.${c}), l.${col(end.otherColumn)}
         FOR UPDATE`,
  );
  if (rows.length === 0) return null;
  const existing = await queryRows<{ other: string; primary: boolean }>(
    tx,
    sql`SELECT l.${col(end.otherColumn)} AS other,
               ${end.primaryColumn ? sql`l.${col(end.primaryColumn)}` : sql`false`} AS primary
          FROM ${end.table} l WHERE l.${c} = ${survivorId}::uuid`,
  );
  const linked = new Set(existing.map((e) => e.other));
  const primaryName = end.side === 'from' ? end.primaryColumn?.name : undefined;
  let hasPrimary = existing.some((e) => e.primary);
  const added: Record<string, unknown>[] = [];
  for (const { row } of rows) {
    const to = String(row[other]);
    if (linked.has(to) || to === survivorId) continue;
    linked.add(to);
    const moved: Record<string, unknown> = { ...row, [end.column.name]: survivorId };
    if (primaryName) {
      if (moved[primaryName] === true && hasPrimary) moved[primaryName] = false;
      if (moved[primaryName] === true) hasPrimary = true;
    }
    added.push(moved);
  }
  await tx.execute(sql`DELETE FROM ${end.table} WHERE ${c} = ANY(${uuidArray(mergedIds)})`);
  if (added.length > 0) await insertRows(tx, end.table, added);
  return {
    relation: end.relation.key,
    side: end.side,
    rows: rows.map((r) => r.row),
    added: added.map((r) => String(r[other])),
  };
}

export async function moveLinksBack(
  tx: Tx,
  end: RelationEnd,
  entry: MergeMoved['links'][number],
  survivorId: string,
): Promise<void> {
  if (entry.added.length > 0) {
    await tx.execute(
      sql`DELETE FROM ${end.table} WHERE ${col(end.column)} = ${survivorId}::uuid
             AND ${col(end.otherColumn)} = ANY(${uuidArray(entry.added)})`,
    );
  }
  await insertRows(tx, end.table, entry.rows);
}

async function insertRows(tx: Tx, table: PgTable, rows: Record<string, unknown>[]): Promise<void> {
  await tx.execute(
    sql`INSERT INTO ${table}
        SELECT * FROM jsonb_populate_recordset(NULL::${table}, ${JSON.stringify(rows)}::jsonb)
        ON CONFLICT DO NOTHING`,
  );
}

/** Re-point a declared reference (a company's parent) from merged records to the survivor. */
export async function moveRef(
  tx: Tx,
  ref: { table: PgTable; column: AnyPgColumn },
  mergedIds: string[],
  survivorId: string,
): Promise<{ id: string; from: string }[]> {
  const c = col(ref.column);
  return queryRows<{ id: string; from: string }>(
    tx,
    sql`WITH old AS (
          SELECT id, ${c} AS ref FROM ${ref.table}
           WHERE ${c} = ANY(${uuidArray(mergedIds)}) AND id <> ${survivorId}::uuid FOR UPDATE)
        UPDATE ${ref.table} t SET ${c} = ${survivorId}::uuid FROM old
         WHERE t.id = old.id RETURNING t.id, old.ref AS "from"`,
  );
}

export async function moveRefBack(
  tx: Tx,
  ref: { table: PgTable; column: AnyPgColumn },
  rows: { id: string; from: string }[],
  survivorId: string,
): Promise<void> {
  const c = col(ref.column);
  await tx.execute(
    sql`UPDATE ${ref.table} t SET ${c} = m."from"
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS m(id uuid, "from" uuid)
         WHERE t.id = m.id AND t.${c} = ${survivorId}::uuid`,
  );
}

/** Saved views' filters naming a merged record now name the survivor (every view: SQL fn). */
export async function moveViewRefs(
  tx: Tx,
  mergedIds: string[],
  survivorId: string,
): Promise<MergeMoved['views']> {
  const rows = await queryRows<{ view_id: string; old_definition: unknown }>(
    tx,
    sql`SELECT view_id, old_definition FROM sen_merge_view_refs(${uuidArray(mergedIds)}, ${survivorId}::uuid)`,
  );
  return rows.map((r) => ({ id: r.view_id, definition: r.old_definition }));
}

export async function moveViewRefsBack(
  tx: Tx,
  views: MergeMoved['views'],
  mergedIds: string[],
  survivorId: string,
): Promise<void> {
  if (views.length === 0) return;
  await tx.execute(
    sql`SELECT sen_unmerge_view_refs(${JSON.stringify(views)}::jsonb, ${uuidArray(mergedIds)}, ${survivorId}::uuid)`,
  );
}

/** Release the merged records' unique custom values (the survivor may take them). */
export async function releaseUniqueValues(
  tx: Tx,
  ids: string[],
): Promise<Record<string, unknown>[]> {
  const rows = await queryRows<{ row: Record<string, unknown> }>(
    tx,
    sql`DELETE FROM custom_field_unique_values u WHERE u.record_id = ANY(${uuidArray(ids)})
        RETURNING to_jsonb(u) AS row`,
  );
  return rows.map((r) => r.row);
}

/** The unique custom values of `ids` as they were before the merge (survivor's included). */
export async function resetUniqueValues(
  tx: Tx,
  ids: string[],
  rows: Record<string, unknown>[],
): Promise<void> {
  await tx.execute(
    sql`DELETE FROM custom_field_unique_values WHERE record_id = ANY(${uuidArray(ids)})`,
  );
  if (rows.length === 0) return;
  await tx.execute(
    sql`INSERT INTO custom_field_unique_values
        SELECT * FROM jsonb_populate_recordset(NULL::custom_field_unique_values,
                                               ${JSON.stringify(rows)}::jsonb)`,
  );
}

export async function uniqueValuesOf(tx: Tx, ids: string[]): Promise<Record<string, unknown>[]> {
  const rows = await queryRows<{ row: Record<string, unknown> }>(
    tx,
    sql`SELECT to_jsonb(u) AS row FROM custom_field_unique_values u
         WHERE u.record_id = ANY(${uuidArray(ids)})`,
  );
  return rows.map((r) => r.row);
}

export async function insertMerge(
  tx: Tx,
  object: RecordObject,
  m: {
    workspaceId: string;
    survivorId: string;
    mergedIds: string[];
    survivorBefore: Record<string, unknown>;
    moved: MergeMoved;
    userId: string | null;
  },
): Promise<string> {
  const row = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO record_merges
          (workspace_id, object, survivor_id, merged_ids, survivor_before, survivor_updated_at,
           moved, merged_by)
        SELECT ${m.workspaceId}::uuid, ${object.key}, ${m.survivorId}::uuid,
               ${uuidArray(m.mergedIds)}, ${JSON.stringify(m.survivorBefore)}::jsonb,
               r.updated_at, ${JSON.stringify(m.moved)}::jsonb, ${m.userId}::uuid
          FROM ${object.table} r WHERE r.id = ${m.survivorId}::uuid
        RETURNING id`,
  );
  if (!row) throw new Error('merge not recorded');
  return row.id;
}

export interface MergeRow {
  id: string;
  object: string;
  survivor_id: string;
  merged_ids: string[];
  survivor_before: Record<string, unknown>;
  moved: MergeMoved;
  undone: boolean;
  survivor_unchanged: boolean | null;
  created_at: string;
}

/** A merge, locked, with whether its survivor is still as the merge left it. */
export async function lockMerge(
  tx: Tx,
  id: string,
  tableOf: (object: string) => SQL | null,
): Promise<MergeRow | undefined> {
  const m = await queryOne<Omit<MergeRow, 'survivor_unchanged'> & { survivor_updated_at: string }>(
    tx,
    sql`SELECT id, object, survivor_id, merged_ids::text[] AS merged_ids, survivor_before, moved,
               undone_at IS NOT NULL AS undone, survivor_updated_at::text AS survivor_updated_at,
               created_at::text AS created_at
          FROM record_merges WHERE id = ${id}::uuid FOR UPDATE`,
  );
  if (!m) return undefined;
  const table = tableOf(m.object);
  if (!table) return { ...m, survivor_unchanged: null };
  const same = await queryOne<{ same: boolean }>(
    tx,
    sql`SELECT r.updated_at = ${m.survivor_updated_at}::timestamptz AND r.deleted_at IS NULL AS same
          FROM ${table} r WHERE r.id = ${m.survivor_id}::uuid`,
  );
  return { ...m, survivor_unchanged: same?.same ?? null };
}

export async function markUndone(tx: Tx, id: string, userId: string | null): Promise<void> {
  await tx.execute(
    sql`UPDATE record_merges SET undone_at = now(), undone_by = ${userId}::uuid WHERE id = ${id}::uuid`,
  );
}

/** Records merged into `survivorId` by merges not undone (the survivor's timeline shows them). */
export async function mergedInto(
  tx: Tx,
  object: RecordObject,
  survivorId: string,
): Promise<{ id: string; name: string }[]> {
  return queryRows<{ id: string; name: string }>(
    tx,
    sql`SELECT r.id, r.${col(object.columns.name)} AS name
          FROM record_merges m, unnest(m.merged_ids) mid
          JOIN ${object.table} r ON r.id = mid
         WHERE m.object = ${object.key} AND m.survivor_id = ${survivorId}::uuid
           AND m.undone_at IS NULL`,
  );
}

/** The newest merges into a record (the record page's undo). */
export async function mergesOf(
  tx: Tx,
  objectKey: string,
  survivorId: string,
): Promise<{ id: string; merged_ids: string[]; created_at: string; undone: boolean }[]> {
  return queryRows(
    tx,
    sql`SELECT id, merged_ids::text[] AS merged_ids, undone_at IS NOT NULL AS undone,
               to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
          FROM record_merges WHERE object = ${objectKey} AND survivor_id = ${survivorId}::uuid
         ORDER BY created_at DESC LIMIT 20`,
  );
}
