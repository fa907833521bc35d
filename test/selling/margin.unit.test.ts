import { describe, expect, it } from 'vitest';
import { documentMargin, lineMargin } from '../../src/lib/selling/amounts.js';

/** Margin arithmetic (lãi gộp): exact integer đồng, half-up cost, percent to 2 decimals. */
describe('margins', () => {
  it('computes a line’s cost, margin and percent', () => {
    expect(lineMargin({ quantity: '2.5', net: 225_000 }, 60_000)).toEqual({
      cost: 150_000,
      margin: 75_000,
      percent: 33.33,
    });
    // round(0.333 × 1,000) = 333; a sale below cost is negative, its percent rounded away from 0.
    expect(lineMargin({ quantity: '0.333', net: 300 }, 1_000)).toEqual({
      cost: 333,
      margin: -33,
      percent: -11,
    });
    expect(lineMargin({ quantity: 3, net: 0 }, 10)).toEqual({
      cost: 30,
      margin: -30,
      percent: null,
    });
    expect(lineMargin({ quantity: 1, net: 100 }, null)).toBeNull();
    // Half up on the cost: 0.005 × 100 = 0.5 → 1.
    expect(lineMargin({ quantity: '0.005', net: 10 }, 100)?.cost).toBe(1);
  });

  it('adds up the lines whose cost is known', () => {
    const a = lineMargin({ quantity: 1, net: 100_000 }, 70_000);
    const b = lineMargin({ quantity: 1, net: 50_000 }, 40_000);
    expect(
      documentMargin([
        { net: 100_000, margin: a },
        { net: 50_000, margin: b },
        { net: 999, margin: null },
      ]),
    ).toEqual({ cost: 110_000, margin: 40_000, percent: 26.67, linesWithoutCost: 1 });
    expect(documentMargin([{ net: 5, margin: null }])).toBeNull();
    expect(documentMargin([])).toBeNull();
  });
});
