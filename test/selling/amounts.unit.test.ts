import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeDocument,
  computeLine,
  parseQuantity,
  sellingLineSchema,
  sellingVatRates,
  validateLine,
  type LineInput,
} from '../../src/lib/selling/amounts.js';
import { vatRates } from '../../src/modules/products/products.table.js';

const line = (over: Partial<LineInput> = {}): LineInput => ({
  quantity: '1',
  unitPrice: 100_000,
  discount: null,
  vatRate: '10',
  ...over,
});

function computed(l: LineInput) {
  const r = computeLine(l);
  if (!r.ok) throw new Error(`unexpected issue ${JSON.stringify(r.issue)}`);
  return r.value;
}

function doc(lines: LineInput[]) {
  const r = computeDocument(lines);
  if (!r.ok) throw new Error(`unexpected issue ${JSON.stringify(r.issue)}`);
  return r.value;
}

describe('selling amounts: one line', () => {
  it('has the same VAT rates as the products table', () => {
    expect([...sellingVatRates]).toEqual([...vatRates]);
  });

  it('computes gross, discount, net and the informational VAT', () => {
    expect(computed(line({ quantity: '3', unitPrice: 250_000 }))).toEqual({
      quantity: '3',
      unitPrice: 250_000,
      gross: 750_000,
      discount: 0,
      net: 750_000,
      vatRate: '10',
      vat: 75_000,
    });
  });

  it('rounds the gross half up to whole đồng', () => {
    // 1.5 × 333 = 499.5 → 500; 0.125 × 3 = 0.375 → 0; 0.5 × 1 = 0.5 → 1; 2.499 × 1 = 2.499 → 2
    expect(computed(line({ quantity: '1.5', unitPrice: 333 })).gross).toBe(500);
    expect(computed(line({ quantity: '0.125', unitPrice: 3 })).gross).toBe(0);
    expect(computed(line({ quantity: '0.5', unitPrice: 1 })).gross).toBe(1);
    expect(computed(line({ quantity: '2.499', unitPrice: 1 })).gross).toBe(2);
    // A float would say 1.005 × 1000 = 1004.9999999999999.
    expect(computed(line({ quantity: '1.005', unitPrice: 1000 })).gross).toBe(1005);
  });

  it('applies a percent discount (2 decimals) rounded half up, and an amount discount', () => {
    // 12.5 % of 99,999 = 12,499.875 → 12,500
    const p = computed(line({ unitPrice: 99_999, discount: { kind: 'percent', value: '12.5' } }));
    expect([p.gross, p.discount, p.net]).toEqual([99_999, 12_500, 87_499]);
    // 0.01 % of 50 = 0.005 → 0; of 5,000 = 0.5 → 1
    expect(
      computed(line({ unitPrice: 50, discount: { kind: 'percent', value: 0.01 } })).discount,
    ).toBe(0);
    expect(
      computed(line({ unitPrice: 5_000, discount: { kind: 'percent', value: 0.01 } })).discount,
    ).toBe(1);
    expect(computed(line({ discount: { kind: 'percent', value: 100 } })).net).toBe(0);
    const a = computed(line({ quantity: '2', discount: { kind: 'amount', value: 200_000 } }));
    expect([a.gross, a.discount, a.net, a.vat]).toEqual([200_000, 200_000, 0, 0]);
  });

  it('gives 0 VAT for 0 % and for "none" (not subject to VAT), and rounds a line VAT half up', () => {
    expect(computed(line({ vatRate: '0' })).vat).toBe(0);
    expect(computed(line({ vatRate: 'none' })).vat).toBe(0);
    // 8 % of 12,345 = 987.6 → 988; 5 % of 10 = 0.5 → 1; 5 % of 9 = 0.45 → 0
    expect(computed(line({ unitPrice: 12_345, vatRate: '8' })).vat).toBe(988);
    expect(computed(line({ unitPrice: 10, vatRate: '5' })).vat).toBe(1);
    expect(computed(line({ unitPrice: 9, vatRate: '5' })).vat).toBe(0);
  });

  it('normalises the quantity: trailing zeros, numbers, a leading dot', () => {
    expect(computed(line({ quantity: '2.500' })).quantity).toBe('2.5');
    expect(computed(line({ quantity: 1.25 })).quantity).toBe('1.25');
    expect(computed(line({ quantity: '.5' })).quantity).toBe('0.5');
    expect(parseQuantity(' 10 ')).toEqual({ ok: true, value: 10_000n });
  });
});

