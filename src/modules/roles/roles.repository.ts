import { eq, sql } from 'drizzle-orm';
import {
  builtinRoleKeys,
  type RoleFieldAccess,
  type RolePermissions,
} from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { roles, workspaceMembers } from '../../db/schema/index.js';

const roleColumns = {
  id: roles.id,
  key: roles.key,
  name: roles.name,
  description: roles.description,
  isAdmin: roles.isAdmin,
  permissions: roles.permissions,
  fieldAccess: roles.fieldAccess,
};

/** The workspace's roles (or the one with `id`) with their member counts: built-in roles first. */
export function selectRoles(tx: Tx, id?: string) {
  return tx
    .select({
      ...roleColumns,
      memberCount: sql<number>`(SELECT count(*)::int FROM workspace_members m WHERE m.role_id = ${roles.id})`,
    })
    .from(roles)
    .where(id === undefined ? undefined : eq(roles.id, id))
    .orderBy(
      sql`array_position(ARRAY[${sql.join(
        builtinRoleKeys.map((k) => sql`${k}`),
        sql`, `,
      )}]::text[], ${roles.key}) NULLS LAST`,
      roles.createdAt,
      roles.id,
    );
}

export type RoleRow = Awaited<ReturnType<typeof selectRoles>>[number];

export async function insertRole(
  tx: Tx,
  values: { workspaceId: string; name: string; description: string; permissions: RolePermissions },
): Promise<string> {
  const [row] = await tx.insert(roles).values(values).returning({ id: roles.id });
  if (!row) throw new Error('role insert returned nothing');
  return row.id;
}

export async function updateRole(
  tx: Tx,
  id: string,
  next: { name: string; description: string; permissions: RolePermissions },
): Promise<void> {
  await tx
    .update(roles)
    .set({ ...next, updatedAt: sql`now()` })
    .where(eq(roles.id, id));
}

/** Whether any member (active or not) has the role. */
export async function roleInUse(tx: Tx, id: string): Promise<boolean> {
  const [inUse] = await tx
    .select({ x: sql`1` })
    .from(workspaceMembers)
    .where(eq(workspaceMembers.roleId, id))
    .limit(1);
  return inUse !== undefined;
}

export async function deleteRole(tx: Tx, id: string): Promise<void> {
  await tx.delete(roles).where(eq(roles.id, id));
}

export async function setFieldAccess(tx: Tx, id: string, fieldAccess: RoleFieldAccess) {
  await tx
    .update(roles)
    .set({ fieldAccess, updatedAt: sql`now()` })
    .where(eq(roles.id, id));
}
