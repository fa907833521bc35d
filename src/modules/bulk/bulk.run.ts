import { createHash } from 'node:crypto';
import { getTableColumns, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditChange } from '../../core/audit.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { defineJob, type JobDefinition } from '../../core/jobs.js';
import { authorize, can, type Actor } from '../../core/permissions.js';
import type { Database, Tx } from '../../db/database.js';
import type { CustomValues } from '../../db/schema/index.js';
import { pgErrorCode } from '../../db/sql.js';
import { loadCustomFields, syncUniqueValues } from '../custom-fields/values.js';
import { creatorActor } from '../exports/exports.repository.js';
import { recordObjectDefinition, type RecordObjectDefinition } from '../records/define.js';
import { auditView } from '../records/presenters.js';
import { lockRecordHeads } from '../records/records.repository.js';
import { bulkAction, bulkPatch, restoreOne, trashOne } from '../records/records.service.js';
import { getRecordObject, type RecordObject } from '../records/registry.js';
import * as repo from './bulk.repository.js';
import type { BulkAction, BulkOperationRow } from './bulk.table.js';

/**
 * The bulk operation job (docs/ARCHITECTURE.md, "Bulk changes"). Run: the operation's pending
 * records in batches of BATCH_ROWS, each batch ONE transaction that changes its records
 * through the object's own kind (normalisation, option lists, custom values, the audit entry;
 * the permission and scope checked per record, as its creator with their rights now), writes
 * their outcomes and advances the counts; a killed run resumes with the records still pending,
 * none twice. Undo: the changed records in batches the same way, each given back the columns
 * the change wrote unless the record changed again since.
 */

export const BATCH_ROWS = 500;

/** What an operation keeps of the request that started it. */
export const storedParams = z.object({
  ownerId: z.uuid().nullable().optional(),
  tag: z.string().optional(),
  field: z.string().optional(),
  value: z.unknown().optional(),
  locale: z.enum(['vi', 'en']),
  /** Started with an API key: its scopes then (the run never has more). */
  keyScopes: z.array(z.string()).nullable(),
});
export type StoredParams = z.infer<typeof storedParams>;

const messages = {
  creatorGone: {
    vi: 'Người bắt đầu thao tác hàng loạt này không còn là thành viên đang hoạt động.',
    en: 'The member who started this bulk change is no longer active.',
  },
  forbidden: {
    vi: 'Người bắt đầu thao tác này không còn quyền thay đổi các bản ghi này.',
    en: 'The member who started this bulk change may no longer change these records.',
  },
  notYours: {
    vi: 'Bản ghi này không thuộc phạm vi bạn được phép thay đổi.',
    en: 'This record is outside what you may change.',
  },
  gone: {
    vi: 'Bản ghi không còn tồn tại.',
    en: 'The record no longer exists.',
  },
  inTrash: {
    vi: 'Bản ghi đang ở thùng rác.',
    en: 'The record is in the trash.',
  },
  changedSince: {
    vi: 'Bản ghi đã được sửa sau thao tác hàng loạt: giữ nguyên giá trị mới.',
    en: 'The record was changed after the bulk change: its newer values are kept.',
  },
  refused: {
    vi: 'Cơ sở dữ liệu từ chối thay đổi này.',
    en: 'The database refused this change.',
  },
} satisfies Record<string, LocalisedText>;

type Reason = { code: string; message: LocalisedText };

