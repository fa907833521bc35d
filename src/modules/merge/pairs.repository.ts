import { getTableName, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryOne, queryRows, uuidArray } from '../../db/sql.js';
import type { DuplicateKey } from '../records/duplicates.js';
import type { RecordObject } from '../records/registry.js';
import type { RelationEnd } from '../relations/registry.js';
import type { PairEvidence } from './merge.table.js';

/** A value held by more records than this names a switchboard or a placeholder, not a person. */
export const MAX_GROUP = 20;
/**
 * Name candidates come from blocks of at most this many records: the records sharing a word of
 * their name (3 letters or more), or linked to the same record (`sameLink`). A word or a company
 * shared by more records than this says nothing (Nguyễn, Công ty, a big customer's staff).
 */
export const MAX_BLOCK = 50;

const ident = (name: string) => sql.identifier(name);

/**
 * One object's possible duplicates in one workspace, computed and written in one statement (run
 * as sen_system: every condition on the workspace is written here). Pairs (record_a < record_b)
 * come from
 * - each declared exact key: live records grouped by each value they hold (`rowValues`), groups
 *   of 2..MAX_GROUP records;
 * - alike names (`fuzzy`): pairs inside blocks of 2..MAX_BLOCK live records (sharing a word or
 *   two consecutive words of their folded name, or with `sameLink` linking the same record) whose similarity(search_name,
 *   search_name) reaches the threshold. Blocking keeps the work a few hash aggregates over the
 *   table, whatever its size, instead of one trigram probe per record.
 * Each pair's evidence: the keys and values, the name similarity, the relations through which
 * both link the same record (a contact's company). Score (per mille):
 * 1 − 0.15^keys × (1 − 0.7 × similarity) × (0.7 if a link is shared).
 * Open pairs are replaced; dismissed ones keep their dismissal (and get fresh evidence).
 */
