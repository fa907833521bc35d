import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import ZipStream from 'zip-stream';

/**
 * A local stand-in for Viettel S-Invoice that speaks the documented shape
 * (src/modules/einvoice/providers/viettel.ts names the calls): sign-in with a user name and
 * password for a token, then createInvoice, searchInvoiceByTransactionUuid,
 * cancelTransactionInvoice and getInvoiceRepresentationFile with that token. It checks what it
 * receives (auth, content type, required fields, the totals adding up) and answers 400 with
 * Viettel's errorCode/description when something is wrong. It does NOT deduplicate on
 * transactionUuid, so a client that sends an issue twice creates two invoices here: the tests
 * count them.
 */
export interface FakeInvoice {
  invoiceNo: string;
  transactionUuid: string;
  templateCode: string;
  issueDate: number;
  status: string;
  body: Record<string, unknown>;
}

export interface FakeViettel {
  url: string;
  port: number;
  invoices: FakeInvoice[];
  calls: { path: string; contentType: string | undefined }[];
  /** The next createInvoice: creates the invoice, then answers 500 (its answer is lost). */
  failNextCreateAfterSaving: boolean;
  /** The next N calls to any API path answer 503 without doing anything. */
  unavailableCalls: number;
  /** Delay every answer this long (ms). */
  delayMs: number;
  close(): Promise<void>;
}

export const FAKE_USER = '0100109106-999';
export const FAKE_PASSWORD = 'đúng-mật-khẩu';
export const FAKE_TAX_CODE = '0100109106';

const API = '/services/einvoiceapplication/api';

