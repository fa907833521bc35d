import { sql } from 'drizzle-orm';
import { col, type FieldDef } from '../records/fields.js';

/** Field declarations the selling documents share (quotes, orders, invoices, payments). */
export const readOnly = (f: FieldDef): FieldDef => ({ ...f, readOnly: true, required: false });

/** A read-only amount in đồng: a column name, or an expression on the alias `r`. */
export const moneyField = (key: string, label: FieldDef['label'], column: string): FieldDef => {
  const expr = /^[a-z_]+$/.test(column) ? col(column) : sql.raw(column);
  return {
    key,
    label,
    type: 'money',
    system: true,
    readOnly: true,
    expr,
    sortExpr: expr,
    sortCast: 'numeric',
    nullable: false,
  };
};

export const dateField = (key: string, column: string, label: FieldDef['label']): FieldDef => ({
  key,
  label,
  type: 'date',
  system: true,
  readOnly: false,
  expr: col(column),
  sortExpr: col(column),
  sortCast: 'date',
  nullable: true,
});

export const linkField = (
  key: string,
  column: string,
  target: string,
  label: FieldDef['label'],
): FieldDef => ({
  key,
  label,
  type: 'link',
  target,
  system: true,
  readOnly: false,
  expr: col(column),
});

/**
 * A document's lines as one entry of its timeline and audit (not a filterable field): each line's
 * name, quantity, unit, unit price, discount, VAT rate and net amount (line-items.service.ts
 * auditView), which the web app words through its `lineItems` field presentation.
 */
export const lineItemsField: FieldDef = {
  key: 'lineItems',
  label: { vi: 'Dòng hàng', en: 'Line items' },
  type: 'json',
  system: true,
  readOnly: true,
  presentation: 'lineItems',
};
