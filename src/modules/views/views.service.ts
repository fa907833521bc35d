import { auditChange } from '../../core/audit.js';
import { AppError, fieldError } from '../../core/errors.js';
import { authorize, can, visibilityScope, type Actor } from '../../core/permissions.js';
import type { ViewDefinition } from '../../db/schema/index.js';
import type { AppContext } from '../../core/context.js';
import { getRecordObject } from '../records/registry.js';
import * as repo from './views.repository.js';
import {
  presentView,
  type CreateViewInput,
  type LastUsedInput,
  type SavedViewView,
  type UpdateViewInput,
} from './views.schemas.js';

const AUDIT_TYPE = 'saved_views';

const messages = {
  unknownObject: { vi: 'Loại bản ghi không hợp lệ.', en: 'Unknown object.' },
  objectMismatch: {
    vi: 'Tham số object trong URL và trong nội dung khác nhau.',
    en: 'The object in the query and in the body differ.',
  },
  cannotShare: {
    vi: 'Chỉ người được sửa mọi bản ghi (quản trị, quản lý) mới tạo hoặc sửa chế độ xem dùng chung.',
    en: 'Only people who may edit every record (admins, managers) create or change shared views.',
  },
  onlyOwnerUnshares: {
    vi: 'Chỉ người tạo mới chuyển chế độ xem dùng chung thành riêng tư.',
    en: 'Only its owner can make a shared view private.',
  },
};

function assertObject(object: string): void {
  if (!getRecordObject(object)) throw fieldError('object', messages.unknownObject);
}

/**
 * Who may create or change a shared view of an object: whoever may update every record of it
 * (the `update` right with scope `all`) — admins and managers by default, and marketing, who
 * works all leads. A capability rather than a role name, so custom roles follow their matrix.
 */
export function canShare(actor: Actor, object: string): boolean {
  return can(actor, object, 'update') && visibilityScope(actor, object) === 'all';
}

function assertCanShare(actor: Actor, object: string): void {
  if (!canShare(actor, object)) throw new AppError('FORBIDDEN', { text: messages.cannotShare });
}

function resolveObject(queryObject: string | undefined, bodyObject: string | undefined): string {
  if (queryObject && bodyObject && queryObject !== bodyObject) {
    throw fieldError('object', messages.objectMismatch);
  }
  const object = queryObject ?? bodyObject;
  if (!object) throw fieldError('object', messages.unknownObject);
  return object;
}

const requireUser = (actor: Actor): string => {
  if (!actor.userId) throw new AppError('FORBIDDEN');
  return actor.userId;
};

/**
 * The views of an object the caller sees, and the one they last opened (`lastUsedId`: null for
 * the list of every record, or when that view is gone or no longer visible to them).
 */
export async function listViews(
  ctx: AppContext,
  actor: Actor,
  object: string,
): Promise<{ items: SavedViewView[]; lastUsedId: string | null }> {
  assertObject(object);
  authorize(actor, object, 'read');
  return ctx.db.read(actor, async (tx) => {
    const rows = await repo.listViews(tx, object);
    const last = actor.userId ? await repo.getLastUsed(tx, actor.userId, object) : undefined;
    const lastUsedId = rows.some((r) => r.id === last) ? (last ?? null) : null;
    return { items: rows.map(presentView), lastUsedId };
  });
}

/** Remember the view the user opened on an object's list (null: every record). */
export async function setLastUsed(
  ctx: AppContext,
  actor: Actor,
  input: LastUsedInput,
): Promise<void> {
  assertObject(input.object);
  authorize(actor, input.object, 'read');
  const userId = requireUser(actor);
  await ctx.db.tenant(actor, async (tx) => {
    if (input.viewId) {
      // Only a view of this object the user sees (RLS hides others' private views).
      const view = await repo.getView(tx, input.viewId);
      if (!view || view.object !== input.object) throw new AppError('NOT_FOUND');
    }
    await repo.setLastUsed(tx, {
      workspaceId: actor.workspaceId,
      userId,
      object: input.object,
      viewId: input.viewId,
    });
  });
}

export async function createView(
  ctx: AppContext,
  actor: Actor,
  queryObject: string | undefined,
  input: CreateViewInput,
): Promise<SavedViewView> {
  const object = resolveObject(queryObject, input.object);
  assertObject(object);
  authorize(actor, object, 'read');
  const ownerId = requireUser(actor);
  const shared = input.shared ?? false;
  if (shared) assertCanShare(actor, object);
  return ctx.db.tenant(actor, async (tx) => {
    const row = await repo.insertView(tx, {
      workspaceId: actor.workspaceId,
      object,
      name: input.name,
      ownerId,
      shared,
      definition: input.definition as ViewDefinition,
      position: input.position ?? 0,
    });
    const view = presentView(row);
    await auditChange(tx, actor, AUDIT_TYPE, row.id, null, { ...view });
    return view;
  });
}

/**
 * A private view: its owner only (others do not even see it: RLS). A shared view: whoever may
 * share views of the object; only the owner may make it private again.
 */
export async function updateView(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: UpdateViewInput,
): Promise<SavedViewView> {
  const userId = requireUser(actor);
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getView(tx, id);
    if (!before) throw new AppError('NOT_FOUND');
    authorize(actor, before.object, 'read');
    const isOwner = before.ownerId === userId;
    if (before.shared || patch.shared === true) assertCanShare(actor, before.object);
    else if (!isOwner) throw new AppError('NOT_FOUND');
    if (before.shared && patch.shared === false && !isOwner) {
      throw new AppError('FORBIDDEN', { text: messages.onlyOwnerUnshares });
    }
    const after = await repo.updateView(tx, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.shared !== undefined ? { shared: patch.shared } : {}),
      ...(patch.definition !== undefined ? { definition: patch.definition as ViewDefinition } : {}),
      ...(patch.position !== undefined ? { position: patch.position } : {}),
    });
    const view = presentView(after);
    await auditChange(tx, actor, AUDIT_TYPE, id, { ...presentView(before) }, { ...view });
    return view;
  });
}

/** Its owner, or (for a shared view) whoever may share views of the object. */
export async function deleteView(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  const userId = requireUser(actor);
  await ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getView(tx, id);
    if (!before) throw new AppError('NOT_FOUND');
    if (before.ownerId !== userId) assertCanShare(actor, before.object);
    await repo.deleteView(tx, id);
    await auditChange(tx, actor, AUDIT_TYPE, id, { ...presentView(before) }, null);
  });
}
