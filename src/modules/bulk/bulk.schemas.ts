import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { filterTree } from '../records/filters.js';
import { bulkActions, bulkStatuses } from './bulk.table.js';

const text = z.object({ vi: z.string(), en: z.string() });

/**
 * POST /:object/bulk-operations: an action and its selection, either `ids` or the list's
 * `filter`, `q` and `trash` (none of them: every record the caller sees, in or out of the trash).
 */
export const bulkStartBody = z.strictObject({
  action: z.enum(bulkActions),
  ids: z.array(z.uuid()).min(1).max(100_000).optional(),
  filter: filterTree.nullable().optional(),
  q: z.string().max(200).optional(),
  trash: z.boolean().optional(),
  ownerId: z.uuid().nullable().optional(),
  tag: z.string().max(50).optional(),
  field: z.string().max(100).optional(),
  value: z.unknown().optional(),
});
export type BulkStartBody = z.infer<typeof bulkStartBody>;

export const bulkOperationResponse = z.object({
  id: z.uuid(),
  object: z.string(),
  action: z.enum(bulkActions),
  status: z.enum(bulkStatuses),
  /** Records selected when it started (the progress bar's end). */
  total: z.number().int(),
  done: z.number().int(),
  changed: z.number().int(),
  /** Already as asked (tag present, already in the trash…). */
  unchanged: z.number().int(),
  failed: z.number().int(),
  undone: z.number().int(),
  undoFailed: z.number().int(),
  error: z.object({ code: z.string(), message: text }).nullable(),
  /** The first failed records and why (at most 20). */
  failures: z.array(z.object({ recordId: z.uuid(), reason: text })),
  createdAt: isoDate,
  finishedAt: isoDate.nullable(),
  undoneAt: isoDate.nullable(),
  /** Until 30 days after it finished, for its creator, when it changed something. */
  canUndo: z.boolean(),
});
export type BulkOperationOut = z.infer<typeof bulkOperationResponse>;
