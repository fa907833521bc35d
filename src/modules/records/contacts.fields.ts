import { lifecycleStages, genders } from '../../db/schema/index.js';
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
} from './fields.js';

export const lifecycleStageLabels: Record<(typeof lifecycleStages)[number], FieldOption['label']> =
  {
    subscriber: { vi: 'Người theo dõi', en: 'Subscriber' },
    lead: { vi: 'Khách tiềm năng', en: 'Lead' },
    marketing_qualified: { vi: 'Đủ điều kiện marketing', en: 'Marketing qualified' },
    sales_qualified: { vi: 'Đủ điều kiện bán hàng', en: 'Sales qualified' },
    opportunity: { vi: 'Cơ hội', en: 'Opportunity' },
    customer: { vi: 'Khách hàng', en: 'Customer' },
    evangelist: { vi: 'Người ủng hộ', en: 'Evangelist' },
    other: { vi: 'Khác', en: 'Other' },
  };

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
    lifecycleStages.map((key) => ({ key, label: lifecycleStageLabels[key] })),
    { nullable: false },
  ),
  jsonField('consent', { vi: 'Đồng ý nhận tin', en: 'Consent' }),
  ...commonFields(),
];
