import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/database.js';
import { queryRows, uuidArray } from '../../db/sql.js';
import { assignmentRules, assignmentSettings, type AssignmentRuleRow } from './assignment.table.js';

export function listRules(tx: Tx, object: string): Promise<AssignmentRuleRow[]> {
  return tx
    .select()
    .from(assignmentRules)
    .where(eq(assignmentRules.object, object))
    .orderBy(asc(assignmentRules.position), asc(assignmentRules.id));
}

export async function getRule(
  tx: Tx,
  object: string,
  id: string,
): Promise<AssignmentRuleRow | undefined> {
  const [row] = await tx
    .select()
    .from(assignmentRules)
    .where(and(eq(assignmentRules.object, object), eq(assignmentRules.id, id)));
  return row;
}

export type RuleValues = Pick<
  AssignmentRuleRow,
  'name' | 'condition' | 'targetType' | 'userId' | 'teamId' | 'method' | 'active'
>;

export async function insertRule(
  tx: Tx,
  workspaceId: string,
  object: string,
  values: RuleValues,
): Promise<AssignmentRuleRow> {
  const [row] = await tx
    .insert(assignmentRules)
    .values({
      ...values,
      workspaceId,
      object,
      position: sql`(SELECT coalesce(max(position), 0) + 1 FROM assignment_rules WHERE object = ${object})`,
    })
    .returning();
  if (!row) throw new Error('rule insert returned nothing');
  return row;
}

export async function updateRule(
  tx: Tx,
  id: string,
  values: RuleValues,
): Promise<AssignmentRuleRow> {
  const [row] = await tx
    .update(assignmentRules)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(assignmentRules.id, id))
    .returning();
  if (!row) throw new Error('rule update returned nothing');
  return row;
}

export async function deleteRule(tx: Tx, id: string): Promise<void> {
  await tx.delete(assignmentRules).where(eq(assignmentRules.id, id));
}

/** Positions 1…n in the order of `ids` (every rule of the object, checked by the service). */
export async function reorderRules(tx: Tx, object: string, ids: string[]): Promise<void> {
  await tx.execute(sql`
    UPDATE assignment_rules r SET position = x.n, updated_at = now()
      FROM unnest(${uuidArray(ids)}) WITH ORDINALITY AS x(id, n)
     WHERE r.id = x.id AND r.object = ${object}`);
}

export async function getFallback(tx: Tx, object: string): Promise<string | null> {
  const [row] = await tx
    .select({ userId: assignmentSettings.fallbackUserId })
    .from(assignmentSettings)
    .where(eq(assignmentSettings.object, object));
  return row?.userId ?? null;
}

export async function setFallback(
  tx: Tx,
  workspaceId: string,
  object: string,
  userId: string | null,
): Promise<void> {
  await tx
    .insert(assignmentSettings)
    .values({ workspaceId, object, fallbackUserId: userId })
    .onConflictDoUpdate({
      target: [assignmentSettings.workspaceId, assignmentSettings.object],
      set: { fallbackUserId: userId, updatedAt: sql`now()` },
    });
}

/** Members of the current workspace among `ids`, with their status. */
export async function memberStatuses(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{ id: string; status: string }>(
    tx,
    sql`SELECT user_id AS id, status FROM workspace_members WHERE user_id = ANY(${uuidArray(ids)})`,
  );
  return new Map(rows.map((r) => [r.id, r.status]));
}

export async function teamExists(tx: Tx, id: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`SELECT id FROM teams WHERE id = ${id}::uuid`,
  );
  return rows.length > 0;
}

/** Teams' active members, by team, in user id order (the round robin's order). */
export async function activeTeamMembers(tx: Tx, teamIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (teamIds.length === 0) return out;
  const rows = await queryRows<{ teamId: string; userId: string }>(
    tx,
    sql`SELECT tm.team_id AS "teamId", tm.user_id AS "userId"
          FROM team_members tm
          JOIN workspace_members m ON m.workspace_id = tm.workspace_id AND m.user_id = tm.user_id
         WHERE tm.team_id = ANY(${uuidArray(teamIds)}) AND m.status = 'active'
         ORDER BY tm.team_id, tm.user_id`,
  );
  for (const r of rows) {
    if (!out.has(r.teamId)) out.set(r.teamId, []);
    out.get(r.teamId)!.push(r.userId);
  }
  return out;
}

