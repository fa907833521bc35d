import { z } from 'zod';
import { iso, isoDate } from '../../http/schemas.js';
import type { AttachmentRecord } from './attachments.repository.js';
import { personRef } from './notes.schemas.js';

export const attachment = z.object({
  id: z.uuid(),
  recordType: z.string(),
  recordId: z.uuid(),
  fileName: z.string(),
  /** Sniffed from the bytes at upload. */
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  uploadedBy: personRef,
  createdAt: isoDate,
});
export type AttachmentView = z.infer<typeof attachment>;

export function presentAttachment(row: AttachmentRecord): AttachmentView {
  return {
    id: row.id,
    recordType: row.recordType,
    recordId: row.recordId,
    fileName: row.fileName,
    contentType: row.contentType,
    sizeBytes: Number(row.sizeBytes),
    sha256: row.sha256,
    uploadedBy: row.uploadedBy ? { id: row.uploadedBy, name: row.uploaderName ?? '' } : null,
    createdAt: iso(row.createdAt),
  };
}
