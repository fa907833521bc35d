import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { customInput, ref, tagsInput } from '../records/records.schemas.js';
import { approvalStatuses, quoteStatuses } from './quotes.table.js';

const calendarDate = z.iso.date();

/** Fields of a quote a client may write (its lines: PUT /quotes/:id/line-items). */
export const quoteWritable = {
  subject: z.string().max(300).nullable().optional(),
  companyId: z.uuid().nullable().optional(),
  contactId: z.uuid().nullable().optional(),
  dealId: z.uuid().nullable().optional(),
  /** Default: today (the workspace's time zone). */
  issueDate: calendarDate.optional(),
  /** Default: the issue date + the workspace's quote validity days. */
  validUntil: calendarDate.nullable().optional(),
  terms: z.string().max(10_000).nullable().optional(),
  ownerId: z.uuid().nullable().optional(),
  tags: tagsInput.optional(),
  custom: customInput.optional(),
};

export const quoteCreateBody = z.strictObject(quoteWritable);
export const quotePatchBody = z.strictObject(quoteWritable);
export type QuoteInput = z.infer<typeof quoteCreateBody>;

const vatLine = z.object({ rate: z.string(), net: z.number().int(), vat: z.number().int() });

export const quoteResponse = z.object({
  id: z.uuid(),
  number: z.string(),
  subject: z.string().nullable(),
  status: z.enum(quoteStatuses),
  companyId: z.uuid().nullable(),
  company: ref.nullable(),
  contactId: z.uuid().nullable(),
  contact: ref.nullable(),
  dealId: z.uuid().nullable(),
  deal: ref.nullable(),
  issueDate: z.string(),
  validUntil: z.string().nullable(),
  terms: z.string().nullable(),
  subtotal: z.number().int(),
  discountTotal: z.number().int(),
  vatTotal: z.number().int(),
  total: z.number().int(),
  vatLines: z.array(vatLine),
  discountPercent: z.number(),
  approvalStatus: z.enum(approvalStatuses),
  approvedDiscountPercent: z.number().nullable(),
  approvalComment: z.string().nullable(),
  approvedBy: ref.nullable(),
  approvedAt: isoDate.nullable(),
  revision: z.number().int(),
  sentAt: isoDate.nullable(),
  acceptedAt: isoDate.nullable(),
  rejectedAt: isoDate.nullable(),
  rejectReason: z.string().nullable(),
  /** Sent and past its validity date (the daily job will mark it expired). */
  expired: z.boolean(),
  ownerId: z.uuid().nullable(),
  owner: ref.nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
  updatedAt: isoDate,
  deletedAt: isoDate.nullable(),
});
export type QuoteResponse = z.infer<typeof quoteResponse>;

export const quoteActionBody = z.strictObject({
  /** Why (a rejection by the customer, a manager's comment on an approval). */
  comment: z.string().max(2000).nullable().optional(),
});
