import { describe, expect, it } from 'vitest';
import { milliText, parseMilli } from '../../src/modules/stock/stock.service.js';

/** Stock quantities travel as numeric(14,3) text and are checked as integer thousandths. */
describe('stock quantities', () => {
  it('reads numeric text into thousandths and writes it back exactly', () => {
    const cases: [string, number, string][] = [
      ['0', 0, '0.000'],
      ['12.500', 12_500, '12.500'],
      ['-4.750', -4_750, '-4.750'],
      ['0.001', 1, '0.001'],
      ['-0.250', -250, '-0.250'],
      ['99999999999.999', 99_999_999_999_999, '99999999999.999'],
    ];
    for (const [text, milli, back] of cases) {
      expect(parseMilli(text)).toBe(milli);
      expect(milliText(milli)).toBe(back);
    }
  });

  it('sums without float drift (0.1 + 0.2 kg is 0.3 kg)', () => {
    expect(milliText(parseMilli('0.1') + parseMilli('0.2'))).toBe('0.300');
    expect(milliText(parseMilli('10.25') - parseMilli('15'))).toBe('-4.750');
  });
});
