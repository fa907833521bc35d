import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { isoText } from '../../db/sql.js';
import { col, timestampField, type FieldDef } from '../records/fields.js';
import { moneyField, readOnly } from './fields.js';

/**
 * A customer's figures on contacts and companies (columns kept by the database: migration 0046,
 * sen_customer_figures): read-only fields like any other, so a saved view can say "no order for
 * 90 days, total spent over 20 triệu".
 */
export function customerFigureFields(): FieldDef[] {
  const date = (key: string, column: string, label: FieldDef['label']): FieldDef => ({
    key,
    label,
    type: 'date',
    system: true,
    readOnly: true,
    expr: col(column),
    sortExpr: col(column),
    sortCast: 'date',
    nullable: true,
  });
  const money = (key: string, label: FieldDef['label'], column: string): FieldDef => ({
    ...moneyField(key, label, column),
    hideable: true,
  });
  return [
    date('firstOrderDate', 'first_order_date', { vi: 'Ngày mua đầu tiên', en: 'First order' }),
    date('lastOrderDate', 'last_order_date', { vi: 'Ngày mua gần nhất', en: 'Last order' }),
    {
      key: 'orderCount',
      label: { vi: 'Số đơn hàng', en: 'Orders' },
      type: 'number',
      system: true,
      readOnly: true,
      expr: col('order_count'),
      sortExpr: col('order_count'),
      sortCast: 'numeric',
      nullable: false,
    },
    money('totalSpent', { vi: 'Tổng đã mua (đ)', en: 'Total spent (₫)' }, 'total_spent'),
    money('openBalance', { vi: 'Công nợ (đ)', en: 'Open balance (₫)' }, 'open_balance'),
    money('overdueAmount', { vi: 'Nợ quá hạn (đ)', en: 'Overdue (₫)' }, 'overdue_amount'),
    money('creditBalance', { vi: 'Tiền trả trước (đ)', en: 'Credit (₫)' }, 'credit_balance'),
    {
      key: 'customerTier',
      label: { vi: 'Hạng khách hàng', en: 'Customer tier' },
      type: 'text',
      system: true,
      readOnly: true,
      expr: col('customer_tier'),
      sortExpr: col('customer_tier'),
      nullable: true,
    },
    readOnly(
      timestampField(
        'lastActivityAt',
        'last_activity_at',
        { vi: 'Hoạt động gần nhất', en: 'Last activity' },
        { nullable: true },
      ),
    ),
  ];
}

/** The figures' columns of `r`, presented with the record. */
export const customerFigureColumns = sql`r.first_order_date::text AS "firstOrderDate",
  r.last_order_date::text AS "lastOrderDate", r.order_count AS "orderCount",
  r.total_spent AS "totalSpent", r.open_balance AS "openBalance",
  r.overdue_amount AS "overdueAmount", r.credit_balance AS "creditBalance",
  r.customer_tier AS "customerTier", ${isoText(sql`r.last_activity_at`)} AS "lastActivityAt"`;

export interface CustomerFigureRow {
  firstOrderDate: string | null;
  lastOrderDate: string | null;
  orderCount: number;
  totalSpent: number | string;
  openBalance: number | string;
  overdueAmount: number | string;
  creditBalance: number | string;
  customerTier: string | null;
  lastActivityAt: string | null;
}

export const customerFigureResponse = {
  firstOrderDate: z.string().nullable(),
  lastOrderDate: z.string().nullable(),
  orderCount: z.number().int(),
  totalSpent: z.number().int(),
  openBalance: z.number().int(),
  overdueAmount: z.number().int(),
  creditBalance: z.number().int(),
  customerTier: z.string().nullable(),
  lastActivityAt: isoDate.nullable(),
};

export function presentFigures(r: CustomerFigureRow) {
  return {
    firstOrderDate: r.firstOrderDate,
    lastOrderDate: r.lastOrderDate,
    orderCount: Number(r.orderCount),
    totalSpent: Number(r.totalSpent),
    openBalance: Number(r.openBalance),
    overdueAmount: Number(r.overdueAmount),
    creditBalance: Number(r.creditBalance),
    customerTier: r.customerTier,
    lastActivityAt: r.lastActivityAt,
  };
}

/** Days an invoice to the customer gives to pay (null: the business profile's default). */
export const paymentTermsField: FieldDef = {
  key: 'paymentTermsDays',
  label: { vi: 'Thời hạn thanh toán (ngày)', en: 'Payment terms (days)' },
  type: 'number',
  system: true,
  readOnly: false,
  expr: col('payment_terms_days'),
  sortExpr: col('payment_terms_days'),
  sortCast: 'numeric',
  nullable: true,
};
