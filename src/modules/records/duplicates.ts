import { getTableName, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { AppError } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import { normalizeEmail } from '../../lib/vn/email.js';
import { normalizeText } from '../../lib/vn/names.js';
import { normalizePhone } from '../../lib/vn/phone.js';
import { normalizeTaxCode } from '../../lib/vn/tax-code.js';
import type { AppContext } from '../../core/context.js';
import type { RecordObjectDefinition } from './define.js';
import { findDuplicateRows } from './duplicates.repository.js';
import { getRecordObject } from './registry.js';

/**
 * Duplicate warnings (#17): values that should name one record in a workspace (a phone, an
 * email, a tax code, a SKU). An object declares them in `duplicateKeys`; the web form asks
 * POST /:object/duplicates as a person leaves such a field and warns (without blocking) when
 * another live record already has the value. Pairs among existing records and merging them:
 * src/modules/merge (the same keys).
 */
export interface DuplicateKey {
  /** The field it is typed in: the request names it and the form warns under it. */
  key: string;
  /** A typed value in the form it is stored in; null when it cannot be one (the save says why). */
  normalize: (value: string) => string | null;
  /** SQL: the row holds this (normalised) value — a parameter, or an expression (imports). */
  matches: (value: string | SQL) => SQL;
  /**
   * SQL: the values a row of alias `row` holds under this key, as text[] in the form two
   * records' values are compared in (the duplicates scan groups records by them).
   */
  rowValues: (row: SQL) => SQL;
  /**
   * SQL: a relation `(value, id)` of the live records of the current workspace holding each of
   * `values` (a text[] expression), through the key's index even under row-level security, where
   * `matches` alone cannot use it (its operator is not LEAKPROOF). Absent: `matches` is used.
   */
  candidates?: (values: SQL) => SQL;
}

const columnOf = (row: SQL, column: AnyPgColumn) => sql`${row}.${sql.identifier(column.name)}`;

/** Every `value` of a jsonb list of `{ value }`. */
const listValues = (column: AnyPgColumn) => (row: SQL) =>
  sql`ARRAY(SELECT e->>'value' FROM jsonb_array_elements(${columnOf(row, column)}) e)`;

/** A jsonb list of `{ value }` (phones, emails): any entry, not only the primary one. */
const inList = (column: AnyPgColumn) => (value: string | SQL) =>
  sql`${column} @> jsonb_build_array(jsonb_build_object('value', ${value}::text))`;

/** The same through its GIN index under RLS (migration 0028, sen_match_list_values). */
const listCandidates = (column: AnyPgColumn) => (values: SQL) =>
  sql`sen_match_list_values(${getTableName(column.table)}, ${column.name}, ${values}, ${CANDIDATES_PER_VALUE})`;

/** Records read per value by `candidates`: the best of them is chosen by the caller. */
const CANDIDATES_PER_VALUE = 50;

/** Phones are stored in E.164 (`+84912345678`): "0912 345 678" and "+84 912345678" match. */
export function phoneKey(key: string, column: AnyPgColumn): DuplicateKey {
  return {
    key,
    normalize: (v) => {
      const r = normalizePhone(v);
      return r.ok ? r.value : null;
    },
    matches: inList(column),
    rowValues: listValues(column),
    candidates: listCandidates(column),
  };
}

/** Emails are stored trimmed and lower-case. */
export function emailKey(key: string, column: AnyPgColumn): DuplicateKey {
  return {
    key,
    normalize: (v) => {
      const r = normalizeEmail(v);
      return r.ok ? r.value : null;
    },
    matches: inList(column),
    rowValues: listValues(column),
    candidates: listCandidates(column),
  };
}

/** Tax codes in their canonical form ("01.00.109.106" is 0100109106). */
export function taxCodeKey(key: string, column: AnyPgColumn): DuplicateKey {
  return {
    key,
    normalize: (v) => {
      const r = normalizeTaxCode(v);
      return r.ok ? r.value.code : null;
    },
    matches: (value) => sql`${column} = ${value}`,
    rowValues: (row) => sql`ARRAY[${columnOf(row, column)}]`,
  };
}

/** A code typed by people (a SKU): normalised text, compared without regard to case. */
export function codeKey(key: string, column: AnyPgColumn): DuplicateKey {
  return {
    key,
    normalize: (v) => normalizeText(v) || null,
    matches: (value) => sql`lower(${column}) = lower(${value})`,
    rowValues: (row) => sql`ARRAY[lower(${columnOf(row, column)})]`,
  };
}

export interface DuplicatesInput {
  values: Record<string, string[] | undefined>;
  excludeId?: string;
}

export interface DuplicateMatch {
  key: string;
  /** The value as the caller sent it. */
  value: string;
  /** Records the caller may see that hold it (most recently updated first, at most 5). */
  records: { id: string; name: string }[];
  /** Some record the caller may not see holds it too (never which one). */
  outsideScope: boolean;
}

const SHOWN = 5;

/**
 * The live records of `def` (other than `excludeId`) that hold one of the values, per value.
 * Names only of records in the caller's scope; of the others, only that there are some.
 */
export async function findDuplicates(
  ctx: AppContext,
  actor: Actor,
  def: RecordObjectDefinition,
  input: DuplicatesInput,
): Promise<{ items: DuplicateMatch[] }> {
  authorize(actor, def.key, 'read');
  const object = getRecordObject(def.key);
  if (!object) throw new AppError('NOT_FOUND');
  const keys = new Map((def.duplicateKeys ?? []).map((k) => [k.key, k]));
  const asked: { key: DuplicateKey; value: string; normalized: string }[] = [];
  for (const [name, values] of Object.entries(input.values)) {
    const key = keys.get(name);
    if (!key) continue; // the request schema only lets declared keys through
    for (const value of values ?? []) {
      const normalized = key.normalize(value);
      if (normalized) asked.push({ key, value, normalized });
    }
  }
  if (asked.length === 0) return { items: [] };
  const scope = scopeCondition(actor, def.key, sql`${object.columns.ownerId}`);
  const items = await ctx.db.read(actor, (tx) =>
    Promise.all(
      asked.map(async ({ key, value, normalized }) => {
        const rows = await findDuplicateRows(tx, object, {
          match: key.candidates
            ? sql`${object.columns.id} IN (SELECT id FROM ${key.candidates(sql`ARRAY[${normalized}::text]`)})`
            : key.matches(normalized),
          scope,
          excludeId: input.excludeId ?? null,
          limit: SHOWN,
        });
        return {
          key: key.key,
          value,
          records: rows.filter((r) => r.visible).map((r) => ({ id: r.id, name: r.name })),
          outsideScope: rows.some((r) => !r.visible),
        };
      }),
    ),
  );
  return { items: items.filter((i) => i.records.length > 0 || i.outsideScope) };
}
