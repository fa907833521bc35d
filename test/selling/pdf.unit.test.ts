import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import {
  pdfLabels,
  renderBusinessDocument,
  renderStatement,
  statementLabels,
  statementTotals,
  type StatementEntry,
} from '../../src/lib/pdf/index.js';
import { demoQuoteDocument } from '../../src/lib/selling/document-pdf.js';
import { qrPng, vietQrPayload } from '../../src/lib/selling/vietqr.js';

/** The text of each page, extracted by pdf.js (items joined, NFC). */
async function pageTexts(pdf: Buffer): Promise<string[]> {
  const doc = await getDocument({
    data: new Uint8Array(pdf),
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : ''))
        .join('')
        .normalize('NFC'),
    );
  }
  await doc.destroy();
  return pages;
}

const SAMPLE = 'Công ty TNHH Thương mại Đông Á';
const DIACRITICS = 'ắằẳẵặ ấầẩẫậ ếềểễệ ốồổỗộ ớờởỡợ ứừửữự ỳỷỹỵ đ Đ';

describe('business document PDF', () => {
  it('embeds a font that round-trips every Vietnamese diacritic as text', async () => {
    const input = demoQuoteDocument(3);
    input.seller.name = SAMPLE;
    input.terms = [
      DIACRITICS,
      DIACRITICS.toUpperCase(),
      'àáảãạ èéẻẽẹ ìíỉĩị òóỏõọ ùúủũụ ơ ư ă â ê ô',
    ];
    const pdf = await renderBusinessDocument(input);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = (await pageTexts(pdf)).join('\n');
    expect(text).toContain(SAMPLE);
    expect(text).toContain('BÁO GIÁ');
    for (const ch of new Set(
      (DIACRITICS + DIACRITICS.toUpperCase() + 'àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụơưăâêô').replace(
        /\s/g,
        '',
      ),
    )) {
      expect(text, `missing ${ch}`).toContain(ch);
    }
    expect(text).toContain(DIACRITICS);
    // The amount in words and the page footer.
    expect(input.amountInWords).toMatch(/^[A-ZĐ].* đồng/);
    expect(text).toMatch(/Số tiền bằng chữ:\s+(\S+)/);
    expect(text.replace(/\s+/g, ' ')).toContain(input.amountInWords);
    expect(text).toContain('Trang 1/1');
  });

  it('breaks a 120-line table over ≥ 3 pages, the header on every page, "Trang i/n" on each', async () => {
    const pdf = await renderBusinessDocument(demoQuoteDocument(120));
    const pages = await pageTexts(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    // The page count in the file agrees with the footers.
    const count = /\/Type\s*\/Pages[^>]*\/Count\s+(\d+)/.exec(pdf.toString('latin1'));
    expect(Number(count?.[1])).toBe(pages.length);
    for (const [i, page] of pages.entries()) {
      expect(page, `page ${i + 1}`).toContain(`Trang ${i + 1}/${pages.length}`);
    }
    // Every page that carries line items starts them under the header row.
    const withRows = pages.filter((p) => /SP\d{6}/.test(p));
    expect(withRows.length).toBeGreaterThanOrEqual(3);
    for (const page of withRows) {
      expect(page).toContain('Tên hàng hoá, dịch vụ');
      expect(page).toContain('Thành tiền');
      expect(page.indexOf('Tên hàng hoá, dịch vụ')).toBeLessThan(page.search(/SP\d{6}/));
    }
    // All 120 lines are there, once each, in order.
    const skus = pages.join('\n').match(/SP\d{6}/g) ?? [];
    expect(skus).toEqual(
      Array.from({ length: 120 }, (_, i) => `SP${String(1001 + i).padStart(6, '0')}`),
    );
    expect(pages.at(-1)).toContain('Tổng tiền thanh toán');
  });

  it('renders in English with the English labels, with a logo and a VietQR block', async () => {
    const payload = vietQrPayload({
      bankBin: '970436',
      accountNumber: '0011001234567',
      amount: 1_000,
    });
    if (!payload.ok) throw new Error(payload.reason);
    const png = await qrPng(payload.value);
    const input = demoQuoteDocument(5, 'en', {
      qr: { png, caption: 'Scan with your banking app' },
    });
    input.seller.logo = await qrPng('logo', { size: 100 });
    const text = (await pageTexts(await renderBusinessDocument(input))).join('\n');
    expect(text).toContain('QUOTATION');
    expect(text).toContain('No.: BG-2026-0001');
    expect(text).toMatch(/Page 1\/\d/);
    expect(text).toContain('Scan with your banking app');
    expect(text).not.toContain('Trang');
  });
});

describe('statement of account PDF', () => {
  const entries: StatementEntry[] = Array.from({ length: 90 }, (_, i) =>
    i % 3 === 2
      ? {
          date: `${(i % 28) + 1}/11/2026`,
          reference: `PT-${i}`,
          description: 'Thanh toán chuyển khoản',
          debit: 0,
          credit: 1_000_000,
        }
      : {
          date: `${(i % 28) + 1}/11/2026`,
          reference: `HD-${i}`,
          description: `Hoá đơn bán hàng số ${i}`,
          debit: 750_000 + i,
          credit: 0,
        },
  );

  it('computes the running balance and the totals exactly', () => {
    const t = statementTotals(2_000_000, entries);
    expect(t.balances[0]).toBe(2_750_000);
    expect(t.balances[2]).toBe(2_750_000 + 750_001 - 1_000_000);
    expect(t.totalDebit - t.totalCredit + 2_000_000).toBe(t.closingBalance);
    expect(t.balances.at(-1)).toBe(t.closingBalance);
    expect(() => statementTotals(0, [{ ...entries[0]!, debit: -1 }])).toThrow(RangeError);
  });

  it('renders the table over pages with its header and the closing balance', async () => {
    const labels = { ...pdfLabels.vi, ...statementLabels.vi };
    const pdf = await renderStatement({
      seller: demoQuoteDocument(1).seller,
      title: 'BẢNG ĐỐI CHIẾU CÔNG NỢ',
      subtitles: ['Từ ngày 01/11/2026 đến ngày 30/11/2026'],
      customer: { heading: 'Khách hàng', fields: [{ label: 'Đơn vị', value: SAMPLE }] },
      openingBalance: 2_000_000,
      entries,
      labels,
    });
    const pages = await pageTexts(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const [i, page] of pages.entries()) {
      expect(page).toContain(`Trang ${i + 1}/${pages.length}`);
      if (/HD-\d+|PT-\d+/.test(page)) expect(page).toContain('Phát sinh nợ');
    }
    const closing = statementTotals(2_000_000, entries).closingBalance;
    const all = pages.join('\n');
    expect(all).toContain('Số dư cuối kỳ');
    expect(all).toContain(new Intl.NumberFormat('vi-VN').format(closing));
    expect(all).toContain(SAMPLE);
  });
});
