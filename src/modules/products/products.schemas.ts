import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { customInput, ref, tagsInput } from '../records/records.schemas.js';
import { vatRates } from './products.table.js';

/** Up to 3 decimals (numeric(14,3)): kilos to the gram, litres to the millilitre. */
export const threeDecimals = (v: number) => Number(v.toFixed(3)) === v;

/** Fields of a product a client may write (create and update). */
export const productWritable = {
  sku: z.string().max(64).optional(),
  name: z.string().max(300).optional(),
  unit: z.string().max(30).optional(),
  /** Integer đồng (VND has no minor unit). */
  unitPrice: z.number().int().min(0).max(1e15).optional(),
  /** Giá vốn, integer đồng (null: not known). */
  costPrice: z.number().int().min(0).max(1e15).nullable().optional(),
  vatRate: z.enum(vatRates).optional(),
  category: z.string().max(100).nullable().optional(),
  description: z.string().max(10_000).nullable().optional(),
  active: z.boolean().optional(),
  /** Stock: flag the product when a warehouse holds less than this (null: never). */
  reorderLevel: z
    .number()
    .min(0)
    .max(99_999_999_999)
    .refine(threeDecimals, { message: 'At most 3 decimals' })
    .nullable()
    .optional(),
  /** Stock: orders may reserve more than is available. */
  allowBackorder: z.boolean().optional(),
  ownerId: z.uuid().nullable().optional(),
  tags: tagsInput.optional(),
  custom: customInput.optional(),
};

export const productCreateBody = z.strictObject(productWritable);
export const productPatchBody = z.strictObject(productWritable);
export type ProductInput = z.infer<typeof productCreateBody>;

export const productResponse = z.object({
  id: z.uuid(),
  sku: z.string(),
  name: z.string(),
  unit: z.string(),
  unitPrice: z.number().int(),
  costPrice: z.number().int().nullable(),
  vatRate: z.enum(vatRates),
  category: z.string().nullable(),
  description: z.string().nullable(),
  active: z.boolean(),
  reorderLevel: z.number().nullable(),
  allowBackorder: z.boolean(),
  ownerId: z.uuid().nullable(),
  owner: ref.nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
  updatedAt: isoDate,
  deletedAt: isoDate.nullable(),
});
export type ProductResponse = z.infer<typeof productResponse>;
