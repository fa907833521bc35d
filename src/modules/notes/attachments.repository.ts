import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryOne, queryRows, type Timestamp } from '../../db/sql.js';

export interface AttachmentRecord {
  id: string;
  workspaceId: string;
  recordType: string;
  recordId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string | null;
  uploaderName: string | null;
  createdAt: Timestamp;
}

const select = sql`
  SELECT a.id, a.workspace_id AS "workspaceId", a.record_type AS "recordType",
         a.record_id AS "recordId", a.file_name AS "fileName", a.content_type AS "contentType",
         a.size_bytes::float8 AS "sizeBytes", a.sha256, a.uploaded_by AS "uploadedBy",
         u.name AS "uploaderName", a.created_at AS "createdAt"
    FROM attachments a
    LEFT JOIN users u ON u.id = a.uploaded_by`;

export function getAttachment(tx: Tx, id: string): Promise<AttachmentRecord | undefined> {
  return queryOne<AttachmentRecord>(tx, sql`${select} WHERE a.id = ${id} AND a.deleted_at IS NULL`);
}

export function listAttachments(
  tx: Tx,
  recordType: string,
  recordId: string,
  limit: number,
): Promise<AttachmentRecord[]> {
  return queryRows<AttachmentRecord>(
    tx,
    sql`${select} WHERE a.record_type = ${recordType} AND a.record_id = ${recordId}
          AND a.deleted_at IS NULL
        ORDER BY a.created_at DESC, a.id DESC LIMIT ${limit}`,
  );
}

export async function insertAttachment(
  tx: Tx,
  a: {
    workspaceId: string;
    recordType: string;
    recordId: string;
    fileName: string;
    contentType: string;
    sizeBytes: number;
    sha256: string;
    uploadedBy: string | null;
  },
): Promise<string> {
  const row = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO attachments
          (workspace_id, record_type, record_id, file_name, content_type, size_bytes, sha256, uploaded_by)
        VALUES (${a.workspaceId}, ${a.recordType}, ${a.recordId}, ${a.fileName}, ${a.contentType},
                ${a.sizeBytes}, ${a.sha256}, ${a.uploadedBy})
        RETURNING id`,
  );
  if (!row) throw new Error('attachment insert returned nothing');
  return row.id;
}

export async function softDeleteAttachment(tx: Tx, id: string): Promise<void> {
  await tx.execute(sql`UPDATE attachments SET deleted_at = now() WHERE id = ${id}`);
}
