import { sql, type SQL } from 'drizzle-orm';
import { auditChange } from '../../core/audit.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { can, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { Tx } from '../../db/database.js';
import { isoText, queryRows } from '../../db/sql.js';
import { foldForSearch } from '../../lib/vn/names.js';
import { searchText } from '../records/normalize.js';
import { loadRecords, type RecordKind } from '../records/kinds.js';
import { parseMilli } from '../stock/stock.service.js';

/** What the selling documents' services share: presenting, locking, audited status changes. */

/** A document's search and sort keys: its number and its subject (or a payment's reference). */
export function documentSearchKeys(number: string, subject: string | null) {
  const folded = foldForSearch(`${number} ${subject ?? ''}`.trim());
  return { searchName: folded, sortName: folded, searchText: searchText([number, subject ?? '']) };
}

/**
 * The documents (`table`) of a record, as far as the caller may see them: a timeline relation
 * of `object` (the company's invoices, the deal's quotes). `link` is the document's column that
 * holds the record's id, or the condition on the document `d` for a record `id` (an invoice's
 * payments, through their allocations).
 */
export function documentsOf(
  table: 'quotes' | 'orders' | 'invoices' | 'payments',
  link: 'company_id' | 'contact_id' | 'deal_id' | 'quote_id' | 'order_id' | ((id: string) => SQL),
  object: string,
) {
  return {
    object,
    relatedObject: table,
    async load(tx: Tx, actor: Actor, id: string) {
      if (!can(actor, table, 'read')) return [];
      const scope = scopeCondition(actor, table, sql`d.owner_id`);
      const linked = typeof link === 'string' ? sql`d.${sql.identifier(link)} = ${id}` : link(id);
      return queryRows<{ id: string; name: string }>(
        tx,
        sql`SELECT d.id, d.number AS name FROM ${sql.identifier(table)} d
             WHERE ${linked} AND d.deleted_at IS NULL${scope ? sql` AND ${scope}` : sql``}`,
      );
    },
  };
}

/** The owner, tags, custom values and timestamps of a document `r`, as every one presents them. */
export const recordTailColumns = sql`r.owner_id AS "ownerId",
  (SELECT u.name FROM users u WHERE u.id = r.owner_id) AS "ownerName", r.tags, r.custom,
  ${isoText(sql`r.created_at`)} AS "createdAt", ${isoText(sql`r.updated_at`)} AS "updatedAt",
  ${isoText(sql`r.deleted_at`)} AS "deletedAt"`;

export interface RecordTailRow {
  ownerId: string | null;
  ownerName: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export function presentRecordTail(r: RecordTailRow) {
  return {
    ownerId: r.ownerId,
    owner: r.ownerId ? { id: r.ownerId, name: r.ownerName ?? '' } : null,
    tags: r.tags,
    custom: r.custom,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    deletedAt: r.deletedAt,
  };
}

/** A document's lines change only while it is a draft: its line items' `lockedReason`. */
export function lockedUnlessDraft(table: 'quotes' | 'orders' | 'invoices', reason: LocalisedText) {
  return async (tx: Tx, id: string): Promise<LocalisedText | null> => {
    const [row] = await queryRows<{ status: string }>(
      tx,
      sql`SELECT status FROM ${sql.identifier(table)} WHERE id = ${id}`,
    );
    return row && row.status !== 'draft' ? reason : null;
  };
}

/** One document as the caller sees it (after a write in the same transaction). */
export async function presentedOne<Out>(
  tx: Tx,
  actor: Actor,
  kind: Pick<RecordKind<Out, unknown>, 'key' | 'columns' | 'present'>,
  id: string,
): Promise<Out> {
  const [record] = await loadRecords(tx, actor, kind, [id]);
  if (!record) throw new AppError('NOT_FOUND');
  return record;
}

/** Write `changes` (a status move) with who made it, and audit exactly what changed. */
export async function changeDocument<Row extends { id: string }>(
  tx: Tx,
  actor: Actor,
  objectKey: string,
  update: (tx: Tx, id: string, values: Record<string, unknown>) => Promise<Row>,
  before: Row,
  changes: Record<string, unknown>,
): Promise<Row> {
  const after = await update(tx, before.id, { ...changes, updatedBy: actor.userId });
  const keys = Object.keys(changes) as (keyof Row)[];
  await auditChange(
    tx,
    actor,
    objectKey,
    before.id,
    Object.fromEntries(keys.map((k) => [k, before[k]])),
    Object.fromEntries(keys.map((k) => [k, after[k]])),
  );
  return after;
}

/** A quantity a user typed for a delivery or an invoice ("2,5"), in thousandths; null if bad. */
export function quantityMilli(value: number | string): number | null {
  const text = String(value).trim().replace(',', '.');
  if (!/^\d{1,11}(\.\d{1,3})?$/.test(text) || Number(text) <= 0) return null;
  return parseMilli(text);
}
