import { recordActivity } from '../records/activity.js';
import { auditChange } from '../../core/audit.js';
import { AppError, fieldError } from '../../core/errors.js';
import type { Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { AppContext } from '../../core/context.js';
import { loadAccessibleRecord } from '../records/access.js';
import { decodeCursor, encodeCursor } from '../timeline/cursor.js';
import * as repo from './notes.repository.js';
import { mentionedMembers, notifyMentions } from './mentions.js';
import { presentNote, type NoteView, type WrittenNoteView } from './notes.schemas.js';
import { htmlToText, mentionedUserIds, sanitizeNoteHtml } from './sanitize.js';

const AUDIT_TYPE = 'notes';

const messages = {
  empty: { vi: 'Ghi chú trống.', en: 'The note is empty.' },
};

/**
 * Raw HTML (at most NOTE_MAX_CHARS, checked by the request schema) -> the stored pair
 * (sanitised HTML, plain text), or a field error.
 */
function cleanBody(raw: string): { bodyHtml: string; bodyText: string } {
  const bodyHtml = sanitizeNoteHtml(raw);
  const bodyText = htmlToText(bodyHtml);
  if (bodyText === '') throw fieldError('bodyHtml', messages.empty);
  return { bodyHtml, bodyText };
}

/** What the audit log keeps of a note (the text, not the markup). */
const auditShape = (n: repo.NoteRecord) => ({
  recordType: n.recordType,
  recordId: n.recordId,
  bodyText: n.bodyText,
  pinned: n.pinned,
});

export async function listNotes(
  ctx: AppContext,
  actor: Actor,
  object: string,
  recordId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: NoteView[]; nextCursor: string | null }> {
  const after = decodeCursor(page.cursor);
  const rows = await ctx.db.read(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, object, recordId, 'read');
    return repo.listNotes(tx, object, recordId, { limit: page.limit + 1, after });
  });
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map(presentNote),
    nextCursor:
      rows.length > page.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
  };
}

/** Writing a note on a record needs `update` on the record (docs/customer-records.md). */
export async function createNote(
  ctx: AppContext,
  actor: Actor,
  object: string,
  recordId: string,
  input: { bodyHtml: string; pinned?: boolean | undefined },
): Promise<WrittenNoteView> {
  const body = cleanBody(input.bodyHtml);
  const mentioned = await mentionedMembers(ctx, actor, mentionedUserIds(body.bodyHtml));
  return ctx.db.tenant(actor, async (tx) => {
    const record = await loadAccessibleRecord(tx, actor, object, recordId, 'update');
    const id = await repo.insertNote(tx, {
      workspaceId: actor.workspaceId,
      recordType: object,
      recordId,
      ...body,
      pinned: input.pinned ?? false,
      authorId: actor.userId,
    });
    const note = await repo.getNote(tx, id);
    if (!note) throw new AppError('NOT_FOUND');
    await auditChange(tx, actor, AUDIT_TYPE, id, null, auditShape(note));
    await recordActivity(tx, object, recordId);
    const unreachableMentions = await notifyMentions(
      tx,
      actor,
      { object, id: recordId, ownerId: record.ownerId },
      mentioned,
    );
    return { ...presentNote(note), unreachableMentions };
  });
}

/**
 * A note the actor may change: it exists, the actor may still update its record, and the actor
 * wrote it or is an admin. Someone who cannot update the record gets NOT_FOUND/FORBIDDEN from
 * the record check before authorship is looked at.
 */
async function loadOwnNote(
  tx: Tx,
  actor: Actor,
  id: string,
): Promise<{ note: repo.NoteRecord; ownerId: string | null }> {
  const note = await repo.getNote(tx, id);
  if (!note) throw new AppError('NOT_FOUND');
  const record = await loadAccessibleRecord(tx, actor, note.recordType, note.recordId, 'update');
  const isAuthor = note.authorId !== null && note.authorId === actor.userId;
  if (!isAuthor && !actor.role.isAdmin) throw new AppError('FORBIDDEN');
  return { note, ownerId: record.ownerId };
}

export async function updateNote(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: { bodyHtml?: string | undefined; pinned?: boolean | undefined },
): Promise<WrittenNoteView> {
  const body: { bodyHtml?: string; bodyText?: string } =
    patch.bodyHtml !== undefined ? cleanBody(patch.bodyHtml) : {};
  // Who the new text mentions, looked up before the write; only those not mentioned before
  // are notified (known once the note is read in the write).
  const mentioned = await mentionedMembers(
    ctx,
    actor,
    body.bodyHtml ? mentionedUserIds(body.bodyHtml) : [],
  );
  return ctx.db.tenant(actor, async (tx) => {
    const { note: before, ownerId } = await loadOwnNote(tx, actor, id);
    await repo.updateNote(tx, id, {
      ...body,
      ...(patch.pinned !== undefined ? { pinned: patch.pinned } : {}),
    });
    const after = await repo.getNote(tx, id);
    if (!after) throw new AppError('NOT_FOUND');
    await auditChange(tx, actor, AUDIT_TYPE, id, auditShape(before), auditShape(after));
    const already = new Set(mentionedUserIds(before.bodyHtml));
    const unreachableMentions = await notifyMentions(
      tx,
      actor,
      { object: after.recordType, id: after.recordId, ownerId },
      mentioned.filter((m) => m.userId !== null && !already.has(m.userId)),
    );
    return { ...presentNote(after), unreachableMentions };
  });
}

export async function deleteNote(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.tenant(actor, async (tx) => {
    const { note: before } = await loadOwnNote(tx, actor, id);
    await repo.softDeleteNote(tx, id);
    await auditChange(tx, actor, AUDIT_TYPE, id, auditShape(before), null);
  });
}
