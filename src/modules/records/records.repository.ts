import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { pgErrorCode, queryRows } from '../../db/sql.js';
import type { RecordObject } from './registry.js';

/** SQL shared by every record object (the table comes from the record object registry). */

export async function isActiveMember(tx: Tx, userId: string): Promise<boolean> {
  const rows = await queryRows<{ ok: number }>(
    tx,
    sql`SELECT 1 AS ok FROM workspace_members WHERE user_id = ${userId} AND status = 'active'`,
  );
  return rows.length > 0;
}

export interface RecordHead {
  id: string;
  ownerId: string | null;
  deleted: boolean;
  tags: string[];
}

/** Id, owner and trash state of records (for bulk checks), locked for the transaction. */
export async function lockRecordHeads(
  tx: Tx,
  object: RecordObject,
  ids: string[],
): Promise<RecordHead[]> {
  if (ids.length === 0) return [];
  const c = object.columns;
  const rows = await queryRows<{
    id: string;
    owner_id: string | null;
    deleted: boolean;
    tags: string[];
  }>(
    tx,
    sql`SELECT ${c.id} AS id, ${c.ownerId} AS owner_id, (${c.deletedAt} IS NOT NULL) AS deleted,
               tags
          FROM ${object.table}
         WHERE ${c.id} IN (${sql.join(
           ids.map((id) => sql`${id}::uuid`),
           sql`, `,
         )})
         ORDER BY ${c.id}
         FOR UPDATE`,
  );
  return rows.map((r) => ({ id: r.id, ownerId: r.owner_id, deleted: r.deleted, tags: r.tags }));
}

export async function moveToTrash(
  tx: Tx,
  object: RecordObject,
  id: string,
  userId: string | null,
): Promise<string | null> {
  const rows = await queryRows<{ deleted_at: string }>(
    tx,
    sql`UPDATE ${object.table} SET deleted_at = now(), deleted_by = ${userId}
         WHERE id = ${id} AND deleted_at IS NULL
        RETURNING to_char(deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS deleted_at`,
  );
  return rows[0]?.deleted_at ?? null;
}

export async function restoreFromTrash(
  tx: Tx,
  object: RecordObject,
  id: string,
  userId: string | null,
): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE ${object.table}
           SET deleted_at = NULL, deleted_by = NULL, updated_at = now(), updated_by = ${userId}
         WHERE id = ${id} AND deleted_at IS NOT NULL
        RETURNING id`,
  );
  return rows.length > 0;
}

/** The constraint a database error names (foreign key / unique / check), if any. */
export function violatedConstraint(err: unknown): { code: string; constraint: string } | null {
  const code = pgErrorCode(err);
  if (!code) return null;
  let e: unknown = err;
  for (let depth = 0; depth < 3 && e && typeof e === 'object'; depth++) {
    const constraint = (e as { constraint?: unknown }).constraint;
    if (typeof constraint === 'string') return { code, constraint };
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** The current workspace's time zone (exports show timestamps in it). */
export async function workspaceTimeZone(tx: Tx): Promise<string> {
  const rows = await queryRows<{ timezone: string }>(
    tx,
    sql`SELECT timezone FROM workspaces WHERE id = sen_workspace_id()`,
  );
  return rows[0]?.timezone ?? 'Asia/Ho_Chi_Minh';
}
