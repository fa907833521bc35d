import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tenantPolicies, updatedAt, workspaceId } from '../../db/schema/common.js';
import { workspaces } from '../../db/schema/index.js';

/**
 * One counter per workspace, document type and period ('2026' when the type's format shows the
 * year, '' otherwise): `next_value` is the number the next document gets. It moves only inside
 * the transaction that writes the document (nextNumber: one INSERT … ON CONFLICT DO UPDATE …
 * RETURNING), so a rolled-back document gives its number back and numbers have no gap; the row
 * lock that statement takes makes concurrent documents take turns.
 */
export const documentSequences = pgTable(
  'document_sequences',
  {
    workspaceId: workspaceId(),
    docType: text('doc_type').notNull(),
    period: text('period').notNull().default(''),
    nextValue: bigint('next_value', { mode: 'number' }).notNull().default(1),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'document_sequences_pkey', columns: [t.workspaceId, t.docType, t.period] }),
    foreignKey({
      name: 'document_sequences_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    check('document_sequences_next_check', sql`next_value >= 1`),
    ...tenantPolicies(),
  ],
);

/** A workspace's number format of a document type; no row = the type's default format. */
export const documentNumberFormats = pgTable(
  'document_number_formats',
  {
    workspaceId: workspaceId(),
    docType: text('doc_type').notNull(),
    format: text('format').notNull(),
    updatedAt: updatedAt(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    primaryKey({ name: 'document_number_formats_pkey', columns: [t.workspaceId, t.docType] }),
    foreignKey({
      name: 'document_number_formats_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    check('document_number_formats_length_check', sql`char_length(format) BETWEEN 1 AND 40`),
    ...tenantPolicies(),
  ],
);

export type DocumentSequenceRow = typeof documentSequences.$inferSelect;
export type DocumentNumberFormatRow = typeof documentNumberFormats.$inferSelect;
