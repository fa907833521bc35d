import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { isoText, queryRows } from '../../db/sql.js';
import { customerColumns, type CustomerRow } from '../selling/customer.js';
import { documentRows, linkedNumber } from '../selling/repository.js';
import { recordTailColumns, type RecordTailRow } from '../selling/documents.js';
import { orders, type DeliveryStatus, type OrderKind, type OrderStatus } from './orders.table.js';

export type OrderValues = Omit<
  typeof orders.$inferInsert,
  'id' | 'workspaceId' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'deletedBy'
>;

export interface OrderRecordRow extends CustomerRow, RecordTailRow {
  id: string;
  number: string;
  kind: OrderKind;
  subject: string | null;
  status: OrderStatus;
  deliveryStatus: DeliveryStatus;
  quoteId: string | null;
  quoteNumber: string | null;
  warehouseId: string | null;
  warehouseName: string | null;
  orderDate: string;
  signedOn: string | null;
  endDate: string | null;
  renewalDate: string | null;
  renewalReminderDays: number | null;
  terms: string | null;
  subtotal: number | string;
  discountTotal: number | string;
  vatTotal: number | string;
  total: number | string;
  vatLines: { rate: string; net: number; vat: number }[];
  confirmedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
}

export function orderColumns(quotes: SQL | undefined | null, actor: Actor): SQL {
  return sql`r.id, r.number, r.kind, r.subject, r.status, r.delivery_status AS "deliveryStatus",
    ${customerColumns(actor)},
    r.quote_id AS "quoteId", ${linkedNumber('quotes', 'quote_id', quotes)} AS "quoteNumber",
    r.warehouse_id AS "warehouseId", (SELECT w.name FROM warehouses w WHERE w.id = r.warehouse_id) AS "warehouseName",
    r.order_date::text AS "orderDate", r.signed_on::text AS "signedOn", r.end_date::text AS "endDate",
    r.renewal_date::text AS "renewalDate", r.renewal_reminder_days AS "renewalReminderDays", r.terms,
    r.subtotal, r.discount_total AS "discountTotal", r.vat_total AS "vatTotal", r.total,
    r.vat_lines AS "vatLines",
    ${isoText(sql`r.confirmed_at`)} AS "confirmedAt", ${isoText(sql`r.cancelled_at`)} AS "cancelledAt",
    r.cancel_reason AS "cancelReason",
    ${recordTailColumns}`;
}

export interface LineProgress {
  lineId: string;
  productId: string | null;
  name: string;
  unit: string;
  /** Thousandths (numeric(14,3) × 1000). */
  quantityMilli: number;
  deliveredMilli: number;
}

/** An order's lines with what was delivered of each (thousandths, exact). */
export async function lineProgress(tx: Tx, orderId: string): Promise<LineProgress[]> {
  const rows = await queryRows<{
    lineId: string;
    productId: string | null;
    name: string;
    unit: string;
    q: string;
    d: string;
  }>(
    tx,
    sql`SELECT l.id AS "lineId", l.product_id AS "productId", l.name, l.unit,
               (l.quantity * 1000)::bigint::text AS q,
               (coalesce((SELECT sum(dl.quantity) FROM order_delivery_lines dl
                           WHERE dl.order_line_id = l.id), 0) * 1000)::bigint::text AS d
          FROM order_lines l WHERE l.parent_id = ${orderId} ORDER BY l.position`,
  );
  return rows.map((r) => ({
    lineId: r.lineId,
    productId: r.productId,
    name: r.name,
    unit: r.unit,
    quantityMilli: Number(r.q),
    deliveredMilli: Number(r.d),
  }));
}

const rows = documentRows(orders, 'order');
export const getOrderRow = rows.get;
export const insertOrder = rows.insert;
export const updateOrder = rows.update;
