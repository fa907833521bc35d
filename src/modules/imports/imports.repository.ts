import { and, desc, eq, sql } from 'drizzle-orm';
import type { LocalisedText } from '../../core/errors.js';
import type { Actor } from '../../core/permissions.js';
import type { Database, Tx } from '../../db/database.js';
import { insertJsonRows, queryRows } from '../../db/sql.js';
import { actorFromPrincipal } from '../auth/auth.service.js';
import type { PrincipalRow } from '../auth/auth.repository.js';
import type { RecordObjectDefinition } from '../records/define.js';
import { getRecordObject } from '../records/registry.js';
import {
  importRows,
  imports,
  importTemplates,
  type ImportRow,
  type ImportStatus,
} from './imports.table.js';
import type { RowResult } from './run.js';

export async function activeMembers(
  tx: Tx,
): Promise<{ userId: string; email: string; name: string }[]> {
  return queryRows(
    tx,
    sql`SELECT u.id AS "userId", u.email::text AS email, u.name
          FROM workspace_members m JOIN users u ON u.id = m.user_id
         WHERE m.status = 'active'
         ORDER BY u.created_at`,
  );
}

/** The whole stored row of a record (what an undo writes back). */
export async function rowSnapshot(
  tx: Tx,
  def: RecordObjectDefinition,
  id: string,
): Promise<unknown> {
  const object = getRecordObject(def.key);
  if (!object) throw new Error(`unknown record object ${def.key}`);
  const [row] = await queryRows<{ row: unknown }>(
    tx,
    sql`SELECT to_jsonb(r) AS row FROM ${object.table} r WHERE r.id = ${id}`,
  );
  return row?.row ?? null;
}

export async function insertImport(
  tx: Tx,
  values: Omit<typeof imports.$inferInsert, 'id'>,
): Promise<ImportRow> {
  const [row] = await tx.insert(imports).values(values).returning();
  if (!row) throw new Error('import insert returned nothing');
  return row;
}

export async function getImport(tx: Tx, id: string): Promise<ImportRow | undefined> {
  const [row] = await tx.select().from(imports).where(eq(imports.id, id));
  return row;
}

export async function getImportForUpdate(tx: Tx, id: string): Promise<ImportRow | undefined> {
  const [row] = await tx.select().from(imports).where(eq(imports.id, id)).for('update');
  return row;
}

export function listImports(tx: Tx, object: string | undefined, limit: number) {
  return tx
    .select()
    .from(imports)
    .where(object ? eq(imports.object, object) : undefined)
    .orderBy(desc(imports.createdAt), desc(imports.id))
    .limit(limit);
}

export async function updateImport(
  tx: Tx,
  id: string,
  values: Partial<typeof imports.$inferInsert>,
): Promise<void> {
  await tx
    .update(imports)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(imports.id, id));
}

/** The import as the job sees it (as sen_system: no workspace context yet). */
export async function loadForRun(
  db: Database,
  ids: { importId: string; workspaceId: string },
): Promise<ImportRow | undefined> {
  return db.system(async (tx) => {
    const [row] = await tx
      .select()
      .from(imports)
      .where(and(eq(imports.id, ids.importId), eq(imports.workspaceId, ids.workspaceId)));
    return row;
  });
}

/** The member who started the import, with their rights now; null if no longer active. */
export async function actorOf(
  db: Database,
  imp: Pick<ImportRow, 'createdBy' | 'workspaceId'>,
  userId: string = imp.createdBy,
): Promise<Actor | null> {
  const [row] = await db.system((tx) =>
    queryRows<{ p: PrincipalRow | null }>(
      tx,
      sql`SELECT sen_principal(${userId}::uuid, ${imp.workspaceId}::uuid) AS p`,
    ),
  );
  const principal = row?.p;
  if (!principal || principal.member_status !== 'active') return null;
  return actorFromPrincipal(principal, { channel: 'import', requestId: null });
}