describe('selling amounts: bad input, each with a stable code', () => {
  it.each<[string, Partial<LineInput>, string, string]>([
    ['negative quantity', { quantity: '-1' }, 'quantity', 'quantity_not_positive'],
    ['zero quantity', { quantity: '0' }, 'quantity', 'quantity_not_positive'],
    ['quantity with 4 decimals', { quantity: '1.0001' }, 'quantity', 'quantity_too_many_decimals'],
    ['quantity float noise', { quantity: 0.1 + 0.2 }, 'quantity', 'quantity_too_many_decimals'],
    ['quantity not a number', { quantity: '1,5' }, 'quantity', 'quantity_invalid'],
    ['quantity NaN', { quantity: Number.NaN }, 'quantity', 'quantity_invalid'],
    ['empty quantity', { quantity: '' }, 'quantity', 'quantity_invalid'],
    ['negative price', { unitPrice: -1 }, 'unitPrice', 'unit_price_negative'],
    ['fractional price', { unitPrice: 10.5 }, 'unitPrice', 'unit_price_not_integer'],
    ['price text', { unitPrice: '12k' }, 'unitPrice', 'unit_price_invalid'],
    [
      'discount over 100 %',
      { discount: { kind: 'percent', value: '100.01' } },
      'discount',
      'discount_percent_over_100',
    ],
    [
      'negative percent',
      { discount: { kind: 'percent', value: -5 } },
      'discount',
      'discount_percent_negative',
    ],
    [
      'percent with 3 decimals',
      { discount: { kind: 'percent', value: '10.125' } },
      'discount',
      'discount_percent_too_many_decimals',
    ],
    [
      'amount discount over gross',
      { discount: { kind: 'amount', value: 100_001 } },
      'discount',
      'discount_amount_over_gross',
    ],
    [
      'negative amount discount',
      { discount: { kind: 'amount', value: -1 } },
      'discount',
      'discount_amount_negative',
    ],
    [
      'fractional amount discount',
      { discount: { kind: 'amount', value: 0.5 } },
      'discount',
      'discount_amount_not_integer',
    ],
    [
      'unknown discount kind',
      { discount: { kind: 'free', value: 1 } as never },
      'discount',
      'discount_invalid',
    ],
    ['VAT rate not in the list', { vatRate: '7' }, 'vatRate', 'vat_rate_invalid'],
    ['VAT rate as a percent', { vatRate: '10%' }, 'vatRate', 'vat_rate_invalid'],
    [
      'gross beyond a safe integer',
      { quantity: '1000', unitPrice: 9_007_199_254_741 },
      'quantity',
      'overflow',
    ],
    ['price beyond a safe integer', { unitPrice: '9007199254740992' }, 'unitPrice', 'overflow'],
  ])('%s', (_name, over, field, code) => {
    const l = line(over);
    expect(computeLine(l)).toEqual({ ok: false, issue: { field, code } });
    expect(validateLine(l)).toContainEqual({ field, code });
  });

  it('lists every bad field at once', () => {
    expect(
      validateLine({
        quantity: '-2',
        unitPrice: -5,
        discount: { kind: 'percent', value: 101 },
        vatRate: '7',
      }),
    ).toEqual([
      { field: 'quantity', code: 'quantity_not_positive' },
      { field: 'unitPrice', code: 'unit_price_negative' },
      { field: 'discount', code: 'discount_percent_over_100' },
      { field: 'vatRate', code: 'vat_rate_invalid' },
    ]);
    expect(validateLine(line())).toEqual([]);
  });

  it('refuses a document whose total overflows, naming no line', () => {
    const big = line({ unitPrice: 5_000_000_000_000_000, vatRate: '0' });
    expect(computeDocument([big, big])).toEqual({
      ok: false,
      issue: { index: null, field: 'quantity', code: 'overflow' },
    });
    expect(computeDocument([line(), line({ quantity: 'x' })])).toEqual({
      ok: false,
      issue: { index: 1, field: 'quantity', code: 'quantity_invalid' },
    });
  });

  it('works as a zod schema: each issue at its field with the code', () => {
    const r = sellingLineSchema.safeParse({
      quantity: '1',
      unitPrice: 1000,
      discount: { kind: 'amount', value: 2000 },
      vatRate: '10',
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['discount', 'discount_amount_over_gross'],
    ]);
    expect(sellingLineSchema.safeParse(line()).success).toBe(true);
    expect(sellingLineSchema.safeParse({ ...line(), vatRate: 10 }).success).toBe(false);
  });
});

