/**
 * Realistic Vietnamese demo data, shared by `sen demo` (a few thousand rows through db.tenant)
 * and the records benchmark (a million rows through COPY).
 *
 * Deterministic: every row is a pure function of (seed, salt, kind, index) — its own PRNG stream
 * is seeded from those — so rows can be produced in any order, in chunks, without holding the
 * whole data set in memory, and the same options always give the same rows. Ids are UUID v7
 * built from the row's creation time and (kind, index, salt), so they are unique by
 * construction; the salt (derived from the workspace id) keeps two workspaces seeded with the
 * same seed from colliding on the global primary keys.
 *
 * Rows come out exactly as the records service stores them (docs/customer-records.md): NFC
 * names, E.164 phones, lower-case emails, jsonb phones/emails/addresses, the denormalised
 * primary phone/email/province/ward, and the search keys of `recordSearchKeys()`.
 */
import type { companies, contactCompanies, contacts, notes } from '../../db/schema/index.js';
import type { Address, LabeledValue } from '../../db/schema/records.js';
import { listProvinces, wardsOf, type Province, type Ward } from '../../lib/vn/admin-units.js';
import { composeDisplayName, foldForSearch } from '../../lib/vn/names.js';
import { makeTaxCode } from '../../lib/vn/tax-code.js';
import { companySearchKeys } from '../companies/companies.service.js';
import { contactSearchKeys } from '../contacts/contacts.service.js';

export type ContactInsert = typeof contacts.$inferInsert & { id: string };
export type CompanyInsert = typeof companies.$inferInsert & { id: string };
export type ContactCompanyInsert = typeof contactCompanies.$inferInsert;
export type NoteInsert = typeof notes.$inferInsert & { id: string };

/** Every demo row carries this tag: `sen demo` finds (and `--force` replaces) its rows by it. */
export const DEMO_TAG = 'demo';

// ---------------------------------------------------------------- PRNG

/** sfc32: small, fast, good statistical quality; four 32-bit words of state. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...words: number[]) {
    this.a = (words[0] ?? 0) | 0;
    this.b = (words[1] ?? 0) | 0;
    this.c = (words[2] ?? 0) | 0;
    this.d = (words[3] ?? 1) | 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }
}

/** FNV-1a, 32 bits: turns a string (a workspace id) into PRNG seed material. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A picker over weighted items (cumulative table, binary search). */
export class Weighted<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  private total = 0;

  constructor(entries: readonly (readonly [T, number])[]) {
    for (const [item, weight] of entries) {
      this.total += weight;
      this.items.push(item);
      this.cumulative.push(this.total);
    }
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    const item = this.items[lo];
    if (item === undefined) throw new Error('empty weighted list');
    return item;
  }
}

// ---------------------------------------------------------------- vocabulary

/** Family names by share of the population (Nguyễn ~38 %). */
const FAMILY_NAMES = new Weighted<string>([
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 7],
  ['Hoàng', 3.5],
  ['Huỳnh', 2.5],
  ['Phan', 4.5],
  ['Vũ', 2.4],
  ['Võ', 2.5],
  ['Đặng', 2.1],
  ['Bùi', 2],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Lý', 0.5],
  ['Đinh', 0.8],
  ['Trương', 0.8],
  ['Lâm', 0.5],
  ['Mai', 0.5],
  ['Cao', 0.4],
  ['Tạ', 0.3],
  ['Hà', 0.5],
  ['Lương', 0.4],
  ['Đoàn', 0.5],
  ['Trịnh', 0.4],
  ['Tô', 0.2],
  ['Châu', 0.2],
]);

