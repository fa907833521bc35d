import { AppError, type LocalisedText } from '../../core/errors.js';
import type { Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { foldForSearch, normalizeText } from '../../lib/vn/names.js';
import { loadAccessibleRecord } from '../records/access.js';
import { recordActivity } from '../records/activity.js';
import type { RecordKind } from '../records/kinds.js';
import { cleanText, FieldErrors, normalizeTags, searchText } from '../records/normalize.js';
import { getRecordObject } from '../records/registry.js';
import { recordWriter } from '../records/writer.js';
import * as repo from './activities.repository.js';
import {
  activityCreateBody,
  type ActivityInput,
  type ActivityResponse,
} from './activities.schemas.js';
import type { ActivityRow } from './activities.table.js';

const OBJECT = 'activities';

export const messages = {
  titleRequired: { vi: 'Cần nhập tiêu đề.', en: 'A title is required.' },
  startRequired: {
    vi: 'Cuộc họp cần có thời gian bắt đầu.',
    en: 'A meeting needs a start time.',
  },
  endBeforeStart: {
    vi: 'Thời gian kết thúc phải sau thời gian bắt đầu.',
    en: 'The end must not be before the start.',
  },
  badUrl: {
    vi: 'Link họp trực tuyến phải bắt đầu bằng http:// hoặc https://.',
    en: 'The online meeting link must start with http:// or https://.',
  },
  attendeeNotMember: {
    vi: 'Người tham dự phải là thành viên đang hoạt động của không gian làm việc.',
    en: 'Attendees must be active members of this workspace.',
  },
  linkNotFound: {
    vi: 'Không tìm thấy bản ghi liên quan này, hoặc bạn không có quyền xem nó.',
    en: 'This related record does not exist or you may not see it.',
  },
  linkObject: {
    vi: 'Không thể liên kết hoạt động với loại bản ghi này.',
    en: 'An activity cannot be linked to this kind of record.',
  },
} satisfies Record<string, LocalisedText>;

/** What a write carries besides the body: the occurrence a recurring task's next one follows. */
type WriteInput = ActivityInput & { previousId?: string };

const time = (v: string | null | undefined, before: Date | null | undefined): Date | null =>
  v !== undefined ? (v === null ? null : new Date(v)) : (before ?? null);

const text = (v: string | null | undefined, before: string | null | undefined) =>
  v !== undefined ? cleanText(v) : (before ?? null);

/** The columns of an activity after applying `input` to `before` (null when creating). */
export function activityValues(before: ActivityRow | null, input: WriteInput, errors: FieldErrors) {
  const kind = input.kind ?? before?.kind ?? 'task';
  const title = input.title !== undefined ? normalizeText(input.title) : (before?.title ?? '');
  if (!title) errors.add('title', messages.titleRequired, 'required');
  let dueAt = time(input.dueAt, before?.dueAt);
  // A call is logged when it happened: now, unless told otherwise.
  if (!before && kind === 'call' && input.dueAt === undefined) dueAt = new Date();
  const endAt = kind === 'meeting' ? time(input.endAt, before?.endAt) : null;
  if (kind === 'meeting' && !dueAt) errors.add('dueAt', messages.startRequired, 'required');
  if (dueAt && endAt && endAt < dueAt) errors.add('endAt', messages.endBeforeStart, 'range');
  // A logged call (its time not in the future) is done; anything else starts open.
  const defaultStatus = kind === 'call' && dueAt && dueAt.getTime() <= Date.now() ? 'done' : 'open';
  const status = input.status ?? before?.status ?? defaultStatus;
  const doneAt =
    status === 'done' ? (before?.status === 'done' ? before.doneAt : new Date()) : null;
  const onlineUrl = text(input.onlineUrl, before?.onlineUrl);
  if (onlineUrl && !/^https?:\/\/\S+$/i.test(onlineUrl)) {
    errors.add('onlineUrl', messages.badUrl, 'invalid');
  }
  const reminderMinutes =
    input.reminderMinutes !== undefined
      ? input.reminderMinutes
      : before
        ? before.reminderMinutes
        : kind !== 'call'
          ? 15
          : null;
  // A new due time or reminder is reminded of again.
  const remindedAt =
    before &&
    before.dueAt?.getTime() === dueAt?.getTime() &&
    before.reminderMinutes === reminderMinutes
      ? before.remindedAt
      : null;
  const folded = foldForSearch(title);
  // Notes keep their lines (cleanText would fold them into one).
  const description =
    input.description !== undefined
      ? input.description?.normalize('NFC').trim() || null
      : (before?.description ?? null);
  return {
    kind,
    title,
    status,
    dueAt,
    endAt,
    doneAt,
    priority: input.priority ?? before?.priority ?? 'normal',
    recurrence: kind === 'task' ? (input.recurrence ?? before?.recurrence ?? 'none') : 'none',
    previousId: before ? before.previousId : (input.previousId ?? null),
    description,
    direction:
      kind === 'call'
        ? input.direction !== undefined
          ? input.direction
          : (before?.direction ?? 'outbound')
        : null,
    outcome:
      kind === 'call'
        ? input.outcome !== undefined
          ? input.outcome
          : (before?.outcome ?? null)
        : null,
    durationMinutes:
      kind === 'call'
        ? input.durationMinutes !== undefined
          ? input.durationMinutes
          : (before?.durationMinutes ?? null)
        : null,
    location: text(input.location, before?.location),
    onlineUrl,
    attendeeIds:
      kind === 'meeting' ? [...new Set(input.attendeeIds ?? before?.attendeeIds ?? [])] : [],
    reminderMinutes,
    remindedAt,
    tags: input.tags ? normalizeTags(input.tags) : (before?.tags ?? []),
    searchName: folded,
    sortName: folded,
    searchText: searchText([title, description]),
  };
}

/** Each related record exists and the actor may read it; field errors otherwise. */
async function checkLinks(
  tx: Tx,
  actor: Actor,
  links: { object: string; id: string }[],
  errors: FieldErrors,
) {
  for (const [i, link] of links.entries()) {
    if (link.object === OBJECT || !getRecordObject(link.object)) {
      errors.add(`links.${i}.object`, messages.linkObject, 'invalid');
      continue;
    }
    try {
      await loadAccessibleRecord(tx, actor, link.object, link.id, 'read');
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      errors.add(`links.${i}.id`, messages.linkNotFound, 'not_found');
    }
  }
}

function present(r: repo.ActivityRecordRow): ActivityResponse {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    status: r.status,
    dueAt: r.dueAt,
    endAt: r.endAt,
    doneAt: r.doneAt,
    priority: r.priority,
    recurrence: r.recurrence,
    direction: r.direction,
    outcome: r.outcome,
    durationMinutes: r.durationMinutes,
    location: r.location,
    onlineUrl: r.onlineUrl,
    description: r.description,
    attendeeIds: r.attendeeIds,
    attendees: r.attendees,
    reminderMinutes: r.reminderMinutes,
    links: r.links,
    ownerId: r.ownerId,
    owner: r.ownerId ? { id: r.ownerId, name: r.ownerName ?? '' } : null,
    tags: r.tags,
    custom: r.custom,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    deletedAt: r.deletedAt,
  };
}

