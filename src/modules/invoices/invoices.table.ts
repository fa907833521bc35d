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
import { companies, contacts } from '../../db/schema/index.js';
import { recordColumns, recordTableExtras } from '../../db/schema/record-table.js';
import { deals } from '../deals/deals.table.js';
import { lineItemsTable } from '../line-items/line-items.columns.js';
import { orders } from '../orders/orders.table.js';
import type { VatLine } from '../quotes/quotes.table.js';

/**
 * draft → issued → partly paid → paid; issued or partly paid past the due date: overdue (a daily
 * job); void with a reason (keeps its number; only an invoice with nothing paid on it).
 */
export const invoiceStatuses = [
  'draft',
  'issued',
  'partly_paid',
  'paid',
  'overdue',
  'void',
] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

/**
 * Sen's invoice (hoá đơn bán hàng) is a commercial document, not the legal e-invoice: that one is
 * issued through a provider adapter (src/modules/einvoice). Numbered at creation, gap-free: an
 * invoice is never deleted, a mistaken one is voided and keeps its number.
 */
export const invoices = pgTable(
  'invoices',
  {
    ...recordColumns(),
    number: text('number').notNull(),
    subject: text('subject'),
    status: text('status', { enum: invoiceStatuses }).notNull().default('draft'),
    orderId: uuid('order_id'),
    dealId: uuid('deal_id'),
    companyId: uuid('company_id'),
    contactId: uuid('contact_id'),
    issueDate: date('issue_date', { mode: 'string' }).notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    paymentTermsDays: integer('payment_terms_days').notNull().default(30),
    terms: text('terms'),
    subtotal: bigint('subtotal', { mode: 'number' }).notNull().default(0),
    discountTotal: bigint('discount_total', { mode: 'number' }).notNull().default(0),
    vatTotal: bigint('vat_total', { mode: 'number' }).notNull().default(0),
    total: bigint('total', { mode: 'number' }).notNull().default(0),
    vatLines: jsonb('vat_lines').$type<VatLine[]>().notNull().default([]),
    discountPercent: numeric('discount_percent', { precision: 5, scale: 2, mode: 'number' })
      .notNull()
      .default(0),
    /** Σ live allocations of payments (kept by a trigger on payment_allocations). */
    paidAmount: bigint('paid_amount', { mode: 'number' }).notNull().default(0),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    voidReason: text('void_reason'),
  },
  (t) => [
    ...recordTableExtras('invoices', t),
    uniqueIndex('invoices_number_key').on(t.workspaceId, t.number),
    foreignKey({
      name: 'invoices_order_fk',
      columns: [t.workspaceId, t.orderId],
      foreignColumns: [orders.workspaceId, orders.id],
    }),
    foreignKey({
      name: 'invoices_deal_fk',
      columns: [t.workspaceId, t.dealId],
      foreignColumns: [deals.workspaceId, deals.id],
    }),
    foreignKey({
      name: 'invoices_company_fk',
      columns: [t.workspaceId, t.companyId],
      foreignColumns: [companies.workspaceId, companies.id],
    }),
    foreignKey({
      name: 'invoices_contact_fk',
      columns: [t.workspaceId, t.contactId],
      foreignColumns: [contacts.workspaceId, contacts.id],
    }),
    index('invoices_company_idx')
      .on(t.workspaceId, t.companyId, t.status)
      .where(sql`deleted_at IS NULL`),
    index('invoices_contact_idx')
      .on(t.workspaceId, t.contactId, t.status)
      .where(sql`deleted_at IS NULL`),
    index('invoices_order_idx')
      .on(t.workspaceId, t.orderId)
      .where(sql`order_id IS NOT NULL`),
    // Receivables and the overdue job: invoices with something left to pay, by due date. The
    // customer and the amounts are in the index too, so the aging report reads only the index
    // (an index-only scan): open invoices are scattered over the whole table (old overdue ones
    // among the paid), and reading their rows was most of the report's time (bench/selling.ts).
    index('invoices_open_idx')
      .on(t.workspaceId, t.dueDate, t.companyId, t.contactId, t.total, t.paidAmount)
      .where(sql`deleted_at IS NULL AND status IN ('issued', 'partly_paid', 'overdue')`),
    check(
      'invoices_amounts_valid',
      sql`subtotal >= 0 AND discount_total >= 0 AND vat_total >= 0 AND total >= 0 AND paid_amount >= 0 AND paid_amount <= total`,
    ),
    check('invoices_void_reason', sql`status <> 'void' OR void_reason IS NOT NULL`),
    check('invoices_due_after_issue', sql`due_date >= issue_date`),
  ],
);

export const invoiceLines = lineItemsTable('invoice_lines', invoices);

export type InvoiceRow = typeof invoices.$inferSelect;
