import { sql } from 'drizzle-orm';
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
import type { ApprovalStatus, QuoteStatus } from './quotes.table.js';

export const quoteStatusOptions: (FieldOption & { key: QuoteStatus })[] = [
  { key: 'draft', label: { vi: 'Nháp', en: 'Draft' }, color: '#868e96' },
  { key: 'sent', label: { vi: 'Đã gửi', en: 'Sent' }, color: '#228be6' },
  { key: 'accepted', label: { vi: 'Khách đồng ý', en: 'Accepted' }, color: '#2f9e44' },
  { key: 'rejected', label: { vi: 'Khách từ chối', en: 'Rejected' }, color: '#e03131' },
  { key: 'expired', label: { vi: 'Hết hạn', en: 'Expired' }, color: '#f08c00' },
];

export const approvalStatusOptions: (FieldOption & { key: ApprovalStatus })[] = [
  { key: 'none', label: { vi: 'Không cần duyệt', en: 'Not needed' } },
  { key: 'pending', label: { vi: 'Chờ duyệt', en: 'Waiting for approval' }, color: '#f08c00' },
  { key: 'approved', label: { vi: 'Đã duyệt', en: 'Approved' }, color: '#2f9e44' },
  { key: 'rejected', label: { vi: 'Không duyệt', en: 'Not approved' }, color: '#e03131' },
];

export const quoteFields: FieldDef[] = [
  {
    ...readOnly(textField('number', 'number', { vi: 'Số báo giá', en: 'Quote number' })),
    nullable: false,
    inSearchText: true,
  },
  textField('subject', 'subject', { vi: 'Tiêu đề', en: 'Subject' }),
  readOnly(
    selectField('status', 'status', { vi: 'Trạng thái', en: 'Status' }, quoteStatusOptions, {
      nullable: false,
    }),
  ),
  linkField('companyId', 'company_id', 'companies', { vi: 'Công ty', en: 'Company' }),
  linkField('contactId', 'contact_id', 'contacts', { vi: 'Người liên hệ', en: 'Contact' }),
  linkField('dealId', 'deal_id', 'deals', { vi: 'Cơ hội bán hàng', en: 'Deal' }),
  {
    ...dateField('issueDate', 'issue_date', { vi: 'Ngày báo giá', en: 'Quote date' }),
    nullable: false,
  },
  dateField('validUntil', 'valid_until', { vi: 'Hiệu lực đến', en: 'Valid until' }),
  textField(
    'terms',
    'terms',
    { vi: 'Điều khoản', en: 'Terms' },
    { type: 'long_text', sortable: false },
  ),
  moneyField('subtotal', { vi: 'Cộng tiền hàng (đ)', en: 'Subtotal (₫)' }, 'subtotal'),
  moneyField('discountTotal', { vi: 'Chiết khấu (đ)', en: 'Discount (₫)' }, 'discount_total'),
  moneyField('vatTotal', { vi: 'Tiền thuế GTGT (đ)', en: 'VAT (₫)' }, 'vat_total'),
  moneyField('total', { vi: 'Tổng cộng (đ)', en: 'Total (₫)' }, 'total'),
  {
    key: 'discountPercent',
    label: { vi: 'Chiết khấu cao nhất (%)', en: 'Largest discount (%)' },
    type: 'number',
    system: true,
    readOnly: true,
    expr: col('discount_percent'),
    sortExpr: col('discount_percent'),
    sortCast: 'numeric',
    nullable: false,
  },
  readOnly(
    selectField(
      'approvalStatus',
      'approval_status',
      { vi: 'Duyệt chiết khấu', en: 'Discount approval' },
      approvalStatusOptions,
      { nullable: false },
    ),
  ),
  {
    key: 'revision',
    label: { vi: 'Lần sửa', en: 'Revision' },
    type: 'number',
    system: true,
    readOnly: true,
    expr: col('revision'),
    sortExpr: col('revision'),
    sortCast: 'numeric',
    nullable: false,
  },
  readOnly(timestampField('sentAt', 'sent_at', { vi: 'Gửi lúc', en: 'Sent' }, { nullable: true })),
  readOnly(
    timestampField(
      'acceptedAt',
      'accepted_at',
      { vi: 'Khách đồng ý lúc', en: 'Accepted' },
      { nullable: true },
    ),
  ),
  readOnly(
    textField('rejectReason', 'reject_reason', { vi: 'Lý do từ chối', en: 'Rejected because' }),
  ),
  {
    key: 'expired',
    label: { vi: 'Quá hạn hiệu lực', en: 'Past its validity' },
    type: 'boolean',
    system: true,
    readOnly: true,
    expr: sql`(r.status = 'sent' AND r.valid_until < CURRENT_DATE)`,
  },
  lineItemsField,
  ...commonFields(),
];
