import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../core/permissions.js';
import { isoText } from '../../db/sql.js';
import { documentRows, linkedNumber } from '../selling/repository.js';
import { recordTailColumns, type RecordTailRow } from '../selling/documents.js';
import { customerColumns, type CustomerRow } from '../selling/customer.js';
import { invoices, type InvoiceStatus } from './invoices.table.js';

export type InvoiceValues = Omit<
  typeof invoices.$inferInsert,
  'id' | 'workspaceId' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'deletedBy'
>;

export interface InvoiceRecordRow extends CustomerRow, RecordTailRow {
  id: string;
  number: string;
  subject: string | null;
  status: InvoiceStatus;
  orderId: string | null;
  orderNumber: string | null;
  issueDate: string;
  dueDate: string;
  paymentTermsDays: number;
  terms: string | null;
  subtotal: number | string;
  discountTotal: number | string;
  vatTotal: number | string;
  total: number | string;
  vatLines: { rate: string; net: number; vat: number }[];
  paidAmount: number | string;
  balance: number | string;
  issuedAt: string | null;
  voidedAt: string | null;
  voidReason: string | null;
}

export function invoiceColumns(orders: SQL | undefined | null, actor: Actor): SQL {
  return sql`r.id, r.number, r.subject, r.status, ${customerColumns(actor)},
    r.order_id AS "orderId", ${linkedNumber('orders', 'order_id', orders)} AS "orderNumber",
    r.issue_date::text AS "issueDate", r.due_date::text AS "dueDate",
    r.payment_terms_days AS "paymentTermsDays", r.terms,
    r.subtotal, r.discount_total AS "discountTotal", r.vat_total AS "vatTotal", r.total,
    r.vat_lines AS "vatLines", r.paid_amount AS "paidAmount",
    (CASE WHEN r.status IN ('draft', 'void') THEN 0 ELSE r.total - r.paid_amount END) AS balance,
    ${isoText(sql`r.issued_at`)} AS "issuedAt", ${isoText(sql`r.voided_at`)} AS "voidedAt",
    r.void_reason AS "voidReason",
    ${recordTailColumns}`;
}

const rows = documentRows(invoices, 'invoice');
export const getInvoiceRow = rows.get;
export const insertInvoice = rows.insert;
export const updateInvoice = rows.update;
