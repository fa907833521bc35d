import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { customInput, ref, tagsInput } from '../records/records.schemas.js';
import {
  activityKinds,
  activityPriorities,
  activityStatuses,
  callDirections,
  callOutcomes,
  recurrences,
} from './activities.table.js';

/** An ISO 8601 date-time with its offset (`2026-12-08T09:00:00+07:00` or `…Z`). */
const dateTime = z.iso.datetime({ offset: true }).refine((v) => {
  const year = new Date(v).getUTCFullYear();
  return year >= 1900 && year <= 2200;
}, 'A date between 1900 and 2200');

/** A related record: its object's key and its id. */
export const linkInput = z.strictObject({
  object: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/)
    .max(64),
  id: z.uuid(),
});

/** Fields of an activity a client may write (create and update). */
export const activityWritable = {
  kind: z.enum(activityKinds).optional(),
  title: z.string().max(300).optional(),
  status: z.enum(activityStatuses).optional(),
  /** A task's due time, a call's time, a meeting's start. */
  dueAt: dateTime.nullable().optional(),
  /** A meeting's end (not before its start). */
  endAt: dateTime.nullable().optional(),
  priority: z.enum(activityPriorities).optional(),
  /** A task done makes its next occurrence (same links, the next due time after now). */
  recurrence: z.enum(recurrences).optional(),
  direction: z.enum(callDirections).nullable().optional(),
  outcome: z.enum(callOutcomes).nullable().optional(),
  durationMinutes: z.number().int().min(0).max(1440).nullable().optional(),
  location: z.string().max(500).nullable().optional(),
  onlineUrl: z.string().max(2000).nullable().optional(),
  description: z.string().max(20_000).nullable().optional(),
  /** Colleagues at a meeting (active members). */
  attendeeIds: z.array(z.uuid()).max(50).optional(),
  /** Minutes before `dueAt` to remind the assignee in-app (null: no reminder). */
  reminderMinutes: z.number().int().min(0).max(40320).nullable().optional(),
  /** The related records (of any record object): replaces the set when given. */
  links: z.array(linkInput).max(20).optional(),
  /** The assignee. */
  ownerId: z.uuid().nullable().optional(),
  tags: tagsInput.optional(),
  custom: customInput.optional(),
};

export const activityCreateBody = z.strictObject(activityWritable);
export const activityPatchBody = z.strictObject(activityWritable);
export type ActivityInput = z.infer<typeof activityCreateBody>;

export const activityLink = z.object({ object: z.string(), id: z.uuid(), name: z.string() });

export const activityResponse = z.object({
  id: z.uuid(),
  kind: z.enum(activityKinds),
  title: z.string(),
  status: z.enum(activityStatuses),
  dueAt: isoDate.nullable(),
  endAt: isoDate.nullable(),
  doneAt: isoDate.nullable(),
  priority: z.enum(activityPriorities),
  recurrence: z.enum(recurrences),
  direction: z.enum(callDirections).nullable(),
  outcome: z.enum(callOutcomes).nullable(),
  durationMinutes: z.number().int().nullable(),
  location: z.string().nullable(),
  onlineUrl: z.string().nullable(),
  description: z.string().nullable(),
  attendeeIds: z.array(z.uuid()),
  attendees: z.array(ref),
  reminderMinutes: z.number().int().nullable(),
  /** The related records the caller may see. */
  links: z.array(activityLink),
  ownerId: z.uuid().nullable(),
  owner: ref.nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
  updatedAt: isoDate,
  deletedAt: isoDate.nullable(),
});
export type ActivityResponse = z.infer<typeof activityResponse>;