export async function scanPairs(
  tx: Tx,
  object: RecordObject,
  q: {
    workspaceId: string;
    keys: DuplicateKey[];
    relations: RelationEnd[];
    fuzzy: { sameLink: RelationEnd | null } | false;
    threshold: number;
  },
): Promise<number> {
  const ws = sql`${q.workspaceId}::uuid`;
  const t = object.table;
  const live = (alias: string) =>
    sql`${ident(alias)}.workspace_id = ${ws} AND ${ident(alias)}.deleted_at IS NULL`;
  const exact: SQL[] = q.keys.map(
    (k) => sql`SELECT g.ids, ${k.key}::text AS key, g.v AS value FROM (
        SELECT v, array_agg(DISTINCT r.id) AS ids
          FROM ${t} r, unnest(${k.rowValues(sql`r`)}) v
         WHERE ${live('r')} AND v IS NOT NULL AND v <> ''
         GROUP BY v HAVING count(DISTINCT r.id) BETWEEN 2 AND ${MAX_GROUP}) g`,
  );
  const exactGroups = exact.length
    ? sql.join(exact, sql` UNION ALL `)
    : sql`SELECT NULL::uuid[] AS ids, NULL::text AS key, NULL::text AS value WHERE false`;
  // Per relation end, the candidate pairs whose records link the same record: set-based joins
  // over the workspace's links (a correlated EXISTS per pair read every link of the workspace
  // per pair through whichever index had workspace_id first).
  const shared = q.relations.map(
    (end) =>
      sql`SELECT c.a, c.b, ${end.relation.key}::text AS relation
            FROM cand c
            JOIN ${end.table} l1 ON l1.${ident(end.column.name)} = c.a AND l1.workspace_id = ${ws}
            JOIN ${end.table} l2 ON l2.${ident(end.column.name)} = c.b AND l2.workspace_id = ${ws}
             AND l2.${ident(end.otherColumn.name)} = l1.${ident(end.otherColumn.name)}`,
  );
  const sharedRows = shared.length
    ? sql.join(shared, sql` UNION `)
    : sql`SELECT NULL::uuid AS a, NULL::uuid AS b, NULL::text AS relation WHERE false`;
  const byLink = q.fuzzy ? q.fuzzy.sameLink : null;
  // Each block: its live records' ids in order and their names at the same places.
  const blocks = !q.fuzzy
    ? sql`SELECT NULL::uuid[] AS ids, NULL::text[] AS names WHERE false`
    : byLink
      ? sql`SELECT array_agg(r.id ORDER BY r.id) AS ids,
                   array_agg(r.search_name ORDER BY r.id) AS names
              FROM ${t} r
              -- By the record's id only (see shared links below).
              JOIN ${byLink.table} l ON l.${ident(byLink.column.name)} = r.id
             WHERE ${live('r')}
             GROUP BY l.${ident(byLink.otherColumn.name)}
            HAVING count(*) BETWEEN 2 AND ${MAX_BLOCK}`
      : sql`SELECT array_agg(id ORDER BY id) AS ids, array_agg(name ORDER BY id) AS names
              FROM (SELECT DISTINCT x.w, r.id, r.search_name AS name
                      FROM ${t} r,
                           LATERAL string_to_array(r.search_name, ' ') ws,
                           LATERAL (SELECT unnest(ws) AS w
                                    UNION ALL
                                    SELECT ws[i] || ' ' || ws[i + 1]
                                      FROM generate_subscripts(ws, 1) i
                                     WHERE i < cardinality(ws)) x
                     WHERE ${live('r')} AND length(x.w) >= 3) x
             GROUP BY w
            HAVING count(*) BETWEEN 2 AND ${MAX_BLOCK}`;
  await tx.execute(sql`DELETE FROM duplicate_pairs
    WHERE workspace_id = ${ws} AND object = ${object.key} AND dismissed_at IS NULL`);
  const result = await queryOne<{ n: number }>(
    tx,
    sql`WITH exact_groups AS (${exactGroups}),
      exact_pairs AS (
        SELECT a, b, g.key, g.value FROM exact_groups g, unnest(g.ids) a, unnest(g.ids) b
         WHERE a < b),
      exact_agg AS (
        SELECT a, b, count(*)::int AS n,
               jsonb_agg(jsonb_build_object('key', key, 'value', value) ORDER BY key, value) AS keys
          FROM exact_pairs GROUP BY a, b),
      blocks AS (${blocks}),
      -- Alike names inside each block (ids are in order: a < b), then each pair once.
      fuzzy AS (
        SELECT DISTINCT k.ids[i] AS a, k.ids[j] AS b
          FROM blocks k, generate_subscripts(k.ids, 1) i, generate_subscripts(k.ids, 1) j
         WHERE i < j AND similarity(k.names[i], k.names[j]) >= ${q.threshold}),
      cand AS (SELECT a, b FROM exact_agg UNION SELECT a, b FROM fuzzy),
      shared AS (
        SELECT a, b, array_agg(relation ORDER BY relation) AS relations
          FROM (${sharedRows}) x GROUP BY a, b),
      scored AS (
        SELECT c.a, c.b, coalesce(e.n, 0) AS n, coalesce(e.keys, '[]'::jsonb) AS keys,
               similarity(ra.search_name, rb.search_name) AS sim,
               coalesce(sh.relations, '{}'::text[]) AS shared
          FROM cand c
          JOIN ${t} ra ON ra.id = c.a AND ra.workspace_id = ${ws}
          JOIN ${t} rb ON rb.id = c.b AND rb.workspace_id = ${ws}
          LEFT JOIN exact_agg e ON e.a = c.a AND e.b = c.b
          LEFT JOIN shared sh ON sh.a = c.a AND sh.b = c.b),
      written AS (
        INSERT INTO duplicate_pairs (workspace_id, object, record_a, record_b, score, evidence)
        SELECT ${ws}, ${object.key}, a, b,
               round(1000 * (1 - power(0.15, n) * (1 - 0.7 * sim)
                 * CASE WHEN cardinality(shared) > 0 THEN 0.7 ELSE 1 END))::int,
               jsonb_build_object('keys', keys, 'nameSimilarity', round(sim::numeric, 3),
                                  'sharedLinks', to_jsonb(shared))
          FROM scored
        ON CONFLICT (workspace_id, object, record_a, record_b)
          DO UPDATE SET score = EXCLUDED.score, evidence = EXCLUDED.evidence
        RETURNING 1)
    SELECT count(*)::int AS n FROM written`,
  );
  return result?.n ?? 0;
}

export interface PairRow {
  record_a: string;
  record_b: string;
  score: number;
  evidence: PairEvidence;
  dismissed: boolean;
}

/** Pairs read from the rank index at a time while a page is filled. */
const WINDOW = 200;

/**
 * A page of pairs, best first, of two live records both in the caller's scope (`scope` on the
 * owner column of a record alias; null = every record). Runs as sen_app. The pairs come from the
 * rank index a window at a time and their records are checked with one `id = ANY(…)` lookup per
 * window: a join, or an EXISTS per pair, to the records was planned as a walk of the whole
 * workspace's records per pair (37–119 s for a page over 100,000 contacts).
 */
