/**
 * The primitives both PDF renderers (business documents and statements) are made of: an A4
 * pdfkit document with Be Vietnam Pro embedded, the seller's letterhead, a title, label/value
 * blocks, a table that breaks across pages repeating its header, a totals block, paragraphs,
 * signature boxes, a QR image with a caption, and "Trang 1/3" footers.
 *
 * Why pdfkit and not pdfmake: pdfmake is built on pdfkit and adds a declarative layout (tables
 * with repeated headers for free), but it loads fonts through its own virtual file system and
 * needs a whole document definition in memory; the layout here is small enough to write once on
 * pdfkit's measured-text API, which keeps one dependency, and full control of page breaks.
 *
 * Fonts: Be Vietnam Pro Regular and Bold (TTF, SIL Open Font License 1.1, see
 * src/data/fonts/README.md), read once and subset into each PDF by pdfkit/fontkit, so every
 * Vietnamese letter (ắ ằ ẳ ẵ ặ, ế ề ể ễ ệ, ơ ư đ…) renders and extracts as text.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { packageRoot } from '../paths.js';

export const fontsFolder = path.join(packageRoot, 'src', 'data', 'fonts');

let fontCache: { regular: fontkit.Font; bold: fontkit.Font } | undefined;

/**
 * The embedded fonts, read and parsed on first use and then shared by every document: parsing a
 * font's tables costs more than laying out a whole quote, and pdfkit takes a parsed fontkit font
 * as well as a file (each document still embeds its own subset).
 */
export function pdfFonts(): { regular: fontkit.Font; bold: fontkit.Font } {
  const load = (file: string) =>
    withLayoutCache(fontkit.create(fs.readFileSync(path.join(fontsFolder, file))));
  fontCache ??= {
    regular: load('BeVietnamPro-Regular.ttf'),
    bold: load('BeVietnamPro-Bold.ttf'),
  };
  return fontCache;
}

interface GlyphPosition {
  xAdvance: number;
  [key: string]: number;
}
interface GlyphRun {
  glyphs: unknown[];
  positions: GlyphPosition[];
}

const LAYOUT_CACHE_SIZE = 20_000;

/**
 * The font with its text shaping (fontkit's layout: GSUB/GPOS lookups, the costliest part of a
 * render) memoised across documents. pdfkit lays text out word by word, caching only within one
 * document, and scales the returned positions in place: each call here returns fresh copies of the
 * cached positions (the glyphs are only read). Calls with explicit OpenType features are not
 * cached. The cache is emptied when it holds LAYOUT_CACHE_SIZE words.
 */
function withLayoutCache(font: fontkit.Font): fontkit.Font {
  const cache = new Map<string, GlyphRun>();
  const layout = (text: string, features?: unknown): unknown => {
    if (features !== undefined) return font.layout(text, features);
    let run = cache.get(text);
    if (!run) {
      const fresh = font.layout(text) as GlyphRun;
      run = { glyphs: fresh.glyphs, positions: fresh.positions.map((p) => ({ ...p })) };
      if (cache.size >= LAYOUT_CACHE_SIZE) cache.clear();
      cache.set(text, run);
    }
    const positions = run.positions.map((p) => ({ ...p }));
    return {
      glyphs: run.glyphs,
      positions,
      get advanceWidth() {
        let width = 0;
        for (const p of positions) width += p.xAdvance;
        return width;
      },
    };
  };
  return new Proxy(font, {
    get: (target, prop) => (prop === 'layout' ? layout : Reflect.get(target, prop, target)),
  });
}

export interface PdfSeller {
  name: string;
  address?: string;
  taxCode?: string;
  phone?: string;
  email?: string;
  bankName?: string;
  bankAccount?: string;
  accountName?: string;
  /** A PNG or JPEG logo, drawn at most 90 × 55 pt. */
  logo?: Buffer;
}

/** One "label: value" line. */
export interface PdfField {
  label: string;
  value: string;
}

export type PdfAlign = 'left' | 'center' | 'right';

export interface PdfColumn {
  key: string;
  header: string;
  /** Relative width: the columns share the page width in proportion to it. */
  width: number;
  align?: PdfAlign;
}

/** A table row: text per column key, already formatted (numbers, dates). */
export type PdfRow = Record<string, string>;

export interface PdfTotalRow {
  label: string;
  value: string;
  bold?: boolean;
}

export interface PdfSignature {
  /** "Người mua hàng" */
  title: string;
  /** "(Ký, ghi rõ họ tên)" */
  hint?: string;
  /** The signer's printed name, under the space left for the signature. */
  name?: string;
}

