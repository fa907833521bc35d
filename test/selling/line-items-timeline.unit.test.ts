import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import vi from '../../web/src/i18n/vi.json' with { type: 'json' };
import { fieldPresentations } from '../../web/src/pages/records/fieldPresentations.js';

/**
 * A document's lines in its timeline (the `lineItems` field presentation, #20): words, never the
 * audit's JSON. The lines are what line-items.service.ts (auditView) keeps of each line.
 */
const lineItems = fieldPresentations.lineItems!;

const cream = {
  name: 'Kem dưỡng da Sen Hồng',
  quantity: 10,
  unit: 'hộp',
  unitPrice: 250_000,
  discount: null,
  vatRate: '10',
  netAmount: 2_500_000,
};
const book = {
  name: 'Sổ tay chăm sóc da',
  quantity: 4,
  unit: 'bộ',
  unitPrice: 120_000,
  discount: { kind: 'percent', value: 15 },
  vatRate: '5',
  netAmount: 408_000,
};

function formatter(lang: 'vi' | 'en') {
  const locale = lang === 'vi' ? 'vi-VN' : 'en-US';
  return {
    number: (v: number) => new Intl.NumberFormat(locale).format(v),
    money: (v: number) =>
      new Intl.NumberFormat(locale, { style: 'currency', currency: 'VND' }).format(v),
  };
}

/** No-break spaces as plain ones ("2.908.000 ₫"). */
const plain = (lines: string[]) => lines.map((l) => l.replace(/\u00a0/g, ' '));

describe('line items in the timeline', () => {
  let tVi: TFunction;
  let tEn: TFunction;
  beforeAll(async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      lng: 'vi',
      resources: { vi: { translation: vi }, en: { translation: en } },
      interpolation: { escapeValue: false },
    });
    tVi = i18n.getFixedT('vi');
    tEn = i18n.getFixedT('en');
  });

  it('says how many lines and their amount when the lines are first written', () => {
    const said = lineItems.change(tVi, formatter('vi'), 'Dòng hàng', [], [cream, book]);
    expect(plain(said)).toEqual(['Dòng hàng: 2 dòng, thành tiền 2.908.000 ₫']);
    const english = lineItems.change(tEn, formatter('en'), 'Line items', [], [book]);
    expect(plain(english)).toEqual(['Line items: 1 line, amount ₫408,000']);
  });

  it('names the lines added, removed and changed, after the new count and amount', () => {
    const more = { ...book, quantity: 6, netAmount: 612_000 };
    const pen = {
      name: 'Bút kẻ mắt',
      quantity: 2,
      unit: 'cây',
      unitPrice: 90_000,
      discount: { kind: 'amount', value: 10_000 },
      vatRate: 'none',
      netAmount: 170_000,
    };
    const said = plain(
      lineItems.change(tVi, formatter('vi'), 'Dòng hàng', [cream, book], [more, pen]),
    );
    expect(said).toEqual([
      'Dòng hàng: 2 dòng, thành tiền 2.908.000 ₫ → 2 dòng, thành tiền 782.000 ₫',
      'Sửa dòng Sổ tay chăm sóc da: 4 bộ × 120.000 ₫, CK 15 %, Thuế 5 % → 6 bộ × 120.000 ₫, CK 15 %, Thuế 5 %',
      'Thêm dòng Bút kẻ mắt: 2 cây × 90.000 ₫, CK 10.000 ₫, Không chịu thuế',
      'Bỏ dòng Kem dưỡng da Sen Hồng',
    ]);
    for (const line of said) expect(line).not.toMatch(/[{}[\]"]|undefined|NaN/);
  });

  it('says the lines were reordered or all removed, and nothing for no change', () => {
    const vi = formatter('vi');
    expect(lineItems.change(tVi, vi, 'Dòng hàng', [cream, book], [book, cream])).toEqual([
      'Sắp xếp lại các dòng hàng',
    ]);
    expect(lineItems.change(tVi, vi, 'Dòng hàng', [cream], [])).toEqual(['Xoá hết các dòng hàng']);
    expect(lineItems.change(tVi, vi, 'Dòng hàng', [], [])).toEqual([]);
    expect(lineItems.change(tVi, vi, 'Dòng hàng', [cream], [{ ...cream }])).toEqual([]);
    expect(lineItems.listed).toBe(false);
  });
});