export async function startFakeViettel(): Promise<FakeViettel> {
  const tokens = new Set<string>();
  const state: FakeViettel = {
    url: '',
    port: 0,
    invoices: [],
    calls: [],
    failNextCreateAfterSaving: false,
    unavailableCalls: 0,
    delayMs: 0,
    close: async () => {},
  };
  let counter = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '').split('?')[0] ?? '';
      state.calls.push({ path, contentType: req.headers['content-type'] });
      const answer = (status: number, json: unknown) => {
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        };
        if (state.delayMs > 0) setTimeout(send, state.delayMs);
        else send();
      };
      const fail = (status: number, errorCode: string, description: string) =>
        answer(status, { errorCode, description, result: null });

      if (req.method !== 'POST') return fail(405, 'METHOD', 'POST only');

      if (path === '/auth/login') {
        const creds = safeJson(body) as { username?: string; password?: string } | null;
        if (!creds?.username || !creds.password) return fail(400, 'BAD_REQUEST', 'Thiếu tài khoản');
        if (creds.username !== FAKE_USER || creds.password !== FAKE_PASSWORD) {
          return answer(401, { code: 401, message: 'Sai tên đăng nhập hoặc mật khẩu' });
        }
        const token = `tok-${++counter}`;
        tokens.add(token);
        return answer(200, { access_token: token, token_type: 'bearer', expires_in: 3600 });
      }

      if (!path.startsWith(API)) return fail(404, 'NOT_FOUND', 'No such path');
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const cookie = /access_token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (!bearer || !tokens.has(bearer) || cookie !== bearer) {
        return answer(401, { code: 401, message: 'Unauthorized' });
      }
      if (state.unavailableCalls > 0) {
        state.unavailableCalls--;
        return answer(503, { code: 503, message: 'Service Unavailable' });
      }
      const op = path.slice(API.length);

      if (op.startsWith('/InvoiceAPI/InvoiceWS/createInvoice/')) {
        if (!isJson(req)) return fail(400, 'CONTENT_TYPE', 'JSON expected');
        const supplier = decodeURIComponent(op.split('/').pop() ?? '');
        if (supplier !== FAKE_TAX_CODE) return fail(400, 'SUPPLIER', 'Sai mã số thuế người bán');
        const inv = safeJson(body) as Record<string, Record<string, unknown>> | null;
        const problem = inv ? checkInvoice(inv) : 'Body is not JSON';
        if (problem) return fail(400, 'INVALID_INVOICE', problem);
        const general = inv!.generalInvoiceInfo!;
        const number = `${String(general.invoiceSeries)}${state.invoices.length + 1}`;
        const saved: FakeInvoice = {
          invoiceNo: number,
          transactionUuid: String(general.transactionUuid),
          templateCode: String(general.templateCode),
          issueDate: Number(general.invoiceIssuedDate),
          status: 'Hóa đơn gốc',
          body: inv!,
        };
        state.invoices.push(saved);
        if (state.failNextCreateAfterSaving) {
          state.failNextCreateAfterSaving = false;
          return answer(500, { code: 500, message: 'Internal Server Error' });
        }
        return answer(200, {
          errorCode: null,
          description: null,
          result: {
            supplierTaxCode: FAKE_TAX_CODE,
            invoiceNo: number,
            transactionID: `VT${counter}${state.invoices.length}`,
            reservationCode: `RC${state.invoices.length}ABC`,
            codeOfTax: null,
          },
        });
      }

      if (op === '/InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid') {
        if (!isForm(req)) return fail(400, 'CONTENT_TYPE', 'Form expected');
        const form = new URLSearchParams(body);
        if (form.get('supplierTaxCode') !== FAKE_TAX_CODE) return fail(400, 'SUPPLIER', 'Sai MST');
        const uuid = form.get('transactionUuid');
        if (!uuid) return fail(400, 'BAD_REQUEST', 'Thiếu transactionUuid');
        const found = state.invoices.filter((i) => i.transactionUuid === uuid);
        if (found.length === 0) {
          return fail(200, 'INVOICE_NOT_FOUND', 'Không tìm thấy hóa đơn');
        }
        return answer(200, {
          errorCode: null,
          description: null,
          result: found.map((i) => ({
            supplierTaxCode: FAKE_TAX_CODE,
            invoiceNo: i.invoiceNo,
            reservationCode: 'RC',
            issueDate: i.issueDate,
            status: i.status,
          })),
        });
      }

      if (op === '/InvoiceAPI/InvoiceWS/cancelTransactionInvoice') {
        if (!isForm(req)) return fail(400, 'CONTENT_TYPE', 'Form expected');
        const form = new URLSearchParams(body);
        for (const key of [
          'supplierTaxCode',
          'templateCode',
          'invoiceNo',
          'strIssueDate',
          'additionalReferenceDesc',
          'additionalReferenceDate',
        ]) {
          if (!form.get(key)) return fail(400, 'BAD_REQUEST', `Thiếu ${key}`);
        }
        const inv = state.invoices.find((i) => i.invoiceNo === form.get('invoiceNo'));
        if (!inv) return fail(400, 'INVOICE_NOT_FOUND', 'Không tìm thấy hóa đơn');
        if (Number(form.get('strIssueDate')) !== inv.issueDate) {
          return fail(400, 'ISSUE_DATE', 'Sai ngày lập hóa đơn');
        }
        if (inv.status !== 'Hóa đơn gốc') return fail(400, 'ALREADY', 'Hóa đơn đã bị xóa bỏ');
        inv.status = 'Hóa đơn xóa bỏ';
        return answer(200, { errorCode: null, description: null });
      }

      if (op === '/InvoiceAPI/InvoiceUtilsWS/getInvoiceRepresentationFile') {
        if (!isJson(req)) return fail(400, 'CONTENT_TYPE', 'JSON expected');
        const q = safeJson(body) as Record<string, string> | null;
        const inv = state.invoices.find((i) => i.invoiceNo === q?.invoiceNo);
        if (
          !q ||
          q.supplierTaxCode !== FAKE_TAX_CODE ||
          !inv ||
          q.templateCode !== inv.templateCode
        ) {
          return fail(400, 'INVOICE_NOT_FOUND', 'Không tìm thấy hóa đơn');
        }
        const xml = `<?xml version="1.0" encoding="UTF-8"?><HDon><DLHDon><TTChung><SHDon>${inv.invoiceNo}</SHDon></TTChung></DLHDon><DSCKS><NBan><Signature>fake</Signature></NBan></DSCKS></HDon>`;
        if (q.fileType === 'PDF') {
          const pdf = Buffer.from(`%PDF-1.4\n% ${inv.invoiceNo}\n%%EOF\n`);
          return answer(200, {
            errorCode: null,
            description: null,
            fileName: `${inv.invoiceNo}.pdf`,
            fileToBytes: pdf.toString('base64'),
          });
        }
        if (q.fileType === 'ZIP') {
          void zipOf([
            { name: `${inv.invoiceNo}.xml`, data: Buffer.from(xml) },
            { name: 'readme.txt', data: Buffer.from('S-Invoice') },
          ]).then((zip) =>
            answer(200, {
              errorCode: null,
              description: null,
              fileName: `${inv.invoiceNo}.zip`,
              fileToBytes: zip.toString('base64'),
            }),
          );
          return;
        }
        return fail(400, 'FILE_TYPE', 'fileType PDF hoặc ZIP');
      }

      return fail(404, 'NOT_FOUND', 'No such operation');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return state;
}