const MIDDLE_MALE = new Weighted<string>([
  ['Văn', 40],
  ['Hữu', 8],
  ['Đức', 10],
  ['Minh', 10],
  ['Quang', 6],
  ['Thanh', 5],
  ['Công', 4],
  ['Ngọc', 3],
  ['Xuân', 3],
  ['Quốc', 5],
  ['Anh', 3],
  ['Tuấn', 2],
  ['Hoàng', 3],
  ['Gia', 2],
]);
const MIDDLE_FEMALE = new Weighted<string>([
  ['Thị', 45],
  ['Ngọc', 8],
  ['Thanh', 6],
  ['Hồng', 5],
  ['Thu', 5],
  ['Minh', 4],
  ['Thùy', 4],
  ['Phương', 3],
  ['Kim', 3],
  ['Mai', 3],
  ['Bảo', 3],
  ['Khánh', 2],
  ['Diệu', 2],
]);
/** A second middle name after Thị/Văn sometimes ("Nguyễn Thị Hồng Nhung"). */
const SECOND_MIDDLE_FEMALE = ['Hồng', 'Thu', 'Ngọc', 'Thanh', 'Kim', 'Minh', 'Phương', 'Mỹ'];
const SECOND_MIDDLE_MALE = ['Minh', 'Quang', 'Đức', 'Thanh', 'Hoàng', 'Ngọc'];

const GIVEN_MALE = [
  'An',
  'Anh',
  'Bảo',
  'Bình',
  'Cường',
  'Dũng',
  'Duy',
  'Đạt',
  'Đức',
  'Giang',
  'Hải',
  'Hiếu',
  'Hoàng',
  'Hùng',
  'Huy',
  'Khánh',
  'Khoa',
  'Kiên',
  'Long',
  'Lâm',
  'Lộc',
  'Minh',
  'Nam',
  'Nghĩa',
  'Phong',
  'Phúc',
  'Quân',
  'Quang',
  'Sơn',
  'Tài',
  'Thắng',
  'Thành',
  'Thịnh',
  'Toàn',
  'Trung',
  'Tuấn',
  'Tùng',
  'Việt',
  'Vinh',
  'Vũ',
] as const;
const GIVEN_FEMALE = [
  'Anh',
  'Ánh',
  'Châu',
  'Chi',
  'Dung',
  'Diệp',
  'Giang',
  'Hà',
  'Hạnh',
  'Hằng',
  'Hiền',
  'Hoa',
  'Hồng',
  'Hương',
  'Huyền',
  'Lan',
  'Linh',
  'Loan',
  'Mai',
  'My',
  'Nga',
  'Ngân',
  'Ngọc',
  'Nhung',
  'Nhi',
  'Oanh',
  'Phương',
  'Quỳnh',
  'Thảo',
  'Thu',
  'Thủy',
  'Trang',
  'Trâm',
  'Tuyết',
  'Uyên',
  'Vân',
  'Yến',
] as const;

/** Two-digit mobile prefixes (national significant number) in use since the 2018 renumbering. */
const MOBILE_PREFIXES = new Weighted<string>([
  ...['32', '33', '34', '35', '36', '37', '38', '39', '86', '96', '97', '98'].map(
    (p) => [p, 5] as const,
  ), // Viettel
  ...['81', '82', '83', '84', '85', '88', '91', '94'].map((p) => [p, 4] as const), // VinaPhone
  ...['70', '76', '77', '78', '79', '89', '90', '93'].map((p) => [p, 3.5] as const), // MobiFone
  ...['52', '56', '58', '92'].map((p) => [p, 0.8] as const), // Vietnamobile
  ...['59', '99'].map((p) => [p, 0.3] as const), // Gmobile
]);

const PERSONAL_DOMAINS = new Weighted<string>([
  ['gmail.com', 70],
  ['yahoo.com', 10],
  ['outlook.com', 6],
  ['icloud.com', 4],
  ['hotmail.com', 4],
  ['fpt.vn', 2],
  ['vnn.vn', 1],
]);

