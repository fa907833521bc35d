import { sql } from 'drizzle-orm';
import type { Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { queryRows, uuidArray } from '../../db/sql.js';
import { getRecordObject } from '../records/registry.js';
import { notificationKind } from './kinds.js';
import * as repo from './notifications.repository.js';

/** The record a notification is about: its object's key and its id. */
export interface NotificationRecord {
  object: string;
  id: string;
}

export interface Notification {
  /** Recipients; deactivated members and duplicates are skipped. */
  userIds: readonly string[];
  /** A kind registered with registerNotificationKind (notifications/kinds.ts). */
  kind: string;
  params?: Record<string, unknown>;
  record?: NotificationRecord | null;
}

/**
 * Notify members in-app, in the caller's transaction (a rolled-back write notifies nobody).
 * The one function modules call; `notifyMany` writes a batch's notifications with one lookup of
 * the records' names per object and one INSERT.
 */
export function notify(tx: Tx, actor: Actor, notification: Notification): Promise<void> {
  return notifyMany(tx, actor, [notification]);
}

/** What a caller already knows, so notifyMany need not read it again. */
export interface KnownToNotify {
  /** Every recipient is an active member (the caller chose them among active members). */
  recipientsActive?: boolean;
}

export async function notifyMany(
  tx: Tx,
  actor: Actor,
  items: Notification[],
  known: KnownToNotify = {},
): Promise<void> {
  for (const item of items) {
    if (!notificationKind(item.kind))
      throw new Error(`unregistered notification kind ${item.kind}`);
  }
  const recipients = [...new Set(items.flatMap((n) => n.userIds))];
  const active = known.recipientsActive
    ? new Set(recipients)
    : await repo.activeMembers(tx, recipients);
  if (active.size === 0) return;
  const names = await recordNames(
    tx,
    items.flatMap((n) => (n.record ? [n.record] : [])),
  );
  const rows: repo.NewNotification[] = [];
  for (const item of items) {
    for (const userId of new Set(item.userIds)) {
      if (!active.has(userId)) continue;
      rows.push({
        workspaceId: actor.workspaceId,
        userId,
        kind: item.kind,
        params: item.params ?? {},
        recordObject: item.record?.object ?? null,
        recordId: item.record?.id ?? null,
        recordName: item.record ? (names.get(item.record.id) ?? null) : null,
        actorName: actor.name,
      });
    }
  }
  if (rows.length > 0) await repo.insertNotifications(tx, rows);
}

/** Display names of records (one query per object), as the workspace holds them. */
export async function recordNames(
  tx: Tx,
  records: NotificationRecord[],
  visible?: (object: string) => ReturnType<typeof sql> | null | false,
): Promise<Map<string, string>> {
  const byObject = new Map<string, Set<string>>();
  for (const r of records) {
    if (!byObject.has(r.object)) byObject.set(r.object, new Set());
    byObject.get(r.object)!.add(r.id);
  }
  const out = new Map<string, string>();
  for (const [key, ids] of byObject) {
    const object = getRecordObject(key);
    if (!object) continue;
    const scope = visible ? visible(key) : null;
    if (scope === false) continue;
    const rows = await queryRows<{ id: string; name: string | null }>(
      tx,
      sql`SELECT r.id, r.${sql.identifier(object.columns.name.name)}::text AS name
            FROM ${object.table} r
           WHERE r.id = ANY(${uuidArray(ids)})
             ${visible ? sql`AND r.deleted_at IS NULL AND ${scope ?? sql`true`}` : sql``}`,
    );
    for (const row of rows) if (row.name !== null) out.set(row.id, row.name);
  }
  return out;
}
