import { auditChange } from '../../core/audit.js';
import { AppError, fieldError } from '../../core/errors.js';
import {
  authorize,
  effectivePermissions,
  isPermissionObject,
  permissionObjects,
  type Actor,
  type RolePermissions,
} from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { AppContext } from '../../core/context.js';
import * as repo from './roles.repository.js';

function present(r: repo.RoleRow) {
  return {
    ...r,
    builtIn: r.key !== null,
    // Built-in roles' permissions come from the code registry, so new modules reach them.
    permissions: effectivePermissions(r),
  };
}

async function withMemberCounts(tx: Tx, id?: string) {
  return (await repo.selectRoles(tx, id)).map(present);
}

export type RoleView = Awaited<ReturnType<typeof withMemberCounts>>[number];

export function permissionObjectList() {
  return permissionObjects().map((o) => ({
    key: o.key,
    actions: [...o.actions],
    scoped: o.scoped,
  }));
}

/** Keep only registered objects and actions they support; reject unknown object keys. */
function cleanPermissions(input: RolePermissions): RolePermissions {
  const out: RolePermissions = {};
  for (const [key, p] of Object.entries(input)) {
    if (!isPermissionObject(key)) {
      throw fieldError(`permissions.${key}`, {
        vi: `Đối tượng phân quyền không tồn tại: ${key}.`,
        en: `Unknown permission object: ${key}.`,
      });
    }
    out[key] = p;
  }
  return effectivePermissions({ key: null, isAdmin: false, permissions: out });
}

export async function listRoles(ctx: AppContext, actor: Actor) {
  authorize(actor, 'roles', 'read');
  return ctx.db.tenant(actor, (tx) => withMemberCounts(tx));
}

async function getRole(tx: Tx, id: string): Promise<RoleView> {
  const [row] = await withMemberCounts(tx, id);
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function getRoleById(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, 'roles', 'read');
  return ctx.db.tenant(actor, (tx) => getRole(tx, id));
}

export async function createRole(
  ctx: AppContext,
  actor: Actor,
  input: { name: string; description?: string | undefined; permissions: RolePermissions },
) {
  authorize(actor, 'roles', 'create');
  const permissions = cleanPermissions(input.permissions);
  return ctx.db.tenant(actor, async (tx) => {
    const id = await repo.insertRole(tx, {
      workspaceId: actor.workspaceId,
      name: input.name,
      description: input.description ?? '',
      permissions,
    });
    const created = await getRole(tx, id);
    await auditChange(tx, actor, 'role', id, null, {
      name: created.name,
      description: created.description,
      permissions,
    });
    return created;
  });
}

export async function updateRole(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: {
    name?: string | undefined;
    description?: string | undefined;
    permissions?: RolePermissions | undefined;
  },
) {
  authorize(actor, 'roles', 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const before = await getRole(tx, id);
    if (before.builtIn) throw new AppError('FORBIDDEN');
    const next = {
      name: patch.name ?? before.name,
      description: patch.description ?? before.description,
      permissions: patch.permissions ? cleanPermissions(patch.permissions) : before.permissions,
    };
    await repo.updateRole(tx, id, next);
    await auditChange(
      tx,
      actor,
      'role',
      id,
      { name: before.name, description: before.description, permissions: before.permissions },
      next,
    );
    return getRole(tx, id);
  });
}

export async function deleteRole(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'roles', 'delete');
  await ctx.db.tenant(actor, async (tx) => {
    const before = await getRole(tx, id);
    if (before.builtIn) throw new AppError('FORBIDDEN');
    if (await repo.roleInUse(tx, id)) {
      throw new AppError('CONFLICT', {
        text: {
          vi: 'Vai trò đang được dùng. Hãy đổi vai trò của các thành viên trước.',
          en: 'The role is in use. Move its members to another role first.',
        },
      });
    }
    await repo.deleteRole(tx, id);
    await auditChange(
      tx,
      actor,
      'role',
      id,
      { name: before.name, permissions: before.permissions },
      null,
    );
  });
}