/** Provinces by weight: the two big cities hold most SME customers. */
const PROVINCE_WEIGHT: Readonly<Record<string, number>> = {
  '01': 24, // Hà Nội
  '79': 30, // Hồ Chí Minh
  '48': 6, // Đà Nẵng
  '31': 4, // Hải Phòng
  '92': 4, // Cần Thơ
  '75': 3, // Đồng Nai
};

const STREETS = [
  'Lê Lợi',
  'Trần Hưng Đạo',
  'Nguyễn Huệ',
  'Hai Bà Trưng',
  'Lý Thường Kiệt',
  'Điện Biên Phủ',
  'Nguyễn Trãi',
  'Lê Duẩn',
  'Hoàng Diệu',
  'Phan Đình Phùng',
  'Quang Trung',
  'Trần Phú',
  'Nguyễn Văn Cừ',
  'Võ Văn Tần',
  'Cách Mạng Tháng Tám',
  'Pasteur',
  'Hàng Bài',
  'Bà Triệu',
  'Giải Phóng',
  'Cầu Giấy',
  'Kim Mã',
  'Nguyễn Thị Minh Khai',
  'Lạc Long Quân',
  'Tôn Đức Thắng',
];

/** Keys of the default lifecycle stages (contacts.fields.ts, lifecycleStageOptions). */
const LIFECYCLE = new Weighted<string>([
  ['lead', 35],
  ['sales_qualified', 15],
  ['opportunity', 10],
  ['customer', 28],
  ['evangelist', 6],
  ['inactive', 6],
]);
/** Words a Vietnamese distributor uses itself: sources and tags are free text. */
const SOURCES = [
  'Website',
  'Người quen giới thiệu',
  'Facebook',
  'Zalo',
  'Hội chợ',
  'Gọi điện',
  'Google Ads',
];
const CONTACT_TAGS = ['khách VIP', 'khách sỉ', 'khách lẻ', 'hội chợ 2025', 'Zalo OA', 'tiềm năng'];
const COMPANY_TAGS = ['đối tác chiến lược', 'đại lý cấp 1', 'đại lý cấp 2', 'nhà phân phối', 'FDI'];

const COMPANY_FORMS = new Weighted<string>([
  ['Công ty TNHH', 55],
  ['Công ty Cổ phần', 30],
  ['Công ty TNHH MTV', 8],
  ['Doanh nghiệp tư nhân', 4],
  ['Hợp tác xã', 3],
]);
const COMPANY_TRADES = [
  'Thương mại',
  'Dịch vụ',
  'Thương mại và Dịch vụ',
  'Xây dựng',
  'Công nghệ',
  'Giải pháp Phần mềm',
  'Sản xuất',
  'Đầu tư',
  'Vận tải',
  'Thực phẩm',
  'Du lịch',
  'Nội thất',
  'Dược phẩm',
  'Xuất nhập khẩu',
  'Điện máy',
  'In ấn',
];
const COMPANY_BRANDS = [
  'Hoàng Long',
  'Phú Thịnh',
  'An Phát',
  'Minh Khang',
  'Sao Việt',
  'Đại Dương',
  'Thành Công',
  'Bình Minh',
  'Hưng Thịnh',
  'Tân Phú',
  'Việt Tiến',
  'Kim Ngân',
  'Đông Á',
  'Trường Sơn',
  'Hồng Hà',
  'Sông Hàn',
  'Phương Nam',
  'Nam Việt',
  'Thái Bình Dương',
  'Ánh Dương',
  'Bảo Tín',
  'Đức Tài',
  'Toàn Cầu',
  'Hải Âu',
  'Lạc Hồng',
  'Mê Kông',
  'Thăng Long',
  'Gia Phát',
  'Tín Nghĩa',
  'Hòa Bình',
  'Quang Minh',
  'Sen Vàng',
];
/** Keys of the default industries (companies.fields.ts, industryOptions). */
const INDUSTRIES = [
  'retail',
  'distribution',
  'manufacturing',
  'construction',
  'it',
  'logistics',
  'food_beverage',
  'hospitality',
  'healthcare',
  'education',
  'finance',
  'real_estate',
];
const COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-500', '500+'];
const COMPANY_TYPES = new Weighted<CompanyInsert['type'] & string>([
  ['prospect', 40],
  ['customer', 40],
  ['partner', 8],
  ['supplier', 8],
  ['other', 4],
]);
const JOB_TITLES = [
  'Giám đốc',
  'Phó giám đốc',
  'Kế toán trưởng',
  'Kế toán',
  'Trưởng phòng kinh doanh',
  'Nhân viên kinh doanh',
  'Trưởng phòng mua hàng',
  'Chuyên viên nhân sự',
  'Trợ lý giám đốc',
  'Kỹ sư',
];
const NOTE_TEXTS = [
  'Đã gọi điện giới thiệu sản phẩm, khách hẹn gặp tuần sau.',
  'Khách quan tâm gói dịch vụ năm, gửi báo giá qua email.',
  'Gặp trực tiếp tại văn phòng, trao đổi về nhu cầu mở rộng chi nhánh.',
  'Khách phản hồi báo giá hơi cao, đề xuất chiết khấu 5%.',
  'Đã ký hợp đồng, chuyển cho bộ phận triển khai.',
  'Nhắc khách thanh toán đợt 2 trước ngày 15.',
  'Khách giới thiệu thêm hai đối tác cùng ngành.',
  'Gửi tài liệu hướng dẫn sử dụng qua Zalo.',
  'Khách hỏi về chính sách bảo hành và đổi trả.',
  'Hẹn demo sản phẩm vào sáng thứ Năm.',
];

