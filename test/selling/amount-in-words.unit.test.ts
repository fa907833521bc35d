import { describe, expect, it } from 'vitest';
import { amountInWords, numberInWords } from '../../src/lib/vn/amount-in-words.js';

describe('amountInWords (the invoice convention)', () => {
  it.each([
    [0, 'Không đồng'],
    [1, 'Một đồng'],
    [5, 'Năm đồng'],
    [1_005, 'Một nghìn không trăm linh năm đồng'],
    [1_000, 'Một nghìn đồng chẵn'],
    [1_000_000, 'Một triệu đồng chẵn'],
    [1_200_000, 'Một triệu hai trăm nghìn đồng chẵn'],
    [21_000_000_000, 'Hai mươi mốt tỷ đồng chẵn'],
    [1_250_500, 'Một triệu hai trăm năm mươi nghìn năm trăm đồng'],
    [2_050_000, 'Hai triệu không trăm năm mươi nghìn đồng chẵn'],
    [1_000_005, 'Một triệu không trăm linh năm đồng'],
    [1_000_000_005, 'Một tỷ không trăm linh năm đồng'],
    [15_000, 'Mười lăm nghìn đồng chẵn'],
    [115_000, 'Một trăm mười lăm nghìn đồng chẵn'],
    [
      999_999_999,
      'Chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng',
    ],
  ])('%d → %s', (n, words) => {
    expect(amountInWords(n)).toBe(words);
  });

  it.each([
    [11, 'mười một'],
    [21, 'hai mươi mốt'],
    [101, 'một trăm linh một'],
    [15, 'mười lăm'],
    [25, 'hai mươi lăm'],
    [105, 'một trăm linh năm'],
    [55, 'năm mươi lăm'],
    [14, 'mười bốn'],
    [24, 'hai mươi tư'],
    [4, 'bốn'],
    [104, 'một trăm linh bốn'],
    [10, 'mười'],
    [20, 'hai mươi'],
    [110, 'một trăm mười'],
    [100, 'một trăm'],
    [1_010, 'một nghìn không trăm mười'],
    [1_100, 'một nghìn một trăm'],
    [10_000, 'mười nghìn'],
    [100_001, 'một trăm nghìn không trăm linh một'],
  ])('the forms: %d → %s', (n, words) => {
    expect(numberInWords(n)).toBe(words);
  });

  it('reads the southern forms on request: lẻ, ngàn, and bốn after mươi', () => {
    expect(amountInWords(1_005, { zeroTens: 'lẻ', thousand: 'ngàn' })).toBe(
      'Một ngàn không trăm lẻ năm đồng',
    );
    expect(numberInWords(24, { four: 'bốn' })).toBe('hai mươi bốn');
    expect(numberInWords(105, { zeroTens: 'lẻ' })).toBe('một trăm lẻ năm');
  });

  it('leaves "chẵn" out on request', () => {
    expect(amountInWords(1_000_000, { chan: false })).toBe('Một triệu đồng');
  });

  it('counts above a tỷ in tỷ: nghìn tỷ, triệu tỷ, tỷ tỷ', () => {
    expect(numberInWords(1_000_000_000_000)).toBe('một nghìn tỷ');
    expect(numberInWords(1_500_000_000_000)).toBe('một nghìn năm trăm tỷ');
    expect(numberInWords(2_000_003_000_000)).toBe('hai nghìn tỷ không trăm linh ba triệu');
    expect(numberInWords(5n * 10n ** 15n)).toBe('năm triệu tỷ');
    expect(amountInWords(999_999_999_999_999)).toBe(
      'Chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ ' +
        'chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng',
    );
    expect(numberInWords(10n ** 18n)).toBe('một tỷ tỷ');
    expect(numberInWords(10n ** 18n + 5n)).toBe('một tỷ tỷ không trăm linh năm');
    expect(numberInWords(21n * 10n ** 21n)).toBe('hai mươi mốt nghìn tỷ tỷ');
    // 9,007,199 tỷ 254,740,991: the tỷ block is read as one number.
    expect(amountInWords(Number.MAX_SAFE_INTEGER)).toBe(
      'Chín triệu không trăm linh bảy nghìn một trăm chín mươi chín tỷ ' +
        'hai trăm năm mươi tư triệu bảy trăm bốn mươi nghìn chín trăm chín mươi mốt đồng',
    );
  });

  it('accepts a bigint like a number', () => {
    expect(amountInWords(1_200_000n)).toBe(amountInWords(1_200_000));
  });

  it('refuses negative, fractional and unsafe numbers', () => {
    expect(() => amountInWords(-1)).toThrow(RangeError);
    expect(() => amountInWords(-1n)).toThrow(RangeError);
    expect(() => amountInWords(1.5)).toThrow(RangeError);
    expect(() => amountInWords(Number.NaN)).toThrow(RangeError);
    expect(() => amountInWords(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });

  it('never leaves a double space, a stray "không" group or an empty word', () => {
    for (let n = 0; n < 200_000; n += 7) {
      const words = numberInWords(n * 1_009);
      expect(words).not.toMatch(/\s{2}|^\s|\s$/);
      expect(words).not.toMatch(/không (nghìn|triệu|tỷ)/);
    }
  });
});