/** The words the letterhead and the footer need, in the document's language. */
export interface PdfLabels {
  taxCode: string;
  phone: string;
  email: string;
  bankAccount: string;
  bank: string;
  accountName: string;
  number: string;
  amountInWords: string;
  terms: string;
  /** The footer, with {page} and {pages}: "Trang {page}/{pages}". */
  page: string;
}

export const pdfLabels: Record<'vi' | 'en', PdfLabels> = {
  vi: {
    taxCode: 'Mã số thuế',
    phone: 'Điện thoại',
    email: 'Email',
    bankAccount: 'Số tài khoản',
    bank: 'Ngân hàng',
    accountName: 'Chủ tài khoản',
    number: 'Số',
    amountInWords: 'Số tiền bằng chữ',
    terms: 'Điều khoản',
    page: 'Trang {page}/{pages}',
  },
  en: {
    taxCode: 'Tax code',
    phone: 'Phone',
    email: 'Email',
    bankAccount: 'Account number',
    bank: 'Bank',
    accountName: 'Account name',
    number: 'No.',
    amountInWords: 'Amount in words',
    terms: 'Terms',
    page: 'Page {page}/{pages}',
  },
};

const REGULAR = 'Sen-Regular';
const BOLD = 'Sen-Bold';
const MARGIN = 40;
/** Space kept free at the bottom of every page for the footer. */
const FOOTER = 30;
const BORDER = '#ced4da';
const HEADER_FILL = '#eef1f4';
const MUTED = '#555f6d';
const TEXT = '#1b1f24';
const CELL_PAD = 4;

export type Doc = PDFKit.PDFDocument;

/** A new A4 document with the fonts registered and pages buffered (for "Trang x/y"). */
export function createDocument(meta: { title: string; author?: string }): Doc {
  const fonts = pdfFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER },
    bufferPages: true,
    autoFirstPage: true,
    info: { Title: meta.title, ...(meta.author ? { Author: meta.author } : {}), Creator: 'Sen' },
    lang: 'vi',
  } as PDFKit.PDFDocumentOptions);
  // pdfkit's types say file or buffer; its font factory also takes a parsed fontkit font.
  doc.registerFont(REGULAR, fonts.regular as unknown as Buffer);
  doc.registerFont(BOLD, fonts.bold as unknown as Buffer);
  doc.font(REGULAR).fontSize(9).fillColor(TEXT);
  return doc;
}

const left = (doc: Doc) => doc.page.margins.left;
const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom;

/** Starts a new page when `height` does not fit below the current position. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) {
    doc.addPage();
    doc.y = doc.page.margins.top;
  }
}

/** The seller's name, address, tax code, contacts and bank account, with the logo on the left. */
export function drawLetterhead(doc: Doc, seller: PdfSeller, labels: PdfLabels): void {
  const top = doc.page.margins.top;
  let x = left(doc);
  let logoBottom = top;
  if (seller.logo) {
    doc.image(seller.logo, x, top, { fit: [90, 55] });
    x += 100;
    logoBottom = top + 55;
  }
  const width = left(doc) + contentWidth(doc) - x;
  doc.font(BOLD).fontSize(12).fillColor(TEXT).text(seller.name, x, top, { width });
  doc.font(REGULAR).fontSize(8.5).fillColor(MUTED);
  const lines: string[] = [];
  if (seller.address) lines.push(seller.address);
  const ids = [
    seller.taxCode ? `${labels.taxCode}: ${seller.taxCode}` : '',
    seller.phone ? `${labels.phone}: ${seller.phone}` : '',
    seller.email ? `${labels.email}: ${seller.email}` : '',
  ].filter(Boolean);
  if (ids.length) lines.push(ids.join('  ·  '));
  const bank = [
    seller.bankAccount ? `${labels.bankAccount}: ${seller.bankAccount}` : '',
    seller.bankName ? `${labels.bank}: ${seller.bankName}` : '',
    seller.accountName ? `${labels.accountName}: ${seller.accountName}` : '',
  ].filter(Boolean);
  if (bank.length) lines.push(bank.join('  ·  '));
  for (const line of lines) doc.text(line, x, doc.y, { width });
  doc.y = Math.max(doc.y, logoBottom) + 6;
  doc
    .moveTo(left(doc), doc.y)
    .lineTo(left(doc) + contentWidth(doc), doc.y)
    .lineWidth(0.8)
    .strokeColor(BORDER)
    .stroke();
  doc.y += 10;
  doc.fillColor(TEXT);
}

