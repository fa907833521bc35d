import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  numeric,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { recordColumns, recordTableExtras } from '../../db/schema/record-table.js';

/** VAT rates of Vietnam (Luật Thuế GTGT): 0 %, 5 %, 8 % (reduced), 10 %, or not subject. */
export const vatRates = ['0', '5', '8', '10', 'none'] as const;
export type VatRate = (typeof vatRates)[number];

/** The product catalogue: what deals, quotes and orders sell. Prices in integer đồng. */
export const products = pgTable(
  'products',
  {
    ...recordColumns(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    unit: text('unit').notNull().default('cái'),
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull().default(0),
    /**
     * Giá vốn: what one unit costs the business, integer đồng (null: not known). Copied onto a
     * document's line when the product is chosen, for its margin (lãi gộp). Hideable per role:
     * hiding it also hides cost and margin on every document's lines (line-items/define.ts).
     */
    costPrice: bigint('cost_price', { mode: 'number' }),
    vatRate: text('vat_rate', { enum: vatRates }).notNull().default('10'),
    category: text('category'),
    description: text('description'),
    active: boolean('active').notNull().default(true),
    /**
     * Stock (modules/stock): below this quantity on hand in a warehouse the stock page flags the
     * product (null: never); a quantity like the stock's, numeric(14,3).
     */
    reorderLevel: numeric('reorder_level', { precision: 14, scale: 3, mode: 'number' }),
    /** Orders may reserve more than is available (the rest is a backorder). */
    allowBackorder: boolean('allow_backorder').notNull().default(false),
  },
  (t) => [
    ...recordTableExtras('products', t),
    // A SKU names one live product per workspace (a trashed one frees it).
    uniqueIndex('products_sku_key')
      .on(t.workspaceId, t.sku)
      .where(sql`deleted_at IS NULL`),
    // Duplicate checks compare SKUs without regard to case (records/duplicates.ts codeKey).
    index('products_sku_lower_idx')
      .on(t.workspaceId, sql`lower(${t.sku})`)
      .where(sql`deleted_at IS NULL`),
    index('products_category_idx')
      .on(t.workspaceId, t.category)
      .where(sql`deleted_at IS NULL`),
    check('products_unit_price_not_negative', sql`unit_price >= 0`),
    check('products_cost_price_not_negative', sql`cost_price >= 0`),
    check('products_reorder_level_not_negative', sql`reorder_level >= 0`),
  ],
);

export type ProductRow = typeof products.$inferSelect;
