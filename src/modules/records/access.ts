import { and, eq, isNull } from 'drizzle-orm';
import { AppError } from '../../core/errors.js';
import { authorize, type Action, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { getRecordObject } from './registry.js';

export interface AccessibleRecord {
  id: string;
  ownerId: string | null;
  name: string;
}

/**
 * The one check for anything that hangs off a record (notes, attachments, timeline, links):
 * the record exists in the caller's workspace (RLS), is not in the trash (unless
 * `includeDeleted`), and the caller may do `action` on it within their visibility scope.
 * Throws NOT_FOUND for an unknown object, id or trashed record, FORBIDDEN otherwise.
 */
export async function loadAccessibleRecord(
  tx: Tx,
  actor: Actor,
  objectKey: string,
  id: string,
  action: Action,
  opts: { includeDeleted?: boolean } = {},
): Promise<AccessibleRecord> {
  const object = getRecordObject(objectKey);
  if (!object) throw new AppError('NOT_FOUND');
  authorize(actor, objectKey, action);
  const c = object.columns;
  const [row] = await tx
    .select({ id: c.id, ownerId: c.ownerId, name: c.name })
    .from(object.table)
    .where(opts.includeDeleted ? eq(c.id, id) : and(eq(c.id, id), isNull(c.deletedAt)))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND');
  const record = row as AccessibleRecord;
  authorize(actor, objectKey, action, { ownerId: record.ownerId });
  return record;
}
