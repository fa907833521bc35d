import { sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.js';
import { AppError, type Locale, type LocalisedText } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { pdfLabels, renderBusinessDocument, type PdfField } from '../../lib/pdf/index.js';
import { computeDocument } from '../../lib/selling/amounts.js';
import { sellingDocumentTable } from '../../lib/selling/document-pdf.js';
import { qrPng, vietQrPayload } from '../../lib/selling/vietqr.js';
import { amountInWords } from '../../lib/vn/amount-in-words.js';
import { getCompanyProfile } from '../company-profile/company-profile.service.js';
import { loadAccessibleRecord } from '../records/access.js';
import { recordObjectDefinition } from '../records/define.js';
import { loadRecords } from '../records/kinds.js';
import { linesOf } from './line-items.service.js';

/**
 * A selling document's PDF (a quote's, later an order's and an invoice's), declared on its
 * line items (`lineItems.pdf`): the title, the dates it prints from the record's fields, and
 * whether a VietQR code for the transfer of its total is printed.
 */
export interface DocumentPdfDeclaration {
  title: LocalisedText;
  /** Record fields printed under the number, with their labels (dates are YYYY-MM-DD). */
  dates: { field: string; label: LocalisedText }[];
  /** The record field holding the terms (one paragraph per line). */
  termsField?: string;
  signatures: LocalisedText[];
  /** A VietQR code for the amount (the record field) to the workspace's bank account. */
  vietQr?: { amountField: string };
}

const dmy = (iso: unknown) => {
  const [y, m, d] = String(iso ?? '').split('-');
  return d && m && y ? `${d}/${m}/${y}` : '';
};

const words = {
  vi: {
    customer: 'Khách hàng',
    company: 'Đơn vị',
    address: 'Địa chỉ',
    taxCode: 'Mã số thuế',
    contact: 'Người liên hệ',
    hint: '(Ký, ghi rõ họ tên)',
    qr: (n: string) => `Quét mã VietQR để chuyển khoản, nội dung: ${n}`,
  },
  en: {
    customer: 'Customer',
    company: 'Company',
    address: 'Address',
    taxCode: 'Tax code',
    contact: 'Contact',
    hint: '(Signature, full name)',
    qr: (n: string) => `Scan the VietQR code to pay by bank transfer, reference: ${n}`,
  },
};

interface Buyer {
  companyName: string | null;
  address: string | null;
  taxCode: string | null;
  contactName: string | null;
  contactPhone: string | null;
}

async function buyerOf(tx: Tx, record: Record<string, unknown>): Promise<Buyer> {
  const [row] = await queryRows<Buyer>(
    tx,
    sql`SELECT co.name AS "companyName", co.tax_code AS "taxCode",
               coalesce(co.addresses->0->>'text', co.addresses->0->>'street',
                        c.addresses->0->>'text', c.addresses->0->>'street') AS address,
               c.display_name AS "contactName", c.phones->0->>'value' AS "contactPhone"
          FROM (SELECT 1) one
          LEFT JOIN companies co ON co.id = ${(record.companyId as string | null) ?? null}::uuid
          LEFT JOIN contacts c ON c.id = ${(record.contactId as string | null) ?? null}::uuid`,
  );
  return (
    row ?? {
      companyName: null,
      address: null,
      taxCode: null,
      contactName: null,
      contactPhone: null,
    }
  );
}

/** The PDF of a record with line items; read permission on it (and its fields) as for GET. */
export async function documentPdf(
  ctx: AppContext,
  actor: Actor,
  objectKey: string,
  id: string,
  locale: Locale,
): Promise<{ pdf: Buffer; filename: string }> {
  const def = recordObjectDefinition(objectKey);
  const decl = def?.lineItems?.pdf;
  if (!def || !decl) throw new AppError('NOT_FOUND');
  authorize(actor, objectKey, 'read');
  const data = await ctx.db.read(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, objectKey, id, 'read');
    const [record] = await loadRecords(tx, actor, def.kind, [id]);
    if (!record) throw new AppError('NOT_FOUND');
    return {
      record: record as Record<string, unknown>,
      lines: await linesOf(tx, objectKey, id),
      profile: await getCompanyProfile(tx),
      buyer: await buyerOf(tx, record as Record<string, unknown>),
    };
  });
  const { record, lines, profile, buyer } = data;
  const computed = computeDocument(
    lines.map((l) => ({
      quantity: String(l.quantity),
      unitPrice: l.unitPrice,
      discount: l.discount,
      vatRate: l.vatRate,
    })),
  );
  if (!computed.ok)
    throw new Error(`stored lines do not compute: ${JSON.stringify(computed.issue)}`);
  const w = words[locale];
  const table = sellingDocumentTable(
    lines.map((l) => ({
      name: l.description ? `${l.name}\n${l.description}` : l.name,
      unit: l.unit,
      ...(l.sku ? { sku: l.sku } : {}),
    })),
    computed.value,
    locale,
  );
  const number = String(record.number ?? '');
  const buyerFields: PdfField[] = [];
  if (buyer.companyName) buyerFields.push({ label: w.company, value: buyer.companyName });
  if (buyer.address) buyerFields.push({ label: w.address, value: buyer.address });
  if (buyer.taxCode) buyerFields.push({ label: w.taxCode, value: buyer.taxCode });
  if (buyer.contactName) {
    buyerFields.push({
      label: w.contact,
      value: [buyer.contactName, buyer.contactPhone].filter(Boolean).join(' — '),
    });
  }
  let qr: { png: Buffer; caption: string } | undefined;
  const amount = decl.vietQr ? Number(record[decl.vietQr.amountField] ?? 0) : 0;
  if (decl.vietQr && profile.bank && profile.bankAccountNumber && amount > 0) {
    const payload = vietQrPayload({
      bankBin: profile.bank.bin,
      accountNumber: profile.bankAccountNumber,
      amount,
      note: number,
    });
    if (payload.ok) qr = { png: await qrPng(payload.value), caption: w.qr(number) };
  }
  const terms = decl.termsField ? String(record[decl.termsField] ?? '').trim() : '';
  const pdf = await renderBusinessDocument({
    seller: {
      name: profile.legalName ?? profile.shortName ?? '',
      ...(profile.address ? { address: profile.address } : {}),
      ...(profile.taxCode ? { taxCode: profile.taxCode } : {}),
      ...(profile.phone ? { phone: profile.phone } : {}),
      ...(profile.email ? { email: profile.email } : {}),
      ...(profile.bank ? { bankName: profile.bank.shortName } : {}),
      ...(profile.bankAccountNumber ? { bankAccount: profile.bankAccountNumber } : {}),
      ...(profile.bankAccountName ? { accountName: profile.bankAccountName } : {}),
      ...(profile.logo ? { logo: profile.logo.data } : {}),
    },
    title: decl.title[locale],
    number,
    dates: decl.dates
      .filter((d) => record[d.field])
      .map((d) => ({ label: d.label[locale], value: dmy(record[d.field]) })),
    buyer: { heading: w.customer, fields: buyerFields },
    ...table,
    amountInWords: locale === 'vi' ? amountInWords(computed.value.grandTotal) : undefined,
    ...(terms ? { terms: terms.split(/\n+/) } : {}),
    signatures: decl.signatures.map((s) => ({ title: s[locale], hint: w.hint })),
    ...(qr ? { qr } : {}),
    labels: pdfLabels[locale],
  });
  return { pdf, filename: `${number || id}.pdf` };
}
