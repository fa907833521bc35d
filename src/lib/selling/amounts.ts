/**
 * Exact arithmetic of a selling document (quote, order, invoice) in integer đồng.
 *
 * Every figure is computed with BigInt on scaled integers, never with floating point:
 * - quantity: a decimal with at most 3 decimals, kept in thousandths ("1.5" → 1500n);
 * - unit price, amount discounts and every result: integer đồng;
 * - percent discounts: at most 2 decimals, kept in hundredths of a percent ("12.5" → 1250n).
 *
 * Rounding is half up (0.5 đồng → 1 đồng; every value here is non-negative, so half up and half
 * away from zero agree), applied once per figure, in this order:
 * 1. line gross     = round(quantity × unit price)
 * 2. line discount  = round(gross × percent / 100), or the amount discount as given (≤ gross)
 * 3. line net       = gross − discount (never negative)
 * 4. per VAT rate   = the sum of the nets of the lines at that rate; its VAT = round(sum × rate/100)
 * 5. grand total    = Σ nets + Σ VAT per rate
 *
 * VAT is computed on the SUM of the nets at each rate, not line by line. Nghị định 123/2020/NĐ-CP
 * (Article 10, clause 6) and Thông tư 78/2021/TT-BTC ask an invoice with goods at several rates to
 * show, per rate, the total before tax and the total VAT; computing the VAT once on that total is
 * how Vietnamese e-invoice software fills those figures, and it makes the printed per-rate line
 * (net × rate = VAT) check out exactly. Summing rounded per-line VAT instead could differ from it by
 * up to half a đồng per line. Each line still gets an informational VAT (`vat`, rounded on its own
 * net) for display; the per-line figures need not add up to the per-rate VAT, and the document's
 * VAT is always the per-rate one. (Our reading of the rules; decided here and tested.)
 *
 * 'none' is "không chịu thuế GTGT" (not subject to VAT: no VAT, shown apart from 0 %); '0' is the
 * 0 % rate (exports). Rates are listed in src/modules/products/products.table.ts (`vatRates`);
 * `sellingVatRates` here must stay equal to it (a test checks).
 *
 * Every input error has a stable code (`AmountErrorCode`) and a field, for a form or an API error.
 * Every result is a safe integer (≤ Number.MAX_SAFE_INTEGER) or the input is refused with
 * 'overflow'.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../vn/result.js';

export const sellingVatRates = ['0', '5', '8', '10', 'none'] as const;
export type SellingVatRate = (typeof sellingVatRates)[number];

export type LineDiscountInput =
  null | { kind: 'percent'; value: string | number } | { kind: 'amount'; value: number | string };

export interface LineInput {
  /** A decimal > 0 with at most 3 decimals: "2", "1.5", "0.125" (a number is accepted too). */
  quantity: string | number;
  /** Integer đồng ≥ 0. */
  unitPrice: number | string;
  discount?: LineDiscountInput;
  vatRate: string;
}

export type AmountErrorCode =
  | 'quantity_invalid'
  | 'quantity_not_positive'
  | 'quantity_too_many_decimals'
  | 'unit_price_invalid'
  | 'unit_price_negative'
  | 'unit_price_not_integer'
  | 'discount_invalid'
  | 'discount_percent_negative'
  | 'discount_percent_over_100'
  | 'discount_percent_too_many_decimals'
  | 'discount_amount_negative'
  | 'discount_amount_not_integer'
  | 'discount_amount_over_gross'
  | 'vat_rate_invalid'
  | 'overflow';

export type LineField = 'quantity' | 'unitPrice' | 'discount' | 'vatRate';

export interface LineIssue {
  field: LineField;
  code: AmountErrorCode;
}

/** A line as computed. Amounts are integer đồng (safe integers). */
export interface LineAmounts {
  /** The quantity normalised: "1.5", "2", "0.125". */
  quantity: string;
  unitPrice: number;
  gross: number;
  discount: number;
  net: number;
  vatRate: SellingVatRate;
  /** Informational: round(net × rate / 100); 0 for '0' and 'none'. Not summed into the total. */
  vat: number;
}

export interface VatRateTotal {
  rate: SellingVatRate;
  /** Σ line nets at this rate. */
  net: number;
  /** round(net × rate / 100); 0 for '0' and 'none'. */
  vat: number;
}

