import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, updatedAt, workspaceId } from '../../db/schema/common.js';
import { products } from '../products/products.table.js';

/**
 * A workspace's warehouses ("Kho chính", "Kho Hải Phòng"). One is the default (orders that name
 * none take it). A warehouse that ever held stock is archived, never deleted: its movements
 * name it.
 */
export const warehouses = pgTable(
  'warehouses',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    address: text('address'),
    isDefault: boolean('is_default').notNull().default(false),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('warehouses_workspace_id_id_key').on(t.workspaceId, t.id),
    // One live warehouse per name (case-insensitive) and one default per workspace.
    uniqueIndex('warehouses_name_key')
      .on(t.workspaceId, sql`lower(${t.name})`)
      .where(sql`archived_at IS NULL`),
    uniqueIndex('warehouses_default_key')
      .on(t.workspaceId)
      .where(sql`is_default`),
    check('warehouses_default_not_archived', sql`NOT (is_default AND archived_at IS NOT NULL)`),
    ...tenantPolicies(),
  ],
);

/**
 * Stock of one product in one warehouse: on hand and reserved by orders (available = on hand −
 * reserved, negative when a product that allows backorders is reserved beyond its stock).
 * Changed only by stock.service.ts, in the transaction of the movement that explains the change.
 */
export const stockLevels = pgTable(
  'stock_levels',
  {
    workspaceId: workspaceId(),
    productId: uuid('product_id').notNull(),
    warehouseId: uuid('warehouse_id').notNull(),
    onHand: numeric('on_hand', { precision: 14, scale: 3, mode: 'string' }).notNull().default('0'),
    reserved: numeric('reserved', { precision: 14, scale: 3, mode: 'string' })
      .notNull()
      .default('0'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'stock_levels_pkey', columns: [t.workspaceId, t.productId, t.warehouseId] }),
    foreignKey({
      name: 'stock_levels_product_fk',
      columns: [t.workspaceId, t.productId],
      foreignColumns: [products.workspaceId, products.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'stock_levels_warehouse_fk',
      columns: [t.workspaceId, t.warehouseId],
      foreignColumns: [warehouses.workspaceId, warehouses.id],
    }),
    index('stock_levels_warehouse_idx').on(t.workspaceId, t.warehouseId),
    check('stock_levels_on_hand_not_negative', sql`on_hand >= 0`),
    check('stock_levels_reserved_not_negative', sql`reserved >= 0`),
    ...tenantPolicies(),
  ],
);

/** What moved stock: a receipt, an order's reservation, its release, its delivery, a count. */
export const stockMovementKinds = ['receipt', 'reserve', 'release', 'issue', 'adjust'] as const;
export type StockMovementKind = (typeof stockMovementKinds)[number];

/**
 * The append-only journal of stock (sen_app may insert and read, never update or delete). Every
 * change of a level has its movement, written in the same transaction, with the level after it.
 * `quantity` is positive, except an adjustment's, which is the signed change of on hand.
 */
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: id(),
    workspaceId: workspaceId(),
    kind: text('kind', { enum: stockMovementKinds }).notNull(),
    productId: uuid('product_id').notNull(),
    warehouseId: uuid('warehouse_id').notNull(),
    quantity: numeric('quantity', { precision: 14, scale: 3, mode: 'string' }).notNull(),
    onHandAfter: numeric('on_hand_after', { precision: 14, scale: 3, mode: 'string' }).notNull(),
    reservedAfter: numeric('reserved_after', { precision: 14, scale: 3, mode: 'string' }).notNull(),
    /** Why (required for an adjustment: "Kiểm kê tháng 12", "Hàng vỡ"). */
    reason: text('reason'),
    /** The document that moved it: an object key and a record id ('orders', its id). */
    refObject: text('ref_object'),
    refId: uuid('ref_id'),
    userId: uuid('user_id'),
    actorName: text('actor_name'),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: 'stock_movements_product_fk',
      columns: [t.workspaceId, t.productId],
      foreignColumns: [products.workspaceId, products.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'stock_movements_warehouse_fk',
      columns: [t.workspaceId, t.warehouseId],
      foreignColumns: [warehouses.workspaceId, warehouses.id],
    }),
    index('stock_movements_list_idx').on(t.workspaceId, t.id),
    index('stock_movements_product_idx').on(t.workspaceId, t.productId, t.warehouseId, t.id),
    index('stock_movements_ref_idx')
      .on(t.workspaceId, t.refObject, t.refId)
      .where(sql`ref_id IS NOT NULL`),
    check('stock_movements_quantity_nonzero', sql`quantity <> 0`),
    check('stock_movements_positive', sql`kind = 'adjust' OR quantity > 0`),
    check('stock_movements_adjust_reason', sql`kind <> 'adjust' OR reason IS NOT NULL`),
    check('stock_movements_ref', sql`(ref_object IS NULL) = (ref_id IS NULL)`),
    ...tenantPolicies(),
  ],
);
