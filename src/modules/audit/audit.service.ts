import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { authorize, type Actor } from '../../core/permissions.js';
import { auditLog } from '../../db/schema/index.js';
import type { AppContext } from '../../http/context.js';

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
  const where: SQL[] = [];
  if (q.objectType) where.push(eq(auditLog.objectType, q.objectType));
  if (q.objectId) where.push(eq(auditLog.objectId, q.objectId));
  if (q.actorId) where.push(eq(auditLog.actorId, q.actorId));
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.cursor) where.push(lt(auditLog.id, Number(q.cursor)));
  const rows = await ctx.db.tenant(actor, (tx) =>
    tx
      .select()
      .from(auditLog)
      .where(and(...where))
      .orderBy(desc(auditLog.id))
      .limit(q.limit + 1),
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > q.limit && last ? String(last.id) : null };
}