/** Why a record could not be changed, in both languages. */
export function reasonOf(err: unknown): Reason | null {
  if (err instanceof AppError) {
    if (err.code === 'FORBIDDEN') return { code: err.code, message: messages.notYours };
    if (err.code === 'NOT_FOUND') return { code: err.code, message: messages.gone };
    const fields = err.details?.fields;
    if (err.code === 'VALIDATION_FAILED' && fields?.length) {
      return {
        code: err.code,
        message: {
          vi: fields.map((f) => `${f.path}: ${f.text?.vi ?? f.message}`).join('; '),
          en: fields.map((f) => `${f.path}: ${f.text?.en ?? f.message}`).join('; '),
        },
      };
    }
    return {
      code: err.code,
      message: err.text ?? { vi: err.messageIn('vi'), en: err.messageIn('en') },
    };
  }
  // A constraint the database checks (a foreign key gone since…): that record fails.
  if (pgErrorCode(err)?.startsWith('23')) return { code: 'CONFLICT', message: messages.refused };
  return null;
}

export function bulkLockKey(operationId: string): number {
  return (
    0x5d000000 + (createHash('sha256').update(operationId).digest().readUInt32BE(0) & 0xffffff)
  );
}

/** Columns never compared nor written back: bookkeeping of every change. */
const BOOKKEEPING = new Set(['updated_at', 'updated_by', 'version']);

/** The columns whose values differ between two snapshots: { before, after } of those only. */
function changedColumns(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (BOOKKEEPING.has(key)) continue;
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return Object.keys(a).length === 0 ? null : { before: b, after: a };
}

/** A stored row (to_jsonb, column names) → the table's property names (what audits show). */
function byProperty(object: RecordObject, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [property, column] of Object.entries(getTableColumns(object.table))) {
    if (column.name in row) out[property] = row[column.name];
  }
  return out;
}

/** Run `fn` in a savepoint: a refusal rolls back only this record and becomes its reason. */
async function inSavepoint(
  tx: Tx,
  fn: () => Promise<repo.RowResult>,
  recordId: string,
  failed: 'failed' | 'undo_failed',
): Promise<repo.RowResult> {
  await tx.execute(sql`SAVEPOINT bulk_record`);
  try {
    const result = await fn();
    await tx.execute(sql`RELEASE SAVEPOINT bulk_record`);
    return result;
  } catch (err) {
    const reason = reasonOf(err);
    if (!reason) throw err;
    await tx.execute(sql`ROLLBACK TO SAVEPOINT bulk_record`);
    await tx.execute(sql`RELEASE SAVEPOINT bulk_record`);
    return { recordId, outcome: failed, error: reason };
  }
}

interface Plan {
  def: RecordObjectDefinition;
  object: RecordObject;
  action: BulkAction;
  patchFor: (tags: string[]) => unknown;
}

/** One record of the run, in the batch's transaction. */
async function applyOne(tx: Tx, actor: Actor, plan: Plan, id: string): Promise<repo.RowResult> {
  const { def, object, action } = plan;
  return inSavepoint(
    tx,
    async () => {
      const [head] = await lockRecordHeads(tx, object, [id]);
      if (!head) throw new AppError('NOT_FOUND');
      authorize(actor, def.key, bulkAction[action], { ownerId: head.ownerId });
      if (action === 'delete') {
        const changed = !head.deleted && (await trashOne(tx, actor, object, id));
        return { recordId: id, outcome: changed ? 'changed' : 'unchanged' };
      }
      if (action === 'restore') {
        const changed = head.deleted && (await restoreOne(tx, actor, object, id));
        return { recordId: id, outcome: changed ? 'changed' : 'unchanged' };
      }
      if (head.deleted) {
        return {
          recordId: id,
          outcome: 'failed',
          error: { code: 'IN_TRASH', message: messages.inTrash },
        };
      }
      const before = await repo.snapshot(tx, object, id);
      await def.kind.update(tx, actor, id, plan.patchFor(head.tags));
      const after = await repo.snapshot(tx, object, id);
      const diff = before && after ? changedColumns(before, after) : null;
      if (!diff) return { recordId: id, outcome: 'unchanged' };
      return { recordId: id, outcome: 'changed', ...diff };
    },
    id,
    'failed',
  );
}

