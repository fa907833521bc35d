import { describe, expect, it } from 'vitest';
import {
  OLD_MOBILE_PREFIXES,
  formatPhoneInternational,
  formatPhoneNational,
  normalizePhone,
  phoneKind,
  phoneSearchKey,
} from '../../src/lib/vn/phone.js';

const valueOf = (input: string) => {
  const r = normalizePhone(input);
  return r.ok ? r.value : `error:${r.reason}`;
};

describe('normalizePhone: Vietnamese mobiles', () => {
  it.each([
    '0912 345 678',
    '0912345678',
    '0912.345.678',
    '0912-345-678',
    '(091) 234-5678',
    '+84 912 345 678',
    '+84912345678',
    '(+84) 912 345 678',
    '+84 (0) 912 345 678',
    '+84 0912 345 678',
    '840912345678',
    '84912345678',
    '84 912 345 678',
    '912345678',
    '0084912345678',
    '00 84 912 345 678',
    ' 0912\u00a0345\u00a0678 ',
    '０９１２３４５６７８',
  ])('%j is +84912345678', (input) => {
    expect(valueOf(input)).toBe('+84912345678');
  });

  it.each([
    ['0321 234 567', '+84321234567'], // Viettel 03x
    ['0523 456 789', '+84523456789'], // Vietnamobile 05x
    ['0701 234 567', '+84701234567'], // MobiFone 07x
    ['0888 123 456', '+84888123456'], // VinaPhone 08x
    ['0868 123 456', '+84868123456'], // Viettel 086
    ['0987 654 321', '+84987654321'], // Viettel 09x
    ['0599 123 456', '+84599123456'], // Gmobile 059
  ])('accepts %s (prefixes 03x 05x 07x 08x 09x)', (input, e164) => {
    expect(valueOf(input)).toBe(e164);
  });

  it.each([
    ['0912 345 67', 'too_short'],
    ['091234567', 'too_short'],
    ['0912 345 6789', 'too_long'],
    ['+84 912 345 6789', 'too_long'],
    ['0', 'too_short'],
    ['+84', 'too_short'],
    ['0412 345 678', 'invalid_prefix'],
    ['0612 345 678', 'invalid_prefix'],
    ['0012', 'too_short'],
    ['000 912 345 678', 'invalid_country_code'],
    ['0912 345 67a', 'invalid_characters'],
    ['phone: 0912345678', 'invalid_characters'],
    ['0912/345/678', 'invalid_characters'],
    ['09+12345678', 'invalid_characters'],
    ['0912345678 ext 12', 'invalid_characters'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['--', 'too_short'],
  ])('rejects %j: %s', (input, reason) => {
    expect(normalizePhone(input)).toEqual({ ok: false, reason });
  });
});

describe('normalizePhone: the 2018 renumbering of 11-digit mobiles', () => {
  it.each([
    // Viettel 0162-0169 -> 032-039
    ['0162 234 5678', '+84322345678'],
    ['0163 234 5678', '+84332345678'],
    ['0164 234 5678', '+84342345678'],
    ['0165 234 5678', '+84352345678'],
    ['01662 345 678', '+84362345678'],
    ['0167 234 5678', '+84372345678'],
    ['0168 234 5678', '+84382345678'],
    ['0169 234 5678', '+84392345678'],
    // MobiFone
    ['0120 234 5678', '+84702345678'],
    ['0121 234 5678', '+84792345678'],
    ['0122 234 5678', '+84772345678'],
    ['0126 234 5678', '+84762345678'],
    ['0128 234 5678', '+84782345678'],
    // VinaPhone
    ['0123 234 5678', '+84832345678'],
    ['0124 234 5678', '+84842345678'],
    ['0125 234 5678', '+84852345678'],
    ['0127 234 5678', '+84812345678'],
    ['0129 234 5678', '+84822345678'],
    // Vietnamobile
    ['0186 234 5678', '+84562345678'],
    ['0188 234 5678', '+84582345678'],
    // Gmobile
    ['0199 234 5678', '+84592345678'],
  ])('%s -> %s', (input, e164) => {
    expect(valueOf(input)).toBe(e164);
  });

  it('has exactly the 21 prefixes of the plan', () => {
    expect(Object.keys(OLD_MOBILE_PREFIXES)).toHaveLength(21);
  });

  it.each(['+84 1662 345 678', '+841662345678', '841662345678', '00841662345678', '1662345678'])(
    'converts the international form %j',
    (input) => {
      expect(valueOf(input)).toBe('+84362345678');
    },
  );

  it.each([
    ['0130 234 5678', 'invalid_prefix'], // never assigned
    ['0111 234 5678', 'invalid_prefix'],
    ['0187 234 5678', 'invalid_prefix'],
    ['0198 234 5678', 'invalid_prefix'],
    ['1900 1234', 'invalid_prefix'], // hotline, not a person's phone
    ['1800 599 920', 'invalid_prefix'],
    ['0166 234 567', 'too_short'],
    ['0166 234 56789', 'too_long'],
  ])('rejects %s: %s', (input, reason) => {
    expect(normalizePhone(input)).toEqual({ ok: false, reason });
  });
});

describe('normalizePhone: Vietnamese landlines (2017 area codes)', () => {
  it.each([
    ['024 3825 1234', '+842438251234'], // Hà Nội
    ['(024) 3825.1234', '+842438251234'],
    ['+84 24 3825 1234', '+842438251234'],
    ['028 3823 4567', '+842838234567'], // Hồ Chí Minh
    ['0236 3822 222', '+842363822222'], // Đà Nẵng
    ['0225 3842 123', '+842253842123'], // Hải Phòng
    ['0292 3820 000', '+842923820000'], // Cần Thơ
  ])('%s -> %s', (input, e164) => {
    expect(valueOf(input)).toBe(e164);
  });

  it.each([
    ['024 3825 123', 'too_short'],
    ['024 3825 12345', 'too_long'],
    ['04 3825 1234', 'invalid_prefix'], // the pre-2017 Hà Nội code
  ])('rejects %s: %s', (input, reason) => {
    expect(normalizePhone(input)).toEqual({ ok: false, reason });
  });
});

describe('normalizePhone: foreign numbers', () => {
  it.each([
    ['+1 415 555 2671', '+14155552671'],
    ['+1 (415) 555-2671', '+14155552671'],
    ['001 415 555 2671', '+14155552671'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+65 6123 4567', '+6561234567'],
    ['+86 138 0013 8000', '+8613800138000'],
    ['+81 3-1234-5678', '+81312345678'],
  ])('%s -> %s', (input, e164) => {
    expect(valueOf(input)).toBe(e164);
  });

  it.each([
    ['+1 415', 'too_short'],
    ['+44 1234 5678 9012 3456', 'too_long'],
    ['+0 123 456 789', 'invalid_country_code'],
    ['+', 'too_short'],
    ['++84912345678', 'invalid_characters'],
  ])('rejects %s: %s', (input, reason) => {
    expect(normalizePhone(input)).toEqual({ ok: false, reason });
  });

  it('without a default country, a country code is required', () => {
    expect(normalizePhone('0912 345 678', null)).toEqual({
      ok: false,
      reason: 'missing_country_code',
    });
    expect(normalizePhone('+84 912 345 678', null)).toEqual({ ok: true, value: '+84912345678' });
    expect(normalizePhone('+1 415 555 2671', null)).toEqual({ ok: true, value: '+14155552671' });
  });
});

describe('formatting stored numbers', () => {
  it.each([
    ['+84912345678', '0912 345 678', '+84 912 345 678'],
    ['+84362345678', '0362 345 678', '+84 362 345 678'],
    ['+842438251234', '024 3825 1234', '+84 24 3825 1234'],
    ['+842838234567', '028 3823 4567', '+84 28 3823 4567'],
    ['+842363822222', '0236 3822 222', '+84 236 3822 222'],
    ['+14155552671', '+1 415 555 2671', '+1 415 555 2671'],
    ['+442079460958', '+442079460958', '+442079460958'],
  ])('%s: national %j, international %j', (e164, national, international) => {
    expect(formatPhoneNational(e164)).toBe(national);
    expect(formatPhoneInternational(e164)).toBe(international);
  });

  it('round-trips: formatted numbers normalise back to the same E.164', () => {
    for (const e164 of ['+84912345678', '+842438251234', '+842363822222', '+14155552671']) {
      expect(normalizePhone(formatPhoneNational(e164))).toEqual({ ok: true, value: e164 });
      expect(normalizePhone(formatPhoneInternational(e164))).toEqual({ ok: true, value: e164 });
    }
  });

  it('returns something that is not a stored number unchanged', () => {
    expect(formatPhoneNational('hello')).toBe('hello');
    expect(formatPhoneNational('+841234567890')).toBe('+841234567890');
    expect(formatPhoneInternational('')).toBe('');
  });

  it('tells mobiles, landlines and foreign numbers apart', () => {
    expect(phoneKind('+84912345678')).toBe('mobile');
    expect(phoneKind('+842438251234')).toBe('landline');
    expect(phoneKind('+14155552671')).toBe('foreign');
  });
});

describe('phoneSearchKey', () => {
  it.each([
    ['912345678', '912345678'],
    ['0912 345', '912345'],
    ['0912.345.678', '912345678'],
    ['84912', '84912'],
    ['+84 912', '84912'],
    ['0084 912', '84912'],
    ['(+84) 912-345', '84912345'],
    ['678', '678'],
    ['01662 345', '362345'],
    ['+84 1662', '84362'],
    ['+84 0912', '84912'],
    ['024 3825', '243825'],
    ['+1 415', '1415'],
  ])('%j -> %j', (input, key) => {
    expect(phoneSearchKey(input)).toBe(key);
  });

  it.each(['', '  ', '09', '0 1', '+8', '12', 'An', 'Nguyễn 0912', '0912abc'])(
    '%j is not a phone query',
    (input) => {
      expect(phoneSearchKey(input)).toBeNull();
    },
  );

  it('every key is a substring of the normalised number', () => {
    const stored = '+84362345678';
    for (const q of ['0362 345 678', '01662 345 678', '+84 36', '362345', '345 678', '8436']) {
      expect(stored).toContain(phoneSearchKey(q));
    }
  });
});