describe('selling amounts: a document', () => {
  it('computes VAT on the sum of the nets per rate, not line by line', () => {
    // Three lines of 5 đồng at 10 %: each line's VAT is 0.5 → 1 (3 in all), the rate's is 1.5 → 2.
    const d = doc([
      line({ unitPrice: 5 }),
      line({ unitPrice: 5 }),
      line({ unitPrice: 5 }),
      line({ unitPrice: 1_000_000, vatRate: '8', discount: { kind: 'percent', value: 10 } }),
      line({ unitPrice: 200_000, vatRate: 'none' }),
      line({ unitPrice: 300_000, vatRate: '0' }),
    ]);
    expect(d.lines.map((l) => l.vat)).toEqual([1, 1, 1, 72_000, 0, 0]);
    expect(d.byRate).toEqual([
      { rate: '0', net: 300_000, vat: 0 },
      { rate: '8', net: 900_000, vat: 72_000 },
      { rate: '10', net: 15, vat: 2 },
      { rate: 'none', net: 200_000, vat: 0 },
    ]);
    expect(d.subtotal).toBe(1_500_015);
    expect(d.discountTotal).toBe(100_000);
    expect(d.netTotal).toBe(1_400_015);
    expect(d.vatTotal).toBe(72_002);
    expect(d.grandTotal).toBe(1_472_017);
  });

  it('a quote of two products at two rates (the issue journey)', () => {
    const d = doc([
      line({
        quantity: '10',
        unitPrice: 125_000,
        vatRate: '10',
        discount: { kind: 'percent', value: 15 },
      }),
      line({ quantity: '2.5', unitPrice: 48_000, vatRate: '8' }),
    ]);
    expect(d.lines.map((l) => [l.gross, l.discount, l.net])).toEqual([
      [1_250_000, 187_500, 1_062_500],
      [120_000, 0, 120_000],
    ]);
    expect(d.byRate).toEqual([
      { rate: '8', net: 120_000, vat: 9_600 },
      { rate: '10', net: 1_062_500, vat: 106_250 },
    ]);
    expect(d.grandTotal).toBe(1_298_350);
  });

  it('an empty document is all zeros', () => {
    expect(doc([])).toEqual({
      lines: [],
      subtotal: 0,
      discountTotal: 0,
      netTotal: 0,
      byRate: [],
      vatTotal: 0,
      grandTotal: 0,
    });
  });

  const arbLine: fc.Arbitrary<LineInput> = fc
    .record({
      thousandths: fc.integer({ min: 1, max: 10_000_000 }),
      unitPrice: fc.integer({ min: 0, max: 500_000_000 }),
      vatRate: fc.constantFrom(...sellingVatRates),
      discount: fc.oneof(
        fc.constant(null),
        fc
          .integer({ min: 0, max: 10_000 })
          .map((h) => ({ kind: 'percent' as const, value: (h / 100).toFixed(2) })),
        fc.double({ min: 0, max: 1, noNaN: true }).map((f) => ({ kind: 'amount' as const, f })),
      ),
    })
    .map(({ thousandths, unitPrice, vatRate, discount }) => {
      const quantity = `${Math.floor(thousandths / 1000)}.${String(thousandths % 1000).padStart(3, '0')}`;
      if (discount && 'f' in discount) {
        // An amount discount no larger than the gross (the exact gross, computed without it).
        const gross = computed({ quantity, unitPrice, vatRate }).gross;
        const value = Math.floor(discount.f * gross);
        return { quantity, unitPrice, vatRate, discount: { kind: 'amount' as const, value } };
      }
      return { quantity, unitPrice, vatRate, discount };
    });

  it('property: per-rate totals add up to the grand total, nothing is negative, and each figure matches exact arithmetic', () => {
    fc.assert(
      fc.property(fc.array(arbLine, { maxLength: 40 }), (lines) => {
        const d = doc(lines);
        const sumNet = d.byRate.reduce((s, r) => s + r.net, 0);
        const sumVat = d.byRate.reduce((s, r) => s + r.vat, 0);
        expect(sumNet).toBe(d.netTotal);
        expect(sumVat).toBe(d.vatTotal);
        expect(sumNet + sumVat).toBe(d.grandTotal);
        expect(d.subtotal - d.discountTotal).toBe(d.netTotal);
        expect(d.lines.reduce((s, l) => s + l.gross, 0)).toBe(d.subtotal);
        for (const v of [d.subtotal, d.discountTotal, d.netTotal, d.vatTotal, d.grandTotal]) {
          expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
        }
        for (const l of d.lines) {
          expect(l.gross >= 0 && l.discount >= 0 && l.net >= 0 && l.vat >= 0).toBe(true);
          expect(l.discount).toBeLessThanOrEqual(l.gross);
        }
        // Each rate's VAT is within half a đồng of the exact VAT of its net.
        for (const r of d.byRate) {
          const rate = r.rate === 'none' ? 0 : Number(r.rate);
          expect(Math.abs(r.vat * 100 - r.net * rate)).toBeLessThanOrEqual(50);
        }
        // The informational line VATs differ from the rate's VAT by at most half a đồng a line.
        for (const r of d.byRate) {
          const lines = d.lines.filter((l) => l.vatRate === r.rate);
          expect(Math.abs(lines.reduce((s, l) => s + l.vat, 0) - r.vat)).toBeLessThanOrEqual(
            Math.ceil(lines.length / 2) + 1,
          );
        }
        // Gross is exact arithmetic rounded half up: −500 < gross×1000 − qty×1000×price ≤ 500.
        for (const l of d.lines) {
          const [whole = '0', fraction = ''] = l.quantity.split('.');
          const thousandths = BigInt(whole + fraction.padEnd(3, '0'));
          const diff = BigInt(l.gross) * 1000n - thousandths * BigInt(l.unitPrice);
          expect(diff > -500n && diff <= 500n).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
