/**
 * The glue between the selling arithmetic and the PDF renderer: computed line items and totals →
 * the table columns, rows and totals block of a quote, order or invoice PDF, formatted for
 * Vietnamese or English. `demoQuoteDocument` builds a complete sample (tests, the benchmark,
 * the demo).
 */
import {
  pdfLabels,
  type BusinessDocumentInput,
  type PdfColumn,
  type PdfRow,
  type PdfTotalRow,
} from '../pdf/index.js';
import { amountInWords } from '../vn/amount-in-words.js';
import {
  computeDocument,
  type DocumentAmounts,
  type LineInput,
  type SellingVatRate,
} from './amounts.js';

export type DocumentLocale = 'vi' | 'en';

/** What a line shows besides its amounts. */
export interface DocumentLineText {
  /** Product name and description. */
  name: string;
  /** "thùng", "kg", "hộp". */
  unit: string;
  /** SKU, printed under the name when given. */
  sku?: string;
}

const words = {
  vi: {
    no: 'STT',
    name: 'Tên hàng hoá, dịch vụ',
    unit: 'ĐVT',
    quantity: 'Số lượng',
    unitPrice: 'Đơn giá',
    discount: 'Chiết khấu',
    vat: 'Thuế suất',
    amount: 'Thành tiền',
    subtotal: 'Cộng tiền hàng',
    discountTotal: 'Chiết khấu',
    netAtRate: (r: string) => `Tiền hàng chịu thuế ${r}`,
    vatAtRate: (r: string) => `Tiền thuế GTGT ${r}`,
    netNoVat: 'Tiền hàng không chịu thuế GTGT',
    noVat: 'KCT',
    vatTotal: 'Tổng tiền thuế GTGT',
    grandTotal: 'Tổng tiền thanh toán',
  },
  en: {
    no: 'No.',
    name: 'Description',
    unit: 'Unit',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    discount: 'Discount',
    vat: 'VAT',
    amount: 'Amount',
    subtotal: 'Subtotal',
    discountTotal: 'Discount',
    netAtRate: (r: string) => `Net at ${r} VAT`,
    vatAtRate: (r: string) => `VAT ${r}`,
    netNoVat: 'Not subject to VAT',
    noVat: 'n/a',
    vatTotal: 'Total VAT',
    grandTotal: 'Total',
  },
} as const;

/** Numbers as printed: "1.250.000" (vi) or "1,250,000" (en); quantities keep their decimals. */
export function documentNumberFormat(locale: DocumentLocale) {
  const nf = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US', {
    maximumFractionDigits: 3,
  });
  return {
    money: (n: number) => nf.format(n),
    quantity: (q: string) => nf.format(Number(q)),
  };
}

function rateText(rate: SellingVatRate, locale: DocumentLocale): string {
  return rate === 'none' ? words[locale].noVat : `${rate}%`;
}

/**
 * The line-item table and the totals block for `renderBusinessDocument`: columns No., name, unit,
 * quantity, unit price, discount, VAT rate, amount (net of discount); totals: subtotal, discount
 * (when any), per VAT rate the net and its VAT, total VAT, grand total.
 */
export function sellingDocumentTable(
  texts: readonly DocumentLineText[],
  amounts: DocumentAmounts,
  locale: DocumentLocale,
): { columns: PdfColumn[]; rows: PdfRow[]; totals: PdfTotalRow[] } {
  const w = words[locale];
  const f = documentNumberFormat(locale);
  const columns: PdfColumn[] = [
    { key: 'no', header: w.no, width: 5.5, align: 'center' },
    { key: 'name', header: w.name, width: 33 },
    { key: 'unit', header: w.unit, width: 7, align: 'center' },
    { key: 'quantity', header: w.quantity, width: 7.5, align: 'right' },
    { key: 'unitPrice', header: w.unitPrice, width: 12, align: 'right' },
    { key: 'discount', header: w.discount, width: 10.5, align: 'right' },
    { key: 'vat', header: w.vat, width: 6, align: 'center' },
    { key: 'amount', header: w.amount, width: 13, align: 'right' },
  ];
  const rows = amounts.lines.map((l, i) => {
    const t = texts[i];
    return {
      no: String(i + 1),
      name: t ? (t.sku ? `${t.name}\n${t.sku}` : t.name) : '',
      unit: t?.unit ?? '',
      quantity: f.quantity(l.quantity),
      unitPrice: f.money(l.unitPrice),
      discount: l.discount ? f.money(l.discount) : '',
      vat: rateText(l.vatRate, locale),
      amount: f.money(l.net),
    };
  });
  const totals: PdfTotalRow[] = [{ label: w.subtotal, value: f.money(amounts.subtotal) }];
  if (amounts.discountTotal > 0) {
    totals.push({ label: w.discountTotal, value: `−${f.money(amounts.discountTotal)}` });
  }
  for (const r of amounts.byRate) {
    if (r.rate === 'none') {
      totals.push({ label: w.netNoVat, value: f.money(r.net) });
      continue;
    }
    const rate = rateText(r.rate, locale);
    totals.push({ label: w.netAtRate(rate), value: f.money(r.net) });
    totals.push({ label: w.vatAtRate(rate), value: f.money(r.vat) });
  }
  totals.push({ label: w.vatTotal, value: f.money(amounts.vatTotal) });
  totals.push({ label: w.grandTotal, value: f.money(amounts.grandTotal), bold: true });
  return { columns, rows, totals };
}

