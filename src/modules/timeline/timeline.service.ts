import { fieldError } from '../../core/errors.js';
import { hiddenFields, type Actor } from '../../core/permissions.js';
import type { AppContext } from '../../core/context.js';
import { listPinned } from '../notes/notes.repository.js';
import { presentNote, type NoteView } from '../notes/notes.schemas.js';
import { loadAccessibleRecord } from '../records/access.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import './providers.js';
import {
  providerTypes,
  timelineEventTypes,
  timelineProviders,
  timelineRelations,
  type TimelineTarget,
} from './registry.js';
import * as repo from './timeline.repository.js';
import { presentEvent, type TimelineEvent } from './timeline.schemas.js';
import { presentedKeys } from '../records/field-access.js';
import { systemFields } from '../records/fields.js';

function parseTypes(raw: string | undefined): string[] | null {
  if (raw === undefined || raw.trim() === '') return null;
  const known = new Set(timelineEventTypes());
  const types = [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = types.filter((t) => !known.has(t));
  if (unknown.length > 0) {
    throw fieldError('types', {
      vi: `Loại sự kiện không hợp lệ: ${unknown.join(', ')}`,
      en: `Unknown event types: ${unknown.join(', ')}`,
    });
  }
  return types;
}

/**
 * The 360° feed of one record: its events and those of related records the actor may see
 * (a company: its contacts), newest first. Pinned notes (of the same records) come separately,
 * on the first page only.
 */
export async function getTimeline(
  ctx: AppContext,
  actor: Actor,
  object: string,
  recordId: string,
  q: { types?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<{
  pinned: (NoteView & { recordName: string | null })[];
  items: TimelineEvent[];
  nextCursor: string | null;
}> {
  const types = parseTypes(q.types);
  const after = decodeCursor(q.cursor);
  const providers = timelineProviders().filter(
    (p) => types === null || providerTypes(p).some((t) => types.includes(t)),
  );
  return ctx.db.read(actor, async (tx) => {
    const record = await loadAccessibleRecord(tx, actor, object, recordId, 'read');
    const names = new Map<string, string>([[record.id, record.name]]);
    const targets: TimelineTarget[] = [{ recordType: object, recordIds: [record.id] }];
    for (const relation of timelineRelations(object)) {
      const related = await relation.load(tx, actor, record.id);
      for (const r of related) names.set(r.id, r.name);
      if (related.length > 0) {
        targets.push({ recordType: relation.relatedObject, recordIds: related.map((r) => r.id) });
      }
    }
    const rows = await repo.listEvents(tx, providers, targets, actor, {
      types,
      after,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const withPinned = after === null && (types === null || types.includes('note'));
    const pinned = withPinned ? await listPinned(tx, targets) : [];
    return {
      pinned: pinned.map((n) => ({ ...presentNote(n), recordName: names.get(n.recordId) ?? null })),
      items: page.map((row) => withoutHiddenChanges(actor, presentEvent(row, names))),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
    };
  });
}

/** An event's field changes without those the caller's role may not see (field access). */
function withoutHiddenChanges(actor: Actor, event: TimelineEvent): TimelineEvent {
  const hidden = hiddenFields(actor, event.recordType);
  const data = event.data as { changes?: unknown } | null;
  if (hidden.size === 0 || !data || typeof data.changes !== 'object' || data.changes === null) {
    return event;
  }
  const changes = { ...(data.changes as Record<string, unknown>) };
  for (const key of hidden) {
    delete changes[key];
    const field = systemFields(event.recordType).find((f) => f.key === key);
    for (const k of field ? presentedKeys(field) : []) delete changes[k];
  }
  return { ...event, data: { ...data, changes } };
}