/** The title, centred, and lines under it (number, dates), centred too. */
export function drawTitle(doc: Doc, title: string, subtitles: string[]): void {
  const x = left(doc);
  const width = contentWidth(doc);
  doc.font(BOLD).fontSize(17).fillColor(TEXT).text(title, x, doc.y, { width, align: 'center' });
  doc.font(REGULAR).fontSize(9).fillColor(MUTED);
  for (const s of subtitles) doc.text(s, x, doc.y + 1, { width, align: 'center' });
  doc.fillColor(TEXT);
  doc.y += 10;
}

/** "Label: value" lines, optionally under a bold heading. */
export function drawFields(doc: Doc, fields: PdfField[], heading?: string): void {
  const x = left(doc);
  const width = contentWidth(doc);
  if (heading) {
    ensureSpace(doc, 30);
    doc.font(BOLD).fontSize(10).text(heading, x, doc.y, { width });
    doc.y += 2;
  }
  doc.fontSize(9);
  for (const f of fields) {
    const h = doc.font(REGULAR).heightOfString(`${f.label}: ${f.value}`, { width });
    ensureSpace(doc, h);
    doc
      .font(BOLD)
      .text(`${f.label}: `, x, doc.y, { width, continued: true })
      .font(REGULAR)
      .text(f.value);
  }
  doc.y += 8;
}

interface TableLayout {
  x: number[];
  w: number[];
}

function tableLayout(doc: Doc, columns: PdfColumn[]): TableLayout {
  const total = columns.reduce((s, c) => s + c.width, 0);
  const full = contentWidth(doc);
  const w = columns.map((c) => (full * c.width) / total);
  const x: number[] = [];
  let at = left(doc);
  for (const cw of w) {
    x.push(at);
    at += cw;
  }
  return { x, w };
}

function rowHeight(doc: Doc, cells: string[], layout: TableLayout): number {
  let h = 0;
  for (const [i, text] of cells.entries()) {
    const w = (layout.w[i] ?? 0) - 2 * CELL_PAD;
    h = Math.max(h, doc.heightOfString(text || ' ', { width: w }));
  }
  return h + 2 * CELL_PAD;
}

function drawRow(
  doc: Doc,
  cells: string[],
  columns: PdfColumn[],
  layout: TableLayout,
  height: number,
  fill?: string,
): void {
  const y = doc.y;
  const x0 = layout.x[0] ?? left(doc);
  const width = contentWidth(doc);
  if (fill) doc.rect(x0, y, width, height).fill(fill).fillColor(TEXT);
  doc.lineWidth(0.5).strokeColor(BORDER);
  doc.rect(x0, y, width, height).stroke();
  for (const [i, text] of cells.entries()) {
    const cx = layout.x[i] ?? x0;
    const cw = layout.w[i] ?? 0;
    if (i > 0)
      doc
        .moveTo(cx, y)
        .lineTo(cx, y + height)
        .stroke();
    doc.text(text, cx + CELL_PAD, y + CELL_PAD, {
      width: cw - 2 * CELL_PAD,
      align: columns[i]?.align ?? 'left',
    });
  }
  doc.y = y + height;
}

/**
 * A table that breaks across pages: when a row does not fit, a new page starts and the header
 * row is drawn again at its top. A row taller than a page is not split (its text may overflow).
 */
export function drawTable(doc: Doc, columns: PdfColumn[], rows: PdfRow[]): void {
  const layout = tableLayout(doc, columns);
  const headerCells = columns.map((c) => c.header);
  doc.font(BOLD).fontSize(8.5);
  const headerHeight = rowHeight(doc, headerCells, layout);
  const header = () => {
    doc.font(BOLD).fontSize(8.5);
    drawRow(doc, headerCells, columns, layout, headerHeight, HEADER_FILL);
    doc.font(REGULAR).fontSize(8.5);
  };
  doc.font(REGULAR).fontSize(8.5);
  const first = rows[0];
  // The header never stands alone at the foot of a page.
  ensureSpace(
    doc,
    headerHeight +
      (first
        ? rowHeight(
            doc,
            columns.map((c) => first[c.key] ?? ''),
            layout,
          )
        : 0),
  );
  header();
  for (const row of rows) {
    const cells = columns.map((c) => row[c.key] ?? '');
    const h = rowHeight(doc, cells, layout);
    if (doc.y + h > bottom(doc)) {
      doc.addPage();
      doc.y = doc.page.margins.top;
      header();
    }
    drawRow(doc, cells, columns, layout, h);
  }
  doc.y += 8;
}

