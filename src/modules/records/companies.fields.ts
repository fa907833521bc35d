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
} from './fields.js';

const companyTypeLabels: Record<(typeof companyTypes)[number], FieldOption['label']> = {
  prospect: { vi: 'Tiềm năng', en: 'Prospect' },
  customer: { vi: 'Khách hàng', en: 'Customer' },
  partner: { vi: 'Đối tác', en: 'Partner' },
  supplier: { vi: 'Nhà cung cấp', en: 'Supplier' },
  other: { vi: 'Khác', en: 'Other' },
};

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
  textField('industry', 'industry', { vi: 'Ngành nghề', en: 'Industry' }),
  textField('size', 'size', { vi: 'Quy mô', en: 'Size' }),
  textField('website', 'website', { vi: 'Trang web', en: 'Website' }, { type: 'url' }),
  jsonField('phones', { vi: 'Điện thoại', en: 'Phones' }),
  jsonField('emails', { vi: 'Email', en: 'Emails' }),
  ...addressFields(),
  {
    key: 'parentId',
    label: { vi: 'Công ty mẹ', en: 'Parent company' },
    type: 'link',
    system: true,
    readOnly: false,
    expr: col('parent_id'),
  },
  {
    key: 'contactCount',
    label: { vi: 'Số liên hệ', en: 'Contacts' },
    type: 'number',
    system: true,
    readOnly: true,
  },
  ...commonFields(),
];
