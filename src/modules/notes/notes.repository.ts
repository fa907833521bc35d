import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryOne, queryRows, uuidArray, type Timestamp } from '../../db/sql.js';
import { before, cursorText, type Keyset } from '../timeline/cursor.js';

export interface NoteRecord {
  id: string;
  recordType: string;
  recordId: string;
  bodyHtml: string;
  bodyText: string;
  pinned: boolean;
  authorId: string | null;
  authorName: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  /** The keyset position (cursor text of created_at). */
  at: string;
}

const select = sql`
  SELECT n.id, n.record_type AS "recordType", n.record_id AS "recordId",
         n.body_html AS "bodyHtml", n.body_text AS "bodyText", n.pinned,
         n.author_id AS "authorId", u.name AS "authorName",
         n.created_at AS "createdAt", n.updated_at AS "updatedAt",
         ${cursorText('n.created_at')} AS at
    FROM notes n
    LEFT JOIN users u ON u.id = n.author_id`;

export function getNote(tx: Tx, id: string): Promise<NoteRecord | undefined> {
  return queryOne<NoteRecord>(tx, sql`${select} WHERE n.id = ${id} AND n.deleted_at IS NULL`);
}

export function listNotes(
  tx: Tx,
  recordType: string,
  recordId: string,
  opts: { limit: number; after: Keyset | null },
): Promise<NoteRecord[]> {
  const where: SQL[] = [
    sql`n.record_type = ${recordType}`,
    sql`n.record_id = ${recordId}`,
    sql`n.deleted_at IS NULL`,
  ];
  if (opts.after) where.push(before(sql`n.created_at`, sql`n.id`, opts.after));
  return queryRows<NoteRecord>(
    tx,
    sql`${select} WHERE ${sql.join(where, sql` AND `)}
        ORDER BY n.created_at DESC, n.id::text COLLATE "C" DESC LIMIT ${opts.limit}`,
  );
}

/** Pinned notes of a set of records, newest first (the top of a timeline). */
export function listPinned(
  tx: Tx,
  targets: readonly { recordType: string; recordIds: readonly string[] }[],
  limit = 50,
): Promise<NoteRecord[]> {
  const conditions = targets
    .filter((t) => t.recordIds.length > 0)
    .map(
      (t) =>
        sql`(n.record_type = ${t.recordType} AND n.record_id = ANY(${uuidArray(t.recordIds)}))`,
    );
  if (conditions.length === 0) return Promise.resolve([]);
  return queryRows<NoteRecord>(
    tx,
    sql`${select} WHERE n.pinned AND n.deleted_at IS NULL AND (${sql.join(conditions, sql` OR `)})
        ORDER BY n.created_at DESC, n.id DESC LIMIT ${limit}`,
  );
}

export async function insertNote(
  tx: Tx,
  note: {
    workspaceId: string;
    recordType: string;
    recordId: string;
    bodyHtml: string;
    bodyText: string;
    pinned: boolean;
    authorId: string | null;
  },
): Promise<string> {
  const row = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO notes (workspace_id, record_type, record_id, body_html, body_text, pinned, author_id)
        VALUES (${note.workspaceId}, ${note.recordType}, ${note.recordId}, ${note.bodyHtml},
                ${note.bodyText}, ${note.pinned}, ${note.authorId})
        RETURNING id`,
  );
  if (!row) throw new Error('note insert returned nothing');
  return row.id;
}

export async function updateNote(
  tx: Tx,
  id: string,
  patch: { bodyHtml?: string; bodyText?: string; pinned?: boolean },
): Promise<void> {
  const sets: SQL[] = [sql`updated_at = now()`];
  if (patch.bodyHtml !== undefined) sets.push(sql`body_html = ${patch.bodyHtml}`);
  if (patch.bodyText !== undefined) sets.push(sql`body_text = ${patch.bodyText}`);
  if (patch.pinned !== undefined) sets.push(sql`pinned = ${patch.pinned}`);
  await tx.execute(sql`UPDATE notes SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

export async function softDeleteNote(tx: Tx, id: string): Promise<void> {
  await tx.execute(sql`UPDATE notes SET deleted_at = now() WHERE id = ${id}`);
}
