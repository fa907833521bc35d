import { sql } from 'drizzle-orm';
import {
  foreignKey,
  index,
  jsonb,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  createdAt,
  currentUser,
  currentWorkspace,
  id,
  senApp,
  systemPolicy,
  workspaceId,
} from '../../db/schema/common.js';
import { workspaceMembers } from '../../db/schema/index.js';

/**
 * In-app notifications (src/modules/notifications): one row per recipient. The `kind` names a
 * renderer in the kinds registry (notifications/kinds.ts), which turns `params` into words in the
 * reader's language; `record_object`/`record_id` name the record it is about and `record_name`
 * keeps its name as it was when the notification was made (shown if the record is gone or out
 * of the reader's sight). Row-level security: anyone in the workspace may notify a member, but a
 * member reads, marks and deletes only their own.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    workspaceId: workspaceId(),
    userId: uuid('user_id').notNull(),
    kind: text('kind').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    recordObject: text('record_object'),
    recordId: uuid('record_id'),
    recordName: text('record_name'),
    /** Who caused it (a user's or an API key's name), as it was. */
    actorName: text('actor_name'),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({
      name: 'notifications_recipient_fkey',
      columns: [t.workspaceId, t.userId],
      foreignColumns: [workspaceMembers.workspaceId, workspaceMembers.userId],
    }).onDelete('cascade'),
    // Newest first (ids are UUID v7: time-ordered), and the unread count.
    index('notifications_recipient_idx').on(t.workspaceId, t.userId, t.id.desc()),
    index('notifications_unread_idx')
      .on(t.workspaceId, t.userId)
      .where(sql`read_at IS NULL`),
    pgPolicy('tenant_insert', {
      for: 'insert',
      to: senApp,
      withCheck: sql`workspace_id = ${currentWorkspace}`,
    }),
    pgPolicy('recipient_read', {
      for: 'select',
      to: senApp,
      using: sql`workspace_id = ${currentWorkspace} AND user_id = ${currentUser}`,
    }),
    pgPolicy('recipient_update', {
      for: 'update',
      to: senApp,
      using: sql`workspace_id = ${currentWorkspace} AND user_id = ${currentUser}`,
      withCheck: sql`workspace_id = ${currentWorkspace} AND user_id = ${currentUser}`,
    }),
    pgPolicy('recipient_delete', {
      for: 'delete',
      to: senApp,
      using: sql`workspace_id = ${currentWorkspace} AND user_id = ${currentUser}`,
    }),
    systemPolicy(),
  ],
);

export type NotificationRow = typeof notifications.$inferSelect;
