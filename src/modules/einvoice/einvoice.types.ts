/**
 * The legal e-invoice (hóa đơn điện tử, Decree 123/2020, Circular 78/2021) is issued, signed and
 * sent to the tax authority by a licensed provider (Viettel S-Invoice, VNPT, MISA meInvoice,
 * BKAV…). Sen's invoice is the commercial document; an adapter turns it into the provider's
 * request. docs/einvoice.md explains the interface and how to write an adapter.
 */

/** VAT rates a line may carry: a percentage, or exempt (KCT) / not declared (KKKNT). */
export const vatRates = [0, 5, 8, 10, 'exempt', 'not_declared'] as const;
export type VatRate = (typeof vatRates)[number];

export const paymentMethods = [
  'cash',
  'bank_transfer',
  'cash_or_transfer',
  'card',
  'other',
] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export interface EInvoiceSeller {
  legalName: string;
  taxCode: string;
  address: string;
  phone?: string | undefined;
  email?: string | undefined;
  bankAccount?: string | undefined;
  bankName?: string | undefined;
}

export interface EInvoiceBuyer {
  /** A company's legal name, or the person's name when the buyer is a person. */
  name: string;
  /** The person who buys for a company (người mua hàng). */
  contactName?: string | undefined;
  /** Mã số thuế: 10 digits, or 10-3 for a branch; absent for a person without one. */
  taxCode?: string | undefined;
  address?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  /** The customer's code in Sen (a contact's or company's id). */
  code?: string | undefined;
}

export interface EInvoiceLine {
  name: string;
  code?: string | undefined;
  unit: string;
  quantity: number;
  /** Đồng, before VAT. */
  unitPrice: number;
  vatRate: VatRate;
  /** Integer đồng: quantity × unit price less the line's discount. */
  amountBeforeVat: number;
  /** Integer đồng. */
  vatAmount: number;
  /** Integer đồng, the line's discount (already out of amountBeforeVat). */
  discount?: number | undefined;
}

export interface EInvoiceTotals {
  amountBeforeVat: number;
  vatAmount: number;
  /** amountBeforeVat + vatAmount, integer đồng. */
  total: number;
}

/**
 * What Sen sends to a provider for one of its invoices: a plain data type that the invoices
 * module fills from an invoice (kept free of the database so adapters are tested without one).
 */
export interface EInvoiceDocument {
  /** The Sen invoice (object 'invoices'): its id is the idempotency key of the submission. */
  senInvoiceId: string;
  /** Sen's own number (HD-2026-0001), printed as a note on the legal invoice. */
  senInvoiceNumber: string;
  currency: 'VND';
  paymentMethod: PaymentMethod;
  seller: EInvoiceSeller;
  buyer: EInvoiceBuyer;
  lines: EInvoiceLine[];
  totals: EInvoiceTotals;
  /** "Một triệu hai trăm nghìn đồng chẵn"; computed from the total when absent. */
  totalInWords?: string | undefined;
  note?: string | undefined;
}

/** The workspace's provider settings, the secret decrypted (built by the service, per call). */
export interface EInvoiceProviderConfig {
  baseUrl: string;
  username: string;
  password: string;
  /** The seller's tax code as the provider knows the account (supplierTaxCode). */
  supplierTaxCode: string;
  /** Mẫu số (1/001…) and ký hiệu (C26TAA…) of the legal invoice. */
  templateCode: string;
  series: string;
  /** Private IPs/CIDRs the SSRF guard lets through (config.outboundAllow). */
  outboundAllow: readonly string[];
  /** One HTTP exchange (default 20 s). */
  timeoutMs?: number | undefined;
}

/** How a provider finds an invoice again: Sen's transaction id first, its number when known. */
export interface EInvoiceRef {
  transactionId: string;
  invoiceNumber?: string | null | undefined;
  /** When the legal invoice was issued (some providers need it to cancel). */
  issuedAt?: Date | null | undefined;
}

export interface EInvoiceIssued {
  transactionId: string;
  /** Số hóa đơn with its series (C26TAA1), as the provider answers it. */
  invoiceNumber: string;
  /** The provider's own id of the invoice, when it has one beside the number. */
  providerInvoiceId: string | null;
  /** Mã tra cứu: what the buyer types on the provider's lookup page. */
  lookupCode: string | null;
  /** Mã của cơ quan thuế, for invoices with a tax-authority code. */
  taxAuthorityCode: string | null;
  issuedAt: Date | null;
  /** The provider's answer, trimmed, for the submission's record. */
  raw: string;
}

export const eInvoiceStates = ['issued', 'cancelled', 'replaced', 'adjusted', 'not_found'] as const;
export type EInvoiceState = (typeof eInvoiceStates)[number];

export interface EInvoiceStatus {
  state: EInvoiceState;
  /** The provider's own words for the state. */
  providerStatus: string | null;
  /** Present unless not_found. */
  invoice: EInvoiceIssued | null;
  raw: string;
}

export type EInvoiceDocumentKind = 'xml' | 'pdf';

export interface EInvoiceFile {
  kind: EInvoiceDocumentKind;
  fileName: string;
  contentType: string;
  data: Buffer;
}

/**
 * One provider. Each method is ONE attempt (no retries inside): the shared issue flow
 * (einvoice.issue.ts) retries, and asks `status` before sending an issue again, so a retried
 * issue never creates a second legal invoice.
 */
export interface EInvoiceProvider {
  readonly key: string;
  /** Issue (and sign) the legal invoice; `ref.transactionId` must reach the provider. */
  issue(document: EInvoiceDocument, ref: EInvoiceRef): Promise<EInvoiceIssued>;
  /** Look an invoice up by transaction id; `not_found` when the provider has none. */
  status(ref: EInvoiceRef): Promise<EInvoiceStatus>;
  /** Cancel (hủy) an issued invoice, with the reason the law asks for. */
  cancel(ref: EInvoiceRef, reason: string): Promise<{ raw: string }>;
  /** The signed XML or its PDF representation. */
  fetchDocument(ref: EInvoiceRef, kind: EInvoiceDocumentKind): Promise<EInvoiceFile>;
}

/** What can go wrong, the same for every provider; the service turns it into an AppError. */
export type EInvoiceErrorKind =
  | 'auth' // wrong user name / password / token refused
  | 'timeout' // no answer in time: the outcome is unknown
  | 'unavailable' // 5xx, connection refused or reset: the outcome is unknown
  | 'rejected' // the provider answered and refused (bad data, template, series…)
  | 'not_found' // the provider has no such invoice
  | 'blocked' // the base URL is a private address (SSRF guard)
  | 'bad_response'; // an answer we cannot read

export class EInvoiceError extends Error {
  readonly kind: EInvoiceErrorKind;
  /** The provider's own code and description, when it gave them. */
  readonly providerCode: string | null;
  readonly providerMessage: string | null;
  readonly raw: string | null;
  constructor(
    kind: EInvoiceErrorKind,
    message: string,
    opts: {
      providerCode?: string | null;
      providerMessage?: string | null;
      raw?: string | null;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'EInvoiceError';
    this.kind = kind;
    this.providerCode = opts.providerCode ?? null;
    this.providerMessage = opts.providerMessage ?? null;
    this.raw = opts.raw ?? null;
  }

  /** Timeouts and 5xx leave the outcome unknown: try again (after a status lookup). */
  get retryable(): boolean {
    return this.kind === 'timeout' || this.kind === 'unavailable';
  }
}

/** A provider answer trimmed for storage (no more than 2,000 characters). */
export function excerpt(text: string, max = 2000): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
