import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { LocalisedText } from '../../core/errors.js';
import type { Database, Tx } from '../../db/database.js';
import { queryOne, queryRows } from '../../db/sql.js';
import type { RecordObject } from '../records/registry.js';
import {
  bulkOperationRows,
  bulkOperations,
  type BulkOperationRow,
  type BulkOutcome,
} from './bulk.table.js';

/** The SQL of bulk operations (a job reads its operation as sen_system, then runs as its creator). */

export async function insertOperation(
  tx: Tx,
  values: Omit<typeof bulkOperations.$inferInsert, 'id'>,
): Promise<BulkOperationRow> {
  const [row] = await tx.insert(bulkOperations).values(values).returning();
  if (!row) throw new Error('bulk operation insert returned nothing');
  return row;
}

/**
 * The operation's records: every record of `object` that `where` (the list's WHERE over alias
 * `r`: scope, trash, filter, q, ids) selects, pending. Their number.
 */
export async function selectRecords(
  tx: Tx,
  operationId: string,
  object: RecordObject,
  where: SQL | undefined,
): Promise<number> {
  const row = await queryOne<{ n: number }>(
    tx,
    sql`WITH ins AS (
          INSERT INTO bulk_operation_rows (workspace_id, operation_id, record_id, outcome)
          SELECT r.workspace_id, ${operationId}::uuid, r.id, 'pending'
            FROM ${object.table} r
           WHERE ${where ?? sql`true`}
          RETURNING 1)
        SELECT count(*)::int AS n FROM ins`,
  );
  const total = Number(row?.n ?? 0);
  await tx
    .update(bulkOperations)
    .set({ total, updatedAt: sql`now()` })
    .where(eq(bulkOperations.id, operationId));
  return total;
}

export async function getOperation(tx: Tx, id: string): Promise<BulkOperationRow | undefined> {
  const [row] = await tx.select().from(bulkOperations).where(eq(bulkOperations.id, id));
  return row;
}

export async function lockOperation(tx: Tx, id: string): Promise<BulkOperationRow | undefined> {
  const [row] = await tx
    .select()
    .from(bulkOperations)
    .where(eq(bulkOperations.id, id))
    .for('update');
  return row;
}

export async function setOperation(
  tx: Tx,
  id: string,
  values: PgUpdateSetSource<typeof bulkOperations>,
): Promise<void> {
  await tx
    .update(bulkOperations)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(bulkOperations.id, id));
}

export async function loadForRun(
  db: Database,
  ids: { operationId: string; workspaceId: string },
): Promise<BulkOperationRow | undefined> {
  return db.system(async (tx) => {
    const [row] = await tx
      .select()
      .from(bulkOperations)
      .where(
        and(
          eq(bulkOperations.id, ids.operationId),
          eq(bulkOperations.workspaceId, ids.workspaceId),
        ),
      );
    return row;
  });
}

export async function finishFailed(
  db: Database,
  id: string,
  status: 'failed' | 'done' | 'undone',
  error: { code: string; message: LocalisedText },
): Promise<void> {
  await db.system((tx) =>
    tx
      .update(bulkOperations)
      .set({ status, error, updatedAt: sql`now()`, finishedAt: sql`coalesce(finished_at, now())` })
      .where(eq(bulkOperations.id, id)),
  );
}

export interface StoredRow {
  recordId: string;
  outcome: BulkOutcome;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The next `limit` records with this outcome, in record id order. */
export async function nextRows(
  tx: Tx,
  operationId: string,
  outcome: BulkOutcome,
  limit: number,
): Promise<StoredRow[]> {
  return queryRows<StoredRow>(
    tx,
    sql`SELECT record_id AS "recordId", outcome, before, after FROM bulk_operation_rows
         WHERE operation_id = ${operationId} AND outcome = ${outcome}
         ORDER BY record_id LIMIT ${limit}`,
  );
}

export interface RowResult {
  recordId: string;
  outcome: BulkOutcome;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  error?: { code: string; message: LocalisedText } | null;
}

/** Write a batch's outcomes in one statement (before/after kept when not given). */
export async function saveResults(tx: Tx, operationId: string, results: RowResult[]) {
  if (results.length === 0) return;
  const json = JSON.stringify(
    results.map((r) => ({
      record_id: r.recordId,
      outcome: r.outcome,
      keep: r.before === undefined,
      before: r.before ?? null,
      after: r.after ?? null,
      error: r.error ?? null,
    })),
  );
  await tx.execute(
    sql`UPDATE bulk_operation_rows b
           SET outcome = x.outcome,
               before = CASE WHEN x.keep THEN b.before ELSE x.before END,
               after = CASE WHEN x.keep THEN b.after ELSE x.after END,
               error = x.error
          FROM jsonb_to_recordset(${json}::jsonb)
               AS x(record_id uuid, outcome text, keep boolean, before jsonb, after jsonb, error jsonb)
         WHERE b.operation_id = ${operationId} AND b.record_id = x.record_id`,
  );
}

/** The first failed records and their reasons. */
export async function failures(
  tx: Tx,
  operationId: string,
  limit: number,
): Promise<{ recordId: string; error: { message: LocalisedText } | null }[]> {
  return tx
    .select({ recordId: bulkOperationRows.recordId, error: bulkOperationRows.error })
    .from(bulkOperationRows)
    .where(
      and(
        eq(bulkOperationRows.operationId, operationId),
        inArray(bulkOperationRows.outcome, ['failed', 'undo_failed']),
      ),
    )
    .orderBy(bulkOperationRows.recordId)
    .limit(limit) as Promise<{ recordId: string; error: { message: LocalisedText } | null }[]>;
}

/** One row of a record table as JSON (column names), locked. */
export async function snapshot(
  tx: Tx,
  object: RecordObject,
  id: string,
): Promise<Record<string, unknown> | null> {
  const row = await queryOne<{ row: Record<string, unknown> }>(
    tx,
    sql`SELECT to_jsonb(r) AS row FROM ${object.table} r WHERE r.id = ${id} FOR UPDATE`,
  );
  return row?.row ?? null;
}

/** Write columns back from a JSON object of column values (the undo). */
export async function writeColumns(
  tx: Tx,
  object: RecordObject,
  id: string,
  values: Record<string, unknown>,
  userId: string | null,
): Promise<void> {
  const names = Object.keys(values);
  if (names.length === 0) return;
  const sets = names.map((n) => sql`${sql.identifier(n)} = p.${sql.identifier(n)}`);
  await tx.execute(
    sql`UPDATE ${object.table} t
           SET ${sql.join(sets, sql`, `)}, updated_at = now(), updated_by = ${userId}
          FROM jsonb_populate_record(NULL::${object.table}, ${JSON.stringify(values)}::jsonb) p
         WHERE t.id = ${id}`,
  );
}

/** Operations a start-up should queue again (a node stopped while they waited or ran). */
export async function unfinished(
  db: Database,
): Promise<{ id: string; workspaceId: string; status: string }[]> {
  return db.system((tx) =>
    tx
      .select({
        id: bulkOperations.id,
        workspaceId: bulkOperations.workspaceId,
        status: bulkOperations.status,
      })
      .from(bulkOperations)
      .where(inArray(bulkOperations.status, ['queued', 'running', 'undoing']))
      .orderBy(bulkOperations.createdAt),
  );
}
