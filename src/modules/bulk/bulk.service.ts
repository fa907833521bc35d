import { sql } from 'drizzle-orm';
import { AppError, type Locale, type LocalisedText } from '../../core/errors.js';
import type { AppContext } from '../../core/context.js';
import { authorize, type Actor } from '../../core/permissions.js';
import { iso, isoOrNull } from '../../http/schemas.js';
import { uuidArray } from '../../db/sql.js';
import { FieldResolver, listWhere } from '../records/list.js';
import { bulkAction, bulkPatch, valueErrorsAt } from '../records/records.service.js';
import { lockRecordHeads } from '../records/records.repository.js';
import { recordObjectDefinition, type RecordObjectDefinition } from '../records/define.js';
import type { Tx } from '../../db/database.js';
import { getRecordObject } from '../records/registry.js';
import * as repo from './bulk.repository.js';
import { bulkJob, storedParams, type StoredParams } from './bulk.run.js';
import type { BulkOperationOut, BulkStartBody } from './bulk.schemas.js';
import type { BulkOperationRow } from './bulk.table.js';

/**
 * Bulk changes on a selection (issue #18): POST /:object/bulk-operations checks the permission
 * and the action's parameters, then fixes the selection (the list's filter, q and trash in the
 * caller's scope, or ids) as the operation's pending records and queues the job; the caller
 * follows GET /bulk-operations/:id and may undo it within UNDO_DAYS.
 */

/** Days an operation can be undone after it finished. */
export const UNDO_DAYS = 30;

const messages = {
  notYours: {
    vi: 'Chỉ người đã bắt đầu thao tác hàng loạt này mới xem hoặc hoàn tác được.',
    en: 'Only the person who started this bulk change can see or undo it.',
  },
  cannotUndo: {
    vi: 'Không hoàn tác được: thao tác chưa xong, đã hoàn tác, không thay đổi gì, hoặc đã quá 30 ngày.',
    en: 'This cannot be undone: it has not finished, was undone already, changed nothing, or finished more than 30 days ago.',
  },
} satisfies Record<string, LocalisedText>;

export async function presentOperation(
  ctx: AppContext,
  actor: Actor,
  row: BulkOperationRow,
  now = new Date(),
): Promise<BulkOperationOut> {
  const failures =
    row.failed + row.undoFailed > 0
      ? await ctx.db.read(actor, (tx) => repo.failures(tx, row.id, 20))
      : [];
  const undoUntil = row.finishedAt
    ? new Date(new Date(row.finishedAt).getTime() + UNDO_DAYS * 86_400_000)
    : null;
  return {
    id: row.id,
    object: row.object,
    action: row.action,
    status: row.status,
    total: row.total,
    done: row.done,
    changed: row.changed,
    unchanged: row.unchanged,
    failed: row.failed,
    undone: row.undone,
    undoFailed: row.undoFailed,
    error: (row.error as { code: string; message: LocalisedText } | null) ?? null,
    failures: failures.map((f) => ({
      recordId: f.recordId,
      reason: f.error?.message ?? { vi: '', en: '' },
    })),
    createdAt: iso(row.createdAt),
    finishedAt: isoOrNull(row.finishedAt),
    undoneAt: isoOrNull(row.undoneAt),
    canUndo:
      row.status === 'done' &&
      row.changed > 0 &&
      row.createdBy === actor.userId &&
      undoUntil !== null &&
      undoUntil > now,
  };
}

async function queue(
  ctx: AppContext,
  payload: { operationId: string; workspaceId: string; mode: 'run' | 'undo' },
): Promise<void> {
  await ctx.jobs?.send(bulkJob, payload);
}

/**
 * A set_field's value (option lists, formats) and an assigned owner (an active member) are
 * checked by the object's writer against a record: tried on the first selected one in a savepoint rolled back, so a value no record can
 * take is refused now (400 at `value`), not as a failure on every record.
 */
async function tryValue(
  tx: Tx,
  actor: Actor,
  def: RecordObjectDefinition,
  operationId: string,
  body: BulkStartBody,
): Promise<void> {
  const [first] = await repo.nextRows(tx, operationId, 'pending', 1);
  if (!first) return;
  const [head] = await lockRecordHeads(tx, getRecordObject(def.key)!, [first.recordId]);
  if (!head) return;
  const patch = bulkPatch(def.kind, body)(head.tags);
  await tx.execute(sql`SAVEPOINT bulk_try`);
  try {
    await valueErrorsAt(body, () => def.kind.update(tx, actor, head.id, patch));
  } catch (err) {
    const fields = err instanceof AppError ? err.details?.fields : undefined;
    const at = body.action === 'assign_owner' ? 'ownerId' : 'value';
    if (fields?.some((f) => f.path === at || f.path.startsWith(`${at}.`))) throw err;
  }
  await tx.execute(sql`ROLLBACK TO SAVEPOINT bulk_try`);
  await tx.execute(sql`RELEASE SAVEPOINT bulk_try`);
}

