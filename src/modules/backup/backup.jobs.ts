import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../../config/env.js';
import { defineJob, type JobDefinition } from '../../core/jobs.js';
import type { Database } from '../../db/database.js';
import { createBackup, type BackupSummary } from './backup.js';

/**
 * Scheduled backups: `<dataDir>/backups/sen-<UTC timestamp>.zip`, the newest SEN_BACKUP_KEEP
 * kept. On by default on the embedded database (nightly), off on PostgreSQL (whose own backups
 * are the operator's); SEN_BACKUP_SCHEDULE sets the cron or turns them off.
 */
export const backupsDir = (dataDir: string) => path.join(dataDir, 'backups');

/** `sen-20261207T190000Z.zip`: names sort by time. */
const SCHEDULED = /^sen-\d{8}T\d{6}Z\.zip$/;
/** A backup being written: `.sen-….zip.partial-…` (backup.ts). */
const PARTIAL = /^\.sen-\d{8}T\d{6}Z\.zip\.partial-/;

export const scheduledName = (now: Date) =>
  `sen-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.zip`;

export async function runScheduledBackup(
  deps: { db: Database; config: Config },
  now: Date = new Date(),
): Promise<{ summary: BackupSummary; removed: string[] }> {
  const dir = backupsDir(deps.config.dataDir);
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  // What a crash or a stop in the middle of an earlier run left.
  for (const name of await fs.promises.readdir(dir)) {
    if (PARTIAL.test(name)) await fs.promises.rm(path.join(dir, name), { force: true });
  }
  const summary = await createBackup(deps, { out: path.join(dir, scheduledName(now)) });
  const removed = await pruneBackups(dir, deps.config.backupKeep);
  return { summary, removed };
}

/** Delete all but the newest `keep` scheduled backups (other files in the folder are left). */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const names = (await fs.promises.readdir(dir)).filter((n) => SCHEDULED.test(n)).sort();
  const old = names.slice(0, Math.max(0, names.length - keep));
  for (const name of old) await fs.promises.rm(path.join(dir, name), { force: true });
  return old;
}

export const scheduledBackupJob = defineJob({
  name: 'backup.scheduled',
  payload: z.object({}),
  schedule: (config) => config.backupSchedule,
  // A failed night is retried once; the next night's runs anyway.
  retryLimit: 1,
  handler: async (_payload, { db, config, logger }) => {
    const { summary, removed } = await runScheduledBackup({ db, config });
    logger.info(
      {
        file: summary.file,
        tables: summary.tables.length,
        rows: summary.rows,
        files: summary.files,
        bytes: summary.archiveBytes,
        seconds: Number(summary.seconds.toFixed(1)),
        missingFiles: summary.missingFiles.length,
        removed,
      },
      'backup written',
    );
  },
});

export const backupJobs = [scheduledBackupJob] as unknown as JobDefinition<never>[];
