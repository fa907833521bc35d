import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { importFormats, importStatuses } from './imports.table.js';
import { importMapping, importOptions } from './run.js';

const text = z.object({ vi: z.string(), en: z.string() });

export const importResponse = z.object({
  id: z.uuid(),
  object: z.string(),
  status: z.enum(importStatuses),
  fileName: z.string(),
  format: z.enum(importFormats),
  sizeBytes: z.number().int(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  sheet: z.string().nullable(),
  sheets: z.array(z.object({ name: z.string(), rows: z.number().int() })),
  headers: z.array(z.string()),
  sample: z.array(z.array(z.string())),
  totalRows: z.number().int(),
  mapping: importMapping,
  options: importOptions,
  targets: z.array(z.object({ key: z.string(), label: text, multiple: z.boolean() })),
  matchKeys: z.array(z.object({ key: z.string(), label: text })),
  rowsDone: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  rowsPerSecond: z.number().nullable(),
  secondsLeft: z.number().nullable(),
  error: z.object({ code: z.string(), message: text }).nullable(),
  createdAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  undoneAt: isoDate.nullable(),
  canUndo: z.boolean(),
});

export const rowError = z.object({ column: z.string().nullable(), message: text });

export const previewResponse = z.object({
  rows: z.array(
    z.object({
      rowNo: z.number().int(),
      line: z.number().int(),
      cells: z.array(z.string()),
      outcome: z.enum(['created', 'updated', 'skipped', 'failed']),
      errors: z.array(rowError),
      /** The record as it would be stored (created or updated), in the object's API shape. */
      record: z.record(z.string(), z.unknown()).nullable(),
      /** The existing record the row matches (updated or skipped). */
      matchId: z.uuid().nullable(),
    }),
  ),
});
