import { recordActivity } from '../records/activity.js';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { auditChange } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import type { Actor } from '../../core/permissions.js';
import type { AppContext } from '../../core/context.js';
import { loadAccessibleRecord } from '../records/access.js';
import * as repo from './attachments.repository.js';
import { presentAttachment, type AttachmentView } from './attachments.schemas.js';
import { downloadContentType, sniffContentType } from './sniff.js';
import { attachmentPath, commitFile, removeFile, writeTemp } from './storage.js';

const AUDIT_TYPE = 'attachments';

/** The name to show and to download as: no path, no control characters, at most 255 chars. */
export function cleanFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const printable = [...base].filter((c) => {
    const code = c.codePointAt(0) ?? 0;
    return code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0);
  });
  const name = printable.join('').trim().slice(0, 255);
  return name === '' || name === '.' || name === '..' ? 'file' : name;
}

const auditShape = (a: repo.AttachmentRecord) => ({
  recordType: a.recordType,
  recordId: a.recordId,
  fileName: a.fileName,
  contentType: a.contentType,
  sizeBytes: Number(a.sizeBytes),
  sha256: a.sha256,
});

export interface Upload {
  fileName: string;
  stream: Readable;
  /** Whether the stream was cut at the size limit (known once it has been read). */
  truncated: () => boolean;
}

/**
 * Store one uploaded file on a record. Like notes, attaching a file needs `update` on the
 * record (checked before a byte is read, and again in the writing transaction). The bytes are written and fsynced first, the row inserted and the file moved to its
 * final name in one transaction; on any failure nothing is left behind (see storage.ts).
 */
export async function uploadAttachment(
  ctx: AppContext,
  actor: Actor,
  object: string,
  recordId: string,
  upload: Upload,
): Promise<AttachmentView> {
  // Refuse before reading the bytes.
  await ctx.db.read(actor, (tx) => loadAccessibleRecord(tx, actor, object, recordId, 'update'));
  const fileName = cleanFileName(upload.fileName);
  const stored = await writeTemp(ctx.config.dataDir, actor.workspaceId, upload.stream);
  let finalPath: string | null = null;
  try {
    if (upload.truncated()) throw new AppError('PAYLOAD_TOO_LARGE');
    return await ctx.db.tenant(actor, async (tx) => {
      await loadAccessibleRecord(tx, actor, object, recordId, 'update');
      const id = await repo.insertAttachment(tx, {
        workspaceId: actor.workspaceId,
        recordType: object,
        recordId,
        fileName,
        contentType: sniffContentType(stored.head, fileName),
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        uploadedBy: actor.userId,
      });
      const row = await repo.getAttachment(tx, id);
      if (!row) throw new AppError('NOT_FOUND');
      await auditChange(tx, actor, AUDIT_TYPE, id, null, auditShape(row));
      await recordActivity(tx, object, recordId);
      finalPath = attachmentPath(ctx.config.dataDir, actor.workspaceId, id);
      await commitFile(stored.tempPath, finalPath);
      return presentAttachment(row);
    });
  } catch (err) {
    await removeFile(stored.tempPath);
    if (finalPath) await removeFile(finalPath);
    throw err;
  }
}

export async function listAttachments(
  ctx: AppContext,
  actor: Actor,
  object: string,
  recordId: string,
  limit: number,
): Promise<AttachmentView[]> {
  const rows = await ctx.db.read(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, object, recordId, 'read');
    return repo.listAttachments(tx, object, recordId, limit);
  });
  return rows.map(presentAttachment);
}

export interface Download {
  fileName: string;
  /** What to send as Content-Type: the sniffed type for images and PDF, octet-stream otherwise. */
  contentType: string;
  sizeBytes: number;
  stream: Readable;
}

export async function openDownload(ctx: AppContext, actor: Actor, id: string): Promise<Download> {
  const row = await ctx.db.read(actor, async (tx) => {
    const a = await repo.getAttachment(tx, id);
    if (!a) throw new AppError('NOT_FOUND');
    await loadAccessibleRecord(tx, actor, a.recordType, a.recordId, 'read');
    return a;
  });
  const file = attachmentPath(ctx.config.dataDir, row.workspaceId, row.id);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch {
    throw new AppError('NOT_FOUND');
  }
  return {
    fileName: row.fileName,
    contentType: downloadContentType(row.contentType),
    sizeBytes: Number(row.sizeBytes),
    stream: handle.createReadStream(),
  };
}

/**
 * Soft delete (the bytes stay until the record's trash is purged): the uploader or an admin, who
 * may still update the record.
 */
export async function deleteAttachment(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.tenant(actor, async (tx) => {
    const a = await repo.getAttachment(tx, id);
    if (!a) throw new AppError('NOT_FOUND');
    await loadAccessibleRecord(tx, actor, a.recordType, a.recordId, 'update');
    const isUploader = a.uploadedBy !== null && a.uploadedBy === actor.userId;
    if (!isUploader && !actor.role.isAdmin) throw new AppError('FORBIDDEN');
    await repo.softDeleteAttachment(tx, id);
    await auditChange(tx, actor, AUDIT_TYPE, id, auditShape(a), null);
  });
}

/** `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded` (RFC 6266). */
export function contentDisposition(fileName: string): string {
  const fallback = fileName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
