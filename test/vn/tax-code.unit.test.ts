import { describe, expect, it } from 'vitest';
import { makeTaxCode, normalizeTaxCode, taxCodeCheckDigit } from '../../src/lib/vn/tax-code.js';

/** Tax codes of real Vietnamese companies, as printed on their invoices and registrations. */
const REAL_ORGANISATIONS = [
  ['0100109106', 'Viettel (Tập đoàn Công nghiệp - Viễn thông Quân đội)'],
  ['0300588569', 'Vinamilk (Công ty CP Sữa Việt Nam)'],
  ['0100686174', 'given in the task brief'],
  ['0101248141', 'FPT (Công ty CP FPT)'],
  ['0100684378', 'VNPT (Tập đoàn Bưu chính Viễn thông Việt Nam)'],
  ['0100100079', 'EVN (Tập đoàn Điện lực Việt Nam)'],
  ['0100107518', 'Vietnam Airlines'],
  ['0100107370', 'Petrolimex (Tập đoàn Xăng dầu Việt Nam)'],
  ['0100112437', 'Vietcombank'],
  ['0101245486', 'Vingroup'],
  ['0303217354', 'Thế Giới Di Động'],
  ['0303576603', 'Masan Group'],
  ['0300583659', 'Sabeco'],
  ['0900189284', 'Hòa Phát Group'],
  ['0100047516', 'the worked example of the check digit'],
] as const;

describe('taxCodeCheckDigit', () => {
  it('computes 10 - (31,29,23,19,17,13,7,5,3 weighted sum mod 11)', () => {
    // Viettel 010010910: 29·1 + 17·1 + 7·9 + 5·1 = 114; 114 mod 11 = 4; 10 - 4 = 6.
    expect(taxCodeCheckDigit('010010910')).toBe(6);
    // Vinamilk 030058856: 29·3 + 17·5 + 13·8 + 7·8 + 5·5 + 3·6 = 375; 375 mod 11 = 1 -> 9.
    expect(taxCodeCheckDigit('030058856')).toBe(9);
  });

  it('gives 0 when the sum mod 11 is 10', () => {
    // 000000032: 5·3 + 3·2 = 21; 21 mod 11 = 10; 10 - 10 = 0.
    expect(taxCodeCheckDigit('000000032')).toBe(0);
  });

  it('has no valid digit when the sum is divisible by 11 (10 - 0 = 10 is not a digit)', () => {
    // 000000130: 7·1 + 5·3 = 22.
    expect(taxCodeCheckDigit('000000130')).toBeNull();
    expect(taxCodeCheckDigit('000000000')).toBeNull();
  });

  it.each(['', '12345678', '1234567890', '01001091a'])('rejects %j', (input) => {
    expect(taxCodeCheckDigit(input)).toBeNull();
  });
});

describe('normalizeTaxCode', () => {
  it.each(REAL_ORGANISATIONS)('%s (%s) is a valid organisation code', (code) => {
    expect(normalizeTaxCode(code)).toEqual({ ok: true, value: { code, kind: 'organisation' } });
  });

  it.each([
    ['01.00.109.106', '0100109106'],
    ['0100 109 106', '0100109106'],
    [' 0300588569 ', '0300588569'],
  ])('normalises %j to %s', (input, code) => {
    expect(normalizeTaxCode(input)).toEqual({ ok: true, value: { code, kind: 'organisation' } });
  });

  it.each([
    ['0100112437-011', '0100112437-011'],
    ['0100112437011', '0100112437-011'],
    ['0314409058-002', '0314409058-002'],
    ['0314409058–002', '0314409058-002'], // en dash
    ['0312 68 78 78 - 001', '0312687878-001'],
    ['2000102580-005', '2000102580-005'],
  ])('%j is the branch %s', (input, code) => {
    expect(normalizeTaxCode(input)).toEqual({ ok: true, value: { code, kind: 'branch' } });
  });

  it.each([
    ['001087123456', '001087123456'],
    ['079 203 001 234', '079203001234'],
    ['036.195.012.345', '036195012345'],
  ])('%j is the individual code %s (a 12-digit personal ID, no check digit)', (input, code) => {
    expect(normalizeTaxCode(input)).toEqual({ ok: true, value: { code, kind: 'individual' } });
  });

  it.each([
    ['0100109107', 'invalid_check_digit'], // Viettel with the last digit changed
    ['0100109160', 'invalid_check_digit'], // two digits swapped
    ['0300588568', 'invalid_check_digit'],
    ['0100233480', 'invalid_check_digit'],
    ['0100112438-011', 'invalid_check_digit'], // branch of a parent with a wrong check digit
    ['0100000008', 'invalid_format'], // sequence number 0000000
    ['0314409058-000', 'invalid_format'], // branch 000
    ['000087123456', 'invalid_format'], // personal IDs start with a province code 001-096
    ['010010910', 'invalid_format'], // 9 digits
    ['01001091066', 'invalid_format'], // 11 digits
    ['0100109106-01', 'invalid_format'], // 12 digits made of a 10-digit code and a short suffix
    ['01001091060011', 'invalid_format'], // 14 digits
    ['VN0100109106', 'invalid_format'],
    ['01001O9106', 'invalid_format'], // letter O
    ['0100109106/001', 'invalid_format'],
    ['0101-248-141', 'invalid_format'], // a dash only before a branch number
    ['001087-123456', 'invalid_format'],
    ['--', 'invalid_format'],
    ['', 'empty'],
    ['   ', 'empty'],
  ])('rejects %j: %s', (input, reason) => {
    expect(normalizeTaxCode(input)).toEqual({ ok: false, reason });
  });
});

describe('makeTaxCode', () => {
  it('appends the check digit of real codes', () => {
    for (const [code] of REAL_ORGANISATIONS) expect(makeTaxCode(code.slice(0, 9))).toBe(code);
  });

  it('makes codes that normalizeTaxCode accepts', () => {
    let made = 0;
    for (let n = 10_000_000; n < 10_000_200; n++) {
      const code = makeTaxCode(`0${n}`);
      if (code === null) continue;
      made++;
      expect(normalizeTaxCode(code)).toEqual({ ok: true, value: { code, kind: 'organisation' } });
    }
    // About one prefix in eleven has no valid check digit.
    expect(made).toBeGreaterThan(170);
    expect(made).toBeLessThan(200);
  });

  it.each(['000000130', '010000000', '12345678', '12345678a', ''])('returns null for %j', (s) => {
    expect(makeTaxCode(s)).toBeNull();
  });
});
