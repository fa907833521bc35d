import { customerFigureFields, paymentTermsField } from '../selling/figures.js';
import { companyTypes } from '../../db/schema/index.js';
import {
  addressFields,
  col,
  commonFields,
  jsonField,
  selectField,
  textField,
  type FieldDef,
  type FieldOption,
} from '../records/fields.js';
import { priceListField } from '../price-lists/price-lists.field.js';

const companyTypeLabels: Record<(typeof companyTypes)[number], FieldOption['label']> = {
  prospect: { vi: 'Tiềm năng', en: 'Prospect' },
  customer: { vi: 'Khách hàng', en: 'Customer' },
  partner: { vi: 'Đối tác', en: 'Partner' },
  supplier: { vi: 'Nhà cung cấp', en: 'Supplier' },
  other: { vi: 'Khác', en: 'Other' },
};

/**
 * Industries a Vietnamese SME recognises: the defaults of each workspace's own list (Settings →
 * option lists). Industry was free text before: a value typed then stays on its company and
 * shows as typed (`keepUnlisted`); the settings page offers to add it to the list.
 */
export const industryOptions: FieldOption[] = [
  { key: 'distribution', label: { vi: 'Phân phối, bán buôn', en: 'Distribution, wholesale' } },
  { key: 'retail', label: { vi: 'Bán lẻ', en: 'Retail' } },
  { key: 'manufacturing', label: { vi: 'Sản xuất', en: 'Manufacturing' } },
  { key: 'construction', label: { vi: 'Xây dựng', en: 'Construction' } },
  { key: 'real_estate', label: { vi: 'Bất động sản', en: 'Real estate' } },
  { key: 'it', label: { vi: 'Công nghệ thông tin', en: 'Information technology' } },
  { key: 'logistics', label: { vi: 'Vận tải, logistics', en: 'Transport, logistics' } },
  { key: 'food_beverage', label: { vi: 'Thực phẩm, đồ uống', en: 'Food and beverage' } },
  { key: 'hospitality', label: { vi: 'Nhà hàng, khách sạn, du lịch', en: 'Hospitality, travel' } },
  { key: 'education', label: { vi: 'Giáo dục', en: 'Education' } },
  { key: 'healthcare', label: { vi: 'Y tế', en: 'Healthcare' } },
  { key: 'agriculture', label: { vi: 'Nông nghiệp', en: 'Agriculture' } },
  { key: 'finance', label: { vi: 'Tài chính, ngân hàng', en: 'Finance, banking' } },
  { key: 'other', label: { vi: 'Khác', en: 'Other' } },
];

export const companyFields: FieldDef[] = [
  {
    ...textField(
      'name',
      'name',
      { vi: 'Tên công ty', en: 'Name' },
      { foldedColumn: 'search_name' },
    ),
    sortExpr: col('sort_name'),
    nullable: false,
    required: true,
    // search_name is part of search_text (docs/customer-records.md, "Search keys").
    inSearchText: true,
  },
  textField('taxCode', 'tax_code', { vi: 'Mã số thuế', en: 'Tax code' }),
  selectField(
    'type',
    'type',
    { vi: 'Loại', en: 'Type' },
    companyTypes.map((key) => ({ key, label: companyTypeLabels[key] })),
    { nullable: false },
  ),
  selectField('industry', 'industry', { vi: 'Ngành nghề', en: 'Industry' }, industryOptions, {
    optionList: { keepUnlisted: true },
  }),
  textField('size', 'size', { vi: 'Quy mô', en: 'Size' }),
  textField('website', 'website', { vi: 'Trang web', en: 'Website' }, { type: 'url' }),
  jsonField('phones', { vi: 'Điện thoại', en: 'Phones' }),
  jsonField('emails', { vi: 'Email', en: 'Emails' }),
  ...addressFields(),
  {
    key: 'parentId',
    label: { vi: 'Công ty mẹ', en: 'Parent company' },
    type: 'link',
    target: 'companies',
    system: true,
    readOnly: false,
    expr: col('parent_id'),
  },
  priceListField(),
  {
    key: 'contactCount',
    label: { vi: 'Số liên hệ', en: 'Contacts' },
    type: 'number',
    system: true,
    readOnly: true,
  },
  paymentTermsField,
  ...customerFigureFields(),
  ...commonFields(),
];
