import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  createdAt,
  currentUser,
  currentWorkspace,
  id,
  senApp,
  systemPolicy,
  tenantPolicies,
  workspaceId,
} from '../../db/schema/common.js';
import { workspaceMembers } from '../../db/schema/index.js';
import { recordColumns, recordTableExtras } from '../../db/schema/record-table.js';

/** One record object, three kinds (docs/ARCHITECTURE.md, "Activities"). */
export const activityKinds = ['task', 'call', 'meeting'] as const;
export type ActivityKind = (typeof activityKinds)[number];
export const activityStatuses = ['open', 'done'] as const;
export type ActivityStatus = (typeof activityStatuses)[number];
export const activityPriorities = ['low', 'normal', 'high'] as const;
export const recurrences = ['none', 'daily', 'weekly', 'monthly'] as const;
export type Recurrence = (typeof recurrences)[number];
export const callDirections = ['inbound', 'outbound'] as const;
export const callOutcomes = [
  'connected',
  'no_answer',
  'busy',
  'voicemail',
  'wrong_number',
] as const;

/**
 * Activities: tasks, calls and meetings. The owner is the assignee (a task's "người thực hiện",
 * a meeting's organiser). `due_at` is a task's due time, a call's time and a meeting's start;
 * `end_at` a meeting's end. Kind-specific columns are null on the other kinds.
 */
export const activities = pgTable(
  'activities',
  {
    ...recordColumns(),
    kind: text('kind', { enum: activityKinds }).notNull().default('task'),
    title: text('title').notNull(),
    status: text('status', { enum: activityStatuses }).notNull().default('open'),
    dueAt: timestamp('due_at', { withTimezone: true }),
    endAt: timestamp('end_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    priority: text('priority', { enum: activityPriorities }).notNull().default('normal'),
    recurrence: text('recurrence', { enum: recurrences }).notNull().default('none'),
    /** The occurrence this one follows (a recurring task done makes its next one, once). */
    previousId: uuid('previous_id'),
    description: text('description'),
    direction: text('direction', { enum: callDirections }),
    outcome: text('outcome', { enum: callOutcomes }),
    durationMinutes: integer('duration_minutes'),
    location: text('location'),
    onlineUrl: text('online_url'),
    /** Colleagues attending a meeting (active members; the service checks them). */
    attendeeIds: uuid('attendee_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    /** Remind the owner this many minutes before `due_at` (null: no reminder). */
    reminderMinutes: integer('reminder_minutes'),
    /** When the reminder was sent (the scan claims a row once; a new due time clears it). */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
  },
  (t) => [
    ...recordTableExtras('activities', t),
    // My day and the calendar: one person's open activities by time.
    index('activities_my_day_idx')
      .on(t.workspaceId, t.ownerId, t.dueAt)
      .where(sql`deleted_at IS NULL AND status = 'open'`),
    // The reminder scan (as sen_system, every workspace): open activities with a reminder to send.
    index('activities_reminder_idx')
      .on(t.dueAt)
      .where(
        sql`deleted_at IS NULL AND status = 'open' AND reminder_minutes IS NOT NULL AND reminded_at IS NULL`,
      ),
    // At most one next occurrence per occurrence.
    unique('activities_previous_key').on(t.workspaceId, t.previousId),
    check('activities_end_after_start', sql`end_at IS NULL OR due_at IS NULL OR end_at >= due_at`),
    check('activities_duration_range', sql`duration_minutes BETWEEN 0 AND 1440`),
    check('activities_reminder_range', sql`reminder_minutes BETWEEN 0 AND 40320`),
    check('activities_done_at', sql`(status = 'done') = (done_at IS NOT NULL)`),
  ],
);

export type ActivityRow = typeof activities.$inferSelect;

/**
 * An activity's related records, of any record object (a contact, a company, a deal, an
 * order…). No foreign key to the record (it names its object): the service checks the record
 * when it links it, a purge removes its links, and a merge moves them (registerMergeChild).
 */
export const activityLinks = pgTable(
  'activity_links',
  {
    id: id(),
    workspaceId: workspaceId(),
    activityId: uuid('activity_id').notNull(),
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: 'activity_links_activity_fk',
      columns: [t.workspaceId, t.activityId],
      foreignColumns: [activities.workspaceId, activities.id],
    }).onDelete('cascade'),
    index('activity_links_activity_idx').on(t.workspaceId, t.activityId),
    // A record's timeline and last activity.
    index('activity_links_record_idx').on(t.workspaceId, t.recordType, t.recordId),
    ...tenantPolicies(),
  ],
);

export type ActivityLinkRow = typeof activityLinks.$inferSelect;

/**
 * A member's personal calendar feed (iCalendar): the secret URL's token is stored as its
 * SHA-256 only; revoking deletes the row. One per member and workspace. Only its member reads
 * and changes it; the feed itself is served as sen_system by the hash.
 */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    workspaceId: workspaceId(),
    userId: uuid('user_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('calendar_feeds_member_key').on(t.workspaceId, t.userId),
    unique('calendar_feeds_token_key').on(t.tokenHash),
    foreignKey({
      name: 'calendar_feeds_member_fk',
      columns: [t.workspaceId, t.userId],
      foreignColumns: [workspaceMembers.workspaceId, workspaceMembers.userId],
    }).onDelete('cascade'),
    pgPolicy('member_all', {
      for: 'all',
      to: senApp,
      using: sql`workspace_id = ${currentWorkspace} AND user_id = ${currentUser}`,
      withCheck: sql`workspace_id = ${currentWorkspace} AND user_id = ${currentUser}`,
    }),
    systemPolicy(),
  ],
);
