import { sql, type SQL } from 'drizzle-orm';
import { visibilityScope, type Actor } from './permissions.js';

/**
 * The one translation of a visibility scope into SQL, for every path that shows records
 * (lists, counts, exports, search, timelines, related panels): the caller's scope on
 * `objectKey` as a condition on `ownerColumn`, or null when the caller sees every record.
 *
 * - all → null (no condition);
 * - own → `owner = me`;
 * - team → `owner IN (me, my team mates…)`: a user in no team still sees their own records;
 * - an actor without a user (the system) and a scope narrower than all → `false`.
 */
export function scopeCondition(actor: Actor, objectKey: string, ownerColumn: SQL): SQL | null {
  const scope = visibilityScope(actor, objectKey);
  if (scope === 'all') return null;
  if (actor.userId === null) return sql`false`;
  if (scope === 'own') return sql`${ownerColumn} = ${actor.userId}::uuid`;
  const ids = [...new Set([actor.userId, ...actor.teamMateIds])];
  return sql`${ownerColumn} IN (${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
}
