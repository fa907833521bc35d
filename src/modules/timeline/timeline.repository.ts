import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { queryRows, textArray } from '../../db/sql.js';
import { namesInChanges } from '../audit/audit.repository.js';
import { before, cursorText, type Keyset } from './cursor.js';
import type { TimelineProvider, TimelineTarget } from './registry.js';

export interface EventRow {
  occurred_at: string | Date;
  /** The keyset position of occurred_at (cursor text). */
  at: string;
  id: string;
  type: string;
  actor_id: string | null;
  actor_name: string | null;
  record_type: string;
  record_id: string;
  data: Record<string, unknown>;
}

/**
 * One page of events: the providers' SELECTs UNION ALL'ed, newest first, keyset-paged. An event
 * whose data holds `changes` (field changes) also gets `names`: the names of the ids inside them
 * (owner, linked companies), looked up for the page's rows only.
 */
export function listEvents(
  tx: Tx,
  providers: readonly TimelineProvider[],
  targets: readonly TimelineTarget[],
  actor: Actor,
  opts: { types: readonly string[] | null; after: Keyset | null; limit: number },
): Promise<EventRow[]> {
  const selects = providers
    .map((p) => p.sql(targets, actor))
    .filter((s): s is SQL => s !== null)
    .map((s) => sql`(${s})`);
  if (selects.length === 0) return Promise.resolve([]);
  const where: SQL[] = [];
  if (opts.types) where.push(sql`e.type = ANY(${textArray(opts.types)})`);
  if (opts.after) where.push(before(sql`e.occurred_at`, sql`e.id`, opts.after));
  return queryRows<EventRow>(
    tx,
    sql`SELECT p.occurred_at, p.at, p.id, p.type, p.actor_id, p.actor_name, p.record_type,
               p.record_id,
               CASE WHEN jsonb_typeof(p.data -> 'changes') = 'object'
                    THEN p.data || jsonb_build_object('names',
                           coalesce(${namesInChanges(sql`p.data -> 'changes'`)}, '{}'::jsonb))
                    ELSE p.data END AS data
          FROM (SELECT e.*, ${cursorText(sql`e.occurred_at`)} AS at
                  FROM (${sql.join(selects, sql` UNION ALL `)})
                       AS e (occurred_at, id, type, actor_id, actor_name, record_type, record_id, data)
                 ${where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
                 ORDER BY e.occurred_at DESC, e.id COLLATE "C" DESC
                 LIMIT ${opts.limit}) p
         ORDER BY p.occurred_at DESC, p.id COLLATE "C" DESC`,
  );
}
