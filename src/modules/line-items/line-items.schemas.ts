import { z } from 'zod';
import { vatRates } from '../products/products.table.js';
import { discountKinds } from './line-items.columns.js';

/** A quantity: up to 11 digits and 3 decimals, as a number or a decimal string ("2,5" too). */
const quantity = z.union([z.number(), z.string().max(20)]);

/** One line as a client writes it: a product (its name, unit, price and VAT by default) or free text. */
export const lineItemInput = z.strictObject({
  productId: z.uuid().nullable().optional(),
  name: z.string().max(500).optional(),
  sku: z.string().max(100).nullable().optional(),
  description: z.string().max(5000).nullable().optional(),
  unit: z.string().max(50).optional(),
  quantity,
  /** Integer đồng; default: the customer's price list, else the product's price. */
  unitPrice: z.number().optional(),
  discount: z
    .strictObject({ kind: z.enum(discountKinds), value: z.union([z.number(), z.string().max(20)]) })
    .nullable()
    .optional(),
  vatRate: z.enum(vatRates).optional(),
  /**
   * Giá vốn of one unit, integer đồng (null: unknown); default: the product's cost price.
   * Refused from a role that may not see products' cost price.
   */
  costPrice: z.number().int().min(0).max(1e15).nullable().optional(),
});
export type LineItemInput = z.infer<typeof lineItemInput>;

export const lineItemsBody = z.strictObject({ items: z.array(lineItemInput).max(2000) });

export const lineItem = z.object({
  id: z.uuid(),
  position: z.number().int(),
  productId: z.uuid().nullable(),
  /** The product is in the trash (the line keeps what it sold). */
  productDeleted: z.boolean(),
  name: z.string(),
  sku: z.string().nullable(),
  description: z.string().nullable(),
  unit: z.string(),
  quantity: z.number(),
  unitPrice: z.number().int(),
  discount: z.object({ kind: z.enum(discountKinds), value: z.number() }).nullable(),
  vatRate: z.enum(vatRates),
  grossAmount: z.number().int(),
  discountAmount: z.number().int(),
  netAmount: z.number().int(),
  vatAmount: z.number().int(),
  /**
   * Only for a role that may see products' cost price (absent otherwise): the unit cost when
   * the line was written, the line's cost (quantity × cost price), its margin (net − cost) and
   * the margin in percent of the net; null when the cost is unknown.
   */
  costPrice: z.number().int().nullable().optional(),
  costAmount: z.number().int().nullable().optional(),
  margin: z.number().int().nullable().optional(),
  marginPercent: z.number().nullable().optional(),
});
export type LineItem = z.infer<typeof lineItem>;

export const documentTotals = z.object({
  subtotal: z.number().int(),
  discountTotal: z.number().int(),
  netTotal: z.number().int(),
  vatLines: z.array(
    z.object({ rate: z.enum(vatRates), net: z.number().int(), vat: z.number().int() }),
  ),
  vatTotal: z.number().int(),
  total: z.number().int(),
  /** The total in Vietnamese words ("Một triệu hai trăm nghìn đồng chẵn"). */
  totalInWords: z.string(),
  /** The largest line discount in percent of its line. */
  discountPercent: z.number(),
  /**
   * Lãi gộp of the document, only for a role that may see products' cost price (absent
   * otherwise; null when no line has a cost): over the lines with a known cost.
   */
  margin: z
    .object({
      cost: z.number().int(),
      margin: z.number().int(),
      percent: z.number().nullable(),
      linesWithoutCost: z.number().int(),
    })
    .nullable()
    .optional(),
});

export const lineItemsResponse = z.object({
  items: z.array(lineItem),
  totals: documentTotals,
  /** Why the lines cannot change now (in the caller's language), or null. */
  locked: z.string().nullable(),
  /** The record's version after the write (its ETag). */
  version: z.number().int(),
});
export type LineItemsResponse = z.infer<typeof lineItemsResponse>;
