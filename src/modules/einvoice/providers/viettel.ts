import yauzl from 'yauzl';
import { amountInWords } from '../../../lib/vn/amount-in-words.js';
import { OutboundError, safeRequest } from '../../../lib/http/ssrf-safe.js';
import type { EInvoiceAdapter } from '../einvoice.registry.js';
import {
  EInvoiceError,
  excerpt,
  type EInvoiceDocument,
  type EInvoiceDocumentKind,
  type EInvoiceFile,
  type EInvoiceIssued,
  type EInvoiceProvider,
  type EInvoiceProviderConfig,
  type EInvoiceRef,
  type EInvoiceState,
  type EInvoiceStatus,
  type PaymentMethod,
  type VatRate,
} from '../einvoice.types.js';

/**
 * Viettel S-Invoice (SInvoice), following Viettel's published integration document
 * "Tài liệu đặc tả tích hợp Web Service hệ thống hóa đơn điện tử SInvoice" (v2.x, downloadable
 * from https://sinvoice.viettel.vn → Hỗ trợ → Tài liệu tích hợp). What the adapter uses of it:
 *
 * - `POST {base}/auth/login` `{ username, password }` → `{ access_token, expires_in, … }`; the
 *   token then goes with every call (`Authorization: Bearer`, and the `access_token` cookie the
 *   document also names). A wrong password answers 401 (or 400 / 403).
 * - `POST {api}/InvoiceAPI/InvoiceWS/createInvoice/{supplierTaxCode}` (JSON): `generalInvoiceInfo`
 *   (invoiceType, templateCode, invoiceSeries, currencyCode, adjustmentType '1' = original,
 *   paymentStatus, cusGetInvoiceRight, invoiceIssuedDate in ms, **transactionUuid**),
 *   `buyerInfo`, `sellerInfo`, `payments[{ paymentMethodName }]`, `itemInfo[]` (lineNumber,
 *   selection 1 = goods, itemCode, itemName, unitName, quantity, unitPrice,
 *   itemTotalAmountWithoutTax, taxPercentage (-1 = KCT exempt, -2 = KKKNT not declared),
 *   taxAmount, itemTotalAmountWithTax, itemDiscount), `taxBreakdowns[]` (taxPercentage,
 *   taxableAmount, taxAmount), `summarizeInfo` (sumOfTotalLineAmountWithoutTax,
 *   totalAmountWithoutTax, totalTaxAmount, totalAmountWithTax, totalAmountWithTaxInWords,
 *   discountAmount) → `{ errorCode, description, result: { supplierTaxCode, invoiceNo,
 *   transactionID, reservationCode, codeOfTax } }`.
 * - `POST {api}/InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid` (form: supplierTaxCode,
 *   transactionUuid) → `{ errorCode, description, result: [{ invoiceNo, reservationCode,
 *   issueDate, status, codeOfTax }] }`: how Sen finds out whether an issue whose answer was lost
 *   created an invoice (the transactionUuid is Sen's invoice id).
 * - `POST {api}/InvoiceAPI/InvoiceWS/cancelTransactionInvoice` (form: supplierTaxCode,
 *   templateCode, invoiceNo, strIssueDate, additionalReferenceDesc, additionalReferenceDate,
 *   reasonDelete) → `{ errorCode, description }`. (Since Decree 70/2025 a wrong invoice is
 *   mostly adjusted or replaced rather than cancelled; Viettel keeps the call for the cases the
 *   law still allows and answers an error otherwise, which Sen shows.)
 * - `POST {api}/InvoiceAPI/InvoiceUtilsWS/getInvoiceRepresentationFile` (JSON: supplierTaxCode,
 *   invoiceNo, templateCode, transactionUuid, fileType 'PDF' | 'ZIP') → `{ errorCode,
 *   description, fileName, fileToBytes (base64) }`; the ZIP holds the signed XML.
 *
 * `{api}` is `{base}/services/einvoiceapplication/api`. Errors come as `errorCode` +
 * `description` with HTTP 200 or 4xx; 5xx means the outcome is unknown.
 */