export async function listPairs(
  tx: Tx,
  object: RecordObject,
  q: {
    scope: ((alias: SQL) => SQL) | null;
    dismissed: boolean;
    after: { score: number; a: string; b: string } | null;
    limit: number;
  },
): Promise<PairRow[]> {
  const t = object.table;
  const page: PairRow[] = [];
  let after = q.after;
  for (;;) {
    const cursor = after
      ? sql` AND (p.score < ${after.score} OR (p.score = ${after.score}
               AND (p.record_a, p.record_b) > (${after.a}::uuid, ${after.b}::uuid)))`
      : sql``;
    const rows = await queryRows<PairRow>(
      tx,
      sql`SELECT p.record_a, p.record_b, p.score, p.evidence,
                 p.dismissed_at IS NOT NULL AS dismissed
            FROM duplicate_pairs p
           WHERE p.object = ${object.key}
             AND p.dismissed_at IS ${q.dismissed ? sql`NOT NULL` : sql`NULL`}${cursor}
           ORDER BY p.score DESC, p.record_a, p.record_b
           LIMIT ${WINDOW}`,
    );
    if (rows.length === 0) return page;
    const ids = [...new Set(rows.flatMap((r) => [r.record_a, r.record_b]))];
    const visible = await queryRows<{ id: string }>(
      tx,
      sql`SELECT r.id FROM ${t} r
           WHERE r.id = ANY(${uuidArray(ids)}) AND r.deleted_at IS NULL
             ${q.scope ? sql`AND (${q.scope(sql`r`)}) IS TRUE` : sql``}`,
    );
    const seen = new Set(visible.map((v) => v.id));
    for (const row of rows) {
      if (seen.has(row.record_a) && seen.has(row.record_b)) page.push(row);
      if (page.length >= q.limit) return page;
    }
    if (rows.length < WINDOW) return page;
    const last = rows[rows.length - 1]!;
    after = { score: last.score, a: last.record_a, b: last.record_b };
  }
}

/** Mark a pair "not duplicates" (inserted when no scan found it: a form's warning). */
export async function dismissPair(
  tx: Tx,
  q: { workspaceId: string; object: string; a: string; b: string; userId: string | null },
): Promise<void> {
  await tx.execute(sql`INSERT INTO duplicate_pairs
      (workspace_id, object, record_a, record_b, score, evidence, dismissed_at, dismissed_by)
    VALUES (${q.workspaceId}::uuid, ${q.object}, ${q.a}::uuid, ${q.b}::uuid, 0,
            '{"keys":[],"nameSimilarity":0,"sharedLinks":[]}'::jsonb, now(), ${q.userId}::uuid)
    ON CONFLICT (workspace_id, object, record_a, record_b)
      DO UPDATE SET dismissed_at = now(), dismissed_by = EXCLUDED.dismissed_by`);
}

export async function restorePair(
  tx: Tx,
  q: { object: string; a: string; b: string },
): Promise<boolean> {
  const rows = await queryRows(
    tx,
    sql`UPDATE duplicate_pairs SET dismissed_at = NULL, dismissed_by = NULL
         WHERE object = ${q.object} AND record_a = ${q.a}::uuid AND record_b = ${q.b}::uuid
           AND dismissed_at IS NOT NULL RETURNING 1`,
  );
  return rows.length > 0;
}

export interface DuplicateSettingsRow {
  threshold: number;
  scanned_at: string | null;
}

export async function loadSettings(tx: Tx, object: string): Promise<DuplicateSettingsRow> {
  const row = await queryOne<DuplicateSettingsRow>(
    tx,
    sql`SELECT threshold, to_char(scanned_at AT TIME ZONE 'UTC',
                 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS scanned_at
          FROM duplicate_settings WHERE object = ${object}`,
  );
  return row ?? { threshold: DEFAULT_THRESHOLD, scanned_at: null };
}

export const DEFAULT_THRESHOLD = 0.6;

export async function saveSettings(
  tx: Tx,
  q: { workspaceId: string; object: string; threshold?: number; scanned?: boolean },
): Promise<void> {
  await tx.execute(sql`INSERT INTO duplicate_settings (workspace_id, object, threshold, scanned_at)
      VALUES (${q.workspaceId}::uuid, ${q.object}, ${q.threshold ?? DEFAULT_THRESHOLD},
              ${q.scanned ? sql`now()` : sql`NULL`})
      ON CONFLICT (workspace_id, object) DO UPDATE SET
        ${q.threshold !== undefined ? sql`threshold = EXCLUDED.threshold` : sql`threshold = duplicate_settings.threshold`}
        ${q.scanned ? sql`, scanned_at = now()` : sql``}`);
}

/** Forget pairs naming purged records (the trash's purge hook). */
export async function forgetPairs(tx: Tx, ids: string[]): Promise<void> {
  const arr = sql`${`{${ids.join(',')}}`}::uuid[]`;
  await tx.execute(
    sql`DELETE FROM duplicate_pairs WHERE record_a = ANY(${arr}) OR record_b = ANY(${arr})`,
  );
}

export const tableName = (object: RecordObject) => getTableName(object.table);
