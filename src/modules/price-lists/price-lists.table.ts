import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, updatedAt, workspaceId } from '../../db/schema/common.js';
import { workspaces } from '../../db/schema/workspaces.js';
import { products } from '../products/products.table.js';

/**
 * A workspace's price lists, one per customer group ("Đại lý cấp 1", "Khách lẻ"). A company or
 * a contact names its list (`price_list_id`, ON DELETE SET NULL); a quote takes the customer's
 * list, else the default list (at most one, active), else each product's own price. An inactive
 * list is kept on the customers that name it but prices nothing. `name_key` is the name folded
 * (trimmed, NFC, lower case in Vietnamese), unique per workspace: "Đại lý" and "đại lý" are one name.
 */
export const priceLists = pgTable(
  'price_lists',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    description: text('description'),
    active: boolean('active').notNull().default(true),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('price_lists_workspace_id_id_key').on(t.workspaceId, t.id),
    foreignKey({
      name: 'price_lists_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    uniqueIndex('price_lists_name_key').on(t.workspaceId, t.nameKey),
    // At most one default list per workspace, and it is an active one.
    uniqueIndex('price_lists_default_key')
      .on(t.workspaceId)
      .where(sql`is_default`),
    check('price_lists_default_active', sql`active OR NOT is_default`),
    ...tenantPolicies(),
  ],
);

/**
 * A list's price of one product, in integer đồng (>= 0). A product appears once per list; its
 * rows go with the list and with the product when it is purged from the trash.
 */
export const priceListItems = pgTable(
  'price_list_items',
  {
    workspaceId: workspaceId(),
    priceListId: uuid('price_list_id').notNull(),
    productId: uuid('product_id').notNull(),
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'price_list_items_pkey', columns: [t.priceListId, t.productId] }),
    foreignKey({
      name: 'price_list_items_list_fk',
      columns: [t.workspaceId, t.priceListId],
      foreignColumns: [priceLists.workspaceId, priceLists.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'price_list_items_product_fk',
      columns: [t.workspaceId, t.productId],
      foreignColumns: [products.workspaceId, products.id],
    }).onDelete('cascade'),
    index('price_list_items_product_idx').on(t.workspaceId, t.productId),
    check('price_list_items_unit_price_not_negative', sql`unit_price >= 0`),
    ...tenantPolicies(),
  ],
);

export type PriceListRow = typeof priceLists.$inferSelect;
export type PriceListItemRow = typeof priceListItems.$inferSelect;
