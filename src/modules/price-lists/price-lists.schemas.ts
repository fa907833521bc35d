import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';

const name = z.string().trim().min(1).max(100);
const description = z.string().trim().max(1000).nullable();

/** Integer đồng (VND has no minor unit), as a product's own price. */
export const unitPrice = z.number().int().min(0).max(1e15);

export const priceListCreateBody = z.strictObject({
  name,
  description: description.optional(),
  /** An inactive list stays on its customers but prices nothing (quotes fall back). */
  active: z.boolean().optional(),
  /** The list of customers that name none (at most one; setting it moves it here). */
  isDefault: z.boolean().optional(),
});
export type PriceListCreate = z.infer<typeof priceListCreateBody>;

export const priceListPatchBody = z.strictObject({
  name: name.optional(),
  description: description.optional(),
  active: z.boolean().optional(),
  isDefault: z.boolean().optional(),
});
export type PriceListPatch = z.infer<typeof priceListPatchBody>;

export const priceListView = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  isDefault: z.boolean(),
  /** Products priced in the list. */
  itemCount: z.number().int(),
  /** Companies and contacts (not in the trash) that name the list. */
  companyCount: z.number().int(),
  contactCount: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type PriceListView = z.infer<typeof priceListView>;

/** The whole list of a price list's prices: it replaces the stored one. */
export const priceListItemsBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        productId: z.uuid(),
        unitPrice,
      }),
    )
    .max(5000),
});
export type PriceListItemsInput = z.infer<typeof priceListItemsBody>;

export const priceListItemView = z.object({
  productId: z.uuid(),
  sku: z.string(),
  name: z.string(),
  unit: z.string(),
  /** The list's price, integer đồng. */
  unitPrice: z.number().int(),
  /** The product's own price beside it. */
  productUnitPrice: z.number().int(),
  /** (list price − product price) / product price, in %, one decimal; null when the product's price is 0. */
  differencePercent: z.number().nullable(),
  productActive: z.boolean(),
  /** The product is in the trash (still priced; a quote may still name it). */
  productDeleted: z.boolean(),
});
export type PriceListItemView = z.infer<typeof priceListItemView>;

export const priceListItemsView = z.object({
  priceList: priceListView,
  items: z.array(priceListItemView),
});

/** Comma-separated uuids in a query string. */
const idList = z
  .string()
  .max(200 * 37)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.uuid()).min(1).max(200));

export const quotePricesQuery = z.strictObject({
  companyId: z.uuid().optional(),
  contactId: z.uuid().optional(),
  /** Up to 200 product ids, comma-separated. */
  productIds: idList,
});

export const quotePriceView = z.object({
  productId: z.uuid(),
  unitPrice: z.number().int(),
  source: z.enum(['price_list', 'product']),
  priceListId: z.uuid().nullable(),
  priceListName: z.string().nullable(),
  /** The product's own price (the same as unitPrice when the source is the product). */
  productUnitPrice: z.number().int(),
});

export const quotePricesView = z.object({
  /** The list that applies to the customer (theirs, their company's or the default), if any. */
  priceList: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  /** One entry per known product; ids of no product of the workspace are left out. */
  items: z.array(quotePriceView),
});