/**
 * Lock a team rule's row for the transaction and read its round-robin pointer: two records
 * assigned at the same moment by one rule take turns here, so neither reads a pointer the
 * other is about to move (the second waits, then reads the first's committed pointer).
 */
export async function lockRule(tx: Tx, id: string): Promise<{ lastUserId: string | null }> {
  const [row] = await queryRows<{ lastUserId: string | null }>(
    tx,
    sql`SELECT last_user_id AS "lastUserId" FROM assignment_rules WHERE id = ${id}::uuid FOR UPDATE`,
  );
  return { lastUserId: row?.lastUserId ?? null };
}

export async function movePointer(tx: Tx, id: string, userId: string): Promise<void> {
  await tx.execute(
    sql`UPDATE assignment_rules SET last_user_id = ${userId}::uuid WHERE id = ${id}::uuid`,
  );
}

/** Open records (the object's `open` condition, live) each of `userIds` owns. */
export async function openCounts(
  tx: Tx,
  table: PgTable,
  open: SQL,
  userIds: string[],
): Promise<Map<string, number>> {
  const rows = await queryRows<{ userId: string; n: number }>(
    tx,
    sql`SELECT u.id AS "userId",
               (SELECT count(*) FROM ${table} r
                 WHERE r.owner_id = u.id AND r.deleted_at IS NULL AND (${open}))::int AS n
          FROM unnest(${uuidArray(userIds)}) AS u(id)`,
  );
  return new Map(rows.map((r) => [r.userId, Number(r.n)]));
}

/** The ids among `ids` that match `condition` (alias `r`). */
export async function matching(
  tx: Tx,
  table: PgTable,
  ids: string[],
  condition: SQL,
): Promise<Set<string>> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`SELECT r.id FROM ${table} r WHERE r.id = ANY(${uuidArray(ids)}) AND (${condition})`,
  );
  return new Set(rows.map((r) => r.id));
}

export async function currentOwners(
  tx: Tx,
  table: PgTable,
  ids: string[],
): Promise<Map<string, string | null>> {
  const rows = await queryRows<{ id: string; ownerId: string | null }>(
    tx,
    sql`SELECT r.id, r.owner_id AS "ownerId" FROM ${table} r WHERE r.id = ANY(${uuidArray(ids)})`,
  );
  return new Map(rows.map((r) => [r.id, r.ownerId]));
}

/** One UPDATE for a batch: each record its new owner. */
export async function setOwners(
  tx: Tx,
  table: PgTable,
  owners: { id: string; ownerId: string }[],
): Promise<void> {
  if (owners.length === 0) return;
  await tx.execute(sql`
    UPDATE ${table} r SET owner_id = x.owner_id, updated_at = now()
      FROM unnest(${uuidArray(owners.map((o) => o.id))}, ${uuidArray(owners.map((o) => o.ownerId))})
           AS x(id, owner_id)
     WHERE r.id = x.id`);
}

/** Active admins of the current workspace (told when a rule's target is gone). */
export async function activeAdmins(tx: Tx): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`SELECT m.user_id AS id FROM workspace_members m
          JOIN roles ro ON ro.workspace_id = m.workspace_id AND ro.id = m.role_id
         WHERE ro.is_admin AND m.status = 'active'`,
  );
  return rows.map((r) => r.id);
}

export async function userNames(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{ id: string; name: string }>(
    tx,
    sql`SELECT id, name FROM users WHERE id = ANY(${uuidArray(ids)})`,
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function teamNames(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{ id: string; name: string }>(
    tx,
    sql`SELECT id, name FROM teams WHERE id = ANY(${uuidArray(ids)})`,
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
