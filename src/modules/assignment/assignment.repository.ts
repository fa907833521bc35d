import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/database.js';
import { queryRows, textArray, uuidArray } from '../../db/sql.js';
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

/** An active rule as the engine uses it, with what its target needs, read in one statement. */
export interface ActiveRule {
  id: string;
  name: string;
  condition: AssignmentRuleRow['condition'];
  targetType: AssignmentRuleRow['targetType'];
  userId: string | null;
  teamId: string | null;
  method: AssignmentRuleRow['method'];
  /** The rule's user's membership status (null: not a member, or a team rule). */
  userStatus: string | null;
  /** The team's active members in user id order (the round robin's order); null: a user rule. */
  members: string[] | null;
  /** Whether the rule's team still exists (null: a user rule). */
  teamExists: boolean | null;
}

export interface AssignmentPlan {
  rules: ActiveRule[];
  fallbackUserId: string | null;
  fallbackStatus: string | null;
}

/**
 * Everything the engine reads before placing records, in ONE statement: the object's active
 * rules in order, each with its user's status or its team's active members (user id order) and
 * whether the team still exists, and the fallback owner with their status.
 */
export async function assignmentPlan(tx: Tx, object: string): Promise<AssignmentPlan> {
  const rows = await queryRows<{
    fallbackUserId: string | null;
    fallbackStatus: string | null;
    id: string | null;
    name: string;
    condition: AssignmentRuleRow['condition'];
    targetType: AssignmentRuleRow['targetType'];
    userId: string | null;
    teamId: string | null;
    method: AssignmentRuleRow['method'];
    userStatus: string | null;
    members: string[] | null;
    teamExists: boolean | null;
  }>(
    tx,
    sql`SELECT f.fallback_user_id AS "fallbackUserId", fm.status AS "fallbackStatus",
               r.id, r.name, r.condition, r.target_type AS "targetType", r.user_id AS "userId",
               r.team_id AS "teamId", r.method, um.status AS "userStatus",
               CASE WHEN r.team_id IS NOT NULL THEN ARRAY(
                 SELECT tm.user_id::text FROM team_members tm
                   JOIN workspace_members m
                     ON m.workspace_id = tm.workspace_id AND m.user_id = tm.user_id
                  WHERE tm.team_id = r.team_id AND m.status = 'active'
                  ORDER BY tm.user_id) END AS members,
               CASE WHEN r.team_id IS NOT NULL
                    THEN EXISTS (SELECT 1 FROM teams t WHERE t.id = r.team_id) END AS "teamExists"
          FROM (SELECT 1) one
          LEFT JOIN assignment_settings f ON f.object = ${object}
          LEFT JOIN workspace_members fm ON fm.user_id = f.fallback_user_id
          LEFT JOIN assignment_rules r ON r.object = ${object} AND r.active
          LEFT JOIN workspace_members um ON um.user_id = r.user_id
         ORDER BY r.position, r.id`,
  );
  const first = rows[0];
  return {
    fallbackUserId: first?.fallbackUserId ?? null,
    fallbackStatus: first?.fallbackStatus ?? null,
    rules: rows.flatMap((r) =>
      r.id === null
        ? []
        : [
            {
              id: r.id,
              name: r.name,
              condition: r.condition,
              targetType: r.targetType,
              userId: r.userId,
              teamId: r.teamId,
              method: r.method,
              userStatus: r.userStatus,
              members: r.members,
              teamExists: r.teamExists,
            },
          ],
    ),
  };
}

/**
 * Lock a team rule's row for the transaction and read its round-robin pointer (fewest open:
 * the counts it reads must not change under it, so the lock is taken before them).
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

/**
 * The round robin's turns for `count` records, taken in ONE statement: the rule's pointer moves
 * `count` members on (among `members`, in their order: the turn after the pointer is the first
 * member after it, or the first member) and the statement returns where it now stands, the
 * member the last of the records goes to. Two transactions taking turns at once queue on the
 * row (the second's UPDATE waits for the first to end, then moves on from the pointer the first
 * left), so neither is handed the turn the other took; the row stays locked until the commit,
 * so the caller takes its turns as late as it can.
 */