function isJson(req: http.IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/json');
}

function isForm(req: http.IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The checks a provider makes before issuing: required fields and sums that add up. */
function checkInvoice(inv: Record<string, unknown>): string | null {
  const general = inv.generalInvoiceInfo as Record<string, unknown> | undefined;
  const buyer = inv.buyerInfo as Record<string, unknown> | undefined;
  const seller = inv.sellerInfo as Record<string, unknown> | undefined;
  const items = inv.itemInfo as Record<string, number | string>[] | undefined;
  const sum = inv.summarizeInfo as Record<string, number | string> | undefined;
  const taxes = inv.taxBreakdowns as Record<string, number>[] | undefined;
  const payments = inv.payments as Record<string, string>[] | undefined;
  if (!general || !buyer || !seller || !items || !sum || !taxes || !payments) {
    return 'Thiếu generalInvoiceInfo/buyerInfo/sellerInfo/itemInfo/summarizeInfo/taxBreakdowns/payments';
  }
  for (const key of [
    'templateCode',
    'invoiceSeries',
    'currencyCode',
    'transactionUuid',
    'adjustmentType',
  ]) {
    if (!general[key]) return `generalInvoiceInfo.${key} bắt buộc`;
  }
  if (general.currencyCode !== 'VND') return 'currencyCode';
  if (!buyer.buyerName && !buyer.buyerLegalName) return 'buyerName hoặc buyerLegalName bắt buộc';
  if (buyer.buyerTaxCode && !/^\d{10}(-\d{3})?$/.test(String(buyer.buyerTaxCode))) {
    return 'buyerTaxCode không hợp lệ';
  }
  if (!seller.sellerTaxCode || seller.sellerTaxCode !== FAKE_TAX_CODE) return 'sellerTaxCode';
  if (items.length === 0) return 'itemInfo trống';
  let before = 0;
  let tax = 0;
  for (const [i, item] of items.entries()) {
    if (item.lineNumber !== i + 1) return `lineNumber ${i + 1}`;
    for (const key of ['itemName', 'unitName', 'quantity', 'unitPrice', 'taxPercentage']) {
      if (item[key] === undefined || item[key] === '') return `itemInfo[${i}].${key} bắt buộc`;
    }
    if (![-2, -1, 0, 5, 8, 10].includes(Number(item.taxPercentage))) return 'taxPercentage';
    before += Number(item.itemTotalAmountWithoutTax);
    tax += Number(item.taxAmount);
  }
  if (before !== Number(sum.totalAmountWithoutTax)) return 'totalAmountWithoutTax không khớp';
  if (tax !== Number(sum.totalTaxAmount)) return 'totalTaxAmount không khớp';
  if (before + tax !== Number(sum.totalAmountWithTax)) return 'totalAmountWithTax không khớp';
  if (!sum.totalAmountWithTaxInWords) return 'totalAmountWithTaxInWords bắt buộc';
  const taxSum = taxes.reduce((s, t) => s + Number(t.taxAmount), 0);
  if (taxSum !== tax) return 'taxBreakdowns không khớp';
  return null;
}

async function zipOf(entries: { name: string; data: Buffer }[]): Promise<Buffer> {
  const zip = new ZipStream();
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  zip.pipe(out);
  for (const e of entries) {
    await new Promise<void>((resolve, reject) =>
      zip.entry(e.data, { name: e.name }, (err) => (err ? reject(err) : resolve())),
    );
  }
  zip.finalize();
  await new Promise<void>((r) => out.on('end', r));
  return Buffer.concat(chunks);
}
