import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueWithoutDuplicate } from '../../src/modules/einvoice/einvoice.issue.js';
import { eInvoiceAdapter } from '../../src/modules/einvoice/einvoice.registry.js';
import {
  EInvoiceError,
  type EInvoiceDocument,
  type EInvoiceProviderConfig,
} from '../../src/modules/einvoice/einvoice.types.js';
import { ViettelProvider } from '../../src/modules/einvoice/providers/viettel.js';
import {
  FAKE_PASSWORD,
  FAKE_TAX_CODE,
  FAKE_USER,
  startFakeViettel,
  type FakeViettel,
} from './fake-viettel.js';

/**
 * The Viettel S-Invoice adapter against a local server that speaks Viettel's documented API and
 * checks what it receives (test/einvoice/fake-viettel.ts). The server listens on 127.0.0.1,
 * reachable only because the config's allow-list names it: the SSRF guard is on throughout.
 */
let fake: FakeViettel;

beforeAll(async () => {
  fake = await startFakeViettel();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.invoices.length = 0;
  fake.calls.length = 0;
  fake.delayMs = 0;
  fake.unavailableCalls = 0;
  fake.failNextCreateAfterSaving = false;
});

function config(overrides: Partial<EInvoiceProviderConfig> = {}): EInvoiceProviderConfig {
  return {
    baseUrl: fake.url,
    username: FAKE_USER,
    password: FAKE_PASSWORD,
    supplierTaxCode: FAKE_TAX_CODE,
    templateCode: '1/001',
    series: 'C26TAA',
    outboundAllow: ['127.0.0.1'],
    timeoutMs: 2000,
    ...overrides,
  };
}

export function sampleDocument(id = '0193a6b2-7c1e-7a00-8000-000000000001'): EInvoiceDocument {
  return {
    senInvoiceId: id,
    senInvoiceNumber: 'HD-2026-0001',
    currency: 'VND',
    paymentMethod: 'bank_transfer',
    seller: {
      legalName: 'Công ty TNHH Mỹ phẩm Lan',
      taxCode: FAKE_TAX_CODE,
      address: '12 Hàng Bài, Hoàn Kiếm, Hà Nội',
    },
    buyer: {
      name: 'Công ty Cổ phần Hoa Sen',
      contactName: 'Nguyễn Văn Minh',
      taxCode: '0312345673',
      address: '45 Lê Lợi, Quận 1, TP. Hồ Chí Minh',
      email: 'ketoan@hoasen.vn',
    },
    lines: [
      {
        name: 'Kem dưỡng da',
        code: 'KD01',
        unit: 'hộp',
        quantity: 10,
        unitPrice: 120_000,
        vatRate: 10,
        amountBeforeVat: 1_200_000,
        vatAmount: 120_000,
      },
      {
        name: 'Sữa rửa mặt',
        unit: 'chai',
        quantity: 5,
        unitPrice: 80_000,
        vatRate: 8,
        amountBeforeVat: 400_000,
        vatAmount: 32_000,
      },
    ],
    totals: { amountBeforeVat: 1_600_000, vatAmount: 152_000, total: 1_752_000 },
  };
}

const provider = (overrides: Partial<EInvoiceProviderConfig> = {}) =>
  eInvoiceAdapter('viettel')!.create(config(overrides));

async function failure(promise: Promise<unknown>): Promise<EInvoiceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EInvoiceError);
  return error as EInvoiceError;
}

