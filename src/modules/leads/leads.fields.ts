import {
  addressFields,
  col,
  commonFields,
  jsonField,
  selectField,
  textField,
  timestampField,
  type FieldDef,
  type FieldOption,
} from '../records/fields.js';
import { leadGrades, type LeadStatus } from './leads.table.js';

/**
 * Where leads come from: the defaults of each workspace's own list (Settings → option lists),
 * the channels Vietnamese SMEs buy and find customers on.
 */
export const leadSourceOptions: FieldOption[] = [
  { key: 'facebook', label: { vi: 'Facebook', en: 'Facebook' }, color: '#1877f2' },
  { key: 'google_ads', label: { vi: 'Google Ads', en: 'Google Ads' }, color: '#fab005' },
  { key: 'zalo', label: { vi: 'Zalo', en: 'Zalo' }, color: '#0068ff' },
  { key: 'website', label: { vi: 'Website', en: 'Website' }, color: '#15aabf' },
  { key: 'referral', label: { vi: 'Giới thiệu', en: 'Referral' }, color: '#40c057' },
  { key: 'event', label: { vi: 'Sự kiện, hội chợ', en: 'Event' }, color: '#be4bdb' },
  { key: 'cold_call', label: { vi: 'Gọi điện chủ động', en: 'Cold call' }, color: '#fd7e14' },
  { key: 'other', label: { vi: 'Khác', en: 'Other' }, color: null },
];

/** Why a lead was disqualified: the defaults of each workspace's own list. */
export const disqualifiedReasonOptions: FieldOption[] = [
  { key: 'no_need', label: { vi: 'Không có nhu cầu', en: 'No need' } },
  { key: 'unreachable', label: { vi: 'Không liên lạc được', en: 'Unreachable' } },
  { key: 'budget', label: { vi: 'Ngân sách không phù hợp', en: 'Budget does not fit' } },
  { key: 'competitor', label: { vi: 'Chọn đối thủ', en: 'Chose a competitor' } },
  { key: 'duplicate', label: { vi: 'Trùng lặp', en: 'Duplicate' } },
  { key: 'other', label: { vi: 'Khác', en: 'Other' } },
];

/** The fixed statuses (the board's columns); `converted` is set only by the conversion. */
export const leadStatusOptions: (FieldOption & { key: LeadStatus })[] = [
  { key: 'new', label: { vi: 'Mới', en: 'New' }, color: '#228be6' },
  { key: 'contacted', label: { vi: 'Đã liên hệ', en: 'Contacted' }, color: '#15aabf' },
  { key: 'qualified', label: { vi: 'Đủ điều kiện', en: 'Qualified' }, color: '#40c057' },
  {
    key: 'disqualified',
    label: { vi: 'Không đủ điều kiện', en: 'Disqualified' },
    color: '#868e96',
  },
  // Archived: never offered in forms nor as a kanban drop target (only the conversion sets it),
  // still filterable, and its column shows once leads have it.
  {
    key: 'converted',
    label: { vi: 'Đã chuyển đổi', en: 'Converted' },
    color: '#be4bdb',
    archived: true,
  },
];

const gradeColors = { A: '#2f9e44', B: '#1c7ed6', C: '#f59f00', D: '#868e96' } as const;

/** Read-only fields the system writes (the score, the conversion's links). */
const readOnly = (f: FieldDef): FieldDef => ({ ...f, readOnly: true, required: false });

