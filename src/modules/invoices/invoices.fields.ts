import {
  col,
  commonFields,
  selectField,
  textField,
  timestampField,
  type FieldDef,
  type FieldOption,
} from '../records/fields.js';
import { dateField, linkField, moneyField, readOnly, lineItemsField } from '../selling/fields.js';
import type { InvoiceStatus } from './invoices.table.js';

export const invoiceStatusOptions: (FieldOption & { key: InvoiceStatus })[] = [
  { key: 'draft', label: { vi: 'Nháp', en: 'Draft' }, color: '#868e96' },
  { key: 'issued', label: { vi: 'Đã phát hành', en: 'Issued' }, color: '#228be6' },
  { key: 'partly_paid', label: { vi: 'Thanh toán một phần', en: 'Partly paid' }, color: '#f08c00' },
  { key: 'paid', label: { vi: 'Đã thanh toán', en: 'Paid' }, color: '#2f9e44' },
  { key: 'overdue', label: { vi: 'Quá hạn', en: 'Overdue' }, color: '#e03131' },
  { key: 'void', label: { vi: 'Đã huỷ', en: 'Void' }, color: '#495057' },
];

export const invoiceFields: FieldDef[] = [
  {
    ...readOnly(textField('number', 'number', { vi: 'Số hoá đơn', en: 'Invoice number' })),
    nullable: false,
    inSearchText: true,
  },
  textField('subject', 'subject', { vi: 'Tiêu đề', en: 'Subject' }),
  readOnly(
    selectField('status', 'status', { vi: 'Trạng thái', en: 'Status' }, invoiceStatusOptions, {
      nullable: false,
    }),
  ),
  linkField('companyId', 'company_id', 'companies', { vi: 'Công ty', en: 'Company' }),
  linkField('contactId', 'contact_id', 'contacts', { vi: 'Người liên hệ', en: 'Contact' }),
  linkField('dealId', 'deal_id', 'deals', { vi: 'Cơ hội bán hàng', en: 'Deal' }),
  readOnly(linkField('orderId', 'order_id', 'orders', { vi: 'Từ đơn hàng', en: 'From order' })),
  {
    ...dateField('issueDate', 'issue_date', { vi: 'Ngày hoá đơn', en: 'Invoice date' }),
    nullable: false,
  },
  {
    ...dateField('dueDate', 'due_date', { vi: 'Hạn thanh toán', en: 'Due date' }),
    nullable: false,
  },
  {
    key: 'paymentTermsDays',
    label: { vi: 'Thời hạn thanh toán (ngày)', en: 'Payment terms (days)' },
    type: 'number',
    system: true,
    readOnly: false,
    expr: col('payment_terms_days'),
    sortExpr: col('payment_terms_days'),
    sortCast: 'numeric',
    nullable: false,
  },
  textField(
    'terms',
    'terms',
    { vi: 'Ghi chú', en: 'Notes' },
    { type: 'long_text', sortable: false },
  ),
  moneyField('subtotal', { vi: 'Cộng tiền hàng (đ)', en: 'Subtotal (₫)' }, 'subtotal'),
  moneyField('vatTotal', { vi: 'Tiền thuế GTGT (đ)', en: 'VAT (₫)' }, 'vat_total'),
  moneyField('total', { vi: 'Tổng cộng (đ)', en: 'Total (₫)' }, 'total'),
  moneyField('paidAmount', { vi: 'Đã thanh toán (đ)', en: 'Paid (₫)' }, 'paid_amount'),
  moneyField(
    'balance',
    { vi: 'Còn phải thu (đ)', en: 'Balance due (₫)' },
    "(CASE WHEN r.status IN ('draft', 'void') THEN 0 ELSE r.total - r.paid_amount END)",
  ),
  readOnly(
    timestampField(
      'issuedAt',
      'issued_at',
      { vi: 'Phát hành lúc', en: 'Issued' },
      { nullable: true },
    ),
  ),
  readOnly(
    timestampField('voidedAt', 'voided_at', { vi: 'Huỷ lúc', en: 'Voided' }, { nullable: true }),
  ),
  readOnly(textField('voidReason', 'void_reason', { vi: 'Lý do huỷ', en: 'Void reason' })),
  lineItemsField,
  ...commonFields(),
];