// ---------------------------------------------------------------- search keys

const foldCache = new Map<string, string>();
/** foldForSearch, memoised for the small vocabulary of name parts. */
function foldPart(s: string): string {
  let folded = foldCache.get(s);
  if (folded === undefined) {
    folded = foldForSearch(s);
    if (foldCache.size < 10_000) foldCache.set(s, folded);
  }
  return folded;
}

/**
 * The search and sort keys are computed by the records services' own functions, so generated
 * rows match what the service writes (docs/customer-records.md, "Search keys").
 */
export { companySearchKeys, contactSearchKeys };

// ---------------------------------------------------------------- ids and time

const KIND = { company: 1, contact: 2, note: 3 } as const;
type Kind = keyof typeof KIND;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * UUID v7: 48-bit millisecond timestamp, version 7, then (kind 4 bits, index 32 bits, salt
 * 38 bits) in place of the random bits. Unique per (salt, kind, index) whatever the time.
 */
function demoUuid(ms: number, kind: Kind, index: number, salt: number, salt2: number): string {
  const t = hex(Math.floor(ms), 12);
  const randA = (KIND[kind] << 8) | ((index >>> 24) & 0xff); // 12 bits
  const variant = 0x8000 | ((index >>> 10) & 0x3fff); // 10xx + 14 bits of index
  const low = ((index & 0x3ff) * 0x400000 + (salt & 0x3fffff)).toString(16).padStart(8, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${hex(randA, 3)}-${hex(variant, 4)}-${hex(salt2 >>> 0, 8).slice(0, 4)}${low}`;
}

// ---------------------------------------------------------------- the generator

export interface GenerateOptions {
  workspaceId: string;
  /** Members who own the rows, spread evenly-ish across them (must not be empty). */
  ownerIds: readonly string[];
  contacts: number;
  companies: number;
  seed: number;
  /** The end of the two-year window rows are created in (fixed for reproducible output). */
  now: Date;
  /** Every row gets DEMO_TAG (the demo does; the benchmark does not). Default true. */
  tagDemo?: boolean;
}

const DAY = 86_400_000;
const TWO_YEARS = 730 * DAY;

interface CompanyCore {
  name: string;
  domain: string;
}

export class DemoGenerator {
  private readonly salt: number;
  private readonly salt2: number;
  private readonly start: number;
  private readonly provinces: readonly Province[];
  private readonly provincePicker: Weighted<Province>;
  private readonly wards = new Map<string, readonly Ward[]>();

  constructor(readonly opts: GenerateOptions) {
    if (opts.ownerIds.length === 0) throw new Error('demo data needs at least one owner');
    this.salt = hash32(`${opts.workspaceId}:${opts.seed}`);
    this.salt2 = hash32(`${opts.seed}:${opts.workspaceId}`);
    this.start = opts.now.getTime() - TWO_YEARS;
    this.provinces = listProvinces();
    this.provincePicker = new Weighted(
      this.provinces.map((p) => [p, PROVINCE_WEIGHT[p.code] ?? 1.2] as const),
    );
    for (const p of this.provinces) this.wards.set(p.code, wardsOf(p.code));
  }

  private rng(kind: Kind, index: number, stream = 0): Rng {
    return new Rng(this.opts.seed, KIND[kind] * 1_000 + stream, index, this.salt);
  }

  private id(kind: Kind, index: number, ms: number): string {
    return demoUuid(ms, kind, index, this.salt, this.salt2);
  }

  private tags(rng: Rng, vocabulary: readonly string[]): string[] {
    const tags = new Set<string>();
    if (this.opts.tagDemo !== false) tags.add(DEMO_TAG);
    const n = rng.chance(0.5) ? 0 : rng.chance(0.7) ? 1 : 2;
    for (let i = 0; i < n; i++) tags.add(rng.pick(vocabulary));
    return [...tags];
  }

  private owner(rng: Rng): string {
    return rng.pick(this.opts.ownerIds);
  }

  private times(rng: Rng): { createdAt: Date; updatedAt: Date } {
    const created = this.start + Math.floor(rng.next() * TWO_YEARS);
    // Edited some time after creation (within 90 days, never after now): distinct timestamps.
    const updated =
      created + Math.floor(rng.next() * Math.min(90 * DAY, this.opts.now.getTime() - created));
    return { createdAt: new Date(created), updatedAt: new Date(updated) };
  }

  private address(rng: Rng): Address {
    const province = this.provincePicker.pick(rng);
    const ward = rng.pick(this.wards.get(province.code) ?? []);
    return {
      label: null,
      street: `${1 + rng.int(300)} ${rng.pick(STREETS)}`,
      wardCode: ward.code,
      provinceCode: province.code,
      text: null,
      countryCode: 'VN',
      primary: true,
    };
  }

  private mobile(rng: Rng): string {
    return `+84${MOBILE_PREFIXES.pick(rng)}${rng.digits(7)}`;
  }

  /** Name and web domain of company i (cheap: used again for contacts' work emails). */
  companyCore(index: number): CompanyCore {
    const rng = this.rng('company', index, 1);
    const form = COMPANY_FORMS.pick(rng);
    const trade = rng.pick(COMPANY_TRADES);
    const brand = rng.pick(COMPANY_BRANDS);
    // A number keeps brand + trade combinations apart once there are many companies.
    const suffix = rng.chance(0.5) ? '' : ` ${1 + rng.int(99)}`;
    const name = `${form} ${trade} ${brand}${suffix}`;
    const domain = `${foldPart(brand).replace(/[^a-z0-9]/g, '')}${suffix.trim()}${rng.pick(['', 'group', 'corp', 'tech', 'vn'])}.${rng.pick(['vn', 'com.vn', 'com'])}`;
    return { name, domain };
  }

  company(index: number): CompanyInsert {
    const rng = this.rng('company', index);
    const core = this.companyCore(index);
    const { createdAt, updatedAt } = this.times(rng);
    let taxCode: string | null = null;
    while (taxCode === null) {
      const province = String(1 + rng.int(96)).padStart(2, '0');
      taxCode = makeTaxCode(`${province}${rng.digits(7)}`);
    }
    const address = this.address(rng);
    const landline =
      address.provinceCode === '01'
        ? `+8424${rng.digits(8)}`
        : address.provinceCode === '79'
          ? `+8428${rng.digits(8)}`
          : `+842${rng.pick(['36', '25', '92', '51', '20', '13'])}${rng.digits(7)}`;
    const phones: LabeledValue[] = [{ value: landline, label: 'work', primary: true }];
    if (rng.chance(0.4)) phones.push({ value: this.mobile(rng), label: 'mobile', primary: false });
    const emails: LabeledValue[] = [
      {
        value: `${rng.pick(['info', 'contact', 'sales', 'lienhe', 'ketoan'])}@${core.domain}`,
        label: 'work',
        primary: true,
      },
    ];
    return {
      id: this.id('company', index, createdAt.getTime()),
      workspaceId: this.opts.workspaceId,
      ownerId: this.owner(rng),
      tags: this.tags(rng, COMPANY_TAGS),
      custom: {},
      ...companySearchKeys({ name: core.name, taxCode, emails, phones }),
      createdAt,
      updatedAt,
      name: core.name,
      taxCode,
      type: COMPANY_TYPES.pick(rng),
      industry: rng.pick(INDUSTRIES),
      size: rng.pick(COMPANY_SIZES),
      website: `https://www.${core.domain}`,
      phones,
      emails,
      addresses: [address],
      provinceCode: address.provinceCode,
      wardCode: address.wardCode,
    };
  }

  /** The company contact i works at (index), or null; the same answer contact(i) uses. */
  employer(index: number): { company: number; jobTitle: string } | null {
    if (this.opts.companies === 0) return null;
    const rng = this.rng('contact', index, 1);
    if (!rng.chance(0.6)) return null;
    return { company: rng.int(this.opts.companies), jobTitle: rng.pick(JOB_TITLES) };
  }

  contact(index: number): ContactInsert {
    const rng = this.rng('contact', index);
    const female = rng.chance(0.5);
    const familyName = FAMILY_NAMES.pick(rng);
    let middleName = (female ? MIDDLE_FEMALE : MIDDLE_MALE).pick(rng);
    if ((middleName === 'Thị' || middleName === 'Văn') && rng.chance(0.25)) {
      middleName += ` ${rng.pick(female ? SECOND_MIDDLE_FEMALE : SECOND_MIDDLE_MALE)}`;
    }
    const givenName = rng.pick(female ? GIVEN_FEMALE : GIVEN_MALE);
    const displayName = composeDisplayName({ familyName, middleName, givenName });
    const { createdAt, updatedAt } = this.times(rng);
    const birthYear = 1960 + rng.int(44);
    const older = birthYear < 1972;

    const phones: LabeledValue[] = [{ value: this.mobile(rng), label: 'mobile', primary: true }];
    if (rng.chance(0.15)) phones.push({ value: this.mobile(rng), label: 'mobile', primary: false });

    const employer = this.employer(index);
    const emails: LabeledValue[] = [];
    const given = foldPart(givenName).replace(/ /g, '');
    const family = foldPart(familyName).replace(/ /g, '');
    const initials = foldPart(middleName)
      .split(' ')
      .map((w) => w.charAt(0))
      .join('');
    if (employer && rng.chance(0.7)) {
      const domain = this.companyCore(employer.company).domain;
      emails.push({ value: `${given}.${family}@${domain}`, label: 'work', primary: true });
    }
    if (rng.chance(0.75)) {
      const local = rng.pick([
        `${given}${family}${rng.int(100)}`,
        `${given}.${family}${birthYear % 100}`,
        `${family}${initials}${given}`,
        `${given}${family.charAt(0)}${initials}${rng.int(1000)}`,
      ]);
      emails.push({
        value: `${local}@${PERSONAL_DOMAINS.pick(rng)}`,
        label: 'personal',
        primary: emails.length === 0,
      });
    }
    const addresses = rng.chance(0.85) ? [this.address(rng)] : [];
    const primaryAddress = addresses[0];
    const consent = rng.chance(0.3)
      ? {
          email: {
            status: 'opted_in' as const,
            at: createdAt.toISOString(),
            method: rng.pick(['form', 'import', 'zalo']),
          },
        }
      : {};

    return {
      id: this.id('contact', index, createdAt.getTime()),
      workspaceId: this.opts.workspaceId,
      ownerId: this.owner(rng),
      tags: this.tags(rng, CONTACT_TAGS),
      custom: {},
      ...contactSearchKeys({ familyName, middleName, givenName, displayName, emails, phones }),
      createdAt,
      updatedAt,
      familyName,
      middleName,
      givenName,
      displayName,
      salutation: female ? (older ? 'ba' : 'chi') : older ? 'ong' : 'anh',
      gender: female ? 'female' : 'male',
      birthday: rng.chance(0.7)
        ? `${birthYear}-${String(1 + rng.int(12)).padStart(2, '0')}-${String(1 + rng.int(28)).padStart(2, '0')}`
        : null,
      emails,
      phones,
      primaryEmail: emails.find((e) => e.primary)?.value ?? null,
      primaryPhone: phones[0]?.value ?? null,
      addresses,
      provinceCode: primaryAddress?.provinceCode ?? null,
      wardCode: primaryAddress?.wardCode ?? null,
      source: rng.pick(SOURCES),
      lifecycleStage: LIFECYCLE.pick(rng),
      consent,
    };
  }

  /** The link of contact i to its employer, if any (the contact's company id is derived). */
  contactCompany(index: number, contact: ContactInsert): ContactCompanyInsert | null {
    const employer = this.employer(index);
    if (!employer) return null;
    const companyRng = this.rng('company', employer.company);
    const companyCreated = this.times(companyRng).createdAt;
    return {
      workspaceId: this.opts.workspaceId,
      contactId: contact.id,
      companyId: this.id('company', employer.company, companyCreated.getTime()),
      jobTitle: employer.jobTitle,
      isPrimary: true,
      createdAt: contact.createdAt ?? null,
    } as ContactCompanyInsert;
  }

  /** 0–3 notes on contact i, by its owner, between its creation and now. */
  contactNotes(index: number, contact: ContactInsert): NoteInsert[] {
    const rng = this.rng('contact', index, 2);
    const n = rng.pick([0, 0, 1, 1, 1, 2, 2, 3]);
    const from = (contact.createdAt as Date).getTime();
    const span = Math.max(1, this.opts.now.getTime() - from);
    const out: NoteInsert[] = [];
    for (let k = 0; k < n; k++) {
      const at = new Date(from + Math.floor(rng.next() * span));
      const text = rng.pick(NOTE_TEXTS);
      out.push({
        id: this.id('note', index * 4 + k, at.getTime()),
        workspaceId: this.opts.workspaceId,
        recordType: 'contacts',
        recordId: contact.id,
        bodyHtml: `<p>${text}</p>`,
        bodyText: text,
        pinned: k === 0 && rng.chance(0.1),
        authorId: contact.ownerId ?? null,
        createdAt: at,
        updatedAt: at,
      });
    }
    return out;
  }

  *companies(from = 0, to = this.opts.companies): Generator<CompanyInsert> {
    for (let i = from; i < to; i++) yield this.company(i);
  }

  *contacts(
    from = 0,
    to = this.opts.contacts,
  ): Generator<{
    contact: ContactInsert;
    link: ContactCompanyInsert | null;
    notes: NoteInsert[];
  }> {
    for (let i = from; i < to; i++) {
      const contact = this.contact(i);
      yield {
        contact,
        link: this.contactCompany(i, contact),
        notes: this.contactNotes(i, contact),
      };
    }
  }
}
