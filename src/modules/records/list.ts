import { and, sql, type SQL } from 'drizzle-orm';
import { visibilityScope, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { CustomFieldRow } from '../../db/schema/index.js';
import { queryOne, queryRows } from '../../db/sql.js';
import { foldForSearch } from '../../lib/vn/names.js';
import { phoneSearchKey } from '../../lib/vn/phone.js';
import { loadCustomFields } from '../custom-fields/values.js';
import { findField, type FieldDef, type SortCast } from './fields.js';
import { compileFilter, containsPattern, type FilterNode } from './filters.js';
import { invalid } from './normalize.js';
import { getRecordObject, type RecordObject } from './registry.js';

/**
 * Keyset lists over any record object: visibility scope, trash, filter tree, `q`, sort by any
 * sortable field (custom ones too) and an opaque cursor. One statement reads a page: the
 * object's kind says which columns (and related values) it presents.
 *
 * Cursors are base64url JSON of the sort key, the last row's sort value in its SQL text form
 * (timestamps as UTC ISO text with microseconds, never a JS Date) and its id.
 */
export interface ListParams {
  filter?: FilterNode | undefined;
  sort?: string | undefined;
  q?: string | undefined;
  trash?: boolean | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

export const DEFAULT_SORT = '-updatedAt';
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

const messages = {
  sort: { vi: 'Không sắp xếp được theo trường này.', en: 'Cannot sort by this field.' },
  cursor: { vi: 'Con trỏ phân trang không hợp lệ.', en: 'Invalid page cursor.' },
};

/** The visibility scope of the caller on an object, as a condition on `owner`. */
export function scopeCondition(actor: Actor, objectKey: string, owner: SQL = sql`r.owner_id`) {
  const scope = visibilityScope(actor, objectKey);
  if (scope === 'all') return undefined;
  if (actor.userId === null) return sql`false`;
  if (scope === 'own') return sql`${owner} = ${actor.userId}::uuid`;
  const mates = [...new Set([actor.userId, ...actor.teamMateIds])];
  return sql`${owner} IN (${sql.join(
    mates.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
}

/** What `q` matches: the folded text, or the digits of a phone number fragment. */
export function searchCondition(q: string | undefined): SQL | undefined {
  const text = q?.trim();
  if (!text) return undefined;
  const folded = foldForSearch(text);
  const parts = [sql`r.search_text LIKE ${containsPattern(folded)}`];
  const phone = phoneSearchKey(text);
  if (phone && phone !== folded) parts.push(sql`r.search_text LIKE ${containsPattern(phone)}`);
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` OR `)})`;
}

interface Sort {
  key: string;
  field: FieldDef;
  desc: boolean;
  expr: SQL;
  cast: SortCast;
}

interface Cursor {
  s: string;
  v: string | null;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string, sortKey: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (
      c &&
      c.s === sortKey &&
      typeof c.id === 'string' &&
      UUID.test(c.id) &&
      (c.v === null || (typeof c.v === 'string' && c.v.length <= 1000))
    ) {
      return c;
    }
  } catch {
    // falls through
  }
  throw invalid('cursor', messages.cursor, 'invalid_cursor');
}

/** The sort value in a text form that casts back exactly (microseconds, UTC). */
function sortValueText(expr: SQL, cast: SortCast): SQL {
  if (cast === 'timestamptz') {
    return sql`to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  }
  return sql`(${expr})::text`;
}

/** The keyset condition "after the cursor" in the order of `sort`. */
function keysetCondition(sort: Sort, cursor: Cursor): SQL {
  const cmp = sql.raw(sort.desc ? '<' : '>');
  const cmpEq = sql.raw(sort.desc ? '<=' : '>=');
  const id = sql`${cursor.id}::uuid`;
  if (sort.field.sortIsId) return sql`r.id ${cmp} ${id}`;
  if (!sort.field.nullable) {
    const v = sql`${cursor.v}::${sql.raw(sort.cast)}`;
    // The first conjunct alone bounds the index scan; the second skips the equal values seen.
    return sql`(${sort.expr} ${cmpEq} ${v} AND (${sort.expr} ${cmp} ${v} OR r.id ${cmp} ${id}))`;
  }
  // Nulls always sort last.
  if (cursor.v === null) return sql`(${sort.expr} IS NULL AND r.id ${cmp} ${id})`;
  const v = sql`${cursor.v}::${sql.raw(sort.cast)}`;
  return sql`(${sort.expr} IS NULL OR ${sort.expr} ${cmp} ${v} OR (${sort.expr} = ${v} AND r.id ${cmp} ${id}))`;
}

function orderBy(sort: Sort): SQL {
  const dir = sql.raw(sort.desc ? 'DESC' : 'ASC');
  if (sort.field.sortIsId) return sql`r.id ${dir}`;
  if (sort.field.nullable) return sql`(${sort.expr} IS NULL), ${sort.expr} ${dir}, r.id ${dir}`;
  // NOT NULL: the NULLS placement only has to match the index, read forward or backward.
  const indexDesc = sort.field.indexOrder === 'desc';
  const nulls = sql.raw(sort.desc === indexDesc ? 'NULLS LAST' : 'NULLS FIRST');
  return sql`${sort.expr} ${dir} ${nulls}, r.id ${dir} ${nulls}`;
}

/**
 * Resolves field keys of one object for one request: custom fields are loaded only when a
 * filter or sort names one.
 */
export class FieldResolver {
  private custom: CustomFieldRow[] | null = null;
  constructor(
    readonly objectKey: string,
    custom?: CustomFieldRow[],
  ) {
    if (custom) this.custom = custom;
  }

  /** Load custom fields if any of the keys needs them. */
  async prepare(tx: Tx, keys: string[]): Promise<void> {
    if (this.custom === null && keys.some((k) => k.startsWith('custom.'))) {
      this.custom = await loadCustomFields(tx, this.objectKey);
    }
  }

  resolve(key: string): FieldDef | undefined {
    return findField(this.objectKey, key, this.custom ?? []);
  }
}

function filterKeys(node: FilterNode | undefined, out: string[] = []): string[] {
  if (!node) return out;
  if ('field' in node) out.push(node.field);
  else for (const c of 'and' in node ? node.and : node.or) filterKeys(c, out);
  return out;
}

function resolveSort(resolver: FieldResolver, sortText: string): Sort {
  const desc = sortText.startsWith('-');
  const key = desc ? sortText.slice(1) : sortText;
  const field = resolver.resolve(key);
  if (!field?.sortExpr || !field.sortCast) throw invalid('sort', messages.sort, 'not_sortable');
  return { key: sortText, field, desc, expr: field.sortExpr, cast: field.sortCast };
}

function objectOf(objectKey: string): RecordObject {
  const object = getRecordObject(objectKey);
  if (!object) throw new Error(`unknown record object ${objectKey}`);
  return object;
}

/** The WHERE of lists, counts and exports (without the keyset condition). */
export async function listWhere(
  tx: Tx,
  actor: Actor,
  resolver: FieldResolver,
  params: ListParams,
  extra?: SQL,
): Promise<SQL | undefined> {
  await resolver.prepare(tx, [...filterKeys(params.filter), (params.sort ?? '').replace(/^-/, '')]);
  const filter = params.filter ? compileFilter(params.filter, resolver) : undefined;
  return and(
    params.trash ? sql`r.deleted_at IS NOT NULL` : sql`r.deleted_at IS NULL`,
    scopeCondition(actor, resolver.objectKey),
    filter,
    searchCondition(params.q),
    extra,
  );
}

/**
 * One page of presented rows, in order, and the cursor of the next page: ONE statement that
 * filters, orders, limits and selects `columns` (a kind's presented columns of alias `r`;
 * PostgreSQL evaluates their sub-selects only for the rows the LIMIT keeps).
 */
export async function listPage<Row = { id: string }>(
  tx: Tx,
  actor: Actor,
  resolver: FieldResolver,
  params: ListParams,
  columns: SQL,
  extra?: SQL,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const object = objectOf(resolver.objectKey);
  const where = await listWhere(tx, actor, resolver, params, extra);
  const sort = resolveSort(resolver, params.sort ?? DEFAULT_SORT);
  const limit = Math.min(Math.max(params.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
  const keyset = params.cursor
    ? keysetCondition(sort, decodeCursor(params.cursor, sort.key))
    : undefined;
  const rows = await queryRows<Row & { id: string; sortValue: string | null }>(
    tx,
    sql`SELECT ${columns}, ${sortValueText(sort.expr, sort.cast)} AS "sortValue"
          FROM ${object.table} r
         WHERE ${and(where, keyset) ?? sql`true`}
         ORDER BY ${orderBy(sort)}
         LIMIT ${limit + 1}`,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page,
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({ s: sort.key, v: last.sortValue, id: last.id })
        : null,
  };
}

export async function countRecords(
  tx: Tx,
  actor: Actor,
  resolver: FieldResolver,
  params: ListParams,
  extra?: SQL,
): Promise<number> {
  const object = objectOf(resolver.objectKey);
  const where = await listWhere(tx, actor, resolver, params, extra);
  const row = await queryOne<{ count: number }>(
    tx,
    sql`SELECT count(*)::int AS count FROM ${object.table} r WHERE ${where ?? sql`true`}`,
  );
  return Number(row?.count ?? 0);
}