export async function takeTurns(
  tx: Tx,
  id: string,
  members: string[],
  count: number,
): Promise<string> {
  const [row] = await queryRows<{ lastUserId: string }>(
    tx,
    sql`UPDATE assignment_rules r
           SET last_user_id = m.ids[(coalesce(
                 (SELECT min(x.i) FROM unnest(m.ids) WITH ORDINALITY AS x(v, i)
                   WHERE x.v > r.last_user_id), 1) - 1 + ${count}::int - 1)
                 % cardinality(m.ids) + 1]
          FROM (SELECT ${uuidArray(members)} AS ids) m
         WHERE r.id = ${id}::uuid
        RETURNING r.last_user_id::text AS "lastUserId"`,
  );
  if (!row) throw new Error(`assignment rule ${id} vanished while taking turns`);
  return row.lastUserId;
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

/** One record's new owner, and the rule that chose it (null: the fallback owner). */
export interface OwnerWrite {
  id: string;
  ownerId: string;
  ruleName: string | null;
}

/**
 * In ONE statement: each record its new owner (only those whose owner changes), for each an
 * `assign` audit entry (from → to, and the rule by its name or that the fallback owner took
 * it) and, unless the new owner is `notify.skipUserId`, the new owner's `record_assigned`
 * notification (the rule's name in its params; the record's name as it is now). The owners are
 * active members (the engine chose them among them), as notifyMany would check. Returns the
 * records changed with their previous owner and their name.
 */
export async function writeOwners(
  tx: Tx,
  table: PgTable,
  nameColumn: string,
  audit: {
    workspaceId: string;
    actorType: string;
    actorId: string | null;
    actorName: string | null;
    userId: string | null;
    channel: string;
    objectType: string;
    requestId: string | null;
  },
  writes: OwnerWrite[],
  notify: { kind: string; skipUserId: string | null },
): Promise<{ id: string; before: string | null; name: string | null }[]> {
  if (writes.length === 0) return [];
  return queryRows(
    tx,
    sql`WITH x AS (
          SELECT * FROM unnest(${uuidArray(writes.map((w) => w.id))},
                               ${uuidArray(writes.map((w) => w.ownerId))},
                               ${textArray(writes.map((w) => w.ruleName ?? ''))},
                               ${`{${writes.map((w) => (w.ruleName === null ? 'f' : 't')).join(',')}}`}::boolean[])
                   AS x(id, owner_id, rule_name, by_rule)
        ), old AS (
          SELECT r.id, r.owner_id FROM ${table} r JOIN x ON x.id = r.id
        ), written AS (
          UPDATE ${table} r SET owner_id = x.owner_id, updated_at = now()
            FROM x
           WHERE r.id = x.id AND r.owner_id IS DISTINCT FROM x.owner_id
          RETURNING r.id, r.owner_id, r.${sql.identifier(nameColumn)}::text AS name
        ), audited AS (
          INSERT INTO audit_log (workspace_id, actor_type, actor_id, actor_name, user_id, channel,
                                 action, object_type, object_id, changes, request_id)
          SELECT ${audit.workspaceId}::uuid, ${audit.actorType}, ${audit.actorId}::uuid,
                 ${audit.actorName}, ${audit.userId}::uuid, ${audit.channel}, 'assign',
                 ${audit.objectType}, w.id::text,
                 jsonb_build_object('ownerId', jsonb_build_object('from', o.owner_id, 'to', w.owner_id))
                 || CASE WHEN x.by_rule
                         THEN jsonb_build_object('assignmentRule',
                                jsonb_build_object('from', NULL, 'to', x.rule_name))
                         ELSE '{"assignmentFallback": {"from": null, "to": true}}'::jsonb END,
                 ${audit.requestId}
            FROM written w JOIN old o ON o.id = w.id JOIN x ON x.id = w.id
        ), notified AS (
          INSERT INTO notifications (workspace_id, user_id, kind, params, record_object, record_id,
                                     record_name, actor_name)
          SELECT ${audit.workspaceId}::uuid, w.owner_id, ${notify.kind},
                 CASE WHEN x.by_rule THEN jsonb_build_object('ruleName', x.rule_name)
                      ELSE '{}'::jsonb END,
                 ${audit.objectType}, w.id, w.name, ${audit.actorName}
            FROM written w JOIN x ON x.id = w.id
           WHERE w.owner_id IS DISTINCT FROM ${notify.skipUserId}::uuid
        )
        SELECT w.id::text AS id, o.owner_id::text AS before, w.name
          FROM written w JOIN old o ON o.id = w.id`,
  );
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
