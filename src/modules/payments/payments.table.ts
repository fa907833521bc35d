import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  foreignKey,
  index,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, workspaceId } from '../../db/schema/common.js';
import { companies, contacts } from '../../db/schema/index.js';
import { recordColumns, recordTableExtras } from '../../db/schema/record-table.js';
import { invoices } from '../invoices/invoices.table.js';

export const paymentMethods = ['cash', 'bank_transfer', 'card'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** A payment is posted, or reversed (audited, with a reason): never edited. */
export const paymentStatuses = ['posted', 'reversed'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/**
 * Money received from a customer (phiếu thu), allocated to one or more of their invoices; what is
 * not allocated is the customer's credit, applied to invoices later.
 */
export const payments = pgTable(
  'payments',
  {
    ...recordColumns(),
    number: text('number').notNull(),
    status: text('status', { enum: paymentStatuses }).notNull().default('posted'),
    paymentDate: date('payment_date', { mode: 'string' }).notNull(),
    method: text('method', { enum: paymentMethods }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** Σ live allocations (kept by a trigger on payment_allocations); the rest is credit. */
    allocatedAmount: bigint('allocated_amount', { mode: 'number' }).notNull().default(0),
    companyId: uuid('company_id'),
    contactId: uuid('contact_id'),
    reference: text('reference'),
    note: text('note'),
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
    reversedBy: uuid('reversed_by'),
    reverseReason: text('reverse_reason'),
  },
  (t) => [
    ...recordTableExtras('payments', t),
    uniqueIndex('payments_number_key').on(t.workspaceId, t.number),
    foreignKey({
      name: 'payments_company_fk',
      columns: [t.workspaceId, t.companyId],
      foreignColumns: [companies.workspaceId, companies.id],
    }),
    foreignKey({
      name: 'payments_contact_fk',
      columns: [t.workspaceId, t.contactId],
      foreignColumns: [contacts.workspaceId, contacts.id],
    }),
    index('payments_company_idx')
      .on(t.workspaceId, t.companyId)
      .where(sql`deleted_at IS NULL`),
    index('payments_contact_idx')
      .on(t.workspaceId, t.contactId)
      .where(sql`deleted_at IS NULL`),
    check('payments_amount_positive', sql`amount > 0`),
    check('payments_allocated_valid', sql`allocated_amount >= 0 AND allocated_amount <= amount`),
    check('payments_reverse_reason', sql`status <> 'reversed' OR reverse_reason IS NOT NULL`),
  ],
);

/**
 * Part of a payment applied to an invoice. A reversed payment's allocations stay, marked
 * reversed (the history is kept); only live ones count.
 */
export const paymentAllocations = pgTable(
  'payment_allocations',
  {
    id: id(),
    workspaceId: workspaceId(),
    paymentId: uuid('payment_id').notNull(),
    invoiceId: uuid('invoice_id').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
    createdBy: uuid('created_by'),
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
  },
  (t) => [
    unique('payment_allocations_workspace_id_id_key').on(t.workspaceId, t.id),
    foreignKey({
      name: 'payment_allocations_payment_fk',
      columns: [t.workspaceId, t.paymentId],
      foreignColumns: [payments.workspaceId, payments.id],
    }),
    foreignKey({
      name: 'payment_allocations_invoice_fk',
      columns: [t.workspaceId, t.invoiceId],
      foreignColumns: [invoices.workspaceId, invoices.id],
    }),
    index('payment_allocations_payment_idx').on(t.workspaceId, t.paymentId),
    index('payment_allocations_invoice_idx').on(t.workspaceId, t.invoiceId),
    check('payment_allocations_amount_positive', sql`amount > 0`),
    ...tenantPolicies(),
  ],
);

export type PaymentRow = typeof payments.$inferSelect;
