import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { exportFormats } from '../records/export-formats.js';
import { filterTree } from '../records/filters.js';
import { exportStatuses } from './exports.table.js';

const text = z.object({ vi: z.string(), en: z.string() });

/** POST /:object/exports: a list's parameters (its view) and the format. */
export const exportStartBody = z.strictObject({
  format: z.enum(exportFormats).default('csv'),
  filter: filterTree.nullable().optional(),
  sort: z.string().max(120).optional(),
  q: z.string().max(200).optional(),
  trash: z.boolean().optional(),
  /** Field keys, in order (default: the object's export columns). Ignored by vcf. */
  columns: z.array(z.string().min(1).max(100)).max(200).optional(),
});
export type ExportStartBody = z.infer<typeof exportStartBody>;

export const exportJobResponse = z.object({
  id: z.uuid(),
  object: z.string(),
  format: z.enum(exportFormats),
  status: z.enum(exportStatuses),
  rowsDone: z.number().int(),
  totalRows: z.number().int(),
  sizeBytes: z.number().int().nullable(),
  fileName: z.string(),
  error: z.object({ code: z.string(), message: text }).nullable(),
  createdAt: isoDate,
  finishedAt: isoDate.nullable(),
  expiresAt: isoDate.nullable(),
  /** GET it to download the file (its creator, until expiresAt); null until done or after. */
  downloadUrl: z.string().nullable(),
});

/** Few enough rows: download `url` (GET /:object/export with the same parameters) at once. */
export const exportDirectResponse = z.object({
  mode: z.literal('direct'),
  total: z.number().int(),
  url: z.string(),
});

/** More rows than SEN_EXPORT_SYNC_MAX_ROWS: a job, followed at GET /exports/:id. */
export const exportQueuedResponse = z.object({
  mode: z.literal('job'),
  total: z.number().int(),
  job: exportJobResponse,
});
