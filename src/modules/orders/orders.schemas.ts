import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { customInput, ref, tagsInput } from '../records/records.schemas.js';
import { deliveryStatuses, orderKinds, orderStatuses } from './orders.table.js';

const calendarDate = z.iso.date();

/** Fields of an order a client may write (its lines: PUT /orders/:id/line-items, while a draft). */
export const orderWritable = {
  kind: z.enum(orderKinds).optional(),
  subject: z.string().max(300).nullable().optional(),
  companyId: z.uuid().nullable().optional(),
  contactId: z.uuid().nullable().optional(),
  dealId: z.uuid().nullable().optional(),
  /** Default: the workspace's default warehouse. */
  warehouseId: z.uuid().nullable().optional(),
  orderDate: calendarDate.optional(),
  signedOn: calendarDate.nullable().optional(),
  endDate: calendarDate.nullable().optional(),
  renewalDate: calendarDate.nullable().optional(),
  renewalReminderDays: z.number().int().min(0).max(365).nullable().optional(),
  terms: z.string().max(10_000).nullable().optional(),
  ownerId: z.uuid().nullable().optional(),
  tags: tagsInput.optional(),
  custom: customInput.optional(),
};

export const orderCreateBody = z.strictObject(orderWritable);
export const orderPatchBody = z.strictObject(orderWritable);
export type OrderInput = z.infer<typeof orderCreateBody>;

export const orderResponse = z.object({
  id: z.uuid(),
  number: z.string(),
  kind: z.enum(orderKinds),
  subject: z.string().nullable(),
  status: z.enum(orderStatuses),
  deliveryStatus: z.enum(deliveryStatuses),
  companyId: z.uuid().nullable(),
  company: ref.nullable(),
  contactId: z.uuid().nullable(),
  contact: ref.nullable(),
  dealId: z.uuid().nullable(),
  deal: ref.nullable(),
  quoteId: z.uuid().nullable(),
  quote: ref.nullable(),
  warehouseId: z.uuid().nullable(),
  warehouse: ref.nullable(),
  orderDate: z.string(),
  signedOn: z.string().nullable(),
  endDate: z.string().nullable(),
  renewalDate: z.string().nullable(),
  renewalReminderDays: z.number().int().nullable(),
  terms: z.string().nullable(),
  subtotal: z.number().int(),
  discountTotal: z.number().int(),
  vatTotal: z.number().int(),
  total: z.number().int(),
  vatLines: z.array(z.object({ rate: z.string(), net: z.number().int(), vat: z.number().int() })),
  confirmedAt: isoDate.nullable(),
  cancelledAt: isoDate.nullable(),
  cancelReason: z.string().nullable(),
  ownerId: z.uuid().nullable(),
  owner: ref.nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
  updatedAt: isoDate,
  deletedAt: isoDate.nullable(),
});
export type OrderResponse = z.infer<typeof orderResponse>;

export const cancelBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export const deliveryBody = z.strictObject({
  /** Default: today. */
  deliveredOn: calendarDate.optional(),
  note: z.string().max(2000).nullable().optional(),
  /** What is delivered now; omitted: everything still to deliver. */
  lines: z
    .array(
      z.strictObject({ lineId: z.uuid(), quantity: z.union([z.number(), z.string().max(20)]) }),
    )
    .max(2000)
    .optional(),
});

export const orderLineProgress = z.object({
  lineId: z.uuid(),
  name: z.string(),
  unit: z.string(),
  quantity: z.number(),
  delivered: z.number(),
  remaining: z.number(),
});
export const deliveriesResponse = z.object({
  lines: z.array(orderLineProgress),
  deliveries: z.array(
    z.object({
      id: z.uuid(),
      deliveredOn: z.string(),
      note: z.string().nullable(),
      createdBy: ref.nullable(),
      lines: z.array(z.object({ lineId: z.uuid(), name: z.string(), quantity: z.number() })),
    }),
  ),
});
