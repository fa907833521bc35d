import { recordAudit } from '../../core/audit.js';
import type { AppContext } from '../../core/context.js';
import { AppError, type Locale } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { pgErrorCode } from '../../db/sql.js';
import { FieldErrors } from '../records/normalize.js';
import * as repo from './stock.repository.js';
import type { WarehouseView } from './stock.schemas.js';

/**
 * Warehouses (#20): everyone who reads stock sees them; stock's `update` (managers, admins)
 * creates, renames, archives them and chooses the default. A warehouse any movement names is
 * archived, never deleted (its history stays readable); the default one is neither.
 */

const OBJECT = 'stock';

export const defaultWarehouseName = { vi: 'Kho chính', en: 'Main warehouse' };

const messages = {
  nameTaken: {
    vi: 'Đã có một kho mang tên này.',
    en: 'A warehouse with this name already exists.',
  },
  defaultKept: {
    vi: 'Kho mặc định không lưu trữ hay xoá được: hãy chọn kho mặc định khác trước.',
    en: 'The default warehouse cannot be archived or deleted: make another one the default first.',
  },
  archivedDefault: {
    vi: 'Kho đã lưu trữ không làm kho mặc định được.',
    en: 'An archived warehouse cannot be the default.',
  },
  hasHistory: {
    vi: 'Kho này đã có xuất nhập kho: hãy lưu trữ thay vì xoá.',
    en: 'This warehouse has stock movements: archive it instead of deleting it.',
  },
};

/** Workspace setup: every new workspace starts with its default warehouse. */
export async function createDefaultWarehouse(tx: Tx, actor: Actor, locale: Locale) {
  await repo.insertWarehouse(tx, actor.workspaceId, {
    name: defaultWarehouseName[locale],
    address: null,
    isDefault: true,
  });
}

function present(r: repo.WarehouseRow): WarehouseView {
  return { ...r, productCount: Number(r.productCount) };
}

async function one(tx: Tx, id: string, forUpdate = false): Promise<repo.WarehouseRow> {
  const w = await repo.getWarehouse(tx, id, { forUpdate });
  if (!w) throw new AppError('NOT_FOUND');
  return w;
}

/** A live name taken (the partial unique index) becomes a field error (the write is undone). */
async function guardName<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (pgErrorCode(err) === '23505') {
      const errors = new FieldErrors();
      errors.add('name', messages.nameTaken, 'duplicate');
      errors.throwIfAny();
    }
    throw err;
  }
}

export async function listWarehouses(
  ctx: AppContext,
  actor: Actor,
  includeArchived: boolean,
): Promise<WarehouseView[]> {
  authorize(actor, OBJECT, 'read');
  return (await ctx.db.read(actor, (tx) => repo.listWarehouses(tx, includeArchived))).map(present);
}

export async function createWarehouse(
  ctx: AppContext,
  actor: Actor,
  body: { name: string; address?: string | null | undefined },
): Promise<WarehouseView> {
  authorize(actor, OBJECT, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const name = body.name.normalize('NFC').trim();
    const address = body.address?.normalize('NFC').trim() || null;
    const id = await guardName(() =>
      repo.insertWarehouse(tx, actor.workspaceId, { name, address, isDefault: false }),
    );
    await recordAudit(tx, actor, {
      action: 'create',
      objectType: 'warehouse',
      objectId: id,
      changes: { name: { from: null, to: name }, address: { from: null, to: address } },
    });
    return present(await one(tx, id));
  });
}

export async function updateWarehouse(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: {
    name?: string | undefined;
    address?: string | null | undefined;
    isDefault?: true | undefined;
    archived?: boolean | undefined;
  },
): Promise<WarehouseView> {
  authorize(actor, OBJECT, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const before = await one(tx, id, true);
    const name = body.name !== undefined ? body.name.normalize('NFC').trim() : before.name;
    const address =
      body.address !== undefined ? body.address?.normalize('NFC').trim() || null : before.address;
    const archived = body.archived ?? before.archived;
    const errors = new FieldErrors();
    if (archived && (before.isDefault || body.isDefault)) {
      errors.add(
        'archived',
        body.isDefault ? messages.archivedDefault : messages.defaultKept,
        'default',
      );
    }
    errors.throwIfAny();
    await guardName(() => repo.updateWarehouse(tx, id, { name, address, archived }));
    if (body.isDefault && !before.isDefault) await repo.makeDefault(tx, id);
    const after = await one(tx, id);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const k of ['name', 'address', 'isDefault', 'archived'] as const) {
      if (before[k] !== after[k]) changes[k] = { from: before[k], to: after[k] };
    }
    if (Object.keys(changes).length > 0) {
      await recordAudit(tx, actor, {
        action: 'update',
        objectType: 'warehouse',
        objectId: id,
        changes,
      });
    }
    return present(after);
  });
}

/** Delete a warehouse nothing ever moved through (else 409: archive it). */
export async function deleteWarehouse(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, OBJECT, 'update');
  await ctx.db.tenant(actor, async (tx) => {
    const w = await one(tx, id, true);
    if (w.isDefault) throw new AppError('CONFLICT', { text: messages.defaultKept });
    if (w.hasMovements) throw new AppError('CONFLICT', { text: messages.hasHistory });
    await repo.deleteWarehouse(tx, id);
    await recordAudit(tx, actor, {
      action: 'delete',
      objectType: 'warehouse',
      objectId: id,
      changes: { name: { from: w.name, to: null } },
    });
  });
}
