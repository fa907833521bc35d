import {
  addressTarget,
  emailsTarget,
  fullNameTarget,
  phonesTarget,
  provinceTarget,
} from '../imports/common-targets.js';
import type { ImportDeclaration } from '../imports/declaration.js';

/**
 * Leads' imports: a full-name column split in three, phones, emails and an address as contacts',
 * and the header names of ad platforms' and event lists' exports ("Nguồn", "Chiến dịch",
 * "utm_source", Facebook Lead Ads' "campaign_name"…). Rows are matched on phones and emails.
 */
export const leadsImport: ImportDeclaration = {
  targets: [
    fullNameTarget({ vi: 'Họ và tên', en: 'Full name' }),
    phonesTarget(),
    emailsTarget(),
    addressTarget(),
    provinceTarget(),
  ],
  hints: {
    familyName: ['ho', 'last name', 'family name', 'surname'],
    middleName: ['ten dem', 'ten lot', 'middle name'],
    givenName: ['ten', 'first name', 'given name'],
    companyName: [
      'cong ty',
      'ten cong ty',
      'don vi',
      'don vi cong tac',
      'doanh nghiep',
      'to chuc',
      'company',
      'company name',
      'organization',
    ],
    taxCode: ['mst', 'ma so thue', 'ma so doanh nghiep', 'tax code', 'tax id', 'vat number'],
    jobTitle: ['chuc danh', 'chuc vu', 'vi tri', 'job title', 'title', 'position'],
    source: ['nguon', 'nguon khach', 'nguon khach hang', 'kenh', 'source', 'lead source'],
    campaign: ['chien dich', 'ten chien dich', 'campaign', 'campaign name', 'campaign_name'],
    utmSource: ['utm source', 'utm_source'],
    utmMedium: ['utm medium', 'utm_medium'],
    utmCampaign: ['utm campaign', 'utm_campaign'],
    utmTerm: ['utm term', 'utm_term', 'tu khoa', 'keyword'],
    utmContent: ['utm content', 'utm_content'],
    referrer: ['trang gioi thieu', 'referrer', 'referer', 'nguon truy cap'],
    landingPage: ['trang dich', 'landing page', 'landing_page', 'url'],
    status: ['trang thai', 'tinh trang', 'status', 'lead status'],
    disqualifiedReason: ['ly do', 'ly do loai', 'disqualified reason', 'reason'],
    tags: ['nhan', 'the', 'tags', 'labels', 'phan loai'],
    ownerId: [
      'nguoi phu trach',
      'phu trach',
      'nhan vien phu trach',
      'nhan vien kinh doanh',
      'owner',
      'sales rep',
    ],
  },
};
