import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { LocalisedText } from '../../core/errors.js';
import type { Actor } from '../../core/permissions.js';
import type { Database, Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { actorFromPrincipal } from '../auth/auth.service.js';
import type { PrincipalRow } from '../auth/auth.repository.js';
import { exportJobs, type ExportRow } from './exports.table.js';

/** The SQL of export jobs (a job runs as sen_system until it knows its creator's rights). */

export async function insertExport(
  tx: Tx,
  values: Omit<typeof exportJobs.$inferInsert, 'id'>,
): Promise<ExportRow> {
  const [row] = await tx.insert(exportJobs).values(values).returning();
  if (!row) throw new Error('export insert returned nothing');
  return row;
}

export async function getExport(tx: Tx, id: string): Promise<ExportRow | undefined> {
  const [row] = await tx.select().from(exportJobs).where(eq(exportJobs.id, id));
  return row;
}

export async function loadForRun(
  db: Database,
  ids: { exportId: string; workspaceId: string },
): Promise<ExportRow | undefined> {
  return db.system(async (tx) => {
    const [row] = await tx
      .select()
      .from(exportJobs)
      .where(and(eq(exportJobs.id, ids.exportId), eq(exportJobs.workspaceId, ids.workspaceId)));
    return row;
  });
}

/**
 * The member who started the export, with their rights now (and, for an API key, no more than
 * its scopes then); null if no longer active.
 */
export async function creatorActor(
  db: Database,
  row: Pick<ExportRow, 'createdBy' | 'workspaceId'>,
  keyScopes: string[] | null,
): Promise<Actor | null> {
  const [found] = await db.system((tx) =>
    queryRows<{ p: PrincipalRow | null }>(
      tx,
      sql`SELECT sen_principal(${row.createdBy}::uuid, ${row.workspaceId}::uuid) AS p`,
    ),
  );
  const principal = found?.p;
  if (!principal || principal.member_status !== 'active') return null;
  return actorFromPrincipal(principal, {
    channel: 'system',
    requestId: null,
    ...(keyScopes ? { keyScopes } : {}),
  });
}

export async function markRunning(db: Database, actor: Actor, id: string): Promise<void> {
  await db.tenant(actor, (tx) =>
    tx
      .update(exportJobs)
      .set({ status: 'running', rowsDone: 0, error: null, updatedAt: sql`now()` })
      .where(eq(exportJobs.id, id)),
  );
}

export async function progress(db: Database, actor: Actor, id: string, rows: number) {
  await db.tenant(actor, (tx) =>
    tx
      .update(exportJobs)
      .set({ rowsDone: rows, updatedAt: sql`now()` })
      .where(eq(exportJobs.id, id)),
  );
}

/** Done: the file is in place, downloadable for 24 hours from now. */
export async function finishDone(
  db: Database,
  actor: Actor,
  id: string,
  rows: number,
  sizeBytes: number,
): Promise<void> {
  await db.tenant(actor, (tx) =>
    tx
      .update(exportJobs)
      .set({
        status: 'done',
        rowsDone: rows,
        sizeBytes,
        updatedAt: sql`now()`,
        finishedAt: sql`now()`,
        expiresAt: sql`now() + interval '24 hours'`,
      })
      .where(eq(exportJobs.id, id)),
  );
}

export async function finishFailed(
  db: Database,
  id: string,
  error: { code: string; message: LocalisedText },
): Promise<void> {
  await db.system((tx) =>
    tx
      .update(exportJobs)
      .set({ status: 'failed', error, updatedAt: sql`now()`, finishedAt: sql`now()` })
      .where(eq(exportJobs.id, id)),
  );
}

/** Exports a start-up should queue again (a node stopped while they waited or ran). */
export async function unfinished(db: Database): Promise<{ id: string; workspaceId: string }[]> {
  return db.system((tx) =>
    tx
      .select({ id: exportJobs.id, workspaceId: exportJobs.workspaceId })
      .from(exportJobs)
      .where(inArray(exportJobs.status, ['queued', 'running']))
      .orderBy(exportJobs.createdAt),
  );
}

type Ids = { id: string; workspaceId: string };

/** Done exports past their expiry become `expired` (their files are removed by the caller). */
export async function expireDue(db: Database): Promise<Ids[]> {
  return db.system((tx) =>
    tx
      .update(exportJobs)
      .set({ status: 'expired', updatedAt: sql`now()` })
      .where(and(eq(exportJobs.status, 'done'), lt(exportJobs.expiresAt, sql`now()`)))
      .returning({ id: exportJobs.id, workspaceId: exportJobs.workspaceId }),
  );
}

/** Queued or running exports nothing has moved for `hours`: their job is gone. */
export async function failStale(
  db: Database,
  hours: number,
  error: { code: string; message: LocalisedText },
): Promise<Ids[]> {
  return db.system((tx) =>
    tx
      .update(exportJobs)
      .set({ status: 'failed', error, updatedAt: sql`now()`, finishedAt: sql`now()` })
      .where(
        and(
          inArray(exportJobs.status, ['queued', 'running']),
          lt(exportJobs.updatedAt, sql`now() - make_interval(hours => ${hours})`),
        ),
      )
      .returning({ id: exportJobs.id, workspaceId: exportJobs.workspaceId }),
  );
}

/** Expired and failed exports older than `days`: the rows go (their links then answer 404). */
export async function deleteOld(db: Database, days: number): Promise<number> {
  const rows = await db.system((tx) =>
    tx
      .delete(exportJobs)
      .where(
        and(
          inArray(exportJobs.status, ['expired', 'failed']),
          lt(exportJobs.createdAt, sql`now() - make_interval(days => ${days})`),
        ),
      )
      .returning({ id: exportJobs.id }),
  );
  return rows.length;
}

/** Of these ids, the exports whose files are to be kept (done, or running: their temp file). */
export async function liveFiles(db: Database, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.system((tx) =>
    tx
      .select({ id: exportJobs.id, status: exportJobs.status })
      .from(exportJobs)
      .where(
        and(inArray(exportJobs.id, ids), inArray(exportJobs.status, ['done', 'running', 'queued'])),
      ),
  );
  return new Map(rows.map((r) => [r.id, r.status]));
}
