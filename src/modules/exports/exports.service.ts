import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { AppError, type Locale, type LocalisedText } from '../../core/errors.js';
import type { AppContext } from '../../core/context.js';
import { authorize, type Actor } from '../../core/permissions.js';
import { iso, isoOrNull } from '../../http/schemas.js';
import { recordObjectDefinition } from '../records/define.js';
import { exportFiles } from '../records/export-writers.js';
import { countExport } from '../records/records.service.js';
import { exportFile } from './exports.files.js';
import * as repo from './exports.repository.js';
import { exportJob, storedParams, type StoredParams } from './exports.run.js';
import type { ExportStartBody } from './exports.schemas.js';
import type { ExportRow } from './exports.table.js';

/**
 * Exports of a list's view (docs/customer-records.md, "Export"): POST /:object/exports answers
 * with the GET /:object/export address to download at once when the view has at most
 * SEN_EXPORT_SYNC_MAX_ROWS rows, and otherwise starts a job whose progress and download link
 * only its creator sees, with `export` on the object checked at the start and at the download.
 */

const messages = {
  notYours: {
    vi: 'Chỉ người đã bắt đầu lần xuất này mới tải được tệp.',
    en: 'Only the person who started this export can download it.',
  },
  expired: {
    vi: 'Liên kết tải đã hết hạn: tệp xuất chỉ được giữ 24 giờ. Hãy xuất lại.',
    en: 'This download link has expired: export files are kept for 24 hours. Please export again.',
  },
  notReady: {
    vi: 'Tệp xuất chưa sẵn sàng.',
    en: 'The export file is not ready yet.',
  },
  failed: {
    vi: 'Lần xuất này đã thất bại: không có tệp để tải.',
    en: 'This export failed: there is no file to download.',
  },
} satisfies Record<string, LocalisedText>;

const downloadPath = (id: string) => `/api/v1/exports/${id}/download`;

export function presentExport(row: ExportRow, now = new Date()) {
  const date = iso(row.createdAt).slice(0, 10).replaceAll('-', '');
  const live = row.status === 'done' && row.expiresAt !== null && row.expiresAt > now;
  return {
    id: row.id,
    object: row.object,
    format: row.format,
    status: row.status,
    rowsDone: row.rowsDone,
    totalRows: row.totalRows,
    sizeBytes: row.sizeBytes,
    fileName: `${row.object}-${date}.${exportFiles[row.format].extension}`,
    error: (row.error as { code: string; message: LocalisedText } | null) ?? null,
    createdAt: iso(row.createdAt),
    finishedAt: isoOrNull(row.finishedAt),
    expiresAt: isoOrNull(row.expiresAt),
    downloadUrl: live ? downloadPath(row.id) : null,
  };
}

/** The GET /:object/export address of the same view. */
function directUrl(object: string, body: ExportStartBody): string {
  const query = new URLSearchParams({ format: body.format });
  if (body.filter) query.set('filter', JSON.stringify(body.filter));
  if (body.sort) query.set('sort', body.sort);
  if (body.q) query.set('q', body.q);
  if (body.trash) query.set('trash', 'true');
  if (body.columns?.length) query.set('columns', body.columns.join(','));
  return `/api/v1/${object}/export?${query.toString()}`;
}

export async function startExport(
  ctx: AppContext,
  actor: Actor,
  object: string,
  body: ExportStartBody,
  locale: Locale,
) {
  if (!recordObjectDefinition(object)) throw new AppError('NOT_FOUND');
  if (!actor.userId) throw new AppError('FORBIDDEN');
  const params = { ...body, filter: body.filter ?? undefined };
  const total = await countExport(ctx, actor, object, params, locale);
  if (total <= ctx.config.exportSyncMaxRows) {
    return { mode: 'direct' as const, total, url: directUrl(object, body) };
  }
  const stored: StoredParams = storedParams.parse({
    filter: body.filter ?? null,
    sort: body.sort,
    q: body.q,
    trash: body.trash,
    columns: body.columns,
    locale,
    keyScopes: actor.keyScopes ? [...actor.keyScopes] : null,
  });
  const userId = actor.userId;
  const row = await ctx.db.tenant(actor, (tx) =>
    repo.insertExport(tx, {
      workspaceId: actor.workspaceId,
      object,
      format: body.format,
      params: stored,
      status: 'queued',
      totalRows: total,
      createdBy: userId,
    }),
  );
  await ctx.jobs?.send(exportJob, { exportId: row.id, workspaceId: row.workspaceId });
  return { mode: 'job' as const, total, job: presentExport(row) };
}

/** The export, for its creator only, who must still hold `export` on its object. */
async function loadOwn(ctx: AppContext, actor: Actor, id: string): Promise<ExportRow> {
  const row = await ctx.db.read(actor, (tx) => repo.getExport(tx, id));
  if (!row) throw new AppError('NOT_FOUND');
  if (row.createdBy !== actor.userId) throw new AppError('FORBIDDEN', { text: messages.notYours });
  authorize(actor, row.object, 'export');
  return row;
}

export async function getExport(ctx: AppContext, actor: Actor, id: string) {
  return presentExport(await loadOwn(ctx, actor, id));
}

export async function openDownload(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ stream: Readable; sizeBytes: number; fileName: string; contentType: string }> {
  const row = await loadOwn(ctx, actor, id);
  const presented = presentExport(row);
  if (row.status === 'expired' || (row.status === 'done' && !presented.downloadUrl)) {
    throw new AppError('GONE', { text: messages.expired });
  }
  if (row.status === 'failed') throw new AppError('CONFLICT', { text: messages.failed });
  if (row.status !== 'done') throw new AppError('CONFLICT', { text: messages.notReady });
  const file = exportFile(ctx.config.dataDir, row.workspaceId, row.id);
  const handle = await fs.promises.open(file, 'r').catch((err: unknown) => {
    // Swept between the expiry check and now.
    if ((err as { code?: string }).code === 'ENOENT') {
      throw new AppError('GONE', { text: messages.expired });
    }
    throw err;
  });
  const { size } = await handle.stat();
  return {
    stream: handle.createReadStream(),
    sizeBytes: size,
    fileName: presented.fileName,
    contentType: exportFiles[row.format].contentType,
  };
}

/** At start-up (a node with jobs): exports left queued or running are queued again. */
export async function resumeExports(ctx: AppContext): Promise<number> {
  const rows = await repo.unfinished(ctx.db);
  for (const r of rows) {
    await ctx.jobs?.send(exportJob, { exportId: r.id, workspaceId: r.workspaceId });
  }
  return rows.length;
}
