import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../src/lib/vn/email.js';

describe('normalizeEmail', () => {
  it.each([
    ['an.nguyen@example.vn', 'an.nguyen@example.vn'],
    ['  An.Nguyen@Example.VN ', 'an.nguyen@example.vn'],
    ['HOA.TRAN@CONGTY.COM.VN', 'hoa.tran@congty.com.vn'],
    ['sales+crm@sen-crm.io', 'sales+crm@sen-crm.io'],
    ["o'brien@example.co.uk", "o'brien@example.co.uk"],
    ['info@xn--d-oia.vn', 'info@xn--d-oia.vn'],
    ['lienhe@công-ty.vn', 'lienhe@công-ty.vn'],
    ['lienhe@co\u0302ng-ty.vn', 'lienhe@công-ty.vn'], // decomposed input comes out NFC
    ['a@b.co', 'a@b.co'],
    ['user_name-1@mail.example.com', 'user_name-1@mail.example.com'],
  ])('%j -> %j', (input, email) => {
    expect(normalizeEmail(input)).toEqual({ ok: true, value: email });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['an.nguyen', 'invalid_email'],
    ['an.nguyen@', 'invalid_email'],
    ['@example.vn', 'invalid_email'],
    ['an@example', 'invalid_email'], // no dot in the domain
    ['an@@example.vn', 'invalid_email'],
    ['an@ex@ample.vn', 'invalid_email'],
    ['an nguyen@example.vn', 'invalid_email'],
    ['an@exam ple.vn', 'invalid_email'],
    ['.an@example.vn', 'invalid_email'],
    ['an.@example.vn', 'invalid_email'],
    ['an..nguyen@example.vn', 'invalid_email'],
    ['an@example..vn', 'invalid_email'],
    ['an@.example.vn', 'invalid_email'],
    ['an@example.vn.', 'invalid_email'],
    ['an@-example.vn', 'invalid_email'],
    ['an@example-.vn', 'invalid_email'],
    ['an@example.v', 'invalid_email'],
    ['an@example.123', 'invalid_email'],
    ['an@127.0.0.1', 'invalid_email'],
    ['Nguyễn An <an@example.vn>', 'invalid_email'],
    ['mailto:an@example.vn', 'invalid_email'],
    ['"an"@example.vn', 'invalid_email'],
    ['an,binh@example.vn', 'invalid_email'],
    [`${'a'.repeat(65)}@example.vn`, 'invalid_email'], // local part over 64
    [`an@${'a'.repeat(64)}.vn`, 'invalid_email'], // label over 63
    [`an@${'abcdefghi.'.repeat(25)}vn`, 'too_long'], // 255 characters
  ])('rejects %j: %s', (input, reason) => {
    expect(normalizeEmail(input)).toEqual({ ok: false, reason });
  });

  it('accepts exactly 254 characters', () => {
    const email = `an@${'abcdefghi.'.repeat(24)}${'b'.repeat(8)}.vn`;
    expect(email).toHaveLength(254);
    expect(normalizeEmail(email)).toEqual({ ok: true, value: email });
  });
});
