import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, updatedAt, workspaceId } from '../../db/schema/common.js';
import { users, workspaces } from '../../db/schema/index.js';

export const bulkActions = [
  'assign_owner',
  'add_tag',
  'remove_tag',
  'set_field',
  'delete',
  'restore',
] as const;
export type BulkAction = (typeof bulkActions)[number];

export const bulkStatuses = ['queued', 'running', 'done', 'failed', 'undoing', 'undone'] as const;
export type BulkStatus = (typeof bulkStatuses)[number];

export const bulkOutcomes = [
  'pending',
  'changed',
  'unchanged',
  'failed',
  'undone',
  'undo_failed',
] as const;
export type BulkOutcome = (typeof bulkOutcomes)[number];

/**
 * A bulk change of many records of one object, run as a job (docs/ARCHITECTURE.md, "Bulk
 * changes"): the action and its parameters, the selection it was started on (the list's
 * filter, q and trash, or ids), and the progress. Its records are fixed when it starts
 * (bulk_operation_rows), and each batch commits its records' changes, their outcomes and the
 * counts together, so a run killed at any moment resumes with the records still pending.
 */
export const bulkOperations = pgTable(
  'bulk_operations',
  {
    id: id(),
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    action: text('action', { enum: bulkActions }).notNull(),
    /** ownerId / tag / field / value, the caller's locale and an API key's scopes. */
    params: jsonb('params').notNull(),
    /** The selection: { filter, q, trash } of the list, or { ids }. */
    selection: jsonb('selection').notNull(),
    status: text('status', { enum: bulkStatuses }).notNull(),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    changed: integer('changed').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    undone: integer('undone').notNull().default(0),
    undoFailed: integer('undo_failed').notNull().default(0),
    /** Why the run stopped (status failed): { code, message {vi,en} }. */
    error: jsonb('error'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    undoneBy: uuid('undone_by'),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({
      name: 'bulk_operations_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'bulk_operations_created_by_fk',
      columns: [t.createdBy],
      foreignColumns: [users.id],
    }),
    index('bulk_operations_list_idx').on(t.workspaceId, t.createdBy, t.createdAt.desc()),
    check(
      'bulk_operations_counts_add_up',
      sql`changed + unchanged + failed = done AND done <= total AND undone + undo_failed <= changed`,
    ),
    ...tenantPolicies(),
  ],
);

export type BulkOperationRow = typeof bulkOperations.$inferSelect;

/**
 * One record of a bulk operation: pending until its batch ran, then what happened to it; for a
 * changed record, the columns the change wrote, before and after (the undo writes `before`
 * back, unless the record changed again since); for a failed one, the reason.
 */
export const bulkOperationRows = pgTable(
  'bulk_operation_rows',
  {
    workspaceId: workspaceId(),
    operationId: uuid('operation_id').notNull(),
    recordId: uuid('record_id').notNull(),
    outcome: text('outcome', { enum: bulkOutcomes }).notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    /** { code, message {vi,en} } */
    error: jsonb('error'),
  },
  (t) => [
    primaryKey({ name: 'bulk_operation_rows_pkey', columns: [t.operationId, t.recordId] }),
    foreignKey({
      name: 'bulk_operation_rows_operation_fk',
      columns: [t.operationId],
      foreignColumns: [bulkOperations.id],
    }).onDelete('cascade'),
    index('bulk_operation_rows_outcome_idx').on(t.operationId, t.outcome, t.recordId),
    ...tenantPolicies(),
  ],
);
