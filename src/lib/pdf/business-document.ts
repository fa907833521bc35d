/**
 * A quote, order or invoice as an A4 PDF: letterhead, title and number, dates, the buyer, the line
 * items (the table breaks across pages with its header repeated), totals per VAT rate, the amount
 * in words, terms, an optional VietQR code, signature boxes and "Trang 1/3" footers.
 *
 * The caller formats every value (amounts with formatVnd or plain grouping, dates, quantities) and
 * passes every label, so one renderer serves Vietnamese and English documents.
 */
import {
  createDocument,
  drawFields,
  drawLabelled,
  drawLetterhead,
  drawParagraphs,
  drawQr,
  drawSignatures,
  drawTable,
  drawTitle,
  drawTotals,
  finish,
  type PdfColumn,
  type PdfField,
  type PdfLabels,
  type PdfRow,
  type PdfSeller,
  type PdfSignature,
  type PdfTotalRow,
} from './layout.js';

export interface BusinessDocumentInput {
  seller: PdfSeller;
  /** "BÁO GIÁ", "ĐƠN HÀNG", "HOÁ ĐƠN BÁN HÀNG" / "QUOTATION"… */
  title: string;
  /** "BG-2026-0001": printed under the title after `labels.number`. */
  number: string;
  /** Printed under the number, on one line: [{ label: 'Ngày', value: '07/12/2026' }, …]. */
  dates: PdfField[];
  /** The customer: "Khách hàng" and its fields (name, address, tax code, contact…). */
  buyer: { heading?: string; fields: PdfField[] };
  columns: PdfColumn[];
  rows: PdfRow[];
  /** Subtotal, discount, per-rate net and VAT, grand total (mark the last `bold`). */
  totals: PdfTotalRow[];
  /** "Một triệu hai trăm nghìn đồng chẵn" (from amountInWords). */
  amountInWords?: string;
  /** One paragraph per entry. */
  terms?: string[];
  signatures?: PdfSignature[];
  /** A QR image (PNG) with its caption, e.g. a VietQR code and "Quét mã để chuyển khoản…". */
  qr?: { png: Buffer; caption: string };
  labels: PdfLabels;
}

/** Renders the document; resolves to the PDF's bytes. */
export function renderBusinessDocument(input: BusinessDocumentInput): Promise<Buffer> {
  const { labels } = input;
  const doc = createDocument({
    title: `${input.title} ${input.number}`,
    author: input.seller.name,
  });
  drawLetterhead(doc, input.seller, labels);
  const dateLine = input.dates.map((d) => `${d.label}: ${d.value}`).join('   ·   ');
  drawTitle(doc, input.title, [
    `${labels.number}: ${input.number}`,
    ...(dateLine ? [dateLine] : []),
  ]);
  drawFields(doc, input.buyer.fields, input.buyer.heading);
  drawTable(doc, input.columns, input.rows);
  drawTotals(doc, input.totals);
  if (input.amountInWords) drawLabelled(doc, labels.amountInWords, input.amountInWords);
  if (input.terms && input.terms.length > 0) drawParagraphs(doc, labels.terms, input.terms);
  if (input.qr) drawQr(doc, input.qr.png, input.qr.caption);
  drawSignatures(doc, input.signatures ?? []);
  return finish(doc, labels);
}
