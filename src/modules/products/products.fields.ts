import { col, commonFields, selectField, textField, type FieldDef } from '../records/fields.js';
import { vatRates, type VatRate } from './products.table.js';

export const vatRateLabels: Record<VatRate, { vi: string; en: string }> = {
  '0': { vi: '0 %', en: '0 %' },
  '5': { vi: '5 %', en: '5 %' },
  '8': { vi: '8 %', en: '8 %' },
  '10': { vi: '10 %', en: '10 %' },
  none: { vi: 'Không chịu thuế', en: 'Not subject to VAT' },
};

/** Units a Vietnamese distributor sells in (suggestions: any unit may be typed). */
export const commonUnits = [
  'cái',
  'chiếc',
  'hộp',
  'thùng',
  'chai',
  'lon',
  'gói',
  'bao',
  'kg',
  'g',
  'lít',
  'mét',
  'bộ',
  'tấm',
  'cuộn',
];

export const productFields: FieldDef[] = [
  {
    ...textField(
      'name',
      'name',
      { vi: 'Tên sản phẩm', en: 'Name' },
      { foldedColumn: 'search_name' },
    ),
    sortExpr: col('sort_name'),
    nullable: false,
    required: true,
    inSearchText: true,
  },
  { ...textField('sku', 'sku', { vi: 'Mã SKU', en: 'SKU' }), nullable: false, required: true },
  {
    ...textField('unit', 'unit', { vi: 'Đơn vị tính', en: 'Unit' }),
    nullable: false,
    options: commonUnits.map((u) => ({ key: u, label: { vi: u, en: u } })),
  },
  {
    key: 'unitPrice',
    label: { vi: 'Đơn giá (đ)', en: 'Unit price (₫)' },
    type: 'money',
    system: true,
    readOnly: false,
    expr: col('unit_price'),
    sortExpr: col('unit_price'),
    sortCast: 'numeric',
    nullable: false,
  },
  selectField(
    'vatRate',
    'vat_rate',
    { vi: 'Thuế GTGT', en: 'VAT rate' },
    vatRates.map((key) => ({ key, label: vatRateLabels[key] })),
    { nullable: false },
  ),
  textField('category', 'category', { vi: 'Nhóm hàng', en: 'Category' }),
  textField(
    'description',
    'description',
    { vi: 'Mô tả', en: 'Description' },
    { type: 'long_text', sortable: false },
  ),
  {
    key: 'active',
    label: { vi: 'Đang bán', en: 'Active' },
    type: 'boolean',
    system: true,
    readOnly: false,
    expr: col('active'),
    sortExpr: col('active'),
    sortCast: 'boolean',
    nullable: false,
  },
  ...commonFields(),
];
