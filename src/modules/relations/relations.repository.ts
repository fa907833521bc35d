import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import type { RecordObject } from '../records/registry.js';
import type { Relation } from './define.js';

/**
 * All SQL of relations, on the declared link table and columns: plain CRUD on the link table
 * with Drizzle's query builder, joins to the linked objects' tables with `sql` (aliases:
 * `l` the link table, `t` the `to` object's table, `r` a list's `from` table).
 */

/** `alias.column` of a declared column. */
const col = (alias: string, column: AnyPgColumn): SQL =>
  sql`${sql.identifier(alias)}.${sql.identifier(column.name)}`;

/** A link as the audit log keeps it: the `to` id, the attributes, the primary flag. */
export type LinkSnapshot = Record<string, unknown>;

/** The links of one `from` record, ordered by the `to` id. */
export async function linksOf(tx: Tx, rel: Relation, fromId: string): Promise<LinkSnapshot[]> {
  const { from, to } = rel.columns;
  const fields: Record<string, AnyPgColumn> = { [rel.to.idField]: to.column };
  for (const a of rel.attributes) fields[a.key] = a.column;
  if (rel.primary) fields[rel.primary.field] = rel.primary.column;
  const rows = await tx
    .select(fields)
    .from(rel.table)
    .where(eq(from.column, fromId))
    .orderBy(to.column);
  return rows.map((r) => ({ ...r }));
}

/**
 * Insert a link or update its attributes (`values`: by attribute key); `primary` true first
 * takes the flag off the record's other links.
 */
export async function upsertLink(
  tx: Tx,
  rel: Relation,
  link: {
    workspaceId: string;
    fromId: string;
    toId: string;
    values: Record<string, unknown>;
    primary: boolean | null;
  },
): Promise<void> {
  const { workspace, from, to } = rel.columns;
  const set: Record<string, unknown> = {};
  for (const a of rel.attributes) set[a.property] = link.values[a.key] ?? null;
  if (rel.primary && link.primary !== null) {
    set[rel.primary.property] = link.primary;
    if (link.primary) {
      await tx
        .update(rel.table)
        .set({ [rel.primary.property]: false } as never)
        .where(eq(from.column, link.fromId));
    }
  }
  await tx
    .insert(rel.table)
    .values({
      [workspace.property]: link.workspaceId,
      [from.property]: link.fromId,
      [to.property]: link.toId,
      ...set,
    } as never)
    .onConflictDoUpdate({ target: [from.column, to.column], set: set as never });
}

export async function deleteLink(
  tx: Tx,
  rel: Relation,
  fromId: string,
  toId: string,
): Promise<boolean> {
  const { from, to } = rel.columns;
  const rows = await tx
    .delete(rel.table)
    .where(and(eq(from.column, fromId), eq(to.column, toId)))
    .returning({ id: to.column });
  return rows.length > 0;
}

/** The `to` table's name order: its sort key (every record table has sort_name), or its name. */
function nameOrder(target: RecordObject): SQL {
  const sortName = (getTableColumns(target.table) as Record<string, AnyPgColumn>).sortName;
  return sql`${col('t', sortName ?? target.columns.name)}, ${col('t', target.columns.id)}`;
}

/** `l` joined to the `to` record it names (same workspace). */
function joinTo(rel: Relation, target: RecordObject): SQL {
  const { workspace, to } = rel.columns;
  return sql`${rel.table} l JOIN ${target.table} t
    ON ${col('t', target.columns.workspaceId)} = ${col('l', workspace.column)}
   AND ${col('t', target.columns.id)} = ${col('l', to.column)}`;
}

