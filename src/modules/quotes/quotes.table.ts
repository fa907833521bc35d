import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, workspaceId } from '../../db/schema/common.js';
import { companies, contacts } from '../../db/schema/index.js';
import { recordColumns, recordTableExtras } from '../../db/schema/record-table.js';
import { deals } from '../deals/deals.table.js';
import { lineItemsTable } from '../line-items/line-items.columns.js';

/**
 * A quote (báo giá) is written as a draft, sent to the customer, then accepted or rejected by
 * them, or expires after its validity date (a daily job). Revising a sent quote keeps the sent
 * version (quote_revisions) and makes it a draft again.
 */
export const quoteStatuses = ['draft', 'sent', 'accepted', 'rejected', 'expired'] as const;
export type QuoteStatus = (typeof quoteStatuses)[number];

/**
 * A discount above the sender's role's limit needs a manager's approval before the quote can be
 * sent: none needed, asked (pending), approved, or rejected (with a comment).
 */
export const approvalStatuses = ['none', 'pending', 'approved', 'rejected'] as const;
export type ApprovalStatus = (typeof approvalStatuses)[number];

/** The per-rate VAT of a document: its nets at that rate and the VAT on their sum. */
export interface VatLine {
  rate: string;
  net: number;
  vat: number;
}

export const quotes = pgTable(
  'quotes',
  {
    ...recordColumns(),
    /** BG-2026-0001: given at creation from the workspace's format (src/modules/numbering). */
    number: text('number').notNull(),
    subject: text('subject'),
    status: text('status', { enum: quoteStatuses }).notNull().default('draft'),
    dealId: uuid('deal_id'),
    companyId: uuid('company_id'),
    contactId: uuid('contact_id'),
    issueDate: date('issue_date', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }),
    terms: text('terms'),
    // Totals in integer đồng, written with the lines (src/modules/line-items).
    subtotal: bigint('subtotal', { mode: 'number' }).notNull().default(0),
    discountTotal: bigint('discount_total', { mode: 'number' }).notNull().default(0),
    vatTotal: bigint('vat_total', { mode: 'number' }).notNull().default(0),
    total: bigint('total', { mode: 'number' }).notNull().default(0),
    vatLines: jsonb('vat_lines').$type<VatLine[]>().notNull().default([]),
    /** The largest discount of its lines, in percent of the line: what approval is about. */
    discountPercent: numeric('discount_percent', { precision: 5, scale: 2, mode: 'number' })
      .notNull()
      .default(0),
    approvalStatus: text('approval_status', { enum: approvalStatuses }).notNull().default('none'),
    /** The discount a manager approved: lines may change without a new approval up to it. */
    approvedDiscountPercent: numeric('approved_discount_percent', {
      precision: 5,
      scale: 2,
      mode: 'number',
    }),
    approvalComment: text('approval_comment'),
    approvedBy: uuid('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    /** 1 for the first sent version; a revision of a sent quote counts up. */
    revision: integer('revision').notNull().default(1),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    rejectedAt: timestamp('rejected_at', { withTimezone: true }),
    rejectReason: text('reject_reason'),
  },
  (t) => [
    ...recordTableExtras('quotes', t),
    uniqueIndex('quotes_number_key').on(t.workspaceId, t.number),
    foreignKey({
      name: 'quotes_deal_fk',
      columns: [t.workspaceId, t.dealId],
      foreignColumns: [deals.workspaceId, deals.id],
    }),
    foreignKey({
      name: 'quotes_company_fk',
      columns: [t.workspaceId, t.companyId],
      foreignColumns: [companies.workspaceId, companies.id],
    }),
    foreignKey({
      name: 'quotes_contact_fk',
      columns: [t.workspaceId, t.contactId],
      foreignColumns: [contacts.workspaceId, contacts.id],
    }),
    index('quotes_deal_idx')
      .on(t.workspaceId, t.dealId)
      .where(sql`deleted_at IS NULL`),
    index('quotes_company_idx')
      .on(t.workspaceId, t.companyId)
      .where(sql`deleted_at IS NULL`),
    index('quotes_contact_idx')
      .on(t.workspaceId, t.contactId)
      .where(sql`deleted_at IS NULL`),
    // The expiry job: sent quotes past their validity date.
    index('quotes_expiry_idx')
      .on(t.workspaceId, t.validUntil)
      .where(sql`deleted_at IS NULL AND status = 'sent'`),
    check(
      'quotes_totals_not_negative',
      sql`subtotal >= 0 AND discount_total >= 0 AND vat_total >= 0 AND total >= 0`,
    ),
    check('quotes_discount_percent_range', sql`discount_percent BETWEEN 0 AND 100`),
  ],
);

export const quoteLines = lineItemsTable('quote_lines', quotes);

/**
 * The versions of a quote as it was sent: revising a sent quote stores it here first (its
 * header and lines as presented), so what the customer received can always be shown again.
 */
export const quoteRevisions = pgTable(
  'quote_revisions',
  {
    id: id(),
    workspaceId: workspaceId(),
    quoteId: uuid('quote_id').notNull(),
    revision: integer('revision').notNull(),
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    foreignKey({
      name: 'quote_revisions_quote_fk',
      columns: [t.workspaceId, t.quoteId],
      foreignColumns: [quotes.workspaceId, quotes.id],
    }).onDelete('cascade'),
    uniqueIndex('quote_revisions_key').on(t.workspaceId, t.quoteId, t.revision),
    ...tenantPolicies(),
  ],
);

/**
 * The largest discount (percent of a line) a role may give on a quote without a manager's
 * approval; a role with no row here: no limit... see quotes.approval.ts for the rule.
 */
export const discountLimits = pgTable(
  'discount_limits',
  {
    workspaceId: workspaceId(),
    roleId: uuid('role_id').notNull(),
    maxPercent: numeric('max_percent', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('discount_limits_key').on(t.workspaceId, t.roleId),
    check('discount_limits_range', sql`max_percent BETWEEN 0 AND 100`),
    ...tenantPolicies(),
  ],
);

export type QuoteRow = typeof quotes.$inferSelect;
