import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../core/jobs.js';
import type { Database } from '../../db/database.js';
import { queryRows, uuidArray } from '../../db/sql.js';
import { TRASH_RETENTION_DAYS, registerPurgeHook } from '../records/trash.js';
import { removeFile } from './storage.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// When the trash purge deletes records for good, their notes and attachment rows go with them
// (same transaction); the attachment bytes are removed by the sweep below.
registerPurgeHook(async (tx, object, ids) => {
  await tx.execute(
    sql`DELETE FROM notes WHERE record_type = ${object.key} AND record_id = ANY(${uuidArray(ids)})`,
  );
  await tx.execute(
    sql`DELETE FROM attachments WHERE record_type = ${object.key} AND record_id = ANY(${uuidArray(ids)})`,
  );
});

/**
 * Files younger than this are never swept: an upload renames its file to the final name just
 * before its transaction commits, so a fresh file without a row may be about to get one.
 */
const GRACE_MS = 60 * 60 * 1000;

/**
 * Delete attachments soft-deleted more than `retentionDays` ago, then every file under
 * `<dataDir>/attachments` that has no live or recently deleted row (left by the trash purge,
 * a crash between rename and commit, or an interrupted upload). Returns how many files went.
 */
export async function sweepAttachments(
  db: Database,
  dataDir: string,
  opts: { retentionDays?: number; graceMs?: number; now?: number } = {},
): Promise<{ rowsDeleted: number; filesRemoved: number }> {
  const days = opts.retentionDays ?? TRASH_RETENTION_DAYS;
  const cutoff = (opts.now ?? Date.now()) - (opts.graceMs ?? GRACE_MS);
  const deleted = await db.system((tx) =>
    queryRows<{ id: string }>(
      tx,
      sql`DELETE FROM attachments WHERE deleted_at < now() - make_interval(days => ${days})
          RETURNING id`,
    ),
  );
  const root = path.join(dataDir, 'attachments');
  let filesRemoved = 0;
  const workspaces = fs.existsSync(root) ? await fs.promises.readdir(root) : [];
  for (const ws of workspaces.filter((d) => UUID.test(d))) {
    const dir = path.join(root, ws);
    const old: string[] = [];
    for (const name of await fs.promises.readdir(dir)) {
      const stat = await fs.promises.stat(path.join(dir, name)).catch(() => null);
      if (stat?.isFile() && stat.mtimeMs < cutoff) old.push(name);
    }
    const ids = old.filter((n) => UUID.test(n));
    const keep = new Set<string>();
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await db.system((tx) =>
        queryRows<{ id: string }>(
          tx,
          sql`SELECT id FROM attachments WHERE id = ANY(${uuidArray(ids.slice(i, i + 1000))})`,
        ),
      );
      for (const r of rows) keep.add(r.id);
    }
    for (const name of old) {
      if (keep.has(name)) continue;
      await removeFile(path.join(dir, name));
      filesRemoved++;
    }
  }
  return { rowsDeleted: deleted.length, filesRemoved };
}

export const sweepAttachmentsJob = defineJob({
  name: 'attachments.sweep',
  payload: z.object({}),
  // Daily, after the trash purge (20:23 UTC).
  schedule: '53 20 * * *',
  handler: async (_payload, { db, config, logger }) => {
    const result = await sweepAttachments(db, config.dataDir);
    logger.info(result, 'attachments swept');
  },
});

export const attachmentsJobs = [sweepAttachmentsJob] as unknown as JobDefinition<never>[];
