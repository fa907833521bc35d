/**
 * Vietnamese đồng. VND has no minor unit, so an amount is an integer number of đồng.
 *
 * parseVnd accepts only forms whose meaning is certain:
 * - plain digits: "1500000";
 * - thousands grouped with dots (Vietnamese) or commas (English): "1.500.000", "1,500,000".
 *   A single group of three after the separator is grouping too ("1.500" is 1,500 đồng, never 1.5);
 * - a decimal part of one or two zeros, as exported by spreadsheets: "1500000.00",
 *   "1.500.000,00", "1,500,000.00"; other one- or two-digit decimals are a fraction of a đồng
 *   and rejected; three decimals are not a decimal part ("1.500,000" is rejected);
 * - a currency sign or code before or after: "₫", "đ", "VND", "VNĐ", "đồng" ("1.500.000 ₫").
 * Shorthands ("1,5tr", "500k", "2 tỷ") are rejected: "1.500tr" could be read two ways.
 */
import { fail, ok, type Result } from './result.js';

export type MoneyError = 'empty' | 'invalid_amount' | 'fractional_amount' | 'negative_amount';

export interface ParseVndOptions {
  /** Accept a leading minus (refunds, adjustments). Default false. */
  allowNegative?: boolean;
}

/** Longest first, so "đồng" is not taken for "đ" followed by "ồng". */
const CURRENCY = /^(?:vnđ|vnd|đồng|dong|₫|đ)/u;
const CURRENCY_END = /(?:vnđ|vnd|đồng|dong|₫|đ)$/u;

function stripCurrency(s: string): string {
  return s.replace(CURRENCY, '').replace(CURRENCY_END, '');
}

/** The integer value of unsigned digits with separators, or a reason it has none. */
function parseUnsigned(s: string): Result<number, MoneyError> {
  if (/^\d+$/.test(s)) return ok(Number(s));
  if (!/^\d[\d.,]*$/.test(s)) return fail('invalid_amount');
  const dots = s.includes('.');
  const commas = s.includes(',');
  if (dots !== commas) {
    const sep = dots ? '\\.' : ',';
    // Only one kind of separator: grouping when every group after the first has three digits…
    if (new RegExp(`^\\d{1,3}(?:${sep}\\d{3})+$`).test(s)) return ok(Number(s.replace(/\D/g, '')));
    // …otherwise a single separator is a decimal point.
    const m = new RegExp(`^(\\d+)${sep}(\\d{1,2})$`).exec(s);
    if (!m) return fail('invalid_amount');
    return /^0+$/.test(m[2] ?? '') ? ok(Number(m[1] ?? '')) : fail('fractional_amount');
  }
  // Both: the last one is the decimal point, the other groups thousands.
  const decimal = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
  const group = decimal === '.' ? ',' : '.';
  const [whole = '', fraction = '', ...rest] = s.split(decimal);
  if (rest.length > 0 || !/^\d{1,2}$/.test(fraction)) return fail('invalid_amount');
  if (!new RegExp(`^\\d{1,3}(?:\\${group}\\d{3})+$`).test(whole)) return fail('invalid_amount');
  if (!/^0+$/.test(fraction)) return fail('fractional_amount');
  return ok(Number(whole.replace(/\D/g, '')));
}

/**
 * An amount in đồng as typed, pasted or imported -> an integer. Numbers must be safe integers
 * already (a fraction of a đồng is an error, not something to round away).
 */
export function parseVnd(
  input: string | number,
  options: ParseVndOptions = {},
): Result<number, MoneyError> {
  let value: number;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return fail('invalid_amount');
    if (!Number.isInteger(input)) return fail('fractional_amount');
    value = input;
  } else {
    const trimmed = input.normalize('NFC').trim();
    if (trimmed === '') return fail('empty');
    let s = trimmed.toLowerCase().replace(/\s/g, '');
    const negative = s.startsWith('-');
    if (negative) s = s.slice(1);
    s = stripCurrency(s);
    // "₫-1.000" and "-₫1.000" both appear in the wild.
    const negativeAfterSign = !negative && s.startsWith('-');
    if (negativeAfterSign) s = s.slice(1);
    const parsed = parseUnsigned(s);
    if (!parsed.ok) return parsed;
    value = negative || negativeAfterSign ? -parsed.value : parsed.value;
  }
  if (!Number.isSafeInteger(value)) return fail('invalid_amount');
  if (value < 0 && !options.allowNegative) return fail('negative_amount');
  return ok(value === 0 ? 0 : value);
}

/**
 * An amount for display in the user's locale, with no decimals: "1.500.000 ₫" in 'vi' / 'vi-VN',
 * "₫1,500,000" in 'en' / 'en-US'. Intl separates the number and the sign with a no-break space.
 */
export function formatVnd(amount: number, locale = 'vi-VN'): string {
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'VND',
    maximumFractionDigits: 0,
  }).format(amount);
}
