import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';

/**
 * The tables a backup holds, read from the database's catalogue rather than listed by hand: every
 * base table of the `public` schema (Sen's data), none of pg-boss's (`pgboss`: jobs are not data)
 * or the migrator's (`drizzle`: the manifest records the schema level instead). A table a later
 * migration adds is in the next backup without a line changed here.
 */

/**
 * Tables that hold no data: sign-in throttling counters (they expire within the hour), the
 * public forms' rate-limit windows (a minute each) and the sales report's daily figures
 * (deal_rollups: the restored deals' triggers write them again).
 */
export const NOT_BACKED_UP = new Set(['rate_limits', 'form_rate_windows', 'deal_rollups']);

export interface Column {
  name: string;
  /** format_type(): `uuid`, `text[]`, `timestamp with time zone`, `citext`… */
  type: string;
  notNull: boolean;
}

export interface Table {
  name: string;
  /** Stored columns in their order (generated columns are computed again on restore). */
  columns: Column[];
  primaryKey: string[];
  hasWorkspaceId: boolean;
  /** A GENERATED ALWAYS identity column: its values go in with OVERRIDING SYSTEM VALUE. */
  identityAlways: boolean;
}

export interface ForeignKey {
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export interface OwnedSequence {
  sequence: string;
  table: string;
  column: string;
}

export interface Catalog {
  /** In foreign-key order: a table after every table it references (itself aside). */
  tables: Table[];
  foreignKeys: ForeignKey[];
  sequences: OwnedSequence[];
}

/**
 * Transaction settings that make every value's text the same on both backends and both ways
 * (timestamps in UTC and ISO form, floats exact, bytea in hex).
 */
export const TEXT_SETTINGS = sql`SELECT set_config('TimeZone', 'UTC', true),
  set_config('DateStyle', 'ISO, YMD', true), set_config('IntervalStyle', 'postgres', true),
  set_config('extra_float_digits', '1', true), set_config('bytea_output', 'hex', true)`;

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function readCatalog(tx: Tx): Promise<Catalog> {
  const columns = await queryRows<{
    table: string;
    name: string;
    type: string;
    not_null: boolean;
    identity: string;
    in_pk: boolean;
  }>(
    tx,
    sql`SELECT c.relname AS "table", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
               a.attnotnull AS not_null, a.attidentity::text AS identity,
               COALESCE(a.attnum = ANY (pk.conkey), false) AS in_pk
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p'
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND a.attgenerated = ''
        ORDER BY c.relname, a.attnum`,
  );
  // The primary key in its own column order (conkey's order, not the table's).
  const keys = await queryRows<{ table: string; name: string }>(
    tx,
    sql`SELECT c.relname AS "table", a.attname AS name
        FROM pg_constraint pk
        JOIN pg_class c ON c.oid = pk.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL unnest(pk.conkey) WITH ORDINALITY AS k(attnum, pos)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE n.nspname = 'public' AND pk.contype = 'p'
        ORDER BY c.relname, k.pos`,
  );
  const fks = await queryRows<{
    name: string;
    table: string;
    ref_table: string;
    column: string;
    ref_column: string;
  }>(
    tx,
    sql`SELECT f.conname AS name, c.relname AS "table", r.relname AS ref_table,
               a.attname AS "column", ra.attname AS ref_column
        FROM pg_constraint f
        JOIN pg_class c ON c.oid = f.conrelid
        JOIN pg_class r ON r.oid = f.confrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL unnest(f.conkey, f.confkey) WITH ORDINALITY AS k(attnum, refnum, pos)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        JOIN pg_attribute ra ON ra.attrelid = r.oid AND ra.attnum = k.refnum
        WHERE n.nspname = 'public' AND f.contype = 'f'
        ORDER BY c.relname, f.conname, k.pos`,
  );
  const sequences = await queryRows<OwnedSequence>(
    tx,
    sql`SELECT s.relname AS sequence, t.relname AS "table", a.attname AS "column"
        FROM pg_class s
        JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
                        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
        JOIN pg_class t ON t.oid = d.refobjid
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE s.relkind = 'S' AND n.nspname = 'public'
        ORDER BY t.relname, a.attname`,
  );

  const tables = new Map<string, Table>();
  for (const c of columns) {
    if (NOT_BACKED_UP.has(c.table)) continue;
    let table = tables.get(c.table);
    if (!table) {
      table = {
        name: c.table,
        columns: [],
        primaryKey: [],
        hasWorkspaceId: false,
        identityAlways: false,
      };
      tables.set(c.table, table);
    }
    table.columns.push({ name: c.name, type: c.type, notNull: c.not_null });
    if (c.name === 'workspace_id') table.hasWorkspaceId = true;
    if (c.identity === 'a') table.identityAlways = true;
  }
  for (const k of keys) tables.get(k.table)?.primaryKey.push(k.name);

  const byName = new Map<string, ForeignKey>();
  for (const f of fks) {
    const key = `${f.table}.${f.name}`;
    let fk = byName.get(key);
    if (!fk) {
      fk = { table: f.table, columns: [], refTable: f.ref_table, refColumns: [] };
      byName.set(key, fk);
    }
    fk.columns.push(f.column);
    fk.refColumns.push(f.ref_column);
  }
  const foreignKeys = [...byName.values()];
  return {
    tables: foreignKeyOrder([...tables.values()], foreignKeys),
    foreignKeys,
    sequences: sequences.filter((s) => tables.has(s.table)),
  };
}

/**
 * Tables ordered so that each comes after the tables it references (by name among those
 * ready). A cycle between two tables cannot be restored row by row: it stops the backup here,
 * before a file is written that could not be restored.
 */
export function foreignKeyOrder(tables: Table[], foreignKeys: ForeignKey[]): Table[] {
  const pending = new Map(tables.map((t) => [t.name, t]));
  const needs = new Map<string, Set<string>>();
  for (const t of tables) needs.set(t.name, new Set());
  for (const fk of foreignKeys) {
    if (fk.table !== fk.refTable && pending.has(fk.refTable)) needs.get(fk.table)?.add(fk.refTable);
  }
  const ordered: Table[] = [];
  while (pending.size > 0) {
    const ready = [...pending.values()]
      .filter((t) => [...(needs.get(t.name) ?? [])].every((n) => !pending.has(n)))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (ready.length === 0) {
      throw new Error(`foreign keys form a cycle among: ${[...pending.keys()].join(', ')}`);
    }
    for (const t of ready) {
      ordered.push(t);
      pending.delete(t.name);
    }
  }
  return ordered;
}

/**
 * The columns of a table's references to itself (a company's parent) that restore leaves NULL
 * on the first pass and fills in a second, so rows may come in any order. Only nullable
 * columns that are not the workspace: `(workspace_id, parent_id)` → `parent_id`.
 */
export function selfReferenceColumns(table: Table, foreignKeys: ForeignKey[]): string[] {
  const nullable = new Set(table.columns.filter((c) => !c.notNull).map((c) => c.name));
  const out = new Set<string>();
  for (const fk of foreignKeys) {
    if (fk.table !== table.name || fk.refTable !== table.name) continue;
    for (const c of fk.columns) if (nullable.has(c)) out.add(c);
  }
  return [...out];
}
