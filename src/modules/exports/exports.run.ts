import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { defineJob, type JobContext, type JobDefinition } from '../../core/jobs.js';
import { can } from '../../core/permissions.js';
import type { Database } from '../../db/database.js';
import { filterNode } from '../records/filters.js';
import { recordObjectDefinition } from '../records/define.js';
import { prepareExport } from '../records/records.service.js';
import { exportFile, exportsDir, exportsRoot, TEMP_SUFFIX } from './exports.files.js';
import * as repo from './exports.repository.js';

/**
 * The export job: writes the export of a stored view to `<id>.part` page by page (the same
 * code as GET /:object/export, as its creator with their rights now), renames it to `<id>` and
 * marks the export done with an expiry 24 hours on. A run that dies part-way is run again from
 * the start: the temp file is removed first. One run at a time per export (advisory lock).
 */

/** What an export job keeps of the request that started it. */
export const storedParams = z.object({
  filter: filterNode.nullable().optional(),
  sort: z.string().optional(),
  q: z.string().optional(),
  trash: z.boolean().optional(),
  columns: z.array(z.string()).optional(),
  locale: z.enum(['vi', 'en']),
  /** Started with an API key: its scopes then (the run never has more). */
  keyScopes: z.array(z.string()).nullable(),
});
export type StoredParams = z.infer<typeof storedParams>;

const messages = {
  creatorGone: {
    vi: 'Người bắt đầu lần xuất này không còn là thành viên đang hoạt động.',
    en: 'The member who started this export is no longer active.',
  },
  forbidden: {
    vi: 'Người bắt đầu lần xuất này không còn quyền xuất dữ liệu này.',
    en: 'The member who started this export may no longer export these records.',
  },
  stale: {
    vi: 'Lần xuất đã dừng giữa chừng và không chạy tiếp được. Hãy xuất lại.',
    en: 'The export stopped part-way and could not go on. Please export again.',
  },
} satisfies Record<string, LocalisedText>;

/** Progress is written at most this often (ms): one small UPDATE, not one per page. */
const PROGRESS_EVERY_MS = 500;

export function exportLockKey(exportId: string): number {
  return 0x5f000000 + (createHash('sha256').update(exportId).digest().readUInt32BE(0) & 0xffffff);
}

export async function runExport(
  db: Database,
  job: Pick<JobContext, 'config'>,
  ids: { exportId: string; workspaceId: string },
): Promise<void> {
  await db.withLock(exportLockKey(ids.exportId), async () => {
    const row = await repo.loadForRun(db, ids);
    if (!row || (row.status !== 'queued' && row.status !== 'running')) return;
    const params = storedParams.parse(row.params);
    const actor = await repo.creatorActor(db, row, params.keyScopes);
    if (!actor) {
      await repo.finishFailed(db, row.id, { code: 'OWNER_GONE', message: messages.creatorGone });
      return;
    }
    const def = recordObjectDefinition(row.object);
    if (!def || !can(actor, row.object, 'read') || !can(actor, row.object, 'export')) {
      await repo.finishFailed(db, row.id, { code: 'FORBIDDEN', message: messages.forbidden });
      return;
    }
    await repo.markRunning(db, actor, row.id);
    const final = exportFile(job.config.dataDir, row.workspaceId, row.id);
    const temp = `${final}${TEMP_SUFFIX}`;
    await fs.promises.mkdir(path.dirname(final), { recursive: true });
    await fs.promises.rm(temp, { force: true });
    try {
      const { locale, keyScopes: _scopes, filter, ...list } = params;
      const prepared = await prepareExport(
        { db, config: job.config },
        actor,
        def.kind,
        { ...list, filter: filter ?? undefined, format: row.format },
        locale,
        row.createdAt,
      );
      let reported = Date.now();
      const rows = await prepared.writeTo(fs.createWriteStream(temp), async (n) => {
        if (Date.now() - reported < PROGRESS_EVERY_MS) return;
        reported = Date.now();
        await repo.progress(db, actor, row.id, n);
      });
      await fs.promises.rename(temp, final);
      const { size } = await fs.promises.stat(final);
      await repo.finishDone(db, actor, row.id, rows, size);
    } catch (err) {
      await fs.promises.rm(temp, { force: true });
      // A refusal (a column or custom field deleted since, the sort gone): the export fails.
      if (err instanceof AppError) {
        await repo.finishFailed(db, row.id, {
          code: err.code,
          message: err.text ?? { vi: err.messageIn('vi'), en: err.messageIn('en') },
        });
        return;
      }
      throw err;
    }
  });
}

