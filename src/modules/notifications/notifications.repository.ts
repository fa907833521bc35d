import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryRows, uuidArray } from '../../db/sql.js';
import { notifications, type NotificationRow } from './notifications.table.js';

export interface NewNotification {
  workspaceId: string;
  userId: string;
  kind: string;
  params: Record<string, unknown>;
  recordObject: string | null;
  recordId: string | null;
  recordName: string | null;
  actorName: string | null;
}

/** Insert without RETURNING: the inserting user may not read another member's rows (RLS). */
export async function insertNotifications(tx: Tx, rows: NewNotification[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await tx.insert(notifications).values(rows.slice(i, i + 1000));
  }
}

/** Which of these users are active members of the current workspace. */
export async function activeMembers(tx: Tx, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`SELECT user_id AS id FROM workspace_members
         WHERE user_id = ANY(${uuidArray(userIds)}) AND status = 'active'`,
  );
  return new Set(rows.map((r) => r.id));
}

/** The caller's notifications, newest first (RLS: only their own), after the cursor's id. */
export function listNotifications(
  tx: Tx,
  opts: { limit: number; cursor: string | null; unread: boolean },
): Promise<NotificationRow[]> {
  return tx
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, sql`(SELECT sen_user_id())`),
        opts.cursor ? sql`${notifications.id} < ${opts.cursor}::uuid` : undefined,
        opts.unread ? isNull(notifications.readAt) : undefined,
      ),
    )
    .orderBy(sql`${notifications.id} DESC`)
    .limit(opts.limit);
}

export async function unreadCount(tx: Tx): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`SELECT count(*)::int AS n FROM notifications
         WHERE user_id = (SELECT sen_user_id()) AND read_at IS NULL`,
  );
  return Number(row?.n ?? 0);
}

/** Mark one (by id) or every unread notification of the caller read; how many changed. */
export async function markRead(tx: Tx, id: string | null): Promise<number> {
  const rows = await tx
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(
      and(
        eq(notifications.userId, sql`(SELECT sen_user_id())`),
        id ? eq(notifications.id, id) : undefined,
        isNull(notifications.readAt),
      ),
    )
    .returning({ id: notifications.id });
  return rows.length;
}

export async function exists(tx: Tx, id: string): Promise<boolean> {
  const rows = await tx
    .select({ id: notifications.id })
    .from(notifications)
    .where(eq(notifications.id, id));
  return rows.length > 0;
}
