/**
 * Phone numbers, stored as E.164 ("+84912345678"). Vietnamese numbers are checked against the
 * national numbering plan; foreign numbers only by length (no per-country table).
 *
 * Vietnamese national significant numbers (NSN, what follows +84 or the trunk prefix 0):
 * - mobile: 9 digits starting with 3, 5, 7, 8 or 9 (0912 345 678);
 * - landline: 10 digits starting with 2, the 2017 area codes: 24 Hà Nội and 28 Hồ Chí Minh
 *   with an 8-digit subscriber number (024 3825 1234), the others 2xx with 7 (0236 3822 222);
 * - old 11-digit mobiles (01xx, renumbered in 2018) are converted to their new 10-digit form.
 * Service numbers (1800/1900 hotlines) are not phone numbers of a person and are rejected.
 */
import { fail, ok, type Result } from './result.js';

export type PhoneError =
  | 'empty'
  | 'invalid_characters'
  | 'too_short'
  | 'too_long'
  | 'invalid_prefix'
  | 'invalid_country_code'
  | 'missing_country_code';

/** Countries whose national format (trunk prefix, no country code) is understood. */
export type PhoneCountry = 'VN';

export type PhoneKind = 'mobile' | 'landline' | 'foreign';

/**
 * The 2018 renumbering of 11-digit mobiles: old NSN prefix (3 digits) -> new prefix (2 digits).
 * 0166 234 5678 became 036 234 5678.
 */
export const OLD_MOBILE_PREFIXES: Readonly<Record<string, string>> = Object.freeze({
  // Viettel
  '162': '32',
  '163': '33',
  '164': '34',
  '165': '35',
  '166': '36',
  '167': '37',
  '168': '38',
  '169': '39',
  // MobiFone
  '120': '70',
  '121': '79',
  '122': '77',
  '126': '76',
  '128': '78',
  // VinaPhone
  '123': '83',
  '124': '84',
  '125': '85',
  '127': '81',
  '129': '82',
  // Vietnamobile
  '186': '56',
  '188': '58',
  // Gmobile
  '199': '59',
});

/** Spaces (any Unicode space), dots, dashes and parentheses people put between digits. */
const SEPARATORS = /[\s.()\-\u2010-\u2015]/g;
const VN_COUNTRY_CODE = '84';

/** Digits only, with a leading "+" kept; null when anything else is in the input. */
function compact(input: string): string | null {
  const s = input.normalize('NFKC').replace(SEPARATORS, '');
  return /^\+?\d*$/.test(s) ? s : null;
}

function checkLength(nsn: string, expected: number): Result<string, PhoneError> {
  if (nsn.length < expected) return fail('too_short');
  if (nsn.length > expected) return fail('too_long');
  return ok(`+${VN_COUNTRY_CODE}${nsn}`);
}

/**
 * A Vietnamese national significant number to E.164. After a country code, a trunk 0 written by
 * habit is dropped ("+84 (0) 912…", "+84 0912…"): no national significant number starts with 0.
 */
function fromVietnameseNsn(digits: string): Result<string, PhoneError> {
  const nsn = digits.startsWith('0') ? digits.slice(1) : digits;
  if (nsn.length < 3) return fail('too_short');
  const first = nsn.charAt(0);
  if (first === '1') {
    const converted = OLD_MOBILE_PREFIXES[nsn.slice(0, 3)];
    if (converted === undefined) return fail('invalid_prefix');
    const result = checkLength(nsn, 10);
    return result.ok ? ok(`+${VN_COUNTRY_CODE}${converted}${nsn.slice(3)}`) : result;
  }
  if (first === '2') return checkLength(nsn, 10);
  if ('35789'.includes(first)) return checkLength(nsn, 9);
  return fail('invalid_prefix');
}

/**
 * Any way people write a phone number -> E.164. Accepts spaces, dots, dashes and parentheses,
 * a "+" or "00" international prefix, and (for Vietnam) the trunk prefix 0, a bare 84 country
 * code or no prefix at all: "0912 345 678", "+84 912 345 678", "84912345678", "912345678" and
 * "0084912345678" are all "+84912345678". Old 11-digit mobiles are converted.
 *
 * `defaultCountry` is the country of numbers written without a country code; pass null to
 * require one (for example, for an import of foreign contacts).
 */
export function normalizePhone(
  input: string,
  defaultCountry: PhoneCountry | null = 'VN',
): Result<string, PhoneError> {
  if (input.trim() === '') return fail('empty');
  const s = compact(input);
  if (s === null) return fail('invalid_characters');
  if (s === '' || s === '+') return fail('too_short');

  const international = s.startsWith('+') ? s.slice(1) : s.startsWith('00') ? s.slice(2) : null;
  if (international !== null) {
    if (international.startsWith(VN_COUNTRY_CODE)) {
      return fromVietnameseNsn(international.slice(VN_COUNTRY_CODE.length));
    }
    if (international === '' || international.startsWith('0')) return fail('invalid_country_code');
    // E.164: a 1-3 digit country code, at most 15 digits in all; 8 is the shortest in use.
    if (international.length < 8) return fail('too_short');
    if (international.length > 15) return fail('too_long');
    return ok(`+${international}`);
  }

  if (defaultCountry === null) return fail('missing_country_code');
  if (s.startsWith('0')) return fromVietnameseNsn(s.slice(1));
  // 84 followed by a full number: no NSN is longer than 10 digits, so 11+ digits means the
  // country code was typed without its "+".
  if (s.startsWith(VN_COUNTRY_CODE) && s.length >= 11) {
    return fromVietnameseNsn(s.slice(VN_COUNTRY_CODE.length));
  }
  return fromVietnameseNsn(s);
}