export const exportJob = defineJob({
  name: 'exports.run',
  payload: z.object({ exportId: z.uuid(), workspaceId: z.uuid() }),
  retryLimit: 3,
  handler: (payload, ctx) => runExport(ctx.db, ctx, payload),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Files younger than this are never swept (a job may be about to record its export). */
const GRACE_MS = 60 * 60 * 1000;
/** A queued or running export nothing moved for this long has lost its job. */
const STALE_HOURS = 6;
/** Expired and failed exports' rows are kept this long (their links answer 410 Gone). */
export const EXPORT_ROW_DAYS = 30;

/**
 * The sweep: done exports past their expiry become `expired` and lose their file; exports
 * stuck in queued/running for hours fail; rows of expired and failed exports older than 30
 * days go; files under `<dataDir>/exports` that no done or running export owns (a crash's
 * leftovers) are removed after an hour.
 */
export async function sweepExports(
  db: Database,
  dataDir: string,
  opts: { graceMs?: number; now?: number } = {},
): Promise<{ expired: number; failed: number; rowsDeleted: number; filesRemoved: number }> {
  const expired = await repo.expireDue(db);
  for (const e of expired) {
    await fs.promises.rm(exportFile(dataDir, e.workspaceId, e.id), { force: true });
  }
  const failed = await repo.failStale(db, STALE_HOURS, {
    code: 'STOPPED',
    message: messages.stale,
  });
  for (const e of failed) {
    const file = exportFile(dataDir, e.workspaceId, e.id);
    await fs.promises.rm(`${file}${TEMP_SUFFIX}`, { force: true });
  }
  const rowsDeleted = await repo.deleteOld(db, EXPORT_ROW_DAYS);
  const cutoff = (opts.now ?? Date.now()) - (opts.graceMs ?? GRACE_MS);
  const root = exportsRoot(dataDir);
  let filesRemoved = 0;
  const workspaces = fs.existsSync(root) ? await fs.promises.readdir(root) : [];
  for (const ws of workspaces.filter((d) => UUID.test(d))) {
    const dir = exportsDir(dataDir, ws);
    const old: string[] = [];
    for (const name of await fs.promises.readdir(dir)) {
      const stat = await fs.promises.stat(path.join(dir, name)).catch(() => null);
      if (stat?.isFile() && stat.mtimeMs < cutoff) old.push(name);
    }
    const idOf = (name: string) =>
      name.endsWith(TEMP_SUFFIX) ? name.slice(0, -TEMP_SUFFIX.length) : name;
    const live = await repo.liveFiles(db, [...new Set(old.map(idOf).filter((n) => UUID.test(n)))]);
    for (const name of old) {
      const status = live.get(idOf(name));
      const keep = name.endsWith(TEMP_SUFFIX)
        ? status === 'running' || status === 'queued'
        : status === 'done';
      if (keep) continue;
      await fs.promises.rm(path.join(dir, name), { force: true });
      filesRemoved++;
    }
  }
  return { expired: expired.length, failed: failed.length, rowsDeleted, filesRemoved };
}

export const sweepExportsJob = defineJob({
  name: 'exports.sweep',
  payload: z.object({}),
  // Hourly: a link's 24 hours are kept to within the hour.
  schedule: '41 * * * *',
  handler: async (_payload, { db, config, logger }) => {
    const result = await sweepExports(db, config.dataDir);
    logger.info(result, 'exports swept');
  },
});

export const exportsJobs = [exportJob, sweepExportsJob] as unknown as JobDefinition<never>[];
