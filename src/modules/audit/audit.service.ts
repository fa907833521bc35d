import { authorize, type Actor } from '../../core/permissions.js';
import type { AppContext } from '../../core/context.js';
import * as repo from './audit.repository.js';

export interface AuditQuery {
  objectType?: string | undefined;
  objectId?: string | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  limit: number;
  /** The id of the last entry of the previous page (ids are a bigint sequence: exact on both backends). */
  cursor?: string | undefined;
}

export async function listAudit(ctx: AppContext, actor: Actor, q: AuditQuery) {
  authorize(actor, 'audit_log', 'read');
  const rows = await ctx.db.read(actor, (tx) =>
    repo.listEntries(
      tx,
      {
        objectType: q.objectType,
        objectId: q.objectId,
        actorId: q.actorId,
        action: q.action,
        beforeId: q.cursor ? Number(q.cursor) : undefined,
      },
      q.limit + 1,
    ),
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > q.limit && last ? last.id : null };
}