export const leadFields: FieldDef[] = [
  {
    // Sorted by given name, family name, middle name, as contacts.
    ...textField(
      'displayName',
      'display_name',
      { vi: 'Họ và tên', en: 'Name' },
      { foldedColumn: 'search_name' },
    ),
    sortExpr: col('sort_name'),
    nullable: false,
    required: true,
    inSearchText: true,
  },
  textField('familyName', 'family_name', { vi: 'Họ', en: 'Family name' }),
  textField('middleName', 'middle_name', { vi: 'Tên đệm', en: 'Middle name' }),
  textField('givenName', 'given_name', { vi: 'Tên', en: 'Given name' }),
  textField('primaryPhone', 'primary_phone', { vi: 'Điện thoại', en: 'Phone' }, { type: 'phone' }),
  textField('primaryEmail', 'primary_email', { vi: 'Email', en: 'Email' }, { type: 'email' }),
  jsonField('phones', { vi: 'Các số điện thoại', en: 'Phones' }),
  jsonField('emails', { vi: 'Các email', en: 'Emails' }),
  textField('companyName', 'company_name', { vi: 'Công ty', en: 'Company' }),
  textField('taxCode', 'tax_code', { vi: 'Mã số thuế', en: 'Tax code' }),
  textField('jobTitle', 'job_title', { vi: 'Chức danh', en: 'Job title' }),
  ...addressFields(),
  selectField('source', 'source', { vi: 'Nguồn', en: 'Source' }, leadSourceOptions, {
    optionList: {},
  }),
  textField('campaign', 'campaign', { vi: 'Chiến dịch', en: 'Campaign' }),
  textField('utmSource', 'utm_source', { vi: 'UTM nguồn', en: 'UTM source' }),
  textField('utmMedium', 'utm_medium', { vi: 'UTM kênh', en: 'UTM medium' }),
  textField('utmCampaign', 'utm_campaign', { vi: 'UTM chiến dịch', en: 'UTM campaign' }),
  textField('utmTerm', 'utm_term', { vi: 'UTM từ khoá', en: 'UTM term' }),
  textField('utmContent', 'utm_content', { vi: 'UTM nội dung', en: 'UTM content' }),
  textField('referrer', 'referrer', { vi: 'Trang giới thiệu', en: 'Referrer' }, { type: 'url' }),
  textField(
    'landingPage',
    'landing_page',
    { vi: 'Trang đích', en: 'Landing page' },
    { type: 'url' },
  ),
  selectField('status', 'status', { vi: 'Trạng thái', en: 'Status' }, leadStatusOptions, {
    nullable: false,
  }),
  selectField(
    'disqualifiedReason',
    'disqualified_reason',
    { vi: 'Lý do không đủ điều kiện', en: 'Disqualification reason' },
    disqualifiedReasonOptions,
    { optionList: {} },
  ),
  {
    key: 'score',
    label: { vi: 'Điểm', en: 'Score' },
    type: 'number',
    system: true,
    readOnly: true,
    expr: col('score'),
    sortExpr: col('score'),
    sortCast: 'numeric',
    nullable: false,
  },
  readOnly(
    selectField(
      'grade',
      'grade',
      { vi: 'Hạng', en: 'Grade' },
      leadGrades.map((g) => ({ key: g, label: { vi: g, en: g }, color: gradeColors[g] })),
      { nullable: false },
    ),
  ),
  // The score's reasons are no field: the record page's leadScore panel shows them.
  timestampField(
    'convertedAt',
    'converted_at',
    { vi: 'Chuyển đổi lúc', en: 'Converted' },
    { nullable: true },
  ),
  {
    key: 'convertedContactId',
    label: { vi: 'Liên hệ đã chuyển thành', en: 'Converted contact' },
    type: 'link',
    target: 'contacts',
    system: true,
    readOnly: true,
    expr: col('converted_contact_id'),
  },
  {
    key: 'convertedCompanyId',
    label: { vi: 'Công ty đã chuyển thành', en: 'Converted company' },
    type: 'link',
    target: 'companies',
    system: true,
    readOnly: true,
    expr: col('converted_company_id'),
  },
  {
    key: 'convertedDealId',
    label: { vi: 'Cơ hội đã chuyển thành', en: 'Converted deal' },
    type: 'link',
    target: 'deals',
    system: true,
    readOnly: true,
    expr: col('converted_deal_id'),
  },
  ...commonFields(),
];