const API = '/services/einvoiceapplication/api';

export const viettelAdapter: EInvoiceAdapter = {
  key: 'viettel',
  name: { vi: 'Viettel S-Invoice', en: 'Viettel S-Invoice' },
  docs: 'https://sinvoice.viettel.vn (Tài liệu tích hợp Web Service SInvoice v2.x)',
  defaultBaseUrl: 'https://api-vinvoice.viettel.vn',
  create: (config) => new ViettelProvider(config),
};

/** Viettel's taxPercentage for a Sen VAT rate. */
export function viettelTaxPercentage(rate: VatRate): number {
  if (rate === 'exempt') return -1;
  if (rate === 'not_declared') return -2;
  return rate;
}

const paymentNames: Record<PaymentMethod, string> = {
  cash: 'TM',
  bank_transfer: 'CK',
  cash_or_transfer: 'TM/CK',
  card: 'Thẻ',
  other: 'Khác',
};

interface ViettelAnswer {
  errorCode?: string | number | null;
  description?: string | null;
  result?: unknown;
  fileName?: string;
  fileToBytes?: string;
}

interface ViettelInvoiceResult {
  supplierTaxCode?: string;
  invoiceNo?: string;
  transactionID?: string;
  reservationCode?: string;
  codeOfTax?: string | null;
  issueDate?: number | string | null;
  status?: string | null;
}

export class ViettelProvider implements EInvoiceProvider {
  readonly key = 'viettel';
  private token: { value: string; until: number } | null = null;

  constructor(private readonly config: EInvoiceProviderConfig) {}

  /** The request body createInvoice receives (exported through the class for tests and docs). */
  buildCreateRequest(document: EInvoiceDocument, ref: EInvoiceRef, issuedAt: Date) {
    const { buyer, seller } = document;
    const byRate = new Map<number, { taxableAmount: number; taxAmount: number }>();
    for (const line of document.lines) {
      const pct = viettelTaxPercentage(line.vatRate);
      const slot = byRate.get(pct) ?? { taxableAmount: 0, taxAmount: 0 };
      slot.taxableAmount += line.amountBeforeVat;
      slot.taxAmount += line.vatAmount;
      byRate.set(pct, slot);
    }
    const discount = document.lines.reduce((s, l) => s + (l.discount ?? 0), 0);
    return {
      generalInvoiceInfo: {
        invoiceType: this.config.templateCode.split('/')[0] ?? '1',
        templateCode: this.config.templateCode,
        invoiceSeries: this.config.series,
        currencyCode: document.currency,
        exchangeRate: 1,
        adjustmentType: '1',
        paymentStatus: true,
        cusGetInvoiceRight: true,
        invoiceIssuedDate: issuedAt.getTime(),
        transactionUuid: ref.transactionId,
        invoiceNote: document.note
          ? `${document.note} (${document.senInvoiceNumber})`
          : `Theo hóa đơn bán hàng ${document.senInvoiceNumber}`,
      },
      buyerInfo: {
        ...(buyer.taxCode
          ? { buyerLegalName: buyer.name, buyerName: buyer.contactName ?? '' }
          : { buyerName: buyer.name, buyerLegalName: '' }),
        buyerTaxCode: buyer.taxCode ?? '',
        buyerAddressLine: buyer.address ?? '',
        buyerEmail: buyer.email ?? '',
        buyerPhoneNumber: buyer.phone ?? '',
        buyerCode: buyer.code ?? '',
      },
      sellerInfo: {
        sellerLegalName: seller.legalName,
        sellerTaxCode: seller.taxCode,
        sellerAddressLine: seller.address,
        sellerPhoneNumber: seller.phone ?? '',
        sellerEmail: seller.email ?? '',
        sellerBankAccount: seller.bankAccount ?? '',
        sellerBankName: seller.bankName ?? '',
      },
      payments: [{ paymentMethodName: paymentNames[document.paymentMethod] }],
      itemInfo: document.lines.map((line, i) => ({
        lineNumber: i + 1,
        selection: 1,
        itemCode: line.code ?? '',
        itemName: line.name,
        unitName: line.unit,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        itemTotalAmountWithoutTax: line.amountBeforeVat,
        taxPercentage: viettelTaxPercentage(line.vatRate),
        taxAmount: line.vatAmount,
        itemTotalAmountWithTax: line.amountBeforeVat + line.vatAmount,
        itemDiscount: line.discount ?? 0,
      })),
      taxBreakdowns: [...byRate].map(([taxPercentage, s]) => ({ taxPercentage, ...s })),
      summarizeInfo: {
        sumOfTotalLineAmountWithoutTax: document.totals.amountBeforeVat,
        totalAmountWithoutTax: document.totals.amountBeforeVat,
        totalTaxAmount: document.totals.vatAmount,
        totalAmountWithTax: document.totals.total,
        totalAmountWithTaxInWords: document.totalInWords ?? amountInWords(document.totals.total),
        discountAmount: discount,
      },
    };
  }

