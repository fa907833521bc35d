import type { LocalisedText } from '../../core/errors.js';
import {
  computeDocument,
  validateLine,
  type AmountErrorCode,
  type LineField,
} from '../../lib/selling/amounts.js';
import type { VatRate } from '../products/products.table.js';
import type { DiscountKind } from './line-items.columns.js';

/** A line's figures as the client or the product gave them, before the arithmetic. */
export interface LineDraft {
  quantity: string;
  unitPrice: number;
  discount: { kind: DiscountKind; value: number | string } | null;
  vatRate: VatRate;
}

export interface ComputedLine {
  quantity: string;
  unitPrice: number;
  discount: { kind: DiscountKind; value: number } | null;
  vatRate: VatRate;
  grossAmount: number;
  discountAmount: number;
  netAmount: number;
  vatAmount: number;
}

export interface ComputedTotals {
  subtotal: number;
  discountTotal: number;
  netTotal: number;
  vatLines: { rate: VatRate; net: number; vat: number }[];
  vatTotal: number;
  total: number;
  /** The largest line discount, in percent of its line (2 decimals). */
  discountPercent: number;
}

/** What a bad value of a line is called, in words (the field errors of a PUT). */
export const amountMessages: Record<AmountErrorCode, LocalisedText> = {
  quantity_invalid: { vi: 'Số lượng không hợp lệ.', en: 'The quantity is not a number.' },
  quantity_not_positive: { vi: 'Số lượng phải lớn hơn 0.', en: 'The quantity must be above 0.' },
  quantity_too_many_decimals: {
    vi: 'Số lượng có tối đa 3 chữ số thập phân.',
    en: 'A quantity has at most 3 decimals.',
  },
  unit_price_invalid: { vi: 'Đơn giá không hợp lệ.', en: 'The unit price is not a number.' },
  unit_price_negative: { vi: 'Đơn giá không được âm.', en: 'The unit price cannot be negative.' },
  unit_price_not_integer: {
    vi: 'Đơn giá tính bằng đồng, không có phần lẻ.',
    en: 'A unit price is whole đồng.',
  },
  discount_invalid: { vi: 'Chiết khấu không hợp lệ.', en: 'The discount is not a number.' },
  discount_percent_negative: {
    vi: 'Chiết khấu không được âm.',
    en: 'A discount cannot be negative.',
  },
  discount_percent_over_100: {
    vi: 'Chiết khấu không được quá 100 %.',
    en: 'A discount cannot be over 100 %.',
  },
  discount_percent_too_many_decimals: {
    vi: 'Chiết khấu theo % có tối đa 2 chữ số thập phân.',
    en: 'A percent discount has at most 2 decimals.',
  },
  discount_amount_negative: {
    vi: 'Chiết khấu không được âm.',
    en: 'A discount cannot be negative.',
  },
  discount_amount_not_integer: {
    vi: 'Chiết khấu tính bằng đồng, không có phần lẻ.',
    en: 'A discount amount is whole đồng.',
  },
  discount_amount_over_gross: {
    vi: 'Chiết khấu lớn hơn thành tiền của dòng.',
    en: 'The discount is larger than the line’s amount.',
  },
  vat_rate_invalid: {
    vi: 'Thuế suất GTGT phải là 0 %, 5 %, 8 %, 10 % hoặc không chịu thuế.',
    en: 'The VAT rate must be 0 %, 5 %, 8 %, 10 % or not subject to VAT.',
  },
  overflow: { vi: 'Số tiền quá lớn.', en: 'The amount is too large.' },
};

const emptyTotals: ComputedTotals = {
  subtotal: 0,
  discountTotal: 0,
  netTotal: 0,
  vatLines: [],
  vatTotal: 0,
  total: 0,
  discountPercent: 0,
};

/**
 * The amounts of a document's lines (src/lib/selling/amounts.ts: exact integer arithmetic,
 * VAT per rate on the sum of the nets). Every bad value is reported through `onError` (by the
 * line's index and field); then the result is empty.
 */
export function computeLines(
  drafts: LineDraft[],
  onError?: (index: number, field: LineField, text: LocalisedText, reason: string) => void,
): { lines: ComputedLine[]; totals: ComputedTotals } {
  const inputs = drafts.map((d) => ({
    quantity: d.quantity,
    unitPrice: d.unitPrice,
    discount: d.discount,
    vatRate: d.vatRate,
  }));
  let bad = false;
  inputs.forEach((line, index) => {
    for (const issue of validateLine(line)) {
      bad = true;
      onError?.(index, issue.field, amountMessages[issue.code], issue.code);
    }
  });
  if (bad) return { lines: [], totals: emptyTotals };
  const result = computeDocument(inputs);
  if (!result.ok) {
    onError?.(
      result.issue.index ?? 0,
      result.issue.field,
      amountMessages[result.issue.code],
      result.issue.code,
    );
    return { lines: [], totals: emptyTotals };
  }
  const doc = result.value;
  let discountPercent = 0;
  const lines = doc.lines.map((l, i): ComputedLine => {
    const d = drafts[i]!.discount;
    const percent = l.gross > 0 ? (l.discount * 100) / l.gross : 0;
    if (percent > discountPercent) discountPercent = percent;
    return {
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: d ? { kind: d.kind, value: Number(d.value) } : null,
      vatRate: l.vatRate,
      grossAmount: l.gross,
      discountAmount: l.discount,
      netAmount: l.net,
      vatAmount: l.vat,
    };
  });
  return {
    lines,
    totals: {
      subtotal: doc.subtotal,
      discountTotal: doc.discountTotal,
      netTotal: doc.netTotal,
      vatLines: doc.byRate,
      vatTotal: doc.vatTotal,
      total: doc.grandTotal,
      discountPercent: Math.round(discountPercent * 100) / 100,
    },
  };
}
