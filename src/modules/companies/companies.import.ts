import {
  addressTarget,
  emailsTarget,
  phonesTarget,
  provinceTarget,
} from '../imports/common-targets.js';
import type { ImportDeclaration } from '../imports/declaration.js';

/** Companies' imports: phones, emails, an address, and the header names of their fields. */
export const companiesImport: ImportDeclaration = {
  targets: [phonesTarget(), emailsTarget(), addressTarget(), provinceTarget()],
  hints: {
    name: [
      'ten cong ty',
      'cong ty',
      'ten doanh nghiep',
      'doanh nghiep',
      'don vi',
      'ten don vi',
      'khach hang',
      'ten khach hang',
      'company',
      'company name',
      'organization',
      'account name',
    ],
    taxCode: ['mst', 'ma so thue', 'ma so doanh nghiep', 'tax code', 'tax id', 'vat number'],
    industry: ['nganh', 'nganh nghe', 'linh vuc', 'industry'],
    size: ['quy mo', 'so nhan vien', 'size', 'employees'],
    website: ['web', 'website', 'trang web', 'url'],
    type: ['loai', 'loai cong ty', 'phan loai', 'type'],
    tags: ['nhan', 'the', 'tags'],
    ownerId: ['nguoi phu trach', 'phu trach', 'nhan vien phu trach', 'owner'],
  },
};
