import { AppError, type FieldError, type LocalisedText } from '../../core/errors.js';
import type { Address, LabeledValue } from '../../db/schema/index.js';
import { getProvince, getWard } from '../../lib/vn/admin-units.js';
import { normalizeEmail, type EmailError } from '../../lib/vn/email.js';
import { foldForSearch, normalizeText } from '../../lib/vn/names.js';
import { normalizePhone, type PhoneError } from '../../lib/vn/phone.js';
import { normalizeTaxCode, type TaxCodeError } from '../../lib/vn/tax-code.js';

/**
 * Normalisation and validation of the values customer records share (phones, emails,
 * addresses, tags, tax codes, websites), collecting every problem as a translated field error
 * so one response lists them all.
 */

export class FieldErrors {
  readonly list: FieldError[] = [];

  add(path: string, text: LocalisedText, reason?: string): void {
    const error: FieldError = { path, message: text.en, text };
    if (reason) error.reason = reason;
    this.list.push(error);
  }

  /** Absorb the fields of a VALIDATION_FAILED error (custom field validation); rethrow others. */
  absorb(err: unknown): void {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED' && err.details?.fields) {
      this.list.push(...err.details.fields);
      return;
    }
    throw err;
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  throwIfAny(): void {
    if (!this.empty) throw validationError(this.list);
  }
}

export function validationError(fields: FieldError[]): AppError {
  return new AppError('VALIDATION_FAILED', { details: { fields } });
}

export function invalid(path: string, text: LocalisedText, reason?: string): AppError {
  const errors = new FieldErrors();
  errors.add(path, text, reason);
  return validationError(errors.list);
}

export const messages = {
  nameRequired: { vi: 'Cần nhập tên.', en: 'A name is required.' },
  phone: {
    empty: { vi: 'Số điện thoại đang để trống.', en: 'The phone number is empty.' },
    invalid_characters: {
      vi: 'Số điện thoại chứa ký tự không hợp lệ.',
      en: 'The phone number contains characters that are not digits.',
    },
    too_short: { vi: 'Số điện thoại quá ngắn.', en: 'The phone number is too short.' },
    too_long: { vi: 'Số điện thoại quá dài.', en: 'The phone number is too long.' },
    invalid_prefix: {
      vi: 'Đầu số điện thoại không hợp lệ.',
      en: 'This phone number prefix does not exist.',
    },
    invalid_country_code: {
      vi: 'Mã quốc gia không hợp lệ.',
      en: 'The country code is invalid.',
    },
    missing_country_code: {
      vi: 'Thiếu mã quốc gia (ví dụ +84).',
      en: 'The country code is missing (for example +84).',
    },
  } satisfies Record<PhoneError, LocalisedText>,
  email: {
    empty: { vi: 'Email đang để trống.', en: 'The email address is empty.' },
    too_long: { vi: 'Email quá dài.', en: 'The email address is too long.' },
    invalid_email: { vi: 'Email không hợp lệ.', en: 'Invalid email address.' },
  } satisfies Record<EmailError, LocalisedText>,
  taxCode: {
    empty: { vi: 'Mã số thuế đang để trống.', en: 'The tax code is empty.' },
    invalid_format: {
      vi: 'Mã số thuế phải có 10 chữ số (chi nhánh: 10 số, gạch ngang và 3 số; cá nhân: 12 số).',
      en: 'A tax code has 10 digits (a branch: 10 digits, a dash and 3 digits; a person: 12 digits).',
    },
    invalid_check_digit: {
      vi: 'Mã số thuế sai chữ số kiểm tra: hãy kiểm tra lại từng chữ số.',
      en: 'The tax code’s check digit is wrong: check each digit again.',
    },
  } satisfies Record<TaxCodeError, LocalisedText>,
  unknownProvince: {
    vi: 'Không có tỉnh/thành phố với mã này.',
    en: 'There is no province with this code.',
  },
  unknownWard: {
    vi: 'Không có phường/xã với mã này.',
    en: 'There is no ward or commune with this code.',
  },
  wardNotInProvince: {
    vi: 'Phường/xã này không thuộc tỉnh/thành phố đã chọn.',
    en: 'This ward or commune is not in the selected province.',
  },
  codesOnlyInVietnam: {
    vi: 'Mã tỉnh/phường chỉ dùng cho địa chỉ ở Việt Nam.',
    en: 'Province and ward codes are only for addresses in Vietnam.',
  },
  website: {
    vi: 'Địa chỉ web phải là một địa chỉ http:// hoặc https:// hợp lệ.',
    en: 'The website must be a valid http:// or https:// address.',
  },
  owner: {
    vi: 'Người phụ trách phải là thành viên đang hoạt động của không gian làm việc.',
    en: 'The owner must be an active member of this workspace.',
  },
  parentNotFound: {
    vi: 'Không tìm thấy công ty mẹ.',
    en: 'The parent company does not exist.',
  },
  parentCycle: {
    vi: 'Một công ty không thể là công ty mẹ của chính nó hay của công ty mẹ của nó.',
    en: 'A company cannot be the parent of itself or of one of its parents.',
  },
  companyNotFound: { vi: 'Không tìm thấy công ty.', en: 'The company does not exist.' },
} as const;

/** normalizeText, with '' → null (an empty optional text is no value). */
export function cleanText(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = normalizeText(s);
  return t === '' ? null : t;
}

interface LabeledInput {
  value: string;
  label?: string | null | undefined;
  primary?: boolean | undefined;
}

/** Exactly one primary: the first marked one, or the first one when none is marked. */
function withOnePrimary<T extends { primary: boolean }>(items: T[]): T[] {
  const first = Math.max(
    0,
    items.findIndex((i) => i.primary),
  );
  return items.map((item, i) => ({ ...item, primary: i === first }));
}