export async function markRunning(db: Database, actor: Actor, id: string): Promise<void> {
  await db.tenant(actor, (tx) =>
    tx
      .update(imports)
      .set({
        status: 'running',
        startedAt: sql`coalesce(started_at, now())`,
        updatedAt: sql`now()`,
      })
      .where(eq(imports.id, id)),
  );
}

/** Rows done so far, the import locked for the batch's transaction. */
export async function lockProgress(tx: Tx, id: string): Promise<number> {
  const [row] = await tx
    .select({ rowsDone: imports.rowsDone })
    .from(imports)
    .where(eq(imports.id, id))
    .for('update');
  if (!row) throw new Error(`import ${id} is gone`);
  return row.rowsDone;
}

export async function saveRows(
  tx: Tx,
  importId: string,
  workspaceId: string,
  results: (RowResult & { rowNo: number; line: number; cells: string[] })[],
): Promise<void> {
  if (results.length === 0) return;
  await insertJsonRows(
    tx,
    importRows,
    results.map((r) => ({
      workspaceId,
      importId,
      rowNo: r.rowNo,
      line: r.line,
      outcome: r.outcome,
      recordId: r.recordId ?? null,
      errors: r.errors ?? null,
      // The original cells of rows that did not go in (the error file), not of the others.
      cells: r.outcome === 'failed' || r.outcome === 'skipped' ? r.cells : null,
      before: r.before ?? null,
    })),
  );
}

export async function advance(tx: Tx, id: string, results: RowResult[]): Promise<void> {
  const count = (o: RowResult['outcome']) => results.filter((r) => r.outcome === o).length;
  await tx
    .update(imports)
    .set({
      rowsDone: sql`${imports.rowsDone} + ${results.length}`,
      created: sql`${imports.created} + ${count('created')}`,
      updated: sql`${imports.updated} + ${count('updated')}`,
      skipped: sql`${imports.skipped} + ${count('skipped')}`,
      failed: sql`${imports.failed} + ${count('failed')}`,
      updatedAt: sql`now()`,
    })
    .where(eq(imports.id, id));
}

export async function finish(
  db: Database,
  ids: { importId: string; workspaceId: string },
  status: ImportStatus,
  error: { code: string; message: LocalisedText } | null,
): Promise<void> {
  await db.system((tx) =>
    tx
      .update(imports)
      .set({ status, error, finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(imports.id, ids.importId), eq(imports.workspaceId, ids.workspaceId))),
  );
}

/** Rows of an import with an outcome, in file order, from `afterRowNo` (paged). */
export function rowsOf(
  tx: Tx,
  importId: string,
  outcomes: readonly string[],
  afterRowNo: number,
  limit: number,
) {
  return queryRows<{
    rowNo: number;
    line: number;
    outcome: string;
    recordId: string | null;
    errors: { column: string | null; message: LocalisedText }[] | null;
    cells: string[] | null;
    before: Record<string, unknown> | null;
  }>(
    tx,
    sql`SELECT row_no AS "rowNo", line, outcome, record_id AS "recordId", errors, cells, before
          FROM import_rows
         WHERE import_id = ${importId} AND row_no > ${afterRowNo}
           AND outcome = ANY(${`{${outcomes.join(',')}}`}::text[])
         ORDER BY row_no
         LIMIT ${limit}`,
  );
}

export function listTemplates(tx: Tx, object: string) {
  return tx
    .select()
    .from(importTemplates)
    .where(eq(importTemplates.object, object))
    .orderBy(importTemplates.name);
}

export async function saveTemplate(
  tx: Tx,
  values: {
    workspaceId: string;
    object: string;
    name: string;
    mapping: unknown;
    createdBy: string | null;
  },
): Promise<void> {
  await tx.execute(
    sql`INSERT INTO import_templates (workspace_id, object, name, mapping, created_by)
        VALUES (${values.workspaceId}, ${values.object}, ${values.name},
                ${JSON.stringify(values.mapping)}::jsonb, ${values.createdBy})
        ON CONFLICT (workspace_id, object, lower(name))
        DO UPDATE SET mapping = EXCLUDED.mapping, updated_at = now()`,
  );
}
