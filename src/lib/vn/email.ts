/**
 * Email addresses: trimmed, NFC, lower-cased, and checked with a sane rule rather than the full
 * RFC 5322 grammar (no quoted local parts, comments or IP-literal domains: nobody types those
 * into a CRM, and a typo is far more likely).
 */
import { fail, ok, type Result } from './result.js';

export type EmailError = 'empty' | 'too_long' | 'invalid_email';

const MAX_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
/** No spaces, no second @, none of the characters that need quoting. */
const LOCAL_PART = /^[^\s@"(),:;<>[\]\\]+$/u;
/** Letters (including internationalised domain names), digits and inner hyphens. */
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
/** A top-level domain is letters, or an ASCII-encoded IDN ("xn--..."). */
const TOP_LEVEL = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/u;

function isValid(email: string): boolean {
  const at = email.lastIndexOf('@');
  if (at <= 0 || email.indexOf('@') !== at) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > MAX_LOCAL_LENGTH || !LOCAL_PART.test(local)) return false;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  const labels = domain.split('.');
  const tld = labels[labels.length - 1] ?? '';
  return labels.length >= 2 && labels.every((l) => DOMAIN_LABEL.test(l)) && TOP_LEVEL.test(tld);
}

/** "  An.Nguyen@Example.VN " -> "an.nguyen@example.vn", or why it is not an email address. */
export function normalizeEmail(input: string): Result<string, EmailError> {
  const email = input.normalize('NFC').trim().toLowerCase();
  if (email === '') return fail('empty');
  if (email.length > MAX_LENGTH) return fail('too_long');
  return isValid(email) ? ok(email) : fail('invalid_email');
}
