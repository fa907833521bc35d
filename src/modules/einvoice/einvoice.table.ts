import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, updatedAt, workspaceId } from '../../db/schema/common.js';
import { workspaces } from '../../db/schema/index.js';
import { invoices } from '../invoices/invoices.table.js';

/**
 * A workspace's e-invoice provider (Settings → Hóa đơn điện tử): which adapter, its API's base
 * URL, the account, the invoice template (mẫu số) and series (ký hiệu). The password is stored
 * encrypted (AES-256-GCM under SEN_SECRETS_KEY, src/lib/secrets.ts) and never presented.
 */
export const einvoiceSettings = pgTable(
  'einvoice_settings',
  {
    workspaceId: workspaceId().primaryKey(),
    provider: text('provider').notNull(),
    baseUrl: text('base_url').notNull(),
    username: text('username').notNull(),
    secretEncrypted: text('secret_encrypted').notNull(),
    supplierTaxCode: text('supplier_tax_code').notNull(),
    templateCode: text('template_code').notNull(),
    series: text('series').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    updatedBy: uuid('updated_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'einvoice_settings_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    check('einvoice_settings_base_url_check', sql`base_url ~ '^https?://'`),
    ...tenantPolicies(),
  ],
);
export type EInvoiceSettingsRow = typeof einvoiceSettings.$inferSelect;

export const submissionStatuses = [
  'submitting',
  'issued',
  'failed',
  'cancelled',
  'replaced',
  'adjusted',
] as const;
export type SubmissionStatus = (typeof submissionStatuses)[number];

/**
 * The legal e-invoice of one Sen invoice: one row per invoice (object 'invoices', record id),
 * whatever happened to it — being submitted, issued with the provider's number, failed with the
 * error, cancelled. The transaction id sent to the provider is the Sen invoice's id, so every
 * retry of the same invoice carries the same key.
 *
 * The invoice is named by (object, record_id), with a foreign key (workspace_id, record_id) →
 * invoices (workspace_id, id): a submission names a Sen invoice of its own workspace (invoices
 * are never deleted: a mistaken one is voided, so the key never blocks anything).
 */
export const einvoiceSubmissions = pgTable(
  'einvoice_submissions',
  {
    id: id(),
    workspaceId: workspaceId(),
    object: text('object').notNull().default('invoices'),
    recordId: uuid('record_id').notNull(),
    provider: text('provider').notNull(),
    transactionId: text('transaction_id').notNull(),
    status: text('status', { enum: submissionStatuses }).notNull(),
    /** Calls to the provider's issue (and status lookups before a retry). */
    attempts: integer('attempts').notNull().default(0),
    /** When a node started submitting (a stale claim may be taken over). */
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    templateCode: text('template_code'),
    series: text('series'),
    invoiceNumber: text('invoice_number'),
    providerInvoiceId: text('provider_invoice_id'),
    lookupCode: text('lookup_code'),
    taxAuthorityCode: text('tax_authority_code'),
    providerStatus: text('provider_status'),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
    /** The AppError code of the last failure, and its text (English; vi in the response). */
    errorCode: text('error_code'),
    errorText: text('error_text'),
    /** The provider's last answer, at most 2,000 characters (never a credential). */
    rawExcerpt: text('raw_excerpt'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'einvoice_submissions_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'einvoice_submissions_invoice_fk',
      columns: [t.workspaceId, t.recordId],
      foreignColumns: [invoices.workspaceId, invoices.id],
    }),
    unique('einvoice_submissions_record_key').on(t.workspaceId, t.object, t.recordId),
    unique('einvoice_submissions_transaction_key').on(t.workspaceId, t.provider, t.transactionId),
    index('einvoice_submissions_status_idx').on(t.workspaceId, t.status),
    check('einvoice_submissions_object_check', sql`object = 'invoices'`),
    check(
      'einvoice_submissions_status_check',
      sql`status IN ('submitting', 'issued', 'failed', 'cancelled', 'replaced', 'adjusted')`,
    ),
    check(
      'einvoice_submissions_issued_check',
      sql`status IN ('submitting', 'failed') OR invoice_number IS NOT NULL`,
    ),
    check('einvoice_submissions_attempts_check', sql`attempts >= 0`),
    ...tenantPolicies(),
  ],
);
export type EInvoiceSubmissionRow = typeof einvoiceSubmissions.$inferSelect;