describe('Viettel S-Invoice adapter', () => {
  it('issues, looks up, fetches the PDF and the signed XML, and cancels', async () => {
    const p = provider();
    const doc = sampleDocument();
    const issued = await p.issue(doc, { transactionId: doc.senInvoiceId });
    expect(issued.invoiceNumber).toBe('C26TAA1');
    expect(issued.lookupCode).toBe('RC1ABC');
    expect(fake.invoices).toHaveLength(1);

    // What reached Viettel: the documented shape, with Sen's id as transactionUuid.
    const body = fake.invoices[0]!.body as Record<string, Record<string, unknown>>;
    expect(body.generalInvoiceInfo).toMatchObject({
      templateCode: '1/001',
      invoiceSeries: 'C26TAA',
      currencyCode: 'VND',
      transactionUuid: doc.senInvoiceId,
      adjustmentType: '1',
    });
    expect(body.buyerInfo).toMatchObject({
      buyerLegalName: 'Công ty Cổ phần Hoa Sen',
      buyerName: 'Nguyễn Văn Minh',
      buyerTaxCode: '0312345673',
      buyerEmail: 'ketoan@hoasen.vn',
    });
    expect(body.payments).toEqual([{ paymentMethodName: 'CK' }]);
    expect(body.taxBreakdowns).toEqual([
      { taxPercentage: 10, taxableAmount: 1_200_000, taxAmount: 120_000 },
      { taxPercentage: 8, taxableAmount: 400_000, taxAmount: 32_000 },
    ]);
    expect(body.summarizeInfo).toMatchObject({
      totalAmountWithTax: 1_752_000,
      totalAmountWithTaxInWords: 'Một triệu bảy trăm năm mươi hai nghìn đồng chẵn',
    });

    const st = await p.status({ transactionId: doc.senInvoiceId });
    expect(st.state).toBe('issued');
    expect(st.invoice?.invoiceNumber).toBe('C26TAA1');
    expect(st.invoice?.issuedAt?.getTime()).toBe(issued.issuedAt?.getTime());

    const ref = {
      transactionId: doc.senInvoiceId,
      invoiceNumber: issued.invoiceNumber,
      issuedAt: issued.issuedAt,
    };
    const pdf = await p.fetchDocument(ref, 'pdf');
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.data.subarray(0, 5).toString()).toBe('%PDF-');
    const xml = await p.fetchDocument(ref, 'xml');
    expect(xml.fileName).toBe('C26TAA1.xml');
    expect(xml.data.toString()).toContain('<SHDon>C26TAA1</SHDon>');

    await p.cancel(ref, 'Khách hàng trả lại hàng');
    const after = await p.status({ transactionId: doc.senInvoiceId });
    expect(after.state).toBe('cancelled');
    expect(after.providerStatus).toBe('Hóa đơn xóa bỏ');
    // A second cancel is Viettel's refusal, in its words.
    const again = await failure(p.cancel(ref, 'lần nữa'));
    expect(again.kind).toBe('rejected');
    expect(again.providerMessage).toBe('Hóa đơn đã bị xóa bỏ');
    // One sign-in served every call (the token is kept).
    expect(fake.calls.filter((c) => c.path === '/auth/login')).toHaveLength(1);
  });

  it('sends lookups and cancels as forms, issues and files as JSON', async () => {
    const p = provider();
    const doc = sampleDocument();
    await p.issue(doc, { transactionId: doc.senInvoiceId });
    await p.status({ transactionId: doc.senInvoiceId });
    const types = Object.fromEntries(
      fake.calls.map((c) => [c.path.split('/').pop(), c.contentType]),
    );
    expect(types.searchInvoiceByTransactionUuid).toMatch(/^application\/x-www-form-urlencoded/);
    expect(types[FAKE_TAX_CODE]).toMatch(/^application\/json/);
  });

  it('answers not_found for a transaction Viettel does not have', async () => {
    const st = await provider().status({ transactionId: 'no-such' });
    expect(st.state).toBe('not_found');
    expect(st.invoice).toBeNull();
    const err = await failure(provider().fetchDocument({ transactionId: 'no-such' }, 'pdf'));
    expect(err.kind).toBe('not_found');
  });

  it('says wrong credentials are wrong credentials', async () => {
    const err = await failure(
      provider({ password: 'sai' }).issue(sampleDocument(), { transactionId: 'x' }),
    );
    expect(err.kind).toBe('auth');
    expect(err.retryable).toBe(false);
    expect(fake.invoices).toHaveLength(0);
  });

  it('passes on Viettel refusing the data (not retried)', async () => {
    const doc = sampleDocument();
    doc.totals.total = 1; // does not add up
    const p = provider();
    const err = await failure(
      issueWithoutDuplicate(p, doc, { transactionId: doc.senInvoiceId }, { backoffMs: 1 }),
    );
    expect(err.kind).toBe('rejected');
    expect(err.providerCode).toBe('INVALID_INVOICE');
    expect(err.providerMessage).toBe('totalAmountWithTax không khớp');
    expect(fake.calls.filter((c) => c.path.includes('createInvoice'))).toHaveLength(1);
  });

  it('times out a provider that does not answer', async () => {
    fake.delayMs = 1500;
    const started = Date.now();
    const err = await failure(
      provider({ timeoutMs: 200 }).issue(sampleDocument(), { transactionId: 't' }),
    );
    expect(err.kind).toBe('timeout');
    expect(err.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('after a 500 whose invoice was created, the retry finds it instead of issuing twice', async () => {
    fake.failNextCreateAfterSaving = true;
    const doc = sampleDocument();
    const p = provider();
    const attempts: number[] = [];
    const outcome = await issueWithoutDuplicate(
      p,
      doc,
      { transactionId: doc.senInvoiceId },
      { backoffMs: 1, onAttempt: (n) => attempts.push(n) },
    );
    expect(outcome.found).toBe(true);
    expect(outcome.attempts).toBe(2);
    expect(outcome.invoice.invoiceNumber).toBe('C26TAA1');
    expect(attempts).toEqual([1, 2]);
    expect(fake.invoices).toHaveLength(1);
    expect(fake.calls.filter((c) => c.path.includes('createInvoice'))).toHaveLength(1);
  });

  it('after a 503 that created nothing, the retry issues once', async () => {
    fake.unavailableCalls = 1;
    const doc = sampleDocument();
    const outcome = await issueWithoutDuplicate(
      provider(),
      doc,
      { transactionId: doc.senInvoiceId },
      { backoffMs: 1 },
    );
    expect(outcome.found).toBe(false);
    expect(outcome.attempts).toBe(2);
    expect(fake.invoices).toHaveLength(1);
  });

  it('gives up after the attempts with the last error', async () => {
    fake.unavailableCalls = 10;
    const doc = sampleDocument();
    const err = await failure(
      issueWithoutDuplicate(
        provider(),
        doc,
        { transactionId: doc.senInvoiceId },
        { attempts: 3, backoffMs: 1 },
      ),
    );
    expect(err.kind).toBe('unavailable');
    expect(fake.invoices).toHaveLength(0);
  });

  it('a submission that may have been sent is looked up first', async () => {
    const doc = sampleDocument();
    await provider().issue(doc, { transactionId: doc.senInvoiceId });
    const outcome = await issueWithoutDuplicate(
      provider(),
      doc,
      { transactionId: doc.senInvoiceId },
      { maybeSent: true },
    );
    expect(outcome.found).toBe(true);
    expect(fake.invoices).toHaveLength(1);
  });

  it('is refused by the SSRF guard when the address is not allow-listed', async () => {
    const err = await failure(
      provider({ outboundAllow: [] }).issue(sampleDocument(), { transactionId: 't' }),
    );
    expect(err.kind).toBe('blocked');
    expect(fake.calls).toHaveLength(0);
  });

  it('maps VAT rates as Viettel documents them', () => {
    const p = new ViettelProvider(config());
    const doc = sampleDocument();
    doc.lines[0]!.vatRate = 'exempt';
    doc.lines[1]!.vatRate = 'not_declared';
    const body = p.buildCreateRequest(doc, { transactionId: 'x' }, new Date(0));
    expect(body.itemInfo.map((i) => i.taxPercentage)).toEqual([-1, -2]);
  });
});
