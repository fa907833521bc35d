import { AppError, type Locale } from '../../core/errors.js';
import type { AppContext } from '../../core/context.js';
import { can, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import { sql } from 'drizzle-orm';
import { iso, isoOrNull } from '../../http/schemas.js';
import { recordObjectDefinition } from '../records/define.js';
import { renderNotification } from './kinds.js';
import type { NotificationView } from './notifications.schemas.js';
import * as repo from './notifications.repository.js';
import { recordNames } from './notify.js';

/**
 * A member's own notifications (row-level security: only the recipient reads or marks them), each
 * rendered in the reader's language by its kind's renderer. A record's name is its current one
 * when the reader may see the record now, else the name it had when notified (and no link).
 */
const DEFAULT_LIMIT = 20;

function requireUser(actor: Actor): void {
  // Notifications belong to people; an API key reads its owner's, the system has none.
  if (actor.userId === null) throw new AppError('FORBIDDEN');
}

export async function listNotifications(
  ctx: AppContext,
  actor: Actor,
  query: {
    cursor?: string | undefined;
    limit?: number | undefined;
    unread?: 'true' | 'false' | undefined;
  },
  locale: Locale,
): Promise<{ items: NotificationView[]; nextCursor: string | null; unreadCount: number }> {
  requireUser(actor);
  const limit = query.limit ?? DEFAULT_LIMIT;
  return ctx.db.tenant(actor, async (tx) => {
    const rows = await repo.listNotifications(tx, {
      limit: limit + 1,
      cursor: query.cursor ?? null,
      unread: query.unread === 'true',
    });
    const page = rows.slice(0, limit);
    const records = page.flatMap((r) =>
      r.recordObject && r.recordId ? [{ object: r.recordObject, id: r.recordId }] : [],
    );
    // The current names of the records the reader may open now: live, readable, in scope.
    const current = await recordNames(tx, records, (object) =>
      can(actor, object, 'read') ? scopeCondition(actor, object, sql`r.owner_id`) : false,
    );
    const items = page.map((r): NotificationView => {
      const def = r.recordObject ? recordObjectDefinition(r.recordObject) : undefined;
      const now = r.recordId ? current.get(r.recordId) : undefined;
      const record =
        r.recordObject && r.recordId
          ? {
              object: r.recordObject,
              id: r.recordId,
              name: now ?? r.recordName,
              available: now !== undefined,
            }
          : null;
      return {
        id: r.id,
        kind: r.kind,
        text: renderNotification(r.kind, {
          params: r.params,
          record: record && {
            object: record.object,
            name: record.name,
            objectLabel: def?.label.one ?? null,
          },
          actorName: r.actorName,
          locale,
        }),
        params: r.params,
        record,
        actorName: r.actorName,
        createdAt: iso(r.createdAt),
        readAt: isoOrNull(r.readAt),
      };
    });
    const last = page[page.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? last.id : null,
      unreadCount: await repo.unreadCount(tx),
    };
  });
}

export async function unreadCount(ctx: AppContext, actor: Actor): Promise<number> {
  requireUser(actor);
  return ctx.db.read(actor, (tx) => repo.unreadCount(tx));
}

/** Mark one of the caller's notifications read (another member's: 404, as if it did not exist). */
export async function markRead(ctx: AppContext, actor: Actor, id: string): Promise<number> {
  requireUser(actor);
  return ctx.db.tenant(actor, async (tx) => {
    if (!(await repo.exists(tx, id))) throw new AppError('NOT_FOUND');
    await repo.markRead(tx, id);
    return repo.unreadCount(tx);
  });
}

export async function markAllRead(ctx: AppContext, actor: Actor): Promise<number> {
  requireUser(actor);
  return ctx.db.tenant(actor, async (tx) => {
    await repo.markRead(tx, null);
    return repo.unreadCount(tx);
  });
}
