import {
  col,
  commonFields,
  selectField,
  textField,
  type FieldDef,
  type FieldOption,
} from '../records/fields.js';
import { vatRates, type VatRate } from './products.table.js';

export const vatRateLabels: Record<VatRate, { vi: string; en: string }> = {
  '0': { vi: '0 %', en: '0 %' },
  '5': { vi: '5 %', en: '5 %' },
  '8': { vi: '8 %', en: '8 %' },
  '10': { vi: '10 %', en: '10 %' },
  none: { vi: 'Không chịu thuế', en: 'Not subject to VAT' },
};

/**
 * Units a Vietnamese distributor sells in: the defaults of each workspace's own list (Settings →
 * option lists). The key is the unit as written on an invoice, so the units typed when the field
 * was free text are mostly in the list already; any other stays on its product, shown as typed
 * (`keepUnlisted`).
 */
export const unitOptions: FieldOption[] = (
  [
    ['cái', 'piece'],
    ['chiếc', 'unit'],
    ['hộp', 'box'],
    ['thùng', 'carton'],
    ['chai', 'bottle'],
    ['lon', 'can'],
    ['gói', 'pack'],
    ['túi', 'bag'],
    ['bao', 'sack'],
    ['kg', 'kg'],
    ['g', 'g'],
    ['lít', 'litre'],
    ['mét', 'metre'],
    ['bộ', 'set'],
    ['tấm', 'sheet'],
    ['cuộn', 'roll'],
  ] as const
).map(([key, en]) => ({ key, label: { vi: key, en } }));

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
  selectField('unit', 'unit', { vi: 'Đơn vị tính', en: 'Unit' }, unitOptions, {
    nullable: false,
    optionList: { keepUnlisted: true },
  }),
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
    // A role may be denied prices (a warehouse clerk).
    hideable: true,
  },
  {
    key: 'costPrice',
    label: { vi: 'Giá vốn (đ)', en: 'Cost price (₫)' },
    type: 'money',
    system: true,
    readOnly: false,
    expr: col('cost_price'),
    sortExpr: col('cost_price'),
    sortCast: 'numeric',
    nullable: true,
    // A role may be denied costs: hiding it also hides cost and margin on documents' lines.
    hideable: true,
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
  {
    // Stock (modules/stock): the stock page flags a warehouse holding less.
    key: 'reorderLevel',
    label: { vi: 'Mức đặt hàng lại', en: 'Reorder level' },
    type: 'number',
    system: true,
    readOnly: false,
    expr: col('reorder_level'),
    sortExpr: col('reorder_level'),
    sortCast: 'numeric',
    nullable: true,
  },
  {
    key: 'allowBackorder',
    label: { vi: 'Cho đặt khi hết hàng', en: 'Allow backorders' },
    type: 'boolean',
    system: true,
    readOnly: false,
    expr: col('allow_backorder'),
    sortExpr: col('allow_backorder'),
    sortCast: 'boolean',
    nullable: false,
  },
  ...commonFields(),
];
