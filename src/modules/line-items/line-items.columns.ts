import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  text,
  uuid,
  type PgTableWithColumns,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, updatedAt, workspaceId } from '../../db/schema/common.js';
import { products, vatRates } from '../products/products.table.js';

/** How a line's discount is given: a percentage of its gross amount, or an amount in đồng. */
export const discountKinds = ['percent', 'amount'] as const;
export type DiscountKind = (typeof discountKinds)[number];

/** A parent document table: a record table (recordColumns) with its (workspace_id, id) key. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ParentTable = PgTableWithColumns<any>;

/**
 * The line items of a selling document (quotes, orders, invoices): ONE declaration, used by each
 * document's table file (`export const quoteLines = lineItemsTable('quote_lines', quotes)`), so
 * the three child tables have the same columns, checks, indexes and tenant policies, and one
 * service (line-items.service.ts) reads and writes them all.
 *
 * A line keeps what it sold as it was (name, SKU, unit, price, VAT rate): a product renamed,
 * repriced or deleted later does not change a document already written. `product_id` is set
 * null when the product is purged from the trash; the line stays, as free text.
 *
 * Amounts in integer đồng, computed by src/lib/selling/amounts.ts (never by the client): the
 * line's gross (quantity × unit price), its discount, its net, and its VAT for information (a
 * document's VAT is computed per rate on the sum of its nets; see amounts.ts).
 */
export function lineItemsTable(name: string, parent: ParentTable) {
  return pgTable(
    name,
    {
      id: id(),
      workspaceId: workspaceId(),
      parentId: uuid('parent_id').notNull(),
      position: integer('position').notNull(),
      productId: uuid('product_id'),
      name: text('name').notNull(),
      sku: text('sku'),
      description: text('description'),
      unit: text('unit').notNull().default('cái'),
      quantity: numeric('quantity', { precision: 14, scale: 3 }).notNull(),
      unitPrice: bigint('unit_price', { mode: 'number' }).notNull(),
      discountKind: text('discount_kind', { enum: discountKinds }),
      discountValue: numeric('discount_value', { precision: 16, scale: 2 }),
      vatRate: text('vat_rate', { enum: vatRates }).notNull(),
      grossAmount: bigint('gross_amount', { mode: 'number' }).notNull(),
      discountAmount: bigint('discount_amount', { mode: 'number' }).notNull().default(0),
      netAmount: bigint('net_amount', { mode: 'number' }).notNull(),
      vatAmount: bigint('vat_amount', { mode: 'number' }).notNull().default(0),
      /**
       * The line this one was made from: a quote's line for an order's, an order's line for an
       * invoice's (what was delivered and invoiced of an order line adds up through it).
       */
      sourceLineId: uuid('source_line_id'),
      /** The product's cost price when the line was written: margin (hidden per role). */
      costPrice: bigint('cost_price', { mode: 'number' }),
      createdAt: createdAt(),
      updatedAt: updatedAt(),
    },
    (t) => [
      foreignKey({
        name: `${name}_parent_fk`,
        columns: [t.workspaceId, t.parentId],
        foreignColumns: [parent.workspaceId, parent.id],
      }).onDelete('cascade'),
      foreignKey({
        name: `${name}_product_fk`,
        columns: [t.productId],
        foreignColumns: [products.id],
      }).onDelete('set null'),
      index(`${name}_parent_idx`).on(t.workspaceId, t.parentId, t.position),
      index(`${name}_product_idx`)
        .on(t.workspaceId, t.productId)
        .where(sql`product_id IS NOT NULL`),
      check(`${name}_quantity_positive`, sql`quantity > 0`),
      check(`${name}_unit_price_not_negative`, sql`unit_price >= 0`),
      check(
        `${name}_discount_valid`,
        sql`(discount_kind IS NULL AND discount_value IS NULL) OR (discount_kind = 'percent' AND discount_value BETWEEN 0 AND 100) OR (discount_kind = 'amount' AND discount_value >= 0)`,
      ),
      check(
        `${name}_amounts_valid`,
        sql`gross_amount >= 0 AND discount_amount BETWEEN 0 AND gross_amount AND net_amount = gross_amount - discount_amount AND vat_amount >= 0`,
      ),
      ...tenantPolicies(),
    ],
  );
}

export type LineItemsTable = ReturnType<typeof lineItemsTable>;
export type LineItemRow = LineItemsTable['$inferSelect'];