/** Label/value rows right-aligned under the table (subtotal, VAT per rate, grand total). */
export function drawTotals(doc: Doc, totals: PdfTotalRow[]): void {
  const width = contentWidth(doc);
  const valueWidth = 120;
  const labelWidth = 240;
  const x = left(doc) + width - valueWidth - labelWidth;
  const heights = totals.map((t) => {
    doc.font(t.bold ? BOLD : REGULAR).fontSize(t.bold ? 10 : 9);
    return Math.max(
      doc.heightOfString(t.label, { width: labelWidth - 8 }),
      doc.heightOfString(t.value, { width: valueWidth }),
    );
  });
  // The block stays on one page when it can.
  const blockHeight = heights.reduce((s, h) => s + h + 3, 0);
  if (blockHeight < bottom(doc) - doc.page.margins.top) ensureSpace(doc, blockHeight);
  for (const [i, t] of totals.entries()) {
    doc.font(t.bold ? BOLD : REGULAR).fontSize(t.bold ? 10 : 9);
    const h = heights[i] ?? 0;
    ensureSpace(doc, h + 3);
    const y = doc.y;
    doc.text(t.label, x, y, { width: labelWidth - 8, align: 'right' });
    doc.text(t.value, x + labelWidth, y, { width: valueWidth, align: 'right' });
    doc.y = y + h + 3;
  }
  doc.font(REGULAR).fontSize(9);
  doc.y += 6;
}

/** A bold label followed by text on the same line(s): "Số tiền bằng chữ: Một triệu…". */
export function drawLabelled(doc: Doc, label: string, text: string): void {
  const x = left(doc);
  const width = contentWidth(doc);
  doc.fontSize(9.5);
  const h = doc.font(REGULAR).heightOfString(`${label}: ${text}`, { width });
  ensureSpace(doc, h + 4);
  doc.font(BOLD).text(`${label}: `, x, doc.y, { width, continued: true }).font(REGULAR).text(text);
  doc.y += 6;
}

/** A heading and paragraphs (terms). */
export function drawParagraphs(doc: Doc, heading: string, paragraphs: string[]): void {
  const x = left(doc);
  const width = contentWidth(doc);
  doc.font(BOLD).fontSize(9.5);
  ensureSpace(doc, 30);
  doc.text(heading, x, doc.y, { width });
  doc.font(REGULAR).fontSize(9);
  for (const p of paragraphs) {
    ensureSpace(doc, doc.heightOfString(p, { width }));
    doc.text(p, x, doc.y + 1, { width });
  }
  doc.y += 8;
}

/** A QR code image with a caption beside it, kept on one page. */
export function drawQr(doc: Doc, png: Buffer, caption: string): void {
  const size = 96;
  const x = left(doc);
  const captionWidth = contentWidth(doc) - size - 12;
  doc.font(REGULAR).fontSize(9);
  const h = Math.max(size, doc.heightOfString(caption, { width: captionWidth }));
  ensureSpace(doc, h + 6);
  const y = doc.y;
  doc.image(png, x, y, { width: size, height: size });
  doc.text(caption, x + size + 12, y + 4, { width: captionWidth });
  doc.y = y + h + 10;
}

/** Signature boxes side by side: title, hint, room to sign, printed name. */
export function drawSignatures(doc: Doc, signatures: PdfSignature[]): void {
  if (signatures.length === 0) return;
  const height = 110;
  ensureSpace(doc, height);
  const y = doc.y + 6;
  const w = contentWidth(doc) / signatures.length;
  for (const [i, s] of signatures.entries()) {
    const x = left(doc) + i * w;
    doc.font(BOLD).fontSize(9.5).text(s.title, x, y, { width: w, align: 'center' });
    if (s.hint) {
      doc
        .font(REGULAR)
        .fontSize(8)
        .fillColor(MUTED)
        .text(s.hint, x, doc.y, { width: w, align: 'center' })
        .fillColor(TEXT);
    }
    if (s.name) {
      doc
        .font(BOLD)
        .fontSize(9)
        .text(s.name, x, y + height - 24, { width: w, align: 'center' });
    }
  }
  doc.font(REGULAR).fontSize(9);
  doc.y = y + height;
}

/** Writes "Trang i/n" at the foot of every page, ends the document and returns its bytes. */
export function finish(doc: Doc, labels: PdfLabels): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would otherwise start a new page.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const text = labels.page
      .replace('{page}', String(i - range.start + 1))
      .replace('{pages}', String(range.count));
    doc
      .font(REGULAR)
      .fontSize(8)
      .fillColor(MUTED)
      .text(text, left(doc), doc.page.height - MARGIN, {
        width: contentWidth(doc),
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}