export interface DocumentAmounts {
  lines: LineAmounts[];
  /** Σ line gross. */
  subtotal: number;
  /** Σ line discounts. */
  discountTotal: number;
  /** Σ line nets = subtotal − discountTotal. */
  netTotal: number;
  /** One entry per rate used, in the order of `sellingVatRates` ('0', '5', '8', '10', 'none'). */
  byRate: VatRateTotal[];
  /** Σ byRate VAT. */
  vatTotal: number;
  /** netTotal + vatTotal. */
  grandTotal: number;
}

export interface DocumentIssue extends LineIssue {
  /** The line's index, or null when only the document total overflows. */
  index: number | null;
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const RATE_PERCENT: Record<SellingVatRate, bigint> = {
  '0': 0n,
  '5': 5n,
  '8': 8n,
  '10': 10n,
  none: 0n,
};

/** Half-up division of non-negative integers. */
function divRound(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** A non-negative decimal with at most `decimals` decimals → value × 10^decimals. */
function parseScaled(
  input: string | number,
  decimals: number,
): Result<bigint, 'invalid' | 'negative' | 'too_many_decimals'> {
  let s: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return fail('invalid');
    s = String(input);
    if (/e/i.test(s)) return fail(Math.abs(input) < 1 ? 'too_many_decimals' : 'invalid');
  } else {
    s = input.trim();
  }
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(s) ?? /^([+-]?)()\.(\d+)$/.exec(s);
  if (!m) return fail('invalid');
  const [, sign = '', whole = '', rawFraction = ''] = m;
  const fraction = rawFraction.replace(/0+$/, '');
  if (fraction.length > decimals) return fail('too_many_decimals');
  const scaled = BigInt((whole || '0') + fraction.padEnd(decimals, '0'));
  if (sign === '-' && scaled !== 0n) return fail('negative');
  return ok(scaled);
}

/** "1500" thousandths → "1.5". */
function formatScaled(value: bigint, decimals: number): string {
  const unit = 10n ** BigInt(decimals);
  const whole = value / unit;
  const fraction = (value % unit).toString().padStart(decimals, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/** A quantity → thousandths (> 0, ≤ 3 decimals). */
export function parseQuantity(input: string | number): Result<bigint, AmountErrorCode> {
  const r = parseScaled(input, 3);
  if (!r.ok) {
    if (r.reason === 'negative') return fail('quantity_not_positive');
    if (r.reason === 'too_many_decimals') return fail('quantity_too_many_decimals');
    return fail('quantity_invalid');
  }
  if (r.value === 0n) return fail('quantity_not_positive');
  if (r.value > MAX) return fail('overflow');
  return r;
}

/** A unit price → integer đồng ≥ 0. */
export function parseUnitPrice(input: number | string): Result<bigint, AmountErrorCode> {
  const r = parseScaled(input, 0);
  if (!r.ok) {
    if (r.reason === 'negative') return fail('unit_price_negative');
    if (r.reason === 'too_many_decimals') return fail('unit_price_not_integer');
    return fail('unit_price_invalid');
  }
  if (r.value > MAX) return fail('overflow');
  return r;
}

/** A percent discount → hundredths of a percent (0..10000, ≤ 2 decimals). */
export function parseDiscountPercent(input: string | number): Result<bigint, AmountErrorCode> {
  const r = parseScaled(input, 2);
  if (!r.ok) {
    if (r.reason === 'negative') return fail('discount_percent_negative');
    if (r.reason === 'too_many_decimals') return fail('discount_percent_too_many_decimals');
    return fail('discount_invalid');
  }
  if (r.value > 10_000n) return fail('discount_percent_over_100');
  return r;
}

/** An amount discount → integer đồng ≥ 0 (checked against the gross by computeLine). */
export function parseDiscountAmount(input: number | string): Result<bigint, AmountErrorCode> {
  const r = parseScaled(input, 0);
  if (!r.ok) {
    if (r.reason === 'negative') return fail('discount_amount_negative');
    if (r.reason === 'too_many_decimals') return fail('discount_amount_not_integer');
    return fail('discount_invalid');
  }
  if (r.value > MAX) return fail('overflow');
  return r;
}

export function isSellingVatRate(value: unknown): value is SellingVatRate {
  return typeof value === 'string' && (sellingVatRates as readonly string[]).includes(value);
}

/** The line's figures, or its first problem (fields checked in the order of a form). */
export function computeLine(
  line: LineInput,
): { ok: true; value: LineAmounts } | { ok: false; issue: LineIssue } {
  const issues = lineIssues(line, true);
  if (issues.computed) return { ok: true, value: issues.computed };
  return { ok: false, issue: issues.list[0] ?? { field: 'quantity', code: 'quantity_invalid' } };
}

/**
 * Every problem of a line (one per field at most), empty when it is valid. For a zod schema:
 * `.superRefine((line, ctx) => addLineIssues(line, ctx))`, or use `sellingLineSchema`.
 */
export function validateLine(line: LineInput): LineIssue[] {
  return lineIssues(line, false).list;
}

function lineIssues(
  line: LineInput,
  stopAtFirst: boolean,
): { list: LineIssue[]; computed?: LineAmounts } {
  const list: LineIssue[] = [];
  const add = (field: LineField, code: AmountErrorCode) => {
    list.push({ field, code });
    return stopAtFirst;
  };
  const quantity = parseQuantity(line.quantity);
  if (!quantity.ok && add('quantity', quantity.reason)) return { list };
  const price = parseUnitPrice(line.unitPrice);
  if (!price.ok && add('unitPrice', price.reason)) return { list };
  const rateOk = isSellingVatRate(line.vatRate);
  let gross: bigint | undefined;
  if (quantity.ok && price.ok) {
    gross = divRound(quantity.value * price.value, 1000n);
    if (gross > MAX) {
      add('quantity', 'overflow');
      return { list };
    }
  }
  let discount = 0n;
  const d = line.discount ?? null;
  if (d !== null) {
    if (typeof d !== 'object' || (d.kind !== 'percent' && d.kind !== 'amount')) {
      if (add('discount', 'discount_invalid')) return { list };
    } else if (d.kind === 'percent') {
      const p = parseDiscountPercent(d.value);
      if (!p.ok) {
        if (add('discount', p.reason)) return { list };
      } else if (gross !== undefined) discount = divRound(gross * p.value, 10_000n);
    } else {
      const a = parseDiscountAmount(d.value);
      if (!a.ok) {
        if (add('discount', a.reason)) return { list };
      } else if (gross !== undefined && a.value > gross) {
        if (add('discount', 'discount_amount_over_gross')) return { list };
      } else discount = a.value;
    }
  }
  if (!rateOk && add('vatRate', 'vat_rate_invalid')) return { list };
  if (list.length > 0 || gross === undefined || !quantity.ok || !price.ok || !rateOk) {
    return { list };
  }
  const net = gross - discount;
  const vat = divRound(net * RATE_PERCENT[line.vatRate as SellingVatRate], 100n);
  if (vat > MAX) return { list: [{ field: 'quantity', code: 'overflow' }] };
  return {
    list,
    computed: {
      quantity: formatScaled(quantity.value, 3),
      unitPrice: Number(price.value),
      gross: Number(gross),
      discount: Number(discount),
      net: Number(net),
      vatRate: line.vatRate as SellingVatRate,
      vat: Number(vat),
    },
  };
}

/** A document's figures (see the rules above), or the first problem found. */
export function computeDocument(
  lines: readonly LineInput[],
): { ok: true; value: DocumentAmounts } | { ok: false; issue: DocumentIssue } {
  const computed: LineAmounts[] = [];
  const perRate = new Map<SellingVatRate, bigint>();
  let subtotal = 0n;
  let discountTotal = 0n;
  for (const [index, line] of lines.entries()) {
    const r = computeLine(line);
    if (!r.ok) return { ok: false, issue: { ...r.issue, index } };
    const l = r.value;
    computed.push(l);
    subtotal += BigInt(l.gross);
    discountTotal += BigInt(l.discount);
    perRate.set(l.vatRate, (perRate.get(l.vatRate) ?? 0n) + BigInt(l.net));
  }
  const byRate: VatRateTotal[] = [];
  let vatTotal = 0n;
  for (const rate of sellingVatRates) {
    const net = perRate.get(rate);
    if (net === undefined) continue;
    const vat = divRound(net * RATE_PERCENT[rate], 100n);
    vatTotal += vat;
    byRate.push({ rate, net: Number(net), vat: Number(vat) });
  }
  const netTotal = subtotal - discountTotal;
  const grandTotal = netTotal + vatTotal;
  if (subtotal > MAX || grandTotal > MAX) {
    return { ok: false, issue: { index: null, field: 'quantity', code: 'overflow' } };
  }
  return {
    ok: true,
    value: {
      lines: computed,
      subtotal: Number(subtotal),
      discountTotal: Number(discountTotal),
      netTotal: Number(netTotal),
      byRate,
      vatTotal: Number(vatTotal),
      grandTotal: Number(grandTotal),
    },
  };
}

/**
 * Margin (lãi gộp) of a line: what it earns over what it cost, before VAT.
 *   cost    = round(quantity × unit cost price)   (half up, integer đồng)
 *   margin  = net − cost                           (negative when sold below cost)
 *   percent = margin / net × 100, to 2 decimals (half away from zero); null when net is 0
 * Null when the line's cost price is not known (a free-text line, a product without one).
 */
export interface MarginAmounts {
  cost: number;
  margin: number;
  percent: number | null;
}

/** Half-away-from-zero division to 2 decimals of a percent: numerator / denominator × 100. */
function percentOf(numerator: bigint, denominator: bigint): number | null {
  if (denominator === 0n) return null;
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const hundredths = divRound(n * 10_000n, d);
  return (negative ? -Number(hundredths) : Number(hundredths)) / 100;
}

export function lineMargin(
  line: { quantity: string | number; net: number },
  costPrice: number | null,
): MarginAmounts | null {
  if (costPrice === null) return null;
  const q = parseQuantity(line.quantity);
  const c = parseUnitPrice(costPrice);
  if (!q.ok || !c.ok) return null;
  const cost = divRound(q.value * c.value, 1000n);
  const margin = BigInt(line.net) - cost;
  return {
    cost: Number(cost),
    margin: Number(margin),
    percent: percentOf(margin, BigInt(line.net)),
  };
}

/**
 * A document's margin: over the lines whose cost is known (Σ their nets − Σ their costs);
 * `linesWithoutCost` says how many lines are left out. Null when no line has a cost.
 */
export function documentMargin(
  lines: { net: number; margin: MarginAmounts | null }[],
): { cost: number; margin: number; percent: number | null; linesWithoutCost: number } | null {
  let net = 0n;
  let cost = 0n;
  let without = 0;
  for (const l of lines) {
    if (!l.margin) {
      without++;
      continue;
    }
    net += BigInt(l.net);
    cost += BigInt(l.margin.cost);
  }
  if (without === lines.length) return null;
  return {
    cost: Number(cost),
    margin: Number(net - cost),
    percent: percentOf(net - cost, net),
    linesWithoutCost: without,
  };
}

/** The rate as a percentage number (10 for '10'), or null for 'none' (not subject to VAT). */
export function vatRatePercent(rate: SellingVatRate): number | null {
  return rate === 'none' ? null : Number(rate);
}

/**
 * Adds a line's problems to a zod refinement context, each at its field's path with the stable
 * code as the message and in `params.code`.
 */
export function addLineIssues(
  line: LineInput,
  ctx: z.RefinementCtx,
  path: (string | number)[] = [],
): void {
  for (const issue of validateLine(line)) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, issue.field],
      message: issue.code,
      params: { code: issue.code },
    });
  }
}

/**
 * A zod schema for one line's input: shapes checked by zod, amounts by `validateLine`. Marked
 * pure so that the web app, which imports this module's arithmetic, does not bundle zod.
 */
export const sellingLineSchema = /* @__PURE__ */ z
  .object({
    quantity: z.union([z.string(), z.number()]),
    unitPrice: z.union([z.number(), z.string()]),
    discount: z
      .union([
        z.null(),
        z.object({ kind: z.literal('percent'), value: z.union([z.string(), z.number()]) }),
        z.object({ kind: z.literal('amount'), value: z.union([z.number(), z.string()]) }),
      ])
      .optional(),
    vatRate: z.string(),
  })
  .superRefine((line, ctx) => addLineIssues(line, ctx));
