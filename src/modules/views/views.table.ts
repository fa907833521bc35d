import { sql } from 'drizzle-orm';
import { foreignKey, index, pgPolicy, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import {
  currentUser,
  senApp,
  tenantPolicies,
  updatedAt,
  workspaceId,
} from '../../db/schema/common.js';
import { savedViews, workspaceMembers } from '../../db/schema/index.js';

/**
 * The view each user last opened on each object's list: a reload, or another device, opens the
 * list as they left it. `view_id` null: the list of every record ("Tất cả"). A deleted view
 * takes its rows with it (the list falls back to every record). Each user reads and writes only
 * their own rows (RLS).
 */
export const lastUsedViews = pgTable(
  'last_used_views',
  {
    workspaceId: workspaceId(),
    userId: uuid('user_id').notNull(),
    object: text('object').notNull(),
    viewId: uuid('view_id'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'last_used_views_pkey', columns: [t.workspaceId, t.userId, t.object] }),
    foreignKey({
      name: 'last_used_views_member_fk',
      columns: [t.workspaceId, t.userId],
      foreignColumns: [workspaceMembers.workspaceId, workspaceMembers.userId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'last_used_views_view_fk',
      columns: [t.viewId],
      foreignColumns: [savedViews.id],
    }).onDelete('cascade'),
    // Deleting a view finds the rows that name it.
    index('last_used_views_view_idx').on(t.viewId),
    ...tenantPolicies(),
    pgPolicy('own_rows', {
      as: 'restrictive',
      for: 'all',
      to: senApp,
      using: sql`user_id = ${currentUser}`,
      withCheck: sql`user_id = ${currentUser}`,
    }),
  ],
);

export type LastUsedViewRow = typeof lastUsedViews.$inferSelect;