  async issue(document: EInvoiceDocument, ref: EInvoiceRef): Promise<EInvoiceIssued> {
    const issuedAt = ref.issuedAt ?? new Date();
    const body = this.buildCreateRequest(document, ref, issuedAt);
    const { answer, raw } = await this.call(
      `${API}/InvoiceAPI/InvoiceWS/createInvoice/${encodeURIComponent(this.config.supplierTaxCode)}`,
      { json: body },
    );
    const failure = providerFailure(answer, raw);
    if (failure) throw failure;
    const result = (answer.result ?? {}) as ViettelInvoiceResult;
    if (!result.invoiceNo) {
      throw new EInvoiceError('bad_response', 'Viettel answered without an invoice number', {
        raw,
      });
    }
    return {
      transactionId: ref.transactionId,
      invoiceNumber: result.invoiceNo,
      providerInvoiceId: result.transactionID ?? null,
      lookupCode: result.reservationCode ?? null,
      taxAuthorityCode: result.codeOfTax ?? null,
      issuedAt,
      raw,
    };
  }

  async status(ref: EInvoiceRef): Promise<EInvoiceStatus> {
    const { answer, raw } = await this.call(
      `${API}/InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid`,
      {
        form: { supplierTaxCode: this.config.supplierTaxCode, transactionUuid: ref.transactionId },
      },
    );
    const list = Array.isArray(answer.result) ? (answer.result as ViettelInvoiceResult[]) : [];
    const found = list.find((r) => r.invoiceNo);
    if (!found) {
      const failure = providerFailure(answer, raw);
      // "not found" comes as an errorCode with an empty result; other errors are errors.
      if (failure && !/not.?found|khong.?tim|không tìm|không tồn tại/i.test(failure.message)) {
        throw failure;
      }
      return { state: 'not_found', providerStatus: null, invoice: null, raw };
    }
    const issueDate = found.issueDate == null ? null : new Date(Number(found.issueDate));
    return {
      state: stateOf(found.status ?? null),
      providerStatus: found.status ?? null,
      invoice: {
        transactionId: ref.transactionId,
        invoiceNumber: found.invoiceNo ?? '',
        providerInvoiceId: found.transactionID ?? null,
        lookupCode: found.reservationCode ?? null,
        taxAuthorityCode: found.codeOfTax ?? null,
        issuedAt: issueDate && !Number.isNaN(issueDate.getTime()) ? issueDate : null,
        raw,
      },
      raw,
    };
  }

