import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, updatedAt, workspaceId } from '../../db/schema/common.js';
import { users, workspaces } from '../../db/schema/index.js';
import { exportFormats } from '../records/export-formats.js';

export const exportStatuses = ['queued', 'running', 'done', 'failed', 'expired'] as const;
export type ExportStatus = (typeof exportStatuses)[number];

/**
 * A large export run as a job (docs/exports.md): the list's parameters it was started with, its
 * progress, and the file under `<dataDir>/exports/<workspace_id>/<id>` its creator may download
 * until `expires_at` (24 hours after it finished). The sweep removes the file at expiry and the
 * row some days later (until then its link answers 410 Gone).
 */
export const exportJobs = pgTable(
  'exports',
  {
    id: id(),
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    format: text('format', { enum: exportFormats }).notNull(),
    /** filter, sort, q, trash, columns, locale: what GET /:object/export would have been sent. */
    params: jsonb('params').notNull(),
    status: text('status', { enum: exportStatuses }).notNull(),
    rowsDone: integer('rows_done').notNull().default(0),
    /** Matching rows counted when the export was created (the progress bar's end). */
    totalRows: integer('total_rows').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    /** Why the run stopped (status failed): { code, message {vi,en} }. */
    error: jsonb('error'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({
      name: 'exports_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'exports_created_by_fk',
      columns: [t.createdBy],
      foreignColumns: [users.id],
    }),
    index('exports_list_idx').on(t.workspaceId, t.createdBy, t.createdAt.desc()),
    index('exports_expires_idx').on(t.expiresAt),
    check('exports_rows_done_bounded', sql`rows_done >= 0`),
    ...tenantPolicies(),
  ],
);

export type ExportRow = typeof exportJobs.$inferSelect;
