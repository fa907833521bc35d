import { customerFigureFields, paymentTermsField } from '../selling/figures.js';
import { genders } from '../../db/schema/index.js';
import { SALUTATIONS } from '../../lib/vn/names.js';
import {
  addressFields,
  col,
  commonFields,
  jsonField,
  relationField,
  selectField,
  textField,
  type FieldDef,
  type FieldOption,
  type RelationFilter,
} from '../records/fields.js';
import { priceListField } from '../price-lists/price-lists.field.js';

/**
 * Lifecycle stages a Vietnamese distributor recognises: the defaults of each workspace's own
 * list (Settings → option lists). Keys of the stages before the list was editable are kept, so
 * stored contacts stay valid: lead, sales_qualified (now "Đang chăm sóc"), opportunity ("Đã báo
 * giá"), customer and evangelist ("Khách hàng thân thiết") carry on under Vietnamese names;
 * subscriber, marketing_qualified and other are archived (shown on the contacts that have them,
 * not offered for new values).
 */
export const lifecycleStageOptions: FieldOption[] = [
  { key: 'lead', label: { vi: 'Khách tiềm năng', en: 'Lead' }, color: '#228be6' },
  { key: 'sales_qualified', label: { vi: 'Đang chăm sóc', en: 'Nurturing' }, color: '#15aabf' },
  { key: 'opportunity', label: { vi: 'Đã báo giá', en: 'Quoted' }, color: '#fd7e14' },
  { key: 'customer', label: { vi: 'Khách hàng', en: 'Customer' }, color: '#40c057' },
  {
    key: 'evangelist',
    label: { vi: 'Khách hàng thân thiết', en: 'Loyal customer' },
    color: '#be4bdb',
  },
  { key: 'inactive', label: { vi: 'Ngừng giao dịch', en: 'Inactive' }, color: '#868e96' },
  { key: 'subscriber', label: { vi: 'Người theo dõi', en: 'Subscriber' }, archived: true },
  {
    key: 'marketing_qualified',
    label: { vi: 'Đủ điều kiện marketing', en: 'Marketing qualified' },
    archived: true,
  },
  { key: 'other', label: { vi: 'Khác', en: 'Other' }, archived: true },
];

const genderLabels: Record<(typeof genders)[number], FieldOption['label']> = {
  male: { vi: 'Nam', en: 'Male' },
  female: { vi: 'Nữ', en: 'Female' },
  other: { vi: 'Khác', en: 'Other' },
};

/** A contact's links to the companies they work at (job title on the link). */
const companyLinks: RelationFilter = {
  table: 'contact_companies',
  from: 'contact_id',
  to: 'company_id',
  target: 'companies',
};

export const contactFields: FieldDef[] = [
  {
    // Sorted by given name, family name, middle name (sort_name, indexed): how Vietnamese lists sort.
    ...textField(
      'displayName',
      'display_name',
      { vi: 'Họ và tên', en: 'Name' },
      { foldedColumn: 'search_name' },
    ),
    sortExpr: col('sort_name'),
    nullable: false,
    required: true,
    // search_name is part of search_text (docs/customer-records.md, "Search keys").
    inSearchText: true,
  },
  textField('familyName', 'family_name', { vi: 'Họ', en: 'Family name' }),
  textField('middleName', 'middle_name', { vi: 'Tên đệm', en: 'Middle name' }),
  textField('givenName', 'given_name', { vi: 'Tên', en: 'Given name' }),
  selectField(
    'salutation',
    'salutation',
    { vi: 'Danh xưng', en: 'Salutation' },
    Object.entries(SALUTATIONS).map(([key, l]) => ({ key, label: { vi: l.vi, en: l.en } })),
  ),
  selectField(
    'gender',
    'gender',
    { vi: 'Giới tính', en: 'Gender' },
    genders.map((key) => ({ key, label: genderLabels[key] })),
  ),
  {
    key: 'birthday',
    label: { vi: 'Ngày sinh', en: 'Birthday' },
    type: 'date',
    system: true,
    readOnly: false,
    expr: col('birthday'),
    sortExpr: col('birthday'),
    sortCast: 'date',
    nullable: true,
  },
  textField('primaryEmail', 'primary_email', { vi: 'Email', en: 'Email' }, { type: 'email' }),
  textField('primaryPhone', 'primary_phone', { vi: 'Điện thoại', en: 'Phone' }, { type: 'phone' }),
  jsonField('emails', { vi: 'Các email', en: 'Emails' }),
  jsonField('phones', { vi: 'Các số điện thoại', en: 'Phones' }),
  ...addressFields(),
  jsonField('companies', { vi: 'Công ty', en: 'Company' }, true),
  // Filters through the contact's company links (shown in the companies column).
  relationField('company', { vi: 'Công ty', en: 'Company' }, companyLinks, 'companies'),
  relationField(
    'jobTitle',
    { vi: 'Chức danh', en: 'Job title' },
    companyLinks,
    'companies',
    'job_title',
  ),
  textField('source', 'source', { vi: 'Nguồn', en: 'Source' }),
  selectField(
    'lifecycleStage',
    'lifecycle_stage',
    { vi: 'Giai đoạn', en: 'Lifecycle stage' },
    lifecycleStageOptions,
    { nullable: false, optionList: {} },
  ),
  jsonField('consent', { vi: 'Đồng ý nhận tin', en: 'Consent' }),
  priceListField(),
  paymentTermsField,
  ...customerFigureFields(),
  ...commonFields(),
];
