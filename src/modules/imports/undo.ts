import { getTableColumns, sql } from 'drizzle-orm';
import { auditChange, recordAudit } from '../../core/audit.js';
import type { Database, Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import type { CustomValues } from '../../db/schema/index.js';
import { loadCustomFields, syncUniqueValues } from '../custom-fields/values.js';
import { auditView } from '../records/presenters.js';
import { getRecordObject, type RecordObject } from '../records/registry.js';
import { purgeRecords } from '../records/trash.js';
import * as repo from './imports.repository.js';
import { importLockKey } from './run.js';

const UNDO_BATCH = 500;

/** Columns an undo never writes back: the record's identity and its creation. */
const KEPT = new Set(['id', 'workspace_id', 'created_at', 'created_by']);

/** A stored row (to_jsonb, column names) → the table's property names (what audits show). */
function byProperty(object: RecordObject, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [property, column] of Object.entries(getTableColumns(object.table))) {
    if (column.name in row) out[property] = row[column.name];
  }
  return out;
}

/** Write a stored row back over the live record (every column but its identity). */
async function restoreRow(
  tx: Tx,
  object: RecordObject,
  id: string,
  before: Record<string, unknown>,
): Promise<Record<string, unknown> | null> {
  const names = Object.values(getTableColumns(object.table))
    .map((c) => c.name)
    .filter((n) => !KEPT.has(n));
  const list = sql.join(
    names.map((n) => sql.identifier(n)),
    sql`, `,
  );
  const [current] = await queryRows<{ row: Record<string, unknown> }>(
    tx,
    sql`SELECT to_jsonb(r) AS row FROM ${object.table} r WHERE r.id = ${id} FOR UPDATE`,
  );
  if (!current) return null;
  await tx.execute(
    sql`UPDATE ${object.table} SET (${list}) =
          (SELECT ${list} FROM jsonb_populate_record(NULL::${object.table}, ${JSON.stringify(before)}::jsonb))
        WHERE id = ${id}`,
  );
  return current.row;
}

/**
 * Undo an import, in batches that each commit with their progress (resumable like the run):
 * records it created are deleted for good (with their notes and files), records it updated get
 * back the values they had before it (unless deleted since). Each is audited as the member
 * who asked for the undo.
 */
export async function undoImport(
  db: Database,
  ids: { importId: string; workspaceId: string },
): Promise<void> {
  await db.withLock(importLockKey(ids.importId), async () => {
    const head = await repo.loadForRun(db, ids);
    if (!head || head.status !== 'undoing') return;
    const actor = await repo.actorOf(db, head, head.undoneBy ?? head.createdBy);
    const object = getRecordObject(head.object);
    if (!actor || !object) {
      await repo.finish(db, ids, 'done', {
        code: 'UNDO_FAILED',
        message: {
          vi: 'Không hoàn tác được: người yêu cầu không còn hoạt động.',
          en: 'The undo stopped: the member who asked for it is no longer active.',
        },
      });
      return;
    }
    for (;;) {
      const n = await db.tenant(actor, async (tx) => {
        await repo.lockProgress(tx, ids.importId);
        const rows = await queryRows<{
          row_no: number;
          outcome: string;
          record_id: string;
          before: Record<string, unknown> | null;
        }>(
          tx,
          sql`SELECT row_no, outcome, record_id, before FROM import_rows
               WHERE import_id = ${ids.importId} AND record_id IS NOT NULL
                 AND outcome IN ('created', 'updated')
               ORDER BY row_no DESC LIMIT ${UNDO_BATCH}`,
        );
        if (rows.length === 0) return 0;
        const created = rows.filter((r) => r.outcome === 'created').map((r) => r.record_id);
        if (created.length > 0) {
          const live = await queryRows<{ id: string }>(
            tx,
            sql`SELECT id FROM ${object.table} WHERE id = ANY(${`{${created.join(',')}}`}::uuid[])`,
          );
          await purgeRecords(
            tx,
            object,
            live.map((r) => r.id),
          );
          for (const r of live) {
            await recordAudit(tx, actor, {
              action: 'delete',
              objectType: object.key,
              objectId: r.id,
              changes: null,
            });
          }
        }
        const fields = await loadCustomFields(tx, object.key);
        for (const r of rows) {
          if (r.outcome !== 'updated' || !r.before) continue;
          const current = await restoreRow(tx, object, r.record_id, r.before);
          if (!current) continue;
          const after = byProperty(object, r.before);
          await syncUniqueValues(
            tx,
            fields,
            object.key,
            r.record_id,
            (after.custom ?? {}) as CustomValues,
          );
          await auditChange(
            tx,
            actor,
            object.key,
            r.record_id,
            auditView(byProperty(object, current)),
            auditView(after),
          );
        }
        await tx.execute(
          sql`UPDATE import_rows SET record_id = NULL, before = NULL
               WHERE import_id = ${ids.importId}
                 AND row_no = ANY(${`{${rows.map((r) => r.row_no).join(',')}}`}::int[])`,
        );
        return rows.length;
      });
      if (n < UNDO_BATCH) break;
    }
    await db.system((tx) =>
      tx.execute(
        sql`UPDATE imports SET status = 'undone', undone_at = now(), updated_at = now()
             WHERE id = ${ids.importId} AND workspace_id = ${ids.workspaceId}`,
      ),
    );
  });
}
