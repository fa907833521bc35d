/**
 * Vietnamese tax codes (mã số thuế, MST).
 *
 * - Organisation: 10 digits. Digits 1-2 are the province where it first registered, 3-9 a
 *   sequence number, and digit 10 a check digit over the first nine:
 *     sum = 31·d1 + 29·d2 + 23·d3 + 19·d4 + 17·d5 + 13·d6 + 7·d7 + 5·d8 + 3·d9
 *     check = 10 − (sum mod 11)
 *   A result of 10 (sum divisible by 11) is never issued, so such a code is invalid.
 * - Branch (dependent unit): the parent's 10 digits, a dash and a 3-digit sequence 001-999
 *   ("0100112437-011").
 * - Individual or household: 12 digits, the personal identification number (CCCD) used as the
 *   tax code since 1 July 2025. It has no check digit, so only its shape is checked.
 *
 * Older personal codes were issued in the 10-digit format (often starting with 8); by shape
 * they cannot be told from an organisation's and are reported as 'organisation'.
 */
import { fail, ok, type Result } from './result.js';

export type TaxCodeKind = 'organisation' | 'branch' | 'individual';
export type TaxCodeError = 'empty' | 'invalid_format' | 'invalid_check_digit';
export interface TaxCode {
  /** Canonical form: "0100109106", "0100109106-001" or "001087123456". */
  code: string;
  kind: TaxCodeKind;
}

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

/**
 * The check digit for the first nine digits of an organisation's tax code, or null when the
 * input is not nine digits or when no digit is valid (the weighted sum is divisible by 11).
 */
export function taxCodeCheckDigit(nineDigits: string): number | null {
  if (!/^\d{9}$/.test(nineDigits)) return null;
  let sum = 0;
  WEIGHTS.forEach((weight, i) => {
    sum += weight * (nineDigits.charCodeAt(i) - 48);
  });
  const check = 10 - (sum % 11);
  return check === 10 ? null : check;
}

/** A 10-digit code with a correct check digit and a sequence number that is not all zeros. */
function checkTenDigits(code: string): TaxCodeError | null {
  if (code.slice(2, 9) === '0000000') return 'invalid_format';
  return taxCodeCheckDigit(code.slice(0, 9)) === Number(code.charAt(9))
    ? null
    : 'invalid_check_digit';
}

/**
 * A tax code as typed or pasted -> its canonical form and kind. Spaces and dots are ignored
 * ("01.00.109.106", "0312 68 78 78 - 001"); a dash is accepted only before a branch number.
 */
export function normalizeTaxCode(input: string): Result<TaxCode, TaxCodeError> {
  if (input.trim() === '') return fail('empty');
  const spaced = input.normalize('NFKC').replace(/[\s.]/g, '');
  // A dash only ever separates a branch number from its parent's code.
  const branch = /^(\d{10})[-\u2010-\u2015](\d{3})$/.exec(spaced);
  const s = branch ? `${branch[1]}${branch[2]}` : spaced;
  if (!/^\d+$/.test(s)) return fail('invalid_format');

  if (s.length === 10) {
    const error = checkTenDigits(s);
    return error ? fail(error) : ok({ code: s, kind: 'organisation' });
  }
  if (s.length === 13) {
    const parent = s.slice(0, 10);
    const branch = s.slice(10);
    if (branch === '000') return fail('invalid_format');
    const error = checkTenDigits(parent);
    return error ? fail(error) : ok({ code: `${parent}-${branch}`, kind: 'branch' });
  }
  if (s.length === 12) {
    // The first three digits of a personal ID are a province code, 001 to 096.
    if (s.startsWith('000')) return fail('invalid_format');
    return ok({ code: s, kind: 'individual' });
  }
  return fail('invalid_format');
}

/**
 * Nine digits + their check digit: a valid organisation tax code for demo data. Null when the
 * nine digits have no valid check digit or are not a usable prefix (not nine digits, or a
 * sequence number of all zeros).
 */
export function makeTaxCode(nineDigits: string): string | null {
  const check = taxCodeCheckDigit(nineDigits);
  if (check === null || nineDigits.slice(2) === '0000000') return null;
  return `${nineDigits}${check}`;
}
