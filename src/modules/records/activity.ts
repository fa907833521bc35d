import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { recordObjectDefinition } from './define.js';

/**
 * Something happened on a record (a note, a file; later a task, a call, an email): its object's
 * `activity` column (a deal's last_activity_at, which the board's rotting marker reads) moves to
 * now. A derived value: the record's version stays (nobody edited the record itself).
 */
export async function recordActivity(tx: Tx, objectKey: string, recordId: string): Promise<void> {
  const column = recordObjectDefinition(objectKey)?.activity?.column;
  if (!column) return;
  await tx.execute(sql`SELECT set_config('sen.keep_version', 'on', true)`);
  await tx.execute(
    sql`UPDATE ${sql.identifier(objectKey)} SET ${sql.identifier(column)} = now()
         WHERE id = ${recordId}::uuid`,
  );
  await tx.execute(sql`SELECT set_config('sen.keep_version', 'off', true)`);
}
