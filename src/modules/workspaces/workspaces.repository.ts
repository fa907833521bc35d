import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { roles, users, workspaceMembers, workspaces } from '../../db/schema/index.js';
import { builtinRoleKeys } from '../../core/permissions.js';
import type { Locale } from '../../core/errors.js';
import { builtinRoles } from '../roles/roles.builtin.js';

export const workspaceColumns = {
  id: workspaces.id,
  name: workspaces.name,
  locale: workspaces.locale,
  currency: workspaces.currency,
  timezone: workspaces.timezone,
  createdAt: workspaces.createdAt,
};

export async function getWorkspace(tx: Tx, id: string) {
  const [row] = await tx.select(workspaceColumns).from(workspaces).where(eq(workspaces.id, id));
  return row;
}

export async function updateWorkspace(
  tx: Tx,
  id: string,
  patch: Partial<{ name: string; locale: string; currency: string; timezone: string }>,
) {
  const [row] = await tx
    .update(workspaces)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(workspaces.id, id))
    .returning(workspaceColumns);
  return row;
}

/** Serialises first-run setups (held until the transaction ends). */
export async function lockFirstSetup(tx: Tx): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(7474502)`);
}

export async function countWorkspaces(tx: Tx): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(workspaces);
  return row?.n ?? 0;
}

export async function listWorkspaces(tx: Tx) {
  return tx.select(workspaceColumns).from(workspaces).orderBy(asc(workspaces.createdAt));
}

/** Insert a workspace with its built-in roles; returns the workspace and the admin role id. */
export async function insertWorkspace(
  tx: Tx,
  input: { name: string; locale: Locale; currency: string; timezone: string },
) {
  const [workspace] = await tx.insert(workspaces).values(input).returning(workspaceColumns);
  if (!workspace) throw new Error('workspace insert returned nothing');
  const inserted = await tx
    .insert(roles)
    .values(
      builtinRoleKeys.map((key) => ({
        workspaceId: workspace.id,
        key,
        name: builtinRoles[key].name[input.locale],
        description: builtinRoles[key].description[input.locale],
        isAdmin: builtinRoles[key].isAdmin,
      })),
    )
    .returning({ id: roles.id, key: roles.key });
  const adminRoleId = inserted.find((r) => r.key === 'admin')?.id;
  if (!adminRoleId) throw new Error('admin role missing');
  return { workspace, adminRoleId };
}

export async function insertMember(tx: Tx, workspaceId: string, userId: string, roleId: string) {
  await tx.insert(workspaceMembers).values({ workspaceId, userId, roleId });
}

export async function findMember(tx: Tx, workspaceId: string, userId: string) {
  const [row] = await tx
    .select({ status: workspaceMembers.status, roleId: workspaceMembers.roleId })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
  return row;
}

/** Users are global rows, inserted by sen_system only. */
export async function insertUser(
  tx: Tx,
  input: { email: string; name: string; passwordHash: string; locale: Locale },
) {
  const [row] = await tx
    .insert(users)
    .values(input)
    .returning({ id: users.id, email: users.email, name: users.name, locale: users.locale });
  if (!row) throw new Error('user insert returned nothing');
  return row;
}

export async function findUserIdByEmail(tx: Tx, email: string) {
  const [row] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
  return row?.id;
}

/** The number of active members of each workspace that has any (sen_system). */
export async function activeMemberCounts(tx: Tx): Promise<Map<string, number>> {
  const rows = await queryRows<{ workspace_id: string; members: number }>(
    tx,
    sql`SELECT workspace_id, count(*)::int AS members FROM workspace_members WHERE status = 'active' GROUP BY workspace_id`,
  );
  return new Map(rows.map((r) => [r.workspace_id, r.members]));
}
