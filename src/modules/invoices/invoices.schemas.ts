import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { customInput, ref, tagsInput } from '../records/records.schemas.js';
import { invoiceStatuses } from './invoices.table.js';

const calendarDate = z.iso.date();

/** Fields of an invoice a client may write (while a draft; its lines: PUT …/line-items). */
export const invoiceWritable = {
  subject: z.string().max(300).nullable().optional(),
  companyId: z.uuid().nullable().optional(),
  contactId: z.uuid().nullable().optional(),
  dealId: z.uuid().nullable().optional(),
  /** Default: today. */
  issueDate: calendarDate.optional(),
  /** Default: the workspace's payment terms (Settings → Thông tin doanh nghiệp). */
  paymentTermsDays: z.number().int().min(0).max(365).optional(),
  /** Default: the issue date + the payment terms. */
  dueDate: calendarDate.optional(),
  terms: z.string().max(10_000).nullable().optional(),
  ownerId: z.uuid().nullable().optional(),
  tags: tagsInput.optional(),
  custom: customInput.optional(),
};

export const invoiceCreateBody = z.strictObject(invoiceWritable);
export const invoicePatchBody = z.strictObject(invoiceWritable);
export type InvoiceInput = z.infer<typeof invoiceCreateBody>;

export const invoiceResponse = z.object({
  id: z.uuid(),
  number: z.string(),
  subject: z.string().nullable(),
  status: z.enum(invoiceStatuses),
  companyId: z.uuid().nullable(),
  company: ref.nullable(),
  contactId: z.uuid().nullable(),
  contact: ref.nullable(),
  dealId: z.uuid().nullable(),
  deal: ref.nullable(),
  orderId: z.uuid().nullable(),
  order: ref.nullable(),
  issueDate: z.string(),
  dueDate: z.string(),
  paymentTermsDays: z.number().int(),
  terms: z.string().nullable(),
  subtotal: z.number().int(),
  discountTotal: z.number().int(),
  vatTotal: z.number().int(),
  total: z.number().int(),
  vatLines: z.array(z.object({ rate: z.string(), net: z.number().int(), vat: z.number().int() })),
  paidAmount: z.number().int(),
  /** Left to pay (0 for a draft or a void invoice). */
  balance: z.number().int(),
  issuedAt: isoDate.nullable(),
  voidedAt: isoDate.nullable(),
  voidReason: z.string().nullable(),
  ownerId: z.uuid().nullable(),
  owner: ref.nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
  updatedAt: isoDate,
  deletedAt: isoDate.nullable(),
});
export type InvoiceResponse = z.infer<typeof invoiceResponse>;

export const voidBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export const fromOrderBody = z.strictObject({
  /** What to invoice; omitted: everything delivered and not invoiced yet. */
  lines: z
    .array(
      z.strictObject({ lineId: z.uuid(), quantity: z.union([z.number(), z.string().max(20)]) }),
    )
    .max(2000)
    .optional(),
});
