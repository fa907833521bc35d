import { z } from 'zod';
import { iso, isoDate } from '../../http/schemas.js';
import { note, personRef } from '../notes/notes.schemas.js';
import type { EventRow } from './timeline.repository.js';

export const timelineQuery = z.strictObject({
  /** Comma-separated event types (note, attachment, created, field_change, deleted, restored…). */
  types: z.string().max(500).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const timelineEvent = z.object({
  id: z.string(),
  type: z.string(),
  occurredAt: isoDate,
  actor: personRef.or(z.object({ id: z.string(), name: z.string() })),
  recordType: z.string(),
  recordId: z.uuid(),
  recordName: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type TimelineEvent = z.infer<typeof timelineEvent>;

/** A pinned note, with the name of its record when that is a related one (a company's contact). */
export const pinnedNote = note.extend({ recordName: z.string().nullable() });

export const timelineResponse = z.object({
  pinned: z.array(pinnedNote),
  items: z.array(timelineEvent),
  nextCursor: z.string().nullable(),
});

export function presentEvent(row: EventRow, names: ReadonlyMap<string, string>): TimelineEvent {
  return {
    id: row.id,
    type: row.type,
    occurredAt: iso(row.occurred_at),
    // An actor without a person (a public form, the CLI) is still named: "Biểu mẫu Đăng ký".
    actor: row.actor_id
      ? { id: row.actor_id, name: row.actor_name ?? '' }
      : row.actor_name
        ? { id: '', name: row.actor_name }
        : null,
    recordType: row.record_type,
    recordId: row.record_id,
    recordName: names.get(row.record_id) ?? null,
    data: row.data,
  };
}
