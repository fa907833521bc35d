import { and, getTableName, sql, type SQL } from 'drizzle-orm';
import { can, hiddenFields, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { Tx } from '../../db/database.js';
import type { CustomFieldRow } from '../../db/schema/index.js';
import { queryOne, queryRows, textArray, uuidArray } from '../../db/sql.js';
import { foldForSearch } from '../../lib/vn/names.js';
import { phoneSearchKey } from '../../lib/vn/phone.js';
import { loadCustomFields } from '../custom-fields/values.js';
import { workspaceOptions } from '../field-options/field-options.service.js';
import {
  findField,
  systemFields,
  type FieldDef,
  type FieldOption,
  type SortCast,
} from './fields.js';
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

/** The search_text LIKE patterns of `q` (any of): the folded text, a phone fragment's digits. */
function searchPatterns(q: string | undefined): string[] {
  const text = q?.trim();
  if (!text) return [];
  const folded = foldForSearch(text);
  const phone = phoneSearchKey(text);
  return [folded, ...(phone && phone !== folded ? [phone] : [])].map(containsPattern);
}

/** What `q` matches: the folded text, or the digits of a phone number fragment. */
export function searchCondition(q: string | undefined): SQL | undefined {
  const parts = searchPatterns(q).map((p) => sql`r.search_text LIKE ${p}`);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` OR `)})`;
}

/**
 * Trigram candidates of "contains" lists. Under RLS the list's `LIKE '%x%'` cannot use the
 * trigram index (LIKE is not leakproof), so a rare term walked the whole sort index or table
 * (0.5 s on 1M contacts). sen_match_ids() (migration 0007: SECURITY DEFINER as sen_system, the
 * current workspace only) finds the matching ids through the index; the list adds
 * `r.id = ANY(ids)` and keeps its own LIKE, which stays exact. A common term (more than `cap`
 * matches) gets no candidates: walking the sort index finds a page of it at once.
 */
export const MATCH_CAP = 5000;

/** pg_trgm extracts no trigram from a pattern without a run of 3 letters/digits. */
const indexable = (pattern: string) => /[\p{L}\p{N}]{3}/u.test(pattern);

/**
 * Sets of patterns that every row of the list matches one of: `q`'s, and each `contains` on a
 * name field (search_text holds the folded name) that the whole filter requires (AND only).
 */
function requiredPatterns(params: ListParams, resolver: FieldResolver): string[][] {
  const out = [searchPatterns(params.q)];
  const visit = (node: FilterNode) => {
    if ('and' in node) node.and.forEach(visit);
    else if ('field' in node && node.op === 'contains' && typeof node.value === 'string') {
      if (resolver.resolve(node.field)?.inSearchText) {
        out.push([containsPattern(foldForSearch(node.value))]);
      }
    }
  };
  if (params.filter) visit(params.filter);
  return out.filter((patterns) => patterns.length > 0 && patterns.every(indexable));
}

/** `r.id = ANY(candidates)` for the first set of patterns with at most `cap` matches. */
async function trigramCandidates(
  tx: Tx,
  object: RecordObject,
  patternSets: string[][],
  trash: boolean,
): Promise<SQL | undefined> {
  const cap = MATCH_CAP;
  for (const patterns of patternSets) {
    // NULL: a sample of the workspace's rows says that more than cap rows match.
    const row = await queryOne<{ ids: string[] | null }>(
      tx,
      sql`SELECT sen_match_ids(${getTableName(object.table)}, ${textArray(patterns)}, ${trash}, ${cap + 1}) AS ids`,
    );
    if (row?.ids && row.ids.length <= cap) return sql`r.id = ANY(${uuidArray(row.ids)})`;
  }
  return undefined;
}

export interface Sort {
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
/** sortValueText() of a timestamptz (an older cursor of `createdAt` carried an id instead). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string, sort: Sort): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (
      c &&
      c.s === sort.key &&
      typeof c.id === 'string' &&
      UUID.test(c.id) &&
      (c.v === null ||
        (typeof c.v === 'string' &&
          c.v.length <= 1000 &&
          (sort.cast !== 'timestamptz' || TIMESTAMP.test(c.v))))
    ) {
      return c;
    }
  } catch {
    // falls through
  }
  throw invalid('cursor', messages.cursor, 'invalid_cursor');
}

/** The sort value in a text form that casts back exactly (microseconds, UTC). */
export function sortValueText(expr: SQL, cast: SortCast): SQL {
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

export function orderBy(sort: Sort): SQL {
  const dir = sql.raw(sort.desc ? 'DESC' : 'ASC');
  if (sort.field.nullable) return sql`(${sort.expr} IS NULL), ${sort.expr} ${dir}, r.id ${dir}`;
  // NOT NULL: the NULLS placement only has to match the index, read forward or backward.
  const indexDesc = sort.field.indexOrder === 'desc';
  const nulls = sql.raw(sort.desc === indexDesc ? 'NULLS LAST' : 'NULLS FIRST');
  return sql`${sort.expr} ${dir} ${nulls}, r.id ${dir} ${nulls}`;
}

/**
 * Resolves field keys of one object for one request: custom fields, and the workspace's option
 * lists (field-options), are loaded only when a filter or sort names such a field.
 */
export class FieldResolver {
  private custom: CustomFieldRow[] | null = null;
  private options: Map<string, FieldOption[]> | null = null;
  constructor(
    readonly objectKey: string,
    custom?: CustomFieldRow[],
    options?: Map<string, FieldOption[]>,
  ) {
    if (custom) this.custom = custom;
    if (options) this.options = options;
  }

  /** Load custom fields and option lists if any of the keys needs them. */
  async prepare(tx: Tx, keys: string[]): Promise<void> {
    if (this.custom === null && keys.some((k) => k.startsWith('custom.'))) {
      this.custom = await loadCustomFields(tx, this.objectKey);
    }
    const lists = systemFields(this.objectKey).filter((f) => f.optionList || f.loadOptions);
    if (this.options === null && lists.some((f) => keys.includes(f.key))) {
      this.options = await workspaceOptions(tx, this.objectKey);
    }
  }

  private hidden: ReadonlySet<string> = new Set();

  /**
   * Resolve only what `actor` may see: their role's hidden fields are unknown fields here (no
   * filter, sort, board or export column can reveal them).
   */
  restrictTo(actor: Actor): this {
    this.hidden = hiddenFields(actor, this.objectKey);
    return this;
  }

  resolve(key: string): FieldDef | undefined {
    if (this.hidden.has(key)) return undefined;
    const field = findField(this.objectKey, key, this.custom ?? []);
    const own = field?.optionList || field?.loadOptions ? this.options?.get(field.key) : undefined;
    return field && own ? { ...field, options: own } : field;
  }
}

function filterKeys(node: FilterNode | undefined, out: string[] = []): string[] {
  if (!node) return out;
  if ('field' in node) out.push(node.field);
  else for (const c of 'and' in node ? node.and : node.or) filterKeys(c, out);
  return out;
}

export function resolveSort(resolver: FieldResolver, sortText: string): Sort {
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
  resolver.restrictTo(actor);
  await resolver.prepare(tx, [...filterKeys(params.filter), (params.sort ?? '').replace(/^-/, '')]);
  const filter = params.filter
    ? compileFilter(params.filter, {
        resolve: (key) => resolver.resolve(key),
        // A relation filter sees the linked records the caller may read, as their lists do.
        linked: (target) => {
          const object = getRecordObject(target);
          if (!object || !can(actor, target, 'read')) return undefined;
          return { table: object.table, scope: scopeCondition(actor, target, sql`t.owner_id`) };
        },
      })
    : undefined;
  const trash = params.trash === true;
  return and(
    trash ? sql`r.deleted_at IS NOT NULL` : sql`r.deleted_at IS NULL`,
    scopeCondition(actor, resolver.objectKey, sql`r.owner_id`) ?? undefined,
    filter,
    searchCondition(params.q),
    await trigramCandidates(
      tx,
      objectOf(resolver.objectKey),
      requiredPatterns(params, resolver),
      trash,
    ),
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
  /** The largest page a caller may ask for (exports read bigger pages than lists). */
  maxLimit: number = MAX_LIMIT,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const object = objectOf(resolver.objectKey);
  const where = await listWhere(tx, actor, resolver, params, extra);
  const sort = resolveSort(resolver, params.sort ?? DEFAULT_SORT);
  const limit = Math.min(Math.max(params.limit ?? DEFAULT_LIMIT, 1), maxLimit);
  const keyset = params.cursor
    ? keysetCondition(sort, decodeCursor(params.cursor, sort))
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
