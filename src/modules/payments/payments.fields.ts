import {
  commonFields,
  selectField,
  textField,
  timestampField,
  type FieldDef,
  type FieldOption,
} from '../records/fields.js';
import { dateField, linkField, moneyField, readOnly } from '../selling/fields.js';
import type { PaymentMethod, PaymentStatus } from './payments.table.js';

export const paymentMethodOptions: (FieldOption & { key: PaymentMethod })[] = [
  { key: 'cash', label: { vi: 'Tiền mặt', en: 'Cash' } },
  { key: 'bank_transfer', label: { vi: 'Chuyển khoản', en: 'Bank transfer' } },
  { key: 'card', label: { vi: 'Thẻ', en: 'Card' } },
];

export const paymentStatusOptions: (FieldOption & { key: PaymentStatus })[] = [
  { key: 'posted', label: { vi: 'Đã ghi nhận', en: 'Posted' }, color: '#2f9e44' },
  { key: 'reversed', label: { vi: 'Đã đảo', en: 'Reversed' }, color: '#868e96' },
];

export const paymentFields: FieldDef[] = [
  {
    ...readOnly(textField('number', 'number', { vi: 'Số phiếu thu', en: 'Receipt number' })),
    nullable: false,
    inSearchText: true,
  },
  readOnly(
    selectField('status', 'status', { vi: 'Trạng thái', en: 'Status' }, paymentStatusOptions, {
      nullable: false,
    }),
  ),
  {
    ...readOnly(dateField('paymentDate', 'payment_date', { vi: 'Ngày thu', en: 'Payment date' })),
    nullable: false,
  },
  readOnly(
    selectField('method', 'method', { vi: 'Hình thức', en: 'Method' }, paymentMethodOptions, {
      nullable: false,
    }),
  ),
  moneyField('amount', { vi: 'Số tiền (đ)', en: 'Amount (₫)' }, 'amount'),
  moneyField(
    'allocatedAmount',
    { vi: 'Đã trừ vào hoá đơn (đ)', en: 'Allocated (₫)' },
    'allocated_amount',
  ),
  moneyField(
    'creditAmount',
    { vi: 'Tiền thừa / tín dụng (đ)', en: 'Credit (₫)' },
    "(CASE WHEN r.status = 'posted' THEN r.amount - r.allocated_amount ELSE 0 END)",
  ),
  readOnly(linkField('companyId', 'company_id', 'companies', { vi: 'Công ty', en: 'Company' })),
  readOnly(
    linkField('contactId', 'contact_id', 'contacts', { vi: 'Người liên hệ', en: 'Contact' }),
  ),
  textField('reference', 'reference', { vi: 'Số tham chiếu', en: 'Reference' }),
  textField('note', 'note', { vi: 'Ghi chú', en: 'Note' }, { type: 'long_text', sortable: false }),
  readOnly(
    timestampField(
      'reversedAt',
      'reversed_at',
      { vi: 'Đảo lúc', en: 'Reversed' },
      { nullable: true },
    ),
  ),
  readOnly(
    textField('reverseReason', 'reverse_reason', { vi: 'Lý do đảo', en: 'Reversal reason' }),
  ),
  {
    key: 'allocations',
    label: { vi: 'Phân bổ vào hoá đơn', en: 'Allocations' },
    type: 'json',
    system: true,
    readOnly: true,
  },
  ...commonFields(),
];
