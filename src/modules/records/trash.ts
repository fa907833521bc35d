import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../core/jobs.js';
import type { Database, Tx } from '../../db/database.js';
import { queryRows, uuidArray } from '../../db/sql.js';
import { removeUniqueValues } from '../custom-fields/values.js';
import { recordObjects, type RecordObject } from './registry.js';

/**
 * The trash: DELETE sets deleted_at; records stay restorable for 30 days, then the daily purge
 * deletes them for good (as sen_system, across workspaces). Modules that keep data about records
 * without a foreign key (unique custom values, notes, attachments on disk…) register a hook to
 * forget it in the same transaction.
 */
export const TRASH_RETENTION_DAYS = 30;
const BATCH = 1000;

export type PurgeHook = (tx: Tx, object: RecordObject, ids: string[]) => Promise<void>;

const hooks: PurgeHook[] = [];

export function registerPurgeHook(hook: PurgeHook): void {
  hooks.push(hook);
}

// Unique custom values have no foreign key to the record tables.
registerPurgeHook((tx, _object, ids) => removeUniqueValues(tx, ids));

/** Delete records for good, with what the purge hooks keep about them (trash purge, undo). */
export async function purgeRecords(tx: Tx, object: RecordObject, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  for (const hook of hooks) await hook(tx, object, ids);
  await tx.execute(sql`DELETE FROM ${object.table} WHERE id = ANY(${uuidArray(ids)})`);
}

/** Delete records trashed more than `days` days ago; returns how many per object. */
export async function purgeTrash(
  db: Database,
  days = TRASH_RETENTION_DAYS,
): Promise<Record<string, number>> {
  const purged: Record<string, number> = {};
  for (const object of recordObjects()) {
    purged[object.key] = 0;
    for (;;) {
      const n = await db.system(async (tx) => {
        const rows = await queryRows<{ id: string }>(
          tx,
          sql`SELECT id FROM ${object.table}
               WHERE deleted_at < now() - make_interval(days => ${days})
               ORDER BY id LIMIT ${BATCH} FOR UPDATE`,
        );
        const ids = rows.map((r) => r.id);
        if (ids.length === 0) return 0;
        await purgeRecords(tx, object, ids);
        return ids.length;
      });
      purged[object.key] = (purged[object.key] ?? 0) + n;
      if (n < BATCH) break;
    }
  }
  return purged;
}

export const purgeTrashJob = defineJob({
  name: 'records.purge-trash',
  payload: z.object({ olderThanDays: z.number().int().min(0).optional() }),
  // Daily, at night in Vietnam (20:23 UTC = 03:23 ICT).
  schedule: '23 20 * * *',
  handler: async (payload, { db, logger }) => {
    const purged = await purgeTrash(db, payload.olderThanDays ?? TRASH_RETENTION_DAYS);
    logger.info({ purged }, 'trash purged');
  },
});

export const recordsJobs = [purgeTrashJob] as unknown as JobDefinition<never>[];