/** Start a bulk operation: every check before anything is written, then the job. */
export async function startBulk(
  ctx: AppContext,
  actor: Actor,
  objectKey: string,
  body: BulkStartBody,
  locale: Locale,
): Promise<BulkOperationOut> {
  const def = recordObjectDefinition(objectKey);
  const object = getRecordObject(objectKey);
  if (!def || !object) throw new AppError('NOT_FOUND');
  if (!actor.userId) throw new AppError('FORBIDDEN');
  authorize(actor, objectKey, 'read');
  authorize(actor, objectKey, bulkAction[body.action]);
  // The action's parameters (a field, its value, a tag, an owner) are refused now, not per record.
  bulkPatch(def.kind, body);
  const { action, ids, filter, q, trash, ...rest } = body;
  const params: StoredParams = storedParams.parse({
    ownerId: rest.ownerId,
    tag: rest.tag,
    field: rest.field,
    value: rest.value,
    locale,
    keyScopes: actor.keyScopes ? [...actor.keyScopes] : null,
  });
  const inTrash = trash ?? action === 'restore';
  const userId = actor.userId;
  const row = await ctx.db.tenant(actor, async (tx) => {
    const op = await repo.insertOperation(tx, {
      workspaceId: actor.workspaceId,
      object: objectKey,
      action,
      params,
      selection: { filter: filter ?? null, q: q ?? null, trash: inTrash, ids: ids ?? null },
      status: 'queued',
      createdBy: userId,
    });
    const where = await listWhere(
      tx,
      actor,
      new FieldResolver(objectKey),
      { filter: filter ?? undefined, q, trash: inTrash },
      ids ? sql`r.id = ANY(${uuidArray(new Set(ids.map((id) => id.toLowerCase())))})` : undefined,
    );
    const total = await repo.selectRecords(tx, op.id, object, where);
    if (action === 'set_field' || action === 'assign_owner')
      await tryValue(tx, actor, def, op.id, body);
    if (total === 0) {
      await repo.setOperation(tx, op.id, { status: 'done', finishedAt: sql`now()` });
    }
    return repo.getOperation(tx, op.id);
  });
  if (!row) throw new AppError('NOT_FOUND');
  if (row.status === 'queued') {
    await queue(ctx, { operationId: row.id, workspaceId: row.workspaceId, mode: 'run' });
  }
  return presentOperation(ctx, actor, row);
}

/** The operation, for its creator only, who must still read its object. */
async function loadOwn(ctx: AppContext, actor: Actor, id: string): Promise<BulkOperationRow> {
  const row = await ctx.db.read(actor, (tx) => repo.getOperation(tx, id));
  if (!row) throw new AppError('NOT_FOUND');
  if (row.createdBy !== actor.userId) throw new AppError('FORBIDDEN', { text: messages.notYours });
  authorize(actor, row.object, 'read');
  return row;
}

export async function getBulk(ctx: AppContext, actor: Actor, id: string) {
  return presentOperation(ctx, actor, await loadOwn(ctx, actor, id));
}

/** Undo a finished operation (within UNDO_DAYS, by its creator): queued as a job. */
export async function startUndo(ctx: AppContext, actor: Actor, id: string) {
  const row = await loadOwn(ctx, actor, id);
  authorize(actor, row.object, bulkAction[row.action]);
  if (!(await presentOperation(ctx, actor, row)).canUndo) {
    throw new AppError('CONFLICT', { text: messages.cannotUndo });
  }
  const undoing = await ctx.db.tenant(actor, async (tx) => {
    const locked = await repo.lockOperation(tx, id);
    if (!locked || locked.status !== 'done') {
      throw new AppError('CONFLICT', { text: messages.cannotUndo });
    }
    await repo.setOperation(tx, id, { status: 'undoing', undoneBy: actor.userId, error: null });
    return repo.getOperation(tx, id);
  });
  await queue(ctx, { operationId: id, workspaceId: actor.workspaceId, mode: 'undo' });
  return presentOperation(ctx, actor, undoing!);
}

/** At start-up (a node with jobs): operations left queued, running or undoing are queued again. */
export async function resumeBulk(ctx: AppContext): Promise<number> {
  const rows = await repo.unfinished(ctx.db);
  for (const r of rows) {
    await queue(ctx, {
      operationId: r.id,
      workspaceId: r.workspaceId,
      mode: r.status === 'undoing' ? 'undo' : 'run',
    });
  }
  return rows.length;
}
