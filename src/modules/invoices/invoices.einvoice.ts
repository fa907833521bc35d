import { sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { amountInWords } from '../../lib/vn/amount-in-words.js';
import { getCompanyProfile } from '../company-profile/company-profile.service.js';
import { eInvoiceAdapter } from '../einvoice/einvoice.registry.js';
import * as einvoiceRepo from '../einvoice/einvoice.repository.js';
import {
  cancelEInvoiceUnchecked,
  fetchEInvoiceDocumentUnchecked,
  getEInvoiceSubmissionUnchecked,
  issueEInvoiceUnchecked,
  refreshEInvoiceStatusUnchecked,
  type PresentedSubmission,
} from '../einvoice/einvoice.service.js';
import type {
  EInvoiceDocument,
  EInvoiceDocumentKind,
  EInvoiceFile,
  EInvoiceLine,
  VatRate as EInvoiceVatRate,
} from '../einvoice/einvoice.types.js';
import { linesOf, totalsOf } from '../line-items/line-items.service.js';
import type { VatRate } from '../products/products.table.js';
import { loadAccessibleRecord } from '../records/access.js';
import * as repo from './invoices.repository.js';
import { voidInvoice } from './invoices.service.js';
import type { InvoiceRow, InvoiceStatus } from './invoices.table.js';

/**
 * The legal e-invoice (hóa đơn điện tử) of a Sen invoice, through the workspace's provider
 * (src/modules/einvoice; docs/einvoice.md "Sen's invoices"). Every action needs `approve` on
 * invoices (like issue and void) and the invoice in the caller's scope; reading its state needs
 * `read`.
 *
 * - Issue: only an issued Sen invoice (issued, partly paid, paid, overdue): its lines, the buyer
 *   (company, else contact: name, tax code, address) and its totals per VAT rate go to the
 *   provider. Idempotent: one submission per invoice (the transaction id is the invoice's id), a
 *   second issue returns the first without calling the provider; a retry after a timeout asks
 *   the provider first (einvoice.issue.ts).
 * - Void: a signed e-invoice cannot simply disappear. Voiding a Sen invoice whose e-invoice is
 *   active cancels it at the provider first (hủy, with the void's reason); if the provider
 *   refuses or cannot be reached the void is refused and both stay as they were. A correction
 *   (replacement or adjustment invoice) is made in the provider's portal; a status refresh
 *   brings its state back.
 */

const OBJECT = 'invoices';

/** The Sen invoice statuses that may carry a legal e-invoice. */
const issuable: readonly InvoiceStatus[] = ['issued', 'partly_paid', 'paid', 'overdue'];

export const messages = {
  notIssued: {
    vi: 'Chỉ phát hành hóa đơn điện tử cho hóa đơn đã phát hành và chưa huỷ.',
    en: 'Only an issued invoice that is not void gets an e-invoice.',
  },
  sellerMissing: {
    vi: 'Cần khai báo tên, mã số thuế và địa chỉ doanh nghiệp trong Cài đặt → Thông tin doanh nghiệp trước khi phát hành hóa đơn điện tử.',
    en: 'Enter the business’s legal name, tax code and address in Settings → Business profile before issuing e-invoices.',
  },
  voidInProgress: {
    vi: 'Hóa đơn điện tử của hóa đơn này đang được gửi sang nhà cung cấp: hãy đợi xong rồi huỷ.',
    en: 'This invoice’s e-invoice is being submitted: wait for it to finish, then void.',
  },
} satisfies Record<string, LocalisedText>;

/** Sen's VAT rates → the e-invoice's: "không chịu thuế" is KCT (exempt). */
const vatRateOf: Record<VatRate, EInvoiceVatRate> = {
  '0': 0,
  '5': 5,
  '8': 8,
  '10': 10,
  none: 'exempt',
};

interface BuyerRow {
  companyName: string | null;
  taxCode: string | null;
  companyAddress: string | null;
  companyEmail: string | null;
  companyPhone: string | null;
  contactName: string | null;
  contactAddress: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
}

const trimmed = (v: string | null | undefined) => v?.trim() || undefined;

/**
 * The e-invoice document of an issued Sen invoice: its lines as written, the VAT per rate of the
 * invoice (each rate's VAT is computed once on the sum of its nets, amounts.ts; the lines'
 * informational VAT is adjusted on the largest line of each rate so the lines add up to it).
 */
export async function eInvoiceDocumentOf(tx: Tx, invoice: InvoiceRow): Promise<EInvoiceDocument> {
  const profile = await getCompanyProfile(tx);
  const settings = await einvoiceRepo.getSettings(tx);
  const sellerTaxCode = profile.taxCode ?? settings?.supplierTaxCode ?? null;
  if (!profile.legalName || !sellerTaxCode || !profile.address) {
    throw new AppError('VALIDATION_FAILED', { text: messages.sellerMissing });
  }
  const [buyer] = await queryRows<BuyerRow>(
    tx,
    sql`SELECT co.name AS "companyName", co.tax_code AS "taxCode",
               coalesce(co.addresses->0->>'text', co.addresses->0->>'street') AS "companyAddress",
               co.emails->0->>'value' AS "companyEmail", co.phones->0->>'value' AS "companyPhone",
               c.display_name AS "contactName",
               coalesce(c.addresses->0->>'text', c.addresses->0->>'street') AS "contactAddress",
               c.emails->0->>'value' AS "contactEmail", c.phones->0->>'value' AS "contactPhone"
          FROM (SELECT 1) one
          LEFT JOIN companies co ON co.id = ${invoice.companyId}::uuid
          LEFT JOIN contacts c ON c.id = ${invoice.contactId}::uuid`,
  );
  const b = buyer ?? ({} as Partial<BuyerRow>);
  const lines = await linesOf(tx, OBJECT, invoice.id);
  const totals = totalsOf(lines);
  const einvoiceLines: EInvoiceLine[] = lines.map((l) => ({
    name: l.name,
    code: l.sku ?? undefined,
    unit: l.unit,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    vatRate: vatRateOf[l.vatRate],
    amountBeforeVat: l.netAmount,
    vatAmount: l.vatAmount,
    discount: l.discountAmount > 0 ? l.discountAmount : undefined,
  }));
  // Each rate's VAT is the invoice's: the rounding difference goes on its largest line.
  for (const rate of totals.vatLines) {
    const at = lines.flatMap((l, i) => (l.vatRate === rate.rate ? [i] : []));
    const sum = at.reduce((s, i) => s + einvoiceLines[i]!.vatAmount, 0);
    const largest = at.reduce(
      (a, i) => (lines[i]!.netAmount > lines[a]!.netAmount ? i : a),
      at[0]!,
    );
    if (at.length > 0 && sum !== rate.vat) einvoiceLines[largest]!.vatAmount += rate.vat - sum;
  }
  const company = !!b.companyName;
  return {
    senInvoiceId: invoice.id,
    senInvoiceNumber: invoice.number,
    currency: 'VND',
    paymentMethod: 'cash_or_transfer',
    seller: {
      legalName: profile.legalName,
      taxCode: sellerTaxCode,
      address: profile.address,
      phone: trimmed(profile.phone),
      email: trimmed(profile.email),
      bankAccount: trimmed(profile.bankAccountNumber),
      bankName: trimmed(profile.bank?.shortName),
    },
    buyer: {
      // A retail buyer without a name on the invoice: "Khách lẻ" (người mua không lấy hóa đơn).
      name: (company ? b.companyName : b.contactName)?.trim() || 'Khách lẻ',
      contactName: company ? trimmed(b.contactName) : undefined,
      taxCode: company ? trimmed(b.taxCode) : undefined,
      address: trimmed(company ? (b.companyAddress ?? b.contactAddress) : b.contactAddress),
      email: trimmed(company ? (b.companyEmail ?? b.contactEmail) : b.contactEmail),
      phone: trimmed(company ? (b.companyPhone ?? b.contactPhone) : b.contactPhone),
      code: (invoice.companyId ?? invoice.contactId) || undefined,
    },
    lines: einvoiceLines,
    totals: {
      amountBeforeVat: totals.netTotal,
      vatAmount: totals.vatTotal,
      total: totals.netTotal + totals.vatTotal,
    },
    totalInWords: amountInWords(totals.netTotal + totals.vatTotal),
    note: `Theo hoá đơn ${invoice.number}`,
  };
}

/** The invoice in the caller's scope (read), or NOT_FOUND. */
async function accessibleInvoice(tx: Tx, actor: Actor, id: string): Promise<InvoiceRow> {
  await loadAccessibleRecord(tx, actor, OBJECT, id, 'read');
  const invoice = await repo.getInvoiceRow(tx, id);
  if (!invoice) throw new AppError('NOT_FOUND');
  return invoice;
}

export interface InvoiceEInvoice {
  /** A provider is set up and enabled (Settings → Hóa đơn điện tử). */
  configured: boolean;
  providerName: LocalisedText | null;
  /** The invoice may be issued as an e-invoice now (its status; nothing active yet). */
  issuable: boolean;
  submission: PresentedSubmission | null;
}

/** The e-invoice state of an invoice (read on invoices). */
export async function invoiceEInvoice(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<InvoiceEInvoice> {
  authorize(actor, OBJECT, 'read');
  const { invoice, settings } = await ctx.db.tenant(actor, async (tx) => ({
    invoice: await accessibleInvoice(tx, actor, id),
    settings: await einvoiceRepo.getSettings(tx),
  }));
  const submission = await getEInvoiceSubmissionUnchecked(ctx, actor, id);
  const adapter = settings ? eInvoiceAdapter(settings.provider) : undefined;
  const configured = !!settings?.enabled && !!adapter;
  return {
    configured,
    providerName: adapter?.name ?? null,
    issuable:
      configured &&
      issuable.includes(invoice.status) &&
      (!submission || submission.status === 'failed'),
    submission,
  };
}

/** Issue the invoice's legal e-invoice ("Phát hành hóa đơn điện tử"; approve on invoices). */
export async function issueInvoiceEInvoice(
  ctx: AppContext,
  actor: Actor,
  id: string,
  options: { attempts?: number; backoffMs?: number; timeoutMs?: number } = {},
): Promise<PresentedSubmission> {
  authorize(actor, OBJECT, 'approve');
  const document = await ctx.db.tenant(actor, async (tx) => {
    const invoice = await accessibleInvoice(tx, actor, id);
    const existing = await einvoiceRepo.getSubmission(tx, id);
    // Already issued (or cancelled): the submission as it is, whatever the invoice's status.
    if (existing && existing.status !== 'failed' && existing.status !== 'submitting') return null;
    if (!issuable.includes(invoice.status)) {
      throw new AppError('INVALID_STATUS', { text: messages.notIssued });
    }
    return eInvoiceDocumentOf(tx, invoice);
  });
  if (!document) return (await getEInvoiceSubmissionUnchecked(ctx, actor, id))!;
  return issueEInvoiceUnchecked(ctx, actor, document, options);
}

/** Ask the provider for the e-invoice's state now (read on invoices). */
export async function refreshInvoiceEInvoice(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<PresentedSubmission> {
  authorize(actor, OBJECT, 'read');
  await ctx.db.tenant(actor, (tx) => accessibleInvoice(tx, actor, id));
  return refreshEInvoiceStatusUnchecked(ctx, actor, id);
}

/** The signed XML or PDF of the invoice's e-invoice, from the provider (read on invoices). */
export async function invoiceEInvoiceDocument(
  ctx: AppContext,
  actor: Actor,
  id: string,
  kind: EInvoiceDocumentKind,
): Promise<EInvoiceFile> {
  authorize(actor, OBJECT, 'read');
  await ctx.db.tenant(actor, (tx) => accessibleInvoice(tx, actor, id));
  return fetchEInvoiceDocumentUnchecked(ctx, actor, id, kind);
}

/**
 * Void a Sen invoice (approve): its active e-invoice is cancelled at the provider first, with
 * the same reason; a provider that refuses or does not answer leaves both as they were. No
 * database transaction is held while the provider is called.
 */
export async function voidInvoiceAndEInvoice(
  ctx: AppContext,
  actor: Actor,
  id: string,
  reason: string,
) {
  authorize(actor, OBJECT, 'approve');
  const { invoice, submission } = await ctx.db.tenant(actor, async (tx) => ({
    invoice: await accessibleInvoice(tx, actor, id),
    submission: await einvoiceRepo.getSubmission(tx, id),
  }));
  // What voidInvoice refuses (already void, payments on it) is refused before the provider.
  if (submission && invoice.status !== 'void' && Number(invoice.paidAmount) === 0) {
    let status = submission.status;
    if (status === 'submitting') {
      throw new AppError('EINVOICE_IN_PROGRESS', { text: messages.voidInProgress });
    }
    // A failed issue may still have reached the provider: ask before voiding.
    if (status === 'failed' && submission.attempts > 0) {
      status = (await refreshEInvoiceStatusUnchecked(ctx, actor, id)).status;
    }
    if (status === 'issued') await cancelEInvoiceUnchecked(ctx, actor, id, reason);
  }
  return voidInvoice(ctx, actor, id, reason);
}