  async cancel(ref: EInvoiceRef, reason: string): Promise<{ raw: string }> {
    const known = await this.known(ref);
    const now = Date.now();
    const { answer, raw } = await this.call(
      `${API}/InvoiceAPI/InvoiceWS/cancelTransactionInvoice`,
      {
        form: {
          supplierTaxCode: this.config.supplierTaxCode,
          templateCode: this.config.templateCode,
          invoiceNo: known.invoiceNumber,
          strIssueDate: String(known.issuedAt.getTime()),
          additionalReferenceDesc: reason,
          additionalReferenceDate: String(now),
          reasonDelete: reason,
        },
      },
    );
    const failure = providerFailure(answer, raw);
    if (failure) throw failure;
    return { raw };
  }

  async fetchDocument(ref: EInvoiceRef, kind: EInvoiceDocumentKind): Promise<EInvoiceFile> {
    const known = await this.known(ref);
    const { answer, raw } = await this.call(
      `${API}/InvoiceAPI/InvoiceUtilsWS/getInvoiceRepresentationFile`,
      {
        json: {
          supplierTaxCode: this.config.supplierTaxCode,
          invoiceNo: known.invoiceNumber,
          templateCode: this.config.templateCode,
          transactionUuid: ref.transactionId,
          fileType: kind === 'pdf' ? 'PDF' : 'ZIP',
        },
      },
    );
    const failure = providerFailure(answer, raw);
    if (failure) throw failure;
    if (!answer.fileToBytes) {
      throw new EInvoiceError('bad_response', 'Viettel answered without a file', {
        raw: excerpt(raw),
      });
    }
    const bytes = Buffer.from(answer.fileToBytes, 'base64');
    const base = `${known.invoiceNumber}`;
    if (kind === 'pdf') {
      return {
        kind,
        fileName: answer.fileName ?? `${base}.pdf`,
        contentType: 'application/pdf',
        data: bytes,
      };
    }
    const xml = await firstXmlInZip(bytes);
    return { kind, fileName: xml.name, contentType: 'application/xml', data: xml.data };
  }

  /** The number and issue date a call needs: from the ref, else asked from Viettel. */
  private async known(ref: EInvoiceRef): Promise<{ invoiceNumber: string; issuedAt: Date }> {
    if (ref.invoiceNumber && ref.issuedAt) {
      return { invoiceNumber: ref.invoiceNumber, issuedAt: ref.issuedAt };
    }
    const st = await this.status(ref);
    if (!st.invoice) {
      throw new EInvoiceError('not_found', `Viettel has no invoice for ${ref.transactionId}`, {
        raw: excerpt(st.raw),
      });
    }
    return {
      invoiceNumber: st.invoice.invoiceNumber,
      issuedAt: st.invoice.issuedAt ?? ref.issuedAt ?? new Date(),
    };
  }