/** When a record has links but none is primary (its primary one was unlinked): the first by name. */
export async function ensurePrimaryLink(
  tx: Tx,
  rel: Relation,
  target: RecordObject,
  fromId: string,
): Promise<void> {
  if (!rel.primary) return;
  const { from, to } = rel.columns;
  const flag = rel.primary.column;
  await queryRows(
    tx,
    sql`UPDATE ${rel.table} SET ${sql.identifier(flag.name)} = true
         WHERE ${sql.identifier(from.column.name)} = ${fromId}
           AND NOT EXISTS (SELECT 1 FROM ${rel.table} p
                            WHERE ${col('p', from.column)} = ${fromId} AND ${col('p', flag)})
           AND ${sql.identifier(to.column.name)} = (
                 SELECT ${col('l', to.column)} FROM ${joinTo(rel, target)}
                  WHERE ${col('l', from.column)} = ${fromId}
                  ORDER BY ${nameOrder(target)} LIMIT 1)`,
  );
}

/**
 * The links of a `from` record as presented: the `to` records in `scope` (a condition on `t`;
 * undefined: all of them) and not in the trash, with the link's attributes, the primary one
 * first, then by name.
 */
export function presentedLinks(
  tx: Tx,
  rel: Relation,
  target: RecordObject,
  fromId: string,
  scope: SQL | undefined,
): Promise<Record<string, unknown>[]> {
  const { from } = rel.columns;
  const values = [
    sql`${col('t', target.columns.id)} AS ${sql.identifier(rel.to.idField)}`,
    sql`${col('t', target.columns.name)} AS name`,
    ...rel.attributes.map((a) => sql`${col('l', a.column)} AS ${sql.identifier(a.key)}`),
    ...(rel.primary
      ? [sql`${col('l', rel.primary.column)} AS ${sql.identifier(rel.primary.field)}`]
      : []),
  ];
  return queryRows(
    tx,
    sql`SELECT ${sql.join(values, sql`, `)} FROM ${joinTo(rel, target)}
         WHERE ${col('l', from.column)} = ${fromId}
           AND ${col('t', target.columns.deletedAt)} IS NULL AND ${scope ?? sql`true`}
         ORDER BY ${rel.primary ? sql`${col('l', rel.primary.column)} DESC, ` : sql``}${nameOrder(target)}`,
  );
}

/** A list condition on the `from` object (alias `r`): linked to the `to` record `toId`. */
export function linkedTo(rel: Relation, source: RecordObject, toId: string): SQL {
  const { from, to } = rel.columns;
  return sql`${col('r', source.columns.id)} IN (SELECT ${col('l', from.column)} FROM ${rel.table} l
    WHERE ${col('l', to.column)} = ${toId})`;
}

/**
 * A presented column of a list of the `from` object (alias `r`): the attributes and primary
 * flag of its link to `toId`, as one JSON object.
 */
export function linkValues(rel: Relation, source: RecordObject, toId: string): SQL {
  const { from, to } = rel.columns;
  const pairs = [
    ...rel.attributes.map((a) => sql`${a.key}::text, ${col('l', a.column)}`),
    ...(rel.primary ? [sql`${rel.primary.field}::text, ${col('l', rel.primary.column)}`] : []),
  ];
  return sql`(SELECT jsonb_build_object(${sql.join(pairs, sql`, `)}) FROM ${rel.table} l
    WHERE ${col('l', from.column)} = ${col('r', source.columns.id)}
      AND ${col('l', to.column)} = ${toId})`;
}

/** The record counts as updated by `userId` (a link was added, changed or removed). */
export async function touchRecord(
  tx: Tx,
  object: RecordObject,
  id: string,
  userId: string | null,
): Promise<void> {
  const columns = getTableColumns(object.table) as Record<string, AnyPgColumn | undefined>;
  const { updatedAt, updatedBy } = columns;
  if (!updatedAt || !updatedBy) throw new Error(`${object.key} has no updatedAt/updatedBy`);
  await tx.execute(
    sql`UPDATE ${object.table} SET ${sql.identifier(updatedAt.name)} = now(),
           ${sql.identifier(updatedBy.name)} = ${userId}
         WHERE ${sql.identifier(object.columns.id.name)} = ${id}`,
  );
}