const PRODUCTS: [name: string, unit: string, price: number][] = [
  ['Sữa tươi tiệt trùng Đông Á 180ml (thùng 48 hộp)', 'thùng', 342_000],
  ['Nước mắm Phú Quốc cá cơm 40 độ đạm 500ml', 'chai', 58_500],
  ['Gạo ST25 túi 5kg — đặc sản Sóc Trăng', 'túi', 185_000],
  ['Bánh quy bơ Hồng Hà hộp thiếc 454g', 'hộp', 96_000],
  ['Dầu ăn Thiên Long 1 lít', 'chai', 47_800],
  ['Trà xanh Bình Minh 330ml (lốc 24 lon)', 'lốc', 172_800],
  ['Giấy A4 Ánh Dương 70gsm (ream 500 tờ)', 'ream', 72_000],
  ['Dịch vụ vận chuyển nội thành Hà Nội', 'chuyến', 350_000],
];
const RATES: SellingVatRate[] = ['10', '8', '5', '10', '8', '10', '10', 'none'];

/**
 * A complete sample quote of `lineCount` lines from a Vietnamese seller, in Vietnamese or English
 * (for tests, the benchmark and the demo). Amounts are computed by computeDocument.
 */
export function demoQuoteDocument(
  lineCount: number,
  locale: DocumentLocale = 'vi',
  extra: Partial<BusinessDocumentInput> = {},
): BusinessDocumentInput {
  const inputs: LineInput[] = [];
  const texts: DocumentLineText[] = [];
  for (let i = 0; i < lineCount; i++) {
    const [name, unit, price] = PRODUCTS[i % PRODUCTS.length]!;
    texts.push({ name, unit, sku: `SP${String(1001 + i).padStart(6, '0')}` });
    inputs.push({
      quantity: i % 3 === 0 ? `${(i % 7) + 1}.5` : String((i % 9) + 1),
      unitPrice: price,
      discount:
        i % 4 === 1
          ? { kind: 'percent', value: '5' }
          : i % 4 === 3
            ? { kind: 'amount', value: 10_000 }
            : null,
      vatRate: RATES[i % RATES.length]!,
    });
  }
  const computed = computeDocument(inputs);
  if (!computed.ok) throw new Error(`demo quote: ${JSON.stringify(computed.issue)}`);
  const table = sellingDocumentTable(texts, computed.value, locale);
  const vi = locale === 'vi';
  return {
    seller: {
      name: 'Công ty TNHH Thương mại Đông Á',
      address: 'Số 18 phố Lý Thường Kiệt, phường Cửa Nam, thành phố Hà Nội',
      taxCode: '0101234567',
      phone: '024 3826 1234',
      email: 'banhang@dongaco.vn',
      bankName: 'Vietcombank — Chi nhánh Hà Nội',
      bankAccount: '0011001234567',
      accountName: 'CONG TY TNHH THUONG MAI DONG A',
    },
    title: vi ? 'BÁO GIÁ' : 'QUOTATION',
    number: 'BG-2026-0001',
    dates: [
      { label: vi ? 'Ngày' : 'Date', value: '07/12/2026' },
      { label: vi ? 'Hiệu lực đến' : 'Valid until', value: '06/01/2027' },
    ],
    buyer: {
      heading: vi ? 'Khách hàng' : 'Customer',
      fields: [
        { label: vi ? 'Đơn vị' : 'Company', value: 'Công ty Cổ phần Phân phối Hưng Thịnh' },
        {
          label: vi ? 'Địa chỉ' : 'Address',
          value: 'Lô B2, khu công nghiệp Sóng Thần, phường Dĩ An, thành phố Hồ Chí Minh',
        },
        { label: vi ? 'Mã số thuế' : 'Tax code', value: '0312345678' },
        { label: vi ? 'Người liên hệ' : 'Contact', value: 'Chị Nguyễn Thị Lan — 0912 345 678' },
      ],
    },
    ...table,
    amountInWords: vi ? amountInWords(computed.value.grandTotal) : undefined,
    terms: vi
      ? [
          'Giá trên đã bao gồm chi phí giao hàng trong nội thành.',
          'Thanh toán bằng chuyển khoản trong vòng 30 ngày kể từ ngày giao hàng.',
        ]
      : ['Prices include delivery within the city.', 'Payment by bank transfer within 30 days.'],
    signatures: vi
      ? [
          { title: 'Khách hàng', hint: '(Ký, ghi rõ họ tên)' },
          { title: 'Người lập', hint: '(Ký, ghi rõ họ tên)', name: 'Trần Văn Bình' },
        ]
      : [
          { title: 'Customer', hint: '(Signature, full name)' },
          { title: 'Prepared by', hint: '(Signature, full name)', name: 'Trần Văn Bình' },
        ],
    labels: pdfLabels[locale],
    ...extra,
  };
}
