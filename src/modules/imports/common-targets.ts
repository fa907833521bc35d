import type { LocalisedText } from '../../core/errors.js';
import { searchUnits } from '../../lib/vn/admin-units.js';
import type { ImportTarget } from './targets.js';

/**
 * Targets several objects declare (contacts and companies have phones, emails, addresses): the
 * header names Vietnamese and English files use for them, Google Contacts' and Outlook's CSV
 * export columns included ("Phone 1 - Value", "E-mail Address", "Business Street"…).
 */

/** One box with the whole name, split by the object into family / middle / given name. */
export function fullNameTarget(label: LocalisedText): ImportTarget {
  return {
    key: 'fullName',
    label,
    hints: [
      'ho va ten',
      'ho ten',
      'ten khach hang',
      'khach hang',
      'ten lien he',
      'nguoi lien he',
      'ten day du',
      'full name',
      'name',
      'contact name',
      'display name',
    ],
    apply: (body, text) => ((body.fullName = text), null),
  };
}

/** Values separated by `,` `;` `/` or new lines in one cell ("0912…; 0987…"). */
const splitValues = (text: string) =>
  text
    .split(/[,;/\n]| - /)
    .map((s) => s.trim())
    .filter(Boolean);

function labeledValues(key: string, label: LocalisedText, hints: string[]): ImportTarget {
  return {
    key,
    label,
    multiple: true,
    hints,
    apply: (body, text) => {
      const list = Array.isArray(body[key]) ? (body[key] as { value: string }[]) : [];
      for (const value of splitValues(text)) {
        if (!list.some((v) => v.value === value)) list.push({ value });
      }
      body[key] = list;
      return null;
    },
  };
}

export const phonesTarget = (label: LocalisedText = { vi: 'Điện thoại', en: 'Phones' }) =>
  labeledValues('phones', label, [
    'sdt',
    'so dt',
    'so dien thoai',
    'dien thoai',
    'dt',
    'dtdd',
    'di dong',
    'so di dong',
    'dien thoai di dong',
    'dien thoai co dinh',
    'zalo',
    'hotline',
    'mobile',
    'mobile phone',
    'phone',
    'phone number',
    'tel',
    'telephone',
    'business phone',
    'home phone',
    'other phone',
    'phone 1 value',
    'phone 2 value',
    'phone 3 value',
  ]);

export const emailsTarget = (label: LocalisedText = { vi: 'Email', en: 'Emails' }) =>
  labeledValues('emails', label, [
    'email',
    'e mail',
    'thu dien tu',
    'dia chi email',
    'mail',
    'email address',
    'e mail address',
    'e mail 2 address',
    'e mail 3 address',
    'e mail 1 value',
    'e mail 2 value',
    'e mail 3 value',
  ]);

type AddressBody = { street?: string; wardCode?: string; provinceCode?: string; text?: string };

function firstAddress(body: Record<string, unknown>): AddressBody {
  const list = Array.isArray(body.addresses) ? (body.addresses as AddressBody[]) : [];
  if (list.length === 0) list.push({});
  body.addresses = list;
  return list[0]!;
}

/**
 * exactUnit's answers: the units are fixed data and a file names the same few hundred places
 * again and again (the search was 115 µs a row, most of an import's reading). Bounded: emptied
 * when full.
 */
const unitCache = new Map<string, ReturnType<typeof findExactUnit>>();
const UNIT_CACHE_MAX = 20_000;

/** The one unit a name names exactly (ignoring accents, case and the unit's type), if any. */
function exactUnit(name: string, provinceCode?: string) {
  const key = `${provinceCode ?? ''}|${name}`;
  let unit = unitCache.get(key);
  if (unit === undefined) {
    if (unitCache.size >= UNIT_CACHE_MAX) unitCache.clear();
    unit = findExactUnit(name, provinceCode);
    unitCache.set(key, unit);
  }
  return unit;
}

function findExactUnit(name: string, provinceCode?: string) {
  const folded = name.trim();
  if (!folded) return null;
  const hits = searchUnits(folded, {
    limit: 3,
    ...(provinceCode ? { provinceCode } : { level: 'province' as const }),
  });
  const exact = hits.filter(
    (h) =>
      h.name.localeCompare(folded, 'vi', { sensitivity: 'base' }) === 0 ||
      h.fullName.localeCompare(folded, 'vi', { sensitivity: 'base' }) === 0,
  );
  return exact.length === 1 ? exact[0]! : null;
}

/**
 * A whole address in one cell ("Số 12 Phố Huế, Hai Bà Trưng, Hà Nội"): its last part matched to
 * a province and the one before to a ward of it, only when each names exactly one current unit.
 * When both match, the rest is the street; otherwise the address is kept as typed (a pre-2025
 * address names districts that no longer exist) with the province when that one is certain.
 */
export function addressTarget(
  label: LocalisedText = { vi: 'Địa chỉ', en: 'Address' },
): ImportTarget {
  return {
    key: 'address',
    label,
    hints: [
      'dia chi',
      'dia chi lien he',
      'dia chi giao hang',
      'dia chi cong ty',
      'address',
      'street',
      'business street',
      'home street',
      'address 1 formatted',
      'address 1 street',
    ],
    apply: (body, text) => {
      const address = firstAddress(body);
      const parts = text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const province = parts.length > 1 ? exactUnit(parts[parts.length - 1]!) : null;
      const ward =
        province && parts.length > 2
          ? exactUnit(parts[parts.length - 2]!, province.provinceCode)
          : null;
      if (province && ward) {
        address.street = parts.slice(0, -2).join(', ');
        address.wardCode = ward.code;
        address.provinceCode = province.provinceCode;
      } else {
        address.text = text;
        if (province) address.provinceCode = province.provinceCode;
      }
      return null;
    },
  };
}

/** A province or city column ("Tỉnh/TP"): the current province it names. */
export function provinceTarget(
  label: LocalisedText = { vi: 'Tỉnh/Thành phố', en: 'Province/City' },
): ImportTarget {
  return {
    key: 'province',
    label,
    hints: [
      'tinh tp',
      'tinh thanh pho',
      'tinh thanh',
      'tinh',
      'thanh pho',
      'province',
      'city',
      'region',
    ],
    apply: (body, text) => {
      const province = exactUnit(text);
      if (!province) {
        return {
          vi: `Không nhận ra tỉnh/thành phố "${text}" (theo danh mục từ 1/7/2025).`,
          en: `"${text}" is not a known province or city (units since 1 July 2025).`,
        };
      }
      firstAddress(body).provinceCode = province.provinceCode;
      return null;
    },
  };
}
