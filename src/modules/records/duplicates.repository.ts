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
    sql`(SELECT ${c.id} AS id, ${c.name} AS name, true AS visible
           FROM ${object.table}
          WHERE ${where} AND (${visible}) IS TRUE
          ORDER BY ${object.table}.updated_at DESC
          LIMIT ${q.limit})
        UNION ALL
        (SELECT ${c.id}, '', false
           FROM ${object.table}
          WHERE ${where} AND (${visible}) IS NOT TRUE
          LIMIT 1)`,
  );
}