export function normalizePhones(
  input: LabeledInput[],
  errors: FieldErrors,
  path = 'phones',
): LabeledValue[] {
  const out: LabeledValue[] = [];
  const seen = new Set<string>();
  input.forEach((p, i) => {
    const r = normalizePhone(p.value);
    if (!r.ok) {
      errors.add(`${path}.${i}.value`, messages.phone[r.reason], r.reason);
      return;
    }
    if (seen.has(r.value)) return;
    seen.add(r.value);
    out.push({ value: r.value, label: cleanText(p.label), primary: p.primary ?? false });
  });
  return withOnePrimary(out);
}

export function normalizeEmails(
  input: LabeledInput[],
  errors: FieldErrors,
  path = 'emails',
): LabeledValue[] {
  const out: LabeledValue[] = [];
  const seen = new Set<string>();
  input.forEach((e, i) => {
    const r = normalizeEmail(e.value);
    if (!r.ok) {
      errors.add(`${path}.${i}.value`, messages.email[r.reason], r.reason);
      return;
    }
    if (seen.has(r.value)) return;
    seen.add(r.value);
    out.push({ value: r.value, label: cleanText(e.label), primary: e.primary ?? false });
  });
  return withOnePrimary(out);
}

export interface AddressInput {
  label?: string | null | undefined;
  street?: string | null | undefined;
  wardCode?: string | null | undefined;
  provinceCode?: string | null | undefined;
  text?: string | null | undefined;
  countryCode?: string | null | undefined;
  primary?: boolean | undefined;
}

/**
 * Addresses: province and ward codes must exist and the ward must be in the province (a ward
 * alone implies its province). An address with only free text (a pre-2025 address, or a foreign
 * one) is kept as typed.
 */
export function normalizeAddresses(
  input: AddressInput[],
  errors: FieldErrors,
  path = 'addresses',
): Address[] {
  const out: Address[] = [];
  input.forEach((a, i) => {
    const countryCode = (a.countryCode ?? 'VN').toUpperCase();
    let provinceCode = cleanText(a.provinceCode);
    const wardCode = cleanText(a.wardCode);
    let ok = true;
    if ((provinceCode || wardCode) && countryCode !== 'VN') {
      errors.add(`${path}.${i}.countryCode`, messages.codesOnlyInVietnam, 'codes_only_in_vietnam');
      return;
    }
    if (provinceCode && !getProvince(provinceCode)) {
      errors.add(`${path}.${i}.provinceCode`, messages.unknownProvince, 'unknown_province');
      ok = false;
    }
    if (wardCode) {
      const ward = getWard(wardCode);
      if (!ward) {
        errors.add(`${path}.${i}.wardCode`, messages.unknownWard, 'unknown_ward');
        ok = false;
      } else if (provinceCode && ok && ward.provinceCode !== provinceCode) {
        errors.add(`${path}.${i}.wardCode`, messages.wardNotInProvince, 'ward_not_in_province');
        ok = false;
      } else if (!provinceCode) {
        provinceCode = ward.provinceCode;
      }
    }
    if (!ok) return;
    const address: Address = {
      label: cleanText(a.label),
      street: cleanText(a.street),
      wardCode,
      provinceCode,
      text: cleanText(a.text),
      countryCode,
      primary: a.primary ?? false,
    };
    if (!address.street && !address.wardCode && !address.provinceCode && !address.text) return;
    out.push(address);
  });
  return withOnePrimary(out);
}

/** Trimmed, NFC, without empty ones and duplicates (compared case-insensitively). */
export function normalizeTags(tags: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of tags) {
    const tag = normalizeText(raw);
    const key = tag.toLocaleLowerCase('vi');
    if (tag === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

/** http(s) only; a bare domain gets https://. */
export function normalizeWebsite(
  input: string | null,
  errors: FieldErrors,
  path = 'website',
): string | null {
  const s = cleanText(input);
  if (s === null) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(s) ? s : `https://${s}`;
  try {
    const url = new URL(withScheme);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.')) {
      return url.toString();
    }
  } catch {
    // falls through to the error
  }
  errors.add(path, messages.website, 'invalid_url');
  return null;
}

export function normalizeTaxCodeField(
  input: string | null,
  errors: FieldErrors,
  path = 'taxCode',
): string | null {
  if (input === null || input.trim() === '') return null;
  const r = normalizeTaxCode(input);
  if (!r.ok) {
    errors.add(path, messages.taxCode[r.reason], r.reason);
    return null;
  }
  return r.value.code;
}

export const primaryValue = (list: LabeledValue[]): string | null =>
  list.find((v) => v.primary)?.value ?? null;

export const primaryAddress = (list: Address[]): Address | null =>
  list.find((a) => a.primary) ?? null;

/**
 * The phone forms people search by: national digits without and with the trunk 0, and the
 * E.164 digits ("912345678 0912345678 84912345678"); a foreign number by its E.164 digits.
 */
export function phoneSearchTerms(e164: string): string[] {
  const digits = e164.replace(/^\+/, '');
  const vn = /^84(\d{9,10})$/.exec(digits);
  return vn?.[1] ? [vn[1], `0${vn[1]}`, digits] : [digits];
}

/** The search_text column: folded words and digits, space separated, without duplicates. */
export function searchText(parts: (string | null | undefined)[]): string {
  const words = new Set<string>();
  for (const p of parts) {
    if (!p) continue;
    const f = foldForSearch(p);
    if (f) words.add(f);
  }
  return [...words].join(' ');
}
