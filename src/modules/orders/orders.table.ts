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
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, workspaceId } from '../../db/schema/common.js';
import { companies, contacts } from '../../db/schema/index.js';
import { recordColumns, recordTableExtras } from '../../db/schema/record-table.js';
import { deals } from '../deals/deals.table.js';
import { lineItemsTable } from '../line-items/line-items.columns.js';
import { quotes, type VatLine } from '../quotes/quotes.table.js';
import { warehouses } from '../stock/stock.table.js';

/** An order (đơn hàng) or a contract (hợp đồng): the same document; a contract has a term. */
export const orderKinds = ['order', 'contract'] as const;
export type OrderKind = (typeof orderKinds)[number];

/**
 * draft (being written) → confirmed (its goods reserved in the warehouse) → completed (everything
 * delivered); cancelled (with a reason; what was reserved and not delivered is released).
 */
export const orderStatuses = ['draft', 'confirmed', 'completed', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const deliveryStatuses = ['not_delivered', 'partly_delivered', 'delivered'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export const orders = pgTable(
  'orders',
  {
    ...recordColumns(),
    /** DH-2026-0001, given at creation (src/modules/numbering). */
    number: text('number').notNull(),
    kind: text('kind', { enum: orderKinds }).notNull().default('order'),
    subject: text('subject'),
    status: text('status', { enum: orderStatuses }).notNull().default('draft'),
    deliveryStatus: text('delivery_status', { enum: deliveryStatuses })
      .notNull()
      .default('not_delivered'),
    quoteId: uuid('quote_id'),
    dealId: uuid('deal_id'),
    companyId: uuid('company_id'),
    contactId: uuid('contact_id'),
    /** The warehouse its goods are reserved in and delivered from. */
    warehouseId: uuid('warehouse_id'),
    orderDate: date('order_date', { mode: 'string' }).notNull(),
    signedOn: date('signed_on', { mode: 'string' }),
    /** A contract's term: its end, and when it renews (a reminder N days before). */
    endDate: date('end_date', { mode: 'string' }),
    renewalDate: date('renewal_date', { mode: 'string' }),
    renewalReminderDays: integer('renewal_reminder_days'),
    /** The renewal date the owner was last reminded of (the daily job reminds once per date). */
    renewalRemindedFor: date('renewal_reminded_for', { mode: 'string' }),
    terms: text('terms'),
    subtotal: bigint('subtotal', { mode: 'number' }).notNull().default(0),
    discountTotal: bigint('discount_total', { mode: 'number' }).notNull().default(0),
    vatTotal: bigint('vat_total', { mode: 'number' }).notNull().default(0),
    total: bigint('total', { mode: 'number' }).notNull().default(0),
    vatLines: jsonb('vat_lines').$type<VatLine[]>().notNull().default([]),
    discountPercent: numeric('discount_percent', { precision: 5, scale: 2, mode: 'number' })
      .notNull()
      .default(0),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
  },
  (t) => [
    ...recordTableExtras('orders', t),
    uniqueIndex('orders_number_key').on(t.workspaceId, t.number),
    foreignKey({
      name: 'orders_quote_fk',
      columns: [t.workspaceId, t.quoteId],
      foreignColumns: [quotes.workspaceId, quotes.id],
    }),
    foreignKey({
      name: 'orders_deal_fk',
      columns: [t.workspaceId, t.dealId],
      foreignColumns: [deals.workspaceId, deals.id],
    }),
    foreignKey({
      name: 'orders_company_fk',
      columns: [t.workspaceId, t.companyId],
      foreignColumns: [companies.workspaceId, companies.id],
    }),
    foreignKey({
      name: 'orders_contact_fk',
      columns: [t.workspaceId, t.contactId],
      foreignColumns: [contacts.workspaceId, contacts.id],
    }),
    foreignKey({
      name: 'orders_warehouse_fk',
      columns: [t.warehouseId],
      foreignColumns: [warehouses.id],
    }),
    index('orders_company_idx')
      .on(t.workspaceId, t.companyId, t.orderDate)
      .where(sql`deleted_at IS NULL`),
    index('orders_contact_idx')
      .on(t.workspaceId, t.contactId, t.orderDate)
      .where(sql`deleted_at IS NULL`),
    index('orders_quote_idx')
      .on(t.workspaceId, t.quoteId)
      .where(sql`quote_id IS NOT NULL`),
    // The renewal reminders' job: contracts renewing soon.
    index('orders_renewal_idx')
      .on(t.workspaceId, t.renewalDate)
      .where(sql`deleted_at IS NULL AND renewal_date IS NOT NULL AND status <> 'cancelled'`),
    check(
      'orders_totals_not_negative',
      sql`subtotal >= 0 AND discount_total >= 0 AND vat_total >= 0 AND total >= 0`,
    ),
    check('orders_reminder_days_range', sql`renewal_reminder_days BETWEEN 0 AND 365`),
    check('orders_cancel_reason', sql`status <> 'cancelled' OR cancel_reason IS NOT NULL`),
  ],
);

export const orderLines = lineItemsTable('order_lines', orders);

/**
 * A delivery of an order (phiếu giao hàng): what left the warehouse, when. Its lines issue stock
 * (src/modules/stock) and add up, per order line, to what was delivered.
 */
export const orderDeliveries = pgTable(
  'order_deliveries',
  {
    id: id(),
    workspaceId: workspaceId(),
    orderId: uuid('order_id').notNull(),
    deliveredOn: date('delivered_on', { mode: 'string' }).notNull(),
    note: text('note'),
    createdAt: createdAt(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    unique('order_deliveries_workspace_id_id_key').on(t.workspaceId, t.id),
    foreignKey({
      name: 'order_deliveries_order_fk',
      columns: [t.workspaceId, t.orderId],
      foreignColumns: [orders.workspaceId, orders.id],
    }).onDelete('cascade'),
    index('order_deliveries_order_idx').on(t.workspaceId, t.orderId),
    ...tenantPolicies(),
  ],
);

export const orderDeliveryLines = pgTable(
  'order_delivery_lines',
  {
    id: id(),
    workspaceId: workspaceId(),
    deliveryId: uuid('delivery_id').notNull(),
    orderLineId: uuid('order_line_id').notNull(),
    quantity: numeric('quantity', { precision: 14, scale: 3 }).notNull(),
  },
  (t) => [
    foreignKey({
      name: 'order_delivery_lines_delivery_fk',
      columns: [t.workspaceId, t.deliveryId],
      foreignColumns: [orderDeliveries.workspaceId, orderDeliveries.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'order_delivery_lines_line_fk',
      columns: [t.orderLineId],
      foreignColumns: [orderLines.id],
    }),
    index('order_delivery_lines_line_idx').on(t.workspaceId, t.orderLineId),
    check('order_delivery_lines_quantity_positive', sql`quantity > 0`),
    ...tenantPolicies(),
  ],
);

export type OrderRow = typeof orders.$inferSelect;