/** One changed record given back its previous state, in the undo batch's transaction. */
async function undoOne(
  tx: Tx,
  actor: Actor,
  plan: Plan,
  row: repo.StoredRow,
  customFields: () => Promise<Awaited<ReturnType<typeof loadCustomFields>>>,
): Promise<repo.RowResult> {
  const { def, object, action } = plan;
  const id = row.recordId;
  return inSavepoint(
    tx,
    async () => {
      const [head] = await lockRecordHeads(tx, object, [id]);
      if (!head) throw new AppError('NOT_FOUND');
      authorize(actor, def.key, bulkAction[action], { ownerId: head.ownerId });
      // Trashed → restored, restored → trashed (already so: nothing to do).
      if (action === 'delete') {
        if (head.deleted) await restoreOne(tx, actor, object, id);
        return { recordId: id, outcome: 'undone' };
      }
      if (action === 'restore') {
        if (!head.deleted) await trashOne(tx, actor, object, id);
        return { recordId: id, outcome: 'undone' };
      }
      const before = row.before ?? {};
      const after = row.after ?? {};
      const current = await repo.snapshot(tx, object, id);
      if (!current) throw new AppError('NOT_FOUND');
      const since = Object.keys(after).some(
        (k) => JSON.stringify(current[k] ?? null) !== JSON.stringify(after[k] ?? null),
      );
      if (since) {
        return {
          recordId: id,
          outcome: 'undo_failed',
          error: { code: 'CHANGED_SINCE', message: messages.changedSince },
        };
      }
      await repo.writeColumns(tx, object, id, before, actor.userId);
      const restored = { ...current, ...before };
      if ('custom' in before) {
        await syncUniqueValues(
          tx,
          await customFields(),
          def.key,
          id,
          (before.custom ?? {}) as CustomValues,
        );
      }
      await auditChange(
        tx,
        actor,
        def.key,
        id,
        auditView(byProperty(object, current)),
        auditView(byProperty(object, restored)),
      );
      return { recordId: id, outcome: 'undone' };
    },
    id,
    'undo_failed',
  );
}

const count = (results: repo.RowResult[], outcome: repo.RowResult['outcome']) =>
  results.filter((r) => r.outcome === outcome).length;

/** Who the job runs as, and what it works on; null when the operation stops here. */
async function prepare(
  db: Database,
  op: BulkOperationRow,
  mode: 'run' | 'undo',
): Promise<{ actor: Actor; plan: Plan } | null> {
  const params = storedParams.parse(op.params);
  const userId = mode === 'undo' ? (op.undoneBy ?? op.createdBy) : op.createdBy;
  const actor = await creatorActor(
    db,
    { createdBy: userId, workspaceId: op.workspaceId },
    params.keyScopes,
  );
  const endStatus = mode === 'undo' ? 'done' : 'failed';
  if (!actor) {
    await repo.finishFailed(db, op.id, endStatus, {
      code: 'OWNER_GONE',
      message: messages.creatorGone,
    });
    return null;
  }
  const def = recordObjectDefinition(op.object);
  const object = getRecordObject(op.object);
  if (!def || !object || !can(actor, op.object, bulkAction[op.action])) {
    await repo.finishFailed(db, op.id, endStatus, {
      code: 'FORBIDDEN',
      message: messages.forbidden,
    });
    return null;
  }
  let patchFor: Plan['patchFor'] = () => ({});
  if (mode === 'run') {
    try {
      patchFor = bulkPatch(def.kind, { action: op.action, ...params });
    } catch (err) {
      // The field or its options changed since the start: the operation fails, nothing written.
      const reason = reasonOf(err);
      if (!reason) throw err;
      await repo.finishFailed(db, op.id, 'failed', reason);
      return null;
    }
  }
  return { actor, plan: { def, object, action: op.action, patchFor } };
}

