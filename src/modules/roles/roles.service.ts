import { auditChange } from '../../core/audit.js';
import { AppError, fieldError } from '../../core/errors.js';
import {
  authorize,
  effectivePermissions,
  isPermissionObject,
  permissionObjects,
  type Actor,
  type RoleFieldAccess,
  type RolePermissions,
} from '../../core/permissions.js';
import { loadCustomFields } from '../custom-fields/values.js';
import { recordObjectDefinition } from '../records/define.js';
import { isHideable } from '../records/field-access.js';
import { objectFields } from '../records/fields.js';
import { FieldErrors } from '../records/normalize.js';
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

const adminSeesAll = {
  vi: 'Vai trò quản trị luôn xem và sửa được mọi trường.',
  en: 'The admin role always sees and changes every field.',
};
const unknownField = (object: string, key: string) => ({
  vi: `Không có trường "${key}" trong ${object}.`,
  en: `There is no field "${key}" in ${object}.`,
});
const notHideable = (label: string) => ({
  vi: `Không thể ẩn trường "${label}" (nó định danh hoặc xác định người phụ trách bản ghi).`,
  en: `"${label}" cannot be hidden (it names the record or its owner).`,
});

/**
 * Replace a role's field access (issue #19): per record object, fields hidden from the role or
 * read-only for it. Fields must exist (system or the workspace's custom fields); a hidden one
 * must be hideable. Audited; every member's principal follows (auth_version).
 */
export async function saveFieldAccess(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: RoleFieldAccess,
) {
  authorize(actor, 'roles', 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const before = await getRole(tx, id);
    if (before.isAdmin) throw fieldError('fieldAccess', adminSeesAll);
    const errors = new FieldErrors();
    const clean: RoleFieldAccess = {};
    for (const [object, fields] of Object.entries(input)) {
      const def = recordObjectDefinition(object);
      if (!def) {
        errors.add(`fieldAccess.${object}`, unknownField('Sen', object), 'unknown_object');
        continue;
      }
      const all = objectFields(object, await loadCustomFields(tx, object));
      for (const [key, level] of Object.entries(fields)) {
        const field = all.find((f) => f.key === key);
        const path = `fieldAccess.${object}.${key}`;
        if (!field) errors.add(path, unknownField(def.label.many.vi, key), 'unknown_field');
        else if (level === 'hidden' && !isHideable(field, def.presentation.titleField)) {
          errors.add(path, notHideable(field.label.vi), 'not_hideable');
        } else (clean[object] ??= {})[key] = level;
      }
    }
    errors.throwIfAny();
    await repo.setFieldAccess(tx, id, clean);
    await auditChange(
      tx,
      actor,
      'role',
      id,
      { fieldAccess: before.fieldAccess },
      {
        fieldAccess: clean,
      },
    );
    return getRole(tx, id);
  });
}
