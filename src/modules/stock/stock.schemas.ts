import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { threeDecimals } from '../products/products.schemas.js';
import { stockMovementKinds } from './stock.table.js';

/** The largest quantity numeric(14,3) holds: 11 digits before the point, 3 after. */
export const MAX_QUANTITY = 99_999_999_999;

const decimals = { message: 'At most 3 decimals' };

/** A quantity moved: positive, at most 3 decimals (kg to the gram, litres to the ml). */
export const quantity = z.number().positive().max(MAX_QUANTITY).refine(threeDecimals, decimals);

/** An adjustment: the signed change of on hand (−2 for two broken bottles), not zero. */
export const signedQuantity = z
  .number()
  .min(-MAX_QUANTITY)
  .max(MAX_QUANTITY)
  .refine((v) => v !== 0, { message: 'Must not be zero' })
  .refine(threeDecimals, decimals);

const reason = z.string().trim().max(500);

export const receiptBody = z.strictObject({
  warehouseId: z.uuid(),
  lines: z
    .array(z.strictObject({ productId: z.uuid(), quantity }))
    .min(1)
    .max(200),
  /** A note: the supplier, the delivery note's number. */
  reason: reason.optional(),
});

export const adjustmentBody = z.strictObject({
  warehouseId: z.uuid(),
  lines: z
    .array(z.strictObject({ productId: z.uuid(), quantity: signedQuantity }))
    .min(1)
    .max(200),
  /** Why stock changed outside any document ("Kiểm kê cuối tháng", "Hàng vỡ"): required. */
  reason: reason.min(1),
});

export const levelsQuery = z.strictObject({
  warehouseId: z.uuid().optional(),
  /** A product's name or SKU (without accents or case). */
  q: z.string().max(200).optional(),
  /** Only the rows whose available quantity is below the product's reorder level. */
  belowReorderLevel: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
});

export const movementsQuery = z.strictObject({
  warehouseId: z.uuid().optional(),
  productId: z.uuid().optional(),
  kind: z.enum(stockMovementKinds).optional(),
  refObject: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/)
    .optional(),
  refId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** The last movement's id of the previous page (newest first). */
  cursor: z.uuid().optional(),
});

const named = z.object({ id: z.uuid(), name: z.string() });

export const levelView = z.object({
  product: z.object({ id: z.uuid(), name: z.string(), sku: z.string(), unit: z.string() }),
  warehouse: named,
  onHand: z.number(),
  reserved: z.number(),
  /** On hand − reserved; negative when a product that allows backorders is reserved beyond it. */
  available: z.number(),
  reorderLevel: z.number().nullable(),
  /** Available below the product's reorder level. */
  belowReorderLevel: z.boolean(),
  allowBackorder: z.boolean(),
});
export type LevelView = z.infer<typeof levelView>;

export const levelsPage = z.object({
  items: z.array(levelView),
  nextCursor: z.string().nullable(),
});

export const movementView = z.object({
  id: z.uuid(),
  kind: z.enum(stockMovementKinds),
  product: z.object({ id: z.uuid(), name: z.string(), sku: z.string(), unit: z.string() }),
  warehouse: named,
  /** Positive; an adjustment's is the signed change of on hand. */
  quantity: z.number(),
  onHandAfter: z.number(),
  reservedAfter: z.number(),
  reason: z.string().nullable(),
  /** The document that moved it (an order). */
  ref: z.object({ object: z.string(), id: z.uuid() }).nullable(),
  /** Who: the person's current name, or the name recorded (a system actor). */
  user: z.object({ id: z.uuid().nullable(), name: z.string() }).nullable(),
  createdAt: isoDate,
});
export type MovementView = z.infer<typeof movementView>;

export const movementsPage = z.object({
  items: z.array(movementView),
  nextCursor: z.string().nullable(),
});

export const movementsResult = z.object({ items: z.array(movementView) });

const warehouseName = z.string().trim().min(1).max(100);
const address = z.string().trim().max(500).nullable();

export const warehouseCreateBody = z.strictObject({
  name: warehouseName,
  address: address.optional(),
});

export const warehousePatchBody = z.strictObject({
  name: warehouseName.optional(),
  address: address.optional(),
  /** Make it the default warehouse (only `true`: another one becomes the default instead). */
  isDefault: z.literal(true).optional(),
  /** Archive (no receipts or reservations any more) or bring back. */
  archived: z.boolean().optional(),
});

export const warehouseView = z.object({
  id: z.uuid(),
  name: z.string(),
  address: z.string().nullable(),
  isDefault: z.boolean(),
  archived: z.boolean(),
  /** Products with stock on hand or reserved here. */
  productCount: z.number().int(),
  /** Whether any movement names it (then it can be archived, not deleted). */
  hasMovements: z.boolean(),
  createdAt: isoDate,
});
export type WarehouseView = z.infer<typeof warehouseView>;

export const warehousesQuery = z.strictObject({
  includeArchived: z.enum(['true', 'false']).optional(),
});
