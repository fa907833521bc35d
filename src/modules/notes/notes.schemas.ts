import { z } from 'zod';
import { iso, isoDate } from '../../http/schemas.js';
import type { NoteRecord } from './notes.repository.js';

/** Objects that notes, attachments and timelines hang off (the record objects' keys). */
export const recordParams = z.strictObject({
  object: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/),
  id: z.uuid(),
});

export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

/** The longest note, in characters of its HTML (OpenAPI's maxLength says the same). */
export const NOTE_MAX_CHARS = 100_000;
const bodyHtml = z.string().max(NOTE_MAX_CHARS);

export const createNoteBody = z.strictObject({
  bodyHtml,
  pinned: z.boolean().optional(),
});
export const updateNoteBody = z.strictObject({
  bodyHtml: bodyHtml.optional(),
  pinned: z.boolean().optional(),
});

export const personRef = z.object({ id: z.uuid(), name: z.string() }).nullable();

export const note = z.object({
  id: z.uuid(),
  recordType: z.string(),
  recordId: z.uuid(),
  bodyHtml: z.string(),
  bodyText: z.string(),
  pinned: z.boolean(),
  author: personRef,
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type NoteView = z.infer<typeof note>;

/**
 * A note as its writer gets it back: with the mentioned members who may not read the record and
 * so were not notified (issue #21; notes/mentions.ts).
 */
export const writtenNote = note.extend({
  unreachableMentions: z.array(z.object({ id: z.uuid(), name: z.string() })),
});
export type WrittenNoteView = z.infer<typeof writtenNote>;

export function presentNote(row: NoteRecord): NoteView {
  return {
    id: row.id,
    recordType: row.recordType,
    recordId: row.recordId,
    bodyHtml: row.bodyHtml,
    bodyText: row.bodyText,
    pinned: row.pinned,
    author: row.authorId ? { id: row.authorId, name: row.authorName ?? '' } : null,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