  private async login(): Promise<string> {
    if (this.token && this.token.until > Date.now()) return this.token.value;
    const res = await this.send(`/auth/login`, {
      json: { username: this.config.username, password: this.config.password },
    });
    const raw = res.body.toString('utf8');
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      throw new EInvoiceError('auth', 'Viettel refused the user name or password', {
        raw: excerpt(raw),
      });
    }
    if (res.status >= 500) {
      throw new EInvoiceError('unavailable', `Viettel answered ${res.status} to the sign-in`, {
        raw: excerpt(raw),
      });
    }
    const parsed = parseJson(raw) as { access_token?: string; expires_in?: number } | null;
    if (!parsed?.access_token) {
      throw new EInvoiceError('bad_response', 'Viettel answered the sign-in without a token', {
        raw: excerpt(raw),
      });
    }
    const ttl = Math.max(30, Math.min(parsed.expires_in ?? 300, 3600)) * 1000;
    this.token = { value: parsed.access_token, until: Date.now() + ttl - 10_000 };
    return this.token.value;
  }

  /** An authenticated API call; a 401 signs in again once (an expired token). */
  private async call(
    path: string,
    body: { json?: unknown; form?: Record<string, string> },
  ): Promise<{ answer: ViettelAnswer; raw: string }> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.login();
      const res = await this.send(path, body, token);
      const raw = res.body.toString('utf8');
      if (res.status === 401 || res.status === 403) {
        this.token = null;
        if (attempt === 0) continue;
        throw new EInvoiceError('auth', 'Viettel refused the access token', { raw: excerpt(raw) });
      }
      if (res.status >= 500) {
        const parsed = parseJson(raw) as ViettelAnswer | null;
        throw new EInvoiceError('unavailable', `Viettel answered ${res.status}`, {
          providerCode: parsed?.errorCode == null ? null : String(parsed.errorCode),
          providerMessage: parsed?.description ?? null,
          raw: excerpt(raw),
        });
      }
      const parsed = parseJson(raw) as ViettelAnswer | null;
      if (!parsed || typeof parsed !== 'object') {
        throw new EInvoiceError('bad_response', `Viettel answered ${res.status} without JSON`, {
          raw: excerpt(raw),
        });
      }
      return { answer: parsed, raw };
    }
  }

  private async send(
    path: string,
    body: { json?: unknown; form?: Record<string, string> },
    token?: string,
  ) {
    const headers: Record<string, string> = { accept: 'application/json' };
    let payload: string | undefined;
    if (body.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
      payload = new URLSearchParams(body.form).toString();
    } else {
      headers['content-type'] = 'application/json;charset=UTF-8';
      payload = JSON.stringify(body.json ?? {});
    }
    if (token) {
      headers.authorization = `Bearer ${token}`;
      headers.cookie = `access_token=${token}`;
    }
    try {
      return await safeRequest({
        url: joinUrl(this.config.baseUrl, path),
        method: 'POST',
        headers,
        body: payload,
        timeoutMs: this.config.timeoutMs ?? 20_000,
        maxRedirects: 0,
        allow: this.config.outboundAllow,
      });
    } catch (error) {
      if (error instanceof OutboundError) {
        const kind =
          error.kind === 'blocked'
            ? 'blocked'
            : error.kind === 'timeout'
              ? 'timeout'
              : error.kind === 'network'
                ? 'unavailable'
                : 'bad_response';
        throw new EInvoiceError(kind, error.message, { cause: error });
      }
      throw error;
    }
  }
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Viettel's `errorCode` + `description` as an error (null when the answer is a success). */
function providerFailure(answer: ViettelAnswer, raw: string): EInvoiceError | null {
  if (answer.errorCode == null || answer.errorCode === '') return null;
  const code = String(answer.errorCode);
  const description = answer.description ?? code;
  return new EInvoiceError('rejected', `Viettel: ${description}`, {
    providerCode: code,
    providerMessage: description,
    raw: excerpt(raw),
  });
}

/** Viettel's status words (Vietnamese) as a state; the words themselves are kept beside it. */
function stateOf(status: string | null): EInvoiceState {
  const s = (status ?? '').toLowerCase();
  if (/xóa bỏ|xoá bỏ|hủy|huỷ|cancel|delete/.test(s)) return 'cancelled';
  if (/thay thế|replace/.test(s)) return 'replaced';
  if (/điều chỉnh|adjust/.test(s)) return 'adjusted';
  return 'issued';
}

/** The first .xml entry of a zip (Viettel's ZIP representation holds the signed XML). */
function firstXmlInZip(zip: Buffer): Promise<{ name: string; data: Buffer }> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error) {
        reject(new EInvoiceError('bad_response', 'Viettel sent a file that is not a zip'));
        return;
      }
      file.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.toLowerCase().endsWith('.xml')) {
          file.readEntry();
          return;
        }
        file.openReadStream(entry, (err, stream) => {
          if (err) {
            reject(err);
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            file.close();
            resolve({
              name: entry.fileName.split('/').pop() ?? entry.fileName,
              data: Buffer.concat(chunks),
            });
          });
        });
      });
      file.on('end', () =>
        reject(new EInvoiceError('bad_response', 'Viettel sent a zip without an XML file')),
      );
      file.on('error', reject);
      file.readEntry();
    });
  });
}
