import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { customInput, ref, tagsInput } from '../records/records.schemas.js';
import { dealStatuses } from './deals.table.js';

/** YYYY-MM-DD, a real calendar date. */
const calendarDate = z.iso.date();

/** Fields of a deal a client may write (create and update). */
export const dealWritable = {
  name: z.string().max(300).optional(),
  /** Default: the first pipeline; changing it without a stage moves the deal to its first stage. */
  pipelineId: z.uuid().optional(),
  /** A stage of the deal's pipeline (default: the pipeline's first stage). */
  stageId: z.uuid().optional(),
  status: z.enum(dealStatuses).optional(),
  /** Integer đồng (VND has no minor unit). */
  amount: z.number().int().min(0).max(1e15).optional(),
  expectedCloseDate: calendarDate.nullable().optional(),
  /** A key of the workspace's won reasons (when won). */
  wonReason: z.string().max(64).nullable().optional(),
  /** A key of the workspace's lost reasons (required when lost). */
  lostReason: z.string().max(64).nullable().optional(),
  companyId: z.uuid().nullable().optional(),
  ownerId: z.uuid().nullable().optional(),
  tags: tagsInput.optional(),
  custom: customInput.optional(),
};

export const dealCreateBody = z.strictObject(dealWritable);
export const dealPatchBody = z.strictObject(dealWritable);
export type DealInput = z.infer<typeof dealCreateBody>;

export const dealResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  pipelineId: z.uuid(),
  stageId: z.uuid(),
  status: z.enum(dealStatuses),
  amount: z.number().int(),
  probability: z.number().int(),
  weightedAmount: z.number().int(),
  expectedCloseDate: z.string().nullable(),
  closedAt: isoDate.nullable(),
  wonReason: z.string().nullable(),
  lostReason: z.string().nullable(),
  companyId: z.uuid().nullable(),
  /** The company, when the caller may see it. */
  company: ref.nullable(),
  contacts: z.array(
    z.object({
      contactId: z.uuid(),
      name: z.string(),
      role: z.string().nullable(),
      isPrimary: z.boolean(),
    }),
  ),
  sourceLeadId: z.uuid().nullable(),
  /** The lead the deal was converted from, when the caller may see it. */
  sourceLead: ref.nullable(),
  stageEnteredAt: isoDate,
  lastActivityAt: isoDate,
  /** Open with no activity for longer than its pipeline's rotting days. */
  rotting: z.boolean(),
  ownerId: z.uuid().nullable(),
  owner: ref.nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
  updatedAt: isoDate,
  deletedAt: isoDate.nullable(),
});
export type DealResponse = z.infer<typeof dealResponse>;
