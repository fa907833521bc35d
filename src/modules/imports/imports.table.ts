import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, updatedAt, workspaceId } from '../../db/schema/common.js';
import { users, workspaces } from '../../db/schema/index.js';

export const importStatuses = [
  'analyzed',
  'queued',
  'running',
  'done',
  'failed',
  'undoing',
  'undone',
] as const;
export type ImportStatus = (typeof importStatuses)[number];

export const importFormats = ['csv', 'xlsx', 'vcard', 'docx'] as const;
export type ImportFormat = (typeof importFormats)[number];

export const importOutcomes = ['created', 'updated', 'skipped', 'failed'] as const;
export type ImportOutcome = (typeof importOutcomes)[number];

/**
 * One import of a file into a record object (docs/imports.md): the upload's analysis (format,
 * encoding, header, row count), the mapping and duplicate policy the user chose, and the run's
 * progress. `rows_done` advances in the same transaction as each batch's writes, so a run
 * killed at any moment resumes after the last committed row.
 */
export const imports = pgTable(
  'imports',
  {
    id: id(),
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    status: text('status', { enum: importStatuses }).notNull(),
    fileName: text('file_name').notNull(),
    format: text('format', { enum: importFormats }).notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    /** How the file is read: encoding, delimiter, sheet or table, the header's line. */
    source: jsonb('source').notNull(),
    /** The header row's cells (the column names people see). */
    headers: jsonb('headers').$type<string[]>().notNull(),
    /** Data rows in the file (after the header). */
    totalRows: integer('total_rows').notNull(),
    /** The first data rows, for the preview. */
    sample: jsonb('sample').$type<string[][]>().notNull(),
    mapping: jsonb('mapping'),
    options: jsonb('options'),
    rowsDone: integer('rows_done').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    /** Why the run stopped (status failed): { code, message {vi,en} }. */
    error: jsonb('error'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
    undoneBy: uuid('undone_by'),
  },
  (t) => [
    foreignKey({
      name: 'imports_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'imports_created_by_fk',
      columns: [t.createdBy],
      foreignColumns: [users.id],
    }),
    index('imports_list_idx').on(t.workspaceId, t.createdAt.desc()),
    check('imports_counts_add_up', sql`created + updated + skipped + failed = rows_done`),
    ...tenantPolicies(),
  ],
);

export type ImportRow = typeof imports.$inferSelect;

/**
 * What happened to each row of an import that did something or failed: the record it created or
 * updated (the undo's list), the values an update replaced (the undo restores them), and for
 * failed or skipped rows the original cells and the reasons (the error file).
 */
export const importRows = pgTable(
  'import_rows',
  {
    workspaceId: workspaceId(),
    importId: uuid('import_id').notNull(),
    /** 1-based index among the file's data rows. */
    rowNo: integer('row_no').notNull(),
    /** The line (CSV) or row number (sheet) people find it at in their file. */
    line: integer('line').notNull(),
    outcome: text('outcome', { enum: importOutcomes }).notNull(),
    recordId: uuid('record_id'),
    /** Failed / skipped: [{ column, message {vi,en} }]. */
    errors: jsonb('errors'),
    cells: jsonb('cells').$type<string[]>(),
    before: jsonb('before'),
  },
  (t) => [
    primaryKey({ name: 'import_rows_pkey', columns: [t.importId, t.rowNo] }),
    foreignKey({
      name: 'import_rows_import_fk',
      columns: [t.importId],
      foreignColumns: [imports.id],
    }).onDelete('cascade'),
    ...tenantPolicies(),
  ],
);

/** A saved column mapping ("Danh sách từ Excel của phòng kinh doanh"), reused on later files. */
export const importTemplates = pgTable(
  'import_templates',
  {
    id: id(),
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    name: text('name').notNull(),
    /** [{ header, target }]: matched by header name on the next file. */
    mapping: jsonb('mapping').notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'import_templates_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    uniqueIndex('import_templates_name_key').on(t.workspaceId, t.object, sql`lower(${t.name})`),
    ...tenantPolicies(),
  ],
);
