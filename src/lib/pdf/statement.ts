/**
 * A customer's statement of account (bảng kê / đối chiếu công nợ) as an A4 PDF, with the same
 * primitives as the business documents: letterhead, title, customer and period, a table of
 * invoices and payments with a running balance (breaking across pages, header repeated), totals
 * and signatures.
 *
 * Amounts are integer đồng. The balance is what the customer owes: opening balance + Σ debit
 * (invoices) − Σ credit (payments, credit notes), computed here row by row.
 */
import {
  createDocument,
  drawFields,
  drawLetterhead,
  drawSignatures,
  drawTable,
  drawTitle,
  drawTotals,
  finish,
  type PdfField,
  type PdfLabels,
  type PdfSeller,
  type PdfSignature,
} from './layout.js';

export interface StatementEntry {
  /** Formatted by the caller: "07/12/2026". */
  date: string;
  /** The document number: "HD-2026-0042", "PT-2026-0007". */
  reference: string;
  description: string;
  /** Integer đồng the customer owes more (an invoice); 0 if none. */
  debit: number;
  /** Integer đồng the customer paid or was credited; 0 if none. */
  credit: number;
}

export interface StatementLabels extends PdfLabels {
  date: string;
  reference: string;
  description: string;
  debit: string;
  credit: string;
  balance: string;
  openingBalance: string;
  totalDebit: string;
  totalCredit: string;
  closingBalance: string;
}

export const statementLabels: Record<'vi' | 'en', Omit<StatementLabels, keyof PdfLabels>> = {
  vi: {
    date: 'Ngày',
    reference: 'Số chứng từ',
    description: 'Diễn giải',
    debit: 'Phát sinh nợ',
    credit: 'Phát sinh có',
    balance: 'Số dư',
    openingBalance: 'Số dư đầu kỳ',
    totalDebit: 'Cộng phát sinh nợ',
    totalCredit: 'Cộng phát sinh có',
    closingBalance: 'Số dư cuối kỳ',
  },
  en: {
    date: 'Date',
    reference: 'Reference',
    description: 'Description',
    debit: 'Debit',
    credit: 'Credit',
    balance: 'Balance',
    openingBalance: 'Opening balance',
    totalDebit: 'Total debit',
    totalCredit: 'Total credit',
    closingBalance: 'Closing balance',
  },
};

export interface StatementInput {
  seller: PdfSeller;
  /** "BẢNG ĐỐI CHIẾU CÔNG NỢ" / "STATEMENT OF ACCOUNT" */
  title: string;
  /** Lines under the title: the period, the statement date. */
  subtitles?: string[];
  customer: { heading?: string; fields: PdfField[] };
  /** Integer đồng owed before the first entry (negative: the customer has credit). */
  openingBalance: number;
  entries: StatementEntry[];
  labels: StatementLabels;
  /** Number formatting locale: 'vi-VN' (default, 1.250.000) or 'en-US' (1,250,000). */
  locale?: string;
  signatures?: PdfSignature[];
}

export interface StatementTotals {
  totalDebit: number;
  totalCredit: number;
  closingBalance: number;
  /** The balance after each entry, in order. */
  balances: number[];
}

/** The running balance and the totals of a statement (exact: integer đồng). */
export function statementTotals(
  openingBalance: number,
  entries: StatementEntry[],
): StatementTotals {
  let balance = openingBalance;
  let totalDebit = 0;
  let totalCredit = 0;
  const balances: number[] = [];
  for (const e of entries) {
    for (const v of [e.debit, e.credit]) {
      if (!Number.isSafeInteger(v) || v < 0) {
        throw new RangeError(`statement ${e.reference}: ${v} is not a non-negative integer`);
      }
    }
    totalDebit += e.debit;
    totalCredit += e.credit;
    balance += e.debit - e.credit;
    balances.push(balance);
  }
  if (!Number.isSafeInteger(totalDebit) || !Number.isSafeInteger(balance)) {
    throw new RangeError('statement totals exceed a safe integer');
  }
  return { totalDebit, totalCredit, closingBalance: balance, balances };
}

/** Renders the statement; resolves to the PDF's bytes. */
export function renderStatement(input: StatementInput): Promise<Buffer> {
  const { labels } = input;
  const nf = new Intl.NumberFormat(input.locale ?? 'vi-VN', { maximumFractionDigits: 0 });
  const money = (n: number) => (n === 0 ? '' : nf.format(n));
  const totals = statementTotals(input.openingBalance, input.entries);
  const doc = createDocument({ title: input.title, author: input.seller.name });
  drawLetterhead(doc, input.seller, labels);
  drawTitle(doc, input.title, input.subtitles ?? []);
  drawFields(doc, input.customer.fields, input.customer.heading);
  drawTable(
    doc,
    [
      { key: 'date', header: labels.date, width: 11 },
      { key: 'reference', header: labels.reference, width: 15 },
      { key: 'description', header: labels.description, width: 28 },
      { key: 'debit', header: labels.debit, width: 15, align: 'right' },
      { key: 'credit', header: labels.credit, width: 15, align: 'right' },
      { key: 'balance', header: labels.balance, width: 16, align: 'right' },
    ],
    [
      {
        date: '',
        reference: '',
        description: labels.openingBalance,
        debit: '',
        credit: '',
        balance: nf.format(input.openingBalance),
      },
      ...input.entries.map((e, i) => ({
        date: e.date,
        reference: e.reference,
        description: e.description,
        debit: money(e.debit),
        credit: money(e.credit),
        balance: nf.format(totals.balances[i] ?? 0),
      })),
    ],
  );
  drawTotals(doc, [
    { label: labels.openingBalance, value: nf.format(input.openingBalance) },
    { label: labels.totalDebit, value: nf.format(totals.totalDebit) },
    { label: labels.totalCredit, value: nf.format(totals.totalCredit) },
    { label: labels.closingBalance, value: nf.format(totals.closingBalance), bold: true },
  ]);
  drawSignatures(doc, input.signatures ?? []);
  return finish(doc, labels);
}
