import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { customInput, ref, tagsInput } from '../records/records.schemas.js';
import { paymentMethods, paymentStatuses } from './payments.table.js';

export const allocationInput = z.strictObject({
  invoiceId: z.uuid(),
  /** Integer đồng > 0, at most the invoice's balance. */
  amount: z.number().int().min(1).max(1e15),
});

/** A payment is recorded once; afterwards only its reference, note, owner and tags change. */
export const paymentCreateBody = z.strictObject({
  /** Default: today. */
  paymentDate: z.iso.date().optional(),
  method: z.enum(paymentMethods),
  amount: z.number().int().min(1).max(1e15),
  companyId: z.uuid().nullable().optional(),
  contactId: z.uuid().nullable().optional(),
  reference: z.string().max(200).nullable().optional(),
  note: z.string().max(5000).nullable().optional(),
  /** Invoices of the same customer it pays; what is left is the customer's credit. */
  allocations: z.array(allocationInput).max(500).optional(),
  ownerId: z.uuid().nullable().optional(),
  tags: tagsInput.optional(),
  custom: customInput.optional(),
});
export type PaymentInput = z.infer<typeof paymentCreateBody>;

export const paymentPatchBody = z.strictObject({
  reference: z.string().max(200).nullable().optional(),
  note: z.string().max(5000).nullable().optional(),
  ownerId: z.uuid().nullable().optional(),
  tags: tagsInput.optional(),
  custom: customInput.optional(),
});

export const paymentResponse = z.object({
  id: z.uuid(),
  number: z.string(),
  status: z.enum(paymentStatuses),
  paymentDate: z.string(),
  method: z.enum(paymentMethods),
  amount: z.number().int(),
  allocatedAmount: z.number().int(),
  /** Not allocated (the customer's credit), 0 once reversed. */
  creditAmount: z.number().int(),
  companyId: z.uuid().nullable(),
  company: ref.nullable(),
  contactId: z.uuid().nullable(),
  contact: ref.nullable(),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  reversedAt: isoDate.nullable(),
  reverseReason: z.string().nullable(),
  ownerId: z.uuid().nullable(),
  owner: ref.nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
  updatedAt: isoDate,
  deletedAt: isoDate.nullable(),
});
export type PaymentResponse = z.infer<typeof paymentResponse>;

export const allocationsBody = z.strictObject({
  allocations: z.array(allocationInput).min(1).max(500),
});
export const reverseBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export const allocationsResponse = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      invoice: ref.nullable(),
      invoiceId: z.uuid(),
      amount: z.number().int(),
      createdAt: isoDate,
      reversedAt: isoDate.nullable(),
    }),
  ),
});
