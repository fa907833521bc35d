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
import type { DeliveryStatus, OrderKind, OrderStatus } from './orders.table.js';

export const orderStatusOptions: (FieldOption & { key: OrderStatus })[] = [
  { key: 'draft', label: { vi: 'Nháp', en: 'Draft' }, color: '#868e96' },
  { key: 'confirmed', label: { vi: 'Đã xác nhận', en: 'Confirmed' }, color: '#228be6' },
  { key: 'completed', label: { vi: 'Hoàn tất', en: 'Completed' }, color: '#2f9e44' },
  { key: 'cancelled', label: { vi: 'Đã huỷ', en: 'Cancelled' }, color: '#e03131' },
];

export const deliveryStatusOptions: (FieldOption & { key: DeliveryStatus })[] = [
  { key: 'not_delivered', label: { vi: 'Chưa giao', en: 'Not delivered' } },
  {
    key: 'partly_delivered',
    label: { vi: 'Giao một phần', en: 'Partly delivered' },
    color: '#f08c00',
  },
  { key: 'delivered', label: { vi: 'Đã giao đủ', en: 'Delivered' }, color: '#2f9e44' },
];

export const orderKindOptions: (FieldOption & { key: OrderKind })[] = [
  { key: 'order', label: { vi: 'Đơn hàng', en: 'Order' } },
  { key: 'contract', label: { vi: 'Hợp đồng', en: 'Contract' } },
];

export const orderFields: FieldDef[] = [
  {
    ...readOnly(textField('number', 'number', { vi: 'Số đơn hàng', en: 'Order number' })),
    nullable: false,
    inSearchText: true,
  },
  selectField('kind', 'kind', { vi: 'Loại', en: 'Kind' }, orderKindOptions, { nullable: false }),
  textField('subject', 'subject', { vi: 'Tiêu đề', en: 'Subject' }),
  readOnly(
    selectField('status', 'status', { vi: 'Trạng thái', en: 'Status' }, orderStatusOptions, {
      nullable: false,
    }),
  ),
  readOnly(
    selectField(
      'deliveryStatus',
      'delivery_status',
      { vi: 'Giao hàng', en: 'Delivery' },
      deliveryStatusOptions,
      { nullable: false },
    ),
  ),
  linkField('companyId', 'company_id', 'companies', { vi: 'Công ty', en: 'Company' }),
  linkField('contactId', 'contact_id', 'contacts', { vi: 'Người liên hệ', en: 'Contact' }),
  linkField('dealId', 'deal_id', 'deals', { vi: 'Cơ hội bán hàng', en: 'Deal' }),
  readOnly(linkField('quoteId', 'quote_id', 'quotes', { vi: 'Từ báo giá', en: 'From quote' })),
  {
    ...dateField('orderDate', 'order_date', { vi: 'Ngày đặt hàng', en: 'Order date' }),
    nullable: false,
  },
  dateField('signedOn', 'signed_on', { vi: 'Ngày ký', en: 'Signed on' }),
  dateField('endDate', 'end_date', { vi: 'Ngày hết hạn', en: 'End date' }),
  dateField('renewalDate', 'renewal_date', { vi: 'Ngày gia hạn', en: 'Renewal date' }),
  {
    key: 'renewalReminderDays',
    label: { vi: 'Nhắc gia hạn trước (ngày)', en: 'Renewal reminder (days before)' },
    type: 'number',
    system: true,
    readOnly: false,
    expr: col('renewal_reminder_days'),
    sortExpr: col('renewal_reminder_days'),
    sortCast: 'numeric',
    nullable: true,
  },
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
  readOnly(
    timestampField(
      'confirmedAt',
      'confirmed_at',
      { vi: 'Xác nhận lúc', en: 'Confirmed' },
      { nullable: true },
    ),
  ),
  readOnly(
    timestampField(
      'cancelledAt',
      'cancelled_at',
      { vi: 'Huỷ lúc', en: 'Cancelled' },
      { nullable: true },
    ),
  ),
  readOnly(
    textField('cancelReason', 'cancel_reason', { vi: 'Lý do huỷ', en: 'Cancelled because' }),
  ),
  lineItemsField,
  ...commonFields(),
];
