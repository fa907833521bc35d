import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import type { RecordObject } from './registry.js';

/**
 * Live records of `object` matching `match` (trusted SQL from a declared duplicate key), other
 * than `excludeId`: up to `limit` the caller may see (`scope`; null = all), and at most one
 * other, of which only `visible = false` is used (its name is never shown).
 */
export async function findDuplicateRows(
  tx: Tx,
  object: RecordObject,
  q: { match: SQL; scope: SQL | null; excludeId: string | null; limit: number },
): Promise<{ id: string; name: string; visible: boolean }[]> {
  const c = object.columns;
  const where = sql`${c.deletedAt} IS NULL AND (${q.match})${
    q.excludeId ? sql` AND ${c.id} <> ${q.excludeId}::uuid` : sql``
  }`;
  const visible = q.scope ?? sql`true`;
  return queryRows<{ id: string; name: string; visible: boolean }>(
    tx,
    // OFFSET 0 keeps the match (a GIN or unique index) first: with ORDER BY … LIMIT alone the
    // planner may walk the whole table in updated_at order hoping for an early hit.
    sql`(SELECT h.id, h.name, true AS visible
           FROM (SELECT ${c.id} AS id, ${c.name} AS name, ${object.table}.updated_at AS updated
                   FROM ${object.table}
                  WHERE ${where} AND (${visible}) IS TRUE
                 OFFSET 0) h
          ORDER BY h.updated DESC
          LIMIT ${q.limit})
        UNION ALL
        (SELECT ${c.id}, '', false
           FROM ${object.table}
          WHERE ${where} AND (${visible}) IS NOT TRUE
          LIMIT 1)`,
  );
}