/** The Vietnamese NSN of a stored E.164 number, or null for a foreign or malformed one. */
function vietnameseNsn(e164: string): string | null {
  const m = /^\+84(\d{9,10})$/.exec(e164);
  return m?.[1] ?? null;
}

/** Mobile or landline for a Vietnamese E.164 number, 'foreign' otherwise. */
export function phoneKind(e164: string): PhoneKind {
  const nsn = vietnameseNsn(e164);
  if (nsn === null) return 'foreign';
  return nsn.length === 10 && nsn.startsWith('2') ? 'landline' : 'mobile';
}

/** [area code, subscriber groups] of a landline NSN: 24/28 take 2 digits, the others 3. */
function landlineGroups(nsn: string): [string, string, string] {
  const areaLength = nsn.startsWith('24') || nsn.startsWith('28') ? 2 : 3;
  const subscriber = nsn.slice(areaLength);
  return [nsn.slice(0, areaLength), subscriber.slice(0, 4), subscriber.slice(4)];
}

/** "+1 415 555 2671" for North American numbers; other foreign numbers stay as stored. */
function formatForeign(e164: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return nanp ? `+1 ${nanp[1]} ${nanp[2]} ${nanp[3]}` : e164;
}

/**
 * A stored E.164 number as Vietnamese people write it: "0912 345 678", "024 3825 1234",
 * "0236 3822 222". Foreign numbers stay international. A value that is not a valid stored
 * number is returned unchanged (formatting never fails).
 */
export function formatPhoneNational(e164: string): string {
  const nsn = vietnameseNsn(e164);
  if (nsn === null) return formatForeign(e164);
  if (nsn.length === 9) return `0${nsn.slice(0, 3)} ${nsn.slice(3, 6)} ${nsn.slice(6)}`;
  if (nsn.startsWith('2')) return `0${landlineGroups(nsn).join(' ')}`;
  return e164;
}

/** A stored E.164 number for foreigners: "+84 912 345 678", "+84 24 3825 1234". */
export function formatPhoneInternational(e164: string): string {
  const nsn = vietnameseNsn(e164);
  if (nsn === null) return formatForeign(e164);
  if (nsn.length === 9) return `+84 ${nsn.slice(0, 3)} ${nsn.slice(3, 6)} ${nsn.slice(6)}`;
  if (nsn.startsWith('2')) return `+84 ${landlineGroups(nsn).join(' ')}`;
  return e164;
}

/**
 * The digits to look for when a user types part of a phone number in a search box, or null
 * when the query is not a phone fragment (letters) or has fewer than 3 digits.
 *
 * Approach: stored numbers are E.164, so the key is matched as a substring of the stored
 * digits (`phone_e164 LIKE '%' || key || '%'`; the "+" is only ever the first character):
 * - a leading "+" or "00" means the user typed a country code: it is kept ("+84 912" -> "84912",
 *   and a trunk 0 after +84 is dropped as normalizePhone does);
 * - a leading single 0 is the Vietnamese trunk prefix, which E.164 never contains: it is dropped
 *   ("0912 345" -> "912345");
 * - anything else is searched as typed ("912345678", "84912");
 * - an old 11-digit mobile prefix right after the trunk prefix or +84 is renumbered like
 *   normalizePhone does ("01662 345" -> "362345", "+84 1662" -> "84362"), since stored numbers
 *   use the new prefixes.
 * A fragment without a prefix may match in the middle of a number; that is intended (people
 * search by the last digits they remember).
 */
export function phoneSearchKey(input: string): string | null {
  const s = compact(input.trim());
  if (s === null) return null;
  let key: string;
  if (s.startsWith('+') || s.startsWith('00')) {
    const digits = s.startsWith('+') ? s.slice(1) : s.slice(2);
    key = digits.startsWith(VN_COUNTRY_CODE)
      ? VN_COUNTRY_CODE + renumberOldPrefix(digits.slice(VN_COUNTRY_CODE.length).replace(/^0/, ''))
      : digits;
  } else if (s.startsWith('0')) {
    key = renumberOldPrefix(s.slice(1));
  } else {
    key = s;
  }
  return key.length >= 3 ? key : null;
}

/** "1662345" -> "362345" when the fragment starts with a complete old mobile prefix. */
function renumberOldPrefix(nsnFragment: string): string {
  const converted = OLD_MOBILE_PREFIXES[nsnFragment.slice(0, 3)];
  return converted === undefined ? nsnFragment : converted + nsnFragment.slice(3);
}