/** Related records' last activity moves to now (contacts', companies', deals'…). */
async function touchRelated(tx: Tx, activityId: string) {
  for (const link of await repo.linksOf(tx, activityId)) {
    await recordActivity(tx, link.recordType, link.recordId);
  }
}

/**
 * A recurring task just done makes its next occurrence: the same title, assignee, priority,
 * notes, reminder, recurrence and related records, due one step later (after now). Once per
 * occurrence (`previous_id` is unique): done, reopened and done again makes no second one.
 */
async function nextOccurrence(tx: Tx, actor: Actor, row: ActivityRow): Promise<void> {
  if (row.recurrence === 'none' || !row.dueAt) return;
  if (await repo.hasNextOccurrence(tx, row.id)) return;
  const dueAt = await repo.nextDueAt(tx, row.dueAt, row.recurrence);
  const links = await repo.linksOf(tx, row.id);
  const input: WriteInput = {
    kind: 'task',
    title: row.title,
    dueAt: dueAt.toISOString(),
    priority: row.priority,
    recurrence: row.recurrence,
    description: row.description,
    reminderMinutes: row.reminderMinutes,
    ownerId: row.ownerId,
    tags: row.tags,
    links: links.map((l) => ({ object: l.recordType, id: l.recordId })),
    previousId: row.id,
  };
  await activityKind.create(tx, actor, input);
}

export const activityKind: RecordKind<ActivityResponse, WriteInput, repo.ActivityRecordRow> = {
  ...recordWriter({
    objectKey: OBJECT,
    load: repo.getActivityRow,
    normalize: activityValues,
    check: async (tx, { values, errors }) => {
      const attendees = values.attendeeIds;
      if (attendees.length > 0) {
        const active = await repo.activeMembers(tx, attendees);
        if (attendees.some((a) => !active.has(a))) {
          errors.add('attendeeIds', messages.attendeeNotMember, 'not_a_member');
        }
      }
    },
    insert: repo.insertActivity,
    update: repo.updateActivity,
    afterWrite: async (tx, actor, writes) => {
      for (const write of writes) {
        if (write.input.links) {
          // The related records are checked as the writer (the check step has no actor).
          const errors = new FieldErrors();
          await checkLinks(tx, actor, write.input.links, errors);
          errors.throwIfAny();
          await repo.replaceLinks(tx, actor.workspaceId, write.id, write.input.links);
        }
        const row = await repo.getActivityRow(tx, write.id);
        if (!row) continue;
        const justDone = row.status === 'done' && write.before?.status !== 'done';
        if (!write.before || justDone || write.input.links) await touchRelated(tx, row.id);
        if (justDone && write.before) await nextOccurrence(tx, actor, row);
      }
    },
  }),
  columns: (actor) => repo.activityColumns(actor),
  present,
  patchSchema: activityCreateBody,
};