/** Run (or resume) an operation's pending records. */
export async function runBulk(
  db: Database,
  ids: { operationId: string; workspaceId: string },
  batchRows = BATCH_ROWS,
  /** Tests: stop after this many batches, as a crash would. */
  maxBatches = Infinity,
): Promise<void> {
  await db.withLock(bulkLockKey(ids.operationId), async () => {
    const op = await repo.loadForRun(db, ids);
    if (!op || (op.status !== 'queued' && op.status !== 'running')) return;
    const ready = await prepare(db, op, 'run');
    if (!ready) return;
    const { actor, plan } = ready;
    await db.tenant(actor, (tx) =>
      repo.setOperation(tx, op.id, { status: 'running', startedAt: op.startedAt ?? sql`now()` }),
    );
    for (let batch = 0; batch < maxBatches; batch++) {
      const n = await db.tenant(actor, async (tx) => {
        // The operation's row is the lock: a second worker waits, then finds nothing pending.
        const locked = await repo.lockOperation(tx, op.id);
        if (locked?.status !== 'running') return 0;
        const rows = await repo.nextRows(tx, op.id, 'pending', batchRows);
        const results: repo.RowResult[] = [];
        for (const r of rows) results.push(await applyOne(tx, actor, plan, r.recordId));
        await repo.saveResults(tx, op.id, results);
        await repo.setOperation(tx, op.id, {
          done: sql`done + ${results.length}`,
          changed: sql`changed + ${count(results, 'changed')}`,
          unchanged: sql`unchanged + ${count(results, 'unchanged')}`,
          failed: sql`failed + ${count(results, 'failed')}`,
        });
        return rows.length;
      });
      if (n < batchRows) {
        await db.tenant(actor, (tx) =>
          repo.setOperation(tx, op.id, { status: 'done', finishedAt: sql`now()` }),
        );
        return;
      }
    }
  });
}

/** Undo (or resume undoing) an operation: its changed records, batch by batch. */
export async function undoBulk(
  db: Database,
  ids: { operationId: string; workspaceId: string },
  batchRows = BATCH_ROWS,
  maxBatches = Infinity,
): Promise<void> {
  await db.withLock(bulkLockKey(ids.operationId), async () => {
    const op = await repo.loadForRun(db, ids);
    if (!op || op.status !== 'undoing') return;
    const ready = await prepare(db, op, 'undo');
    if (!ready) return;
    const { actor, plan } = ready;
    for (let batch = 0; batch < maxBatches; batch++) {
      const n = await db.tenant(actor, async (tx) => {
        const locked = await repo.lockOperation(tx, op.id);
        if (locked?.status !== 'undoing') return 0;
        const rows = await repo.nextRows(tx, op.id, 'changed', batchRows);
        let fields: Awaited<ReturnType<typeof loadCustomFields>> | null = null;
        const customFields = async () => (fields ??= await loadCustomFields(tx, plan.def.key));
        const results: repo.RowResult[] = [];
        for (const r of rows) results.push(await undoOne(tx, actor, plan, r, customFields));
        await repo.saveResults(tx, op.id, results);
        await repo.setOperation(tx, op.id, {
          undone: sql`undone + ${count(results, 'undone')}`,
          undoFailed: sql`undo_failed + ${count(results, 'undo_failed')}`,
        });
        return rows.length;
      });
      if (n < batchRows) {
        await db.tenant(actor, (tx) =>
          repo.setOperation(tx, op.id, { status: 'undone', undoneAt: sql`now()` }),
        );
        return;
      }
    }
  });
}

export const bulkJob = defineJob({
  name: 'bulk.run',
  payload: z.object({
    operationId: z.uuid(),
    workspaceId: z.uuid(),
    mode: z.enum(['run', 'undo']),
  }),
  retryLimit: 5,
  handler: async ({ mode, ...ids }, { db }) => {
    if (mode === 'undo') await undoBulk(db, ids);
    else await runBulk(db, ids);
  },
});

export const bulkJobs = [bulkJob] as unknown as JobDefinition<never>[];
