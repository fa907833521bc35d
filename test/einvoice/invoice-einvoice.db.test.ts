import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/sql.js';
import { addMember, setupAdmin, type Client } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import {
  FAKE_PASSWORD,
  FAKE_TAX_CODE,
  FAKE_USER,
  startFakeViettel,
  type FakeViettel,
} from './fake-viettel.js';

/**
 * Sen's invoices wired to the e-invoice provider (#20), through the real HTTP stack on both
 * backends against the local Viettel stand-in: "Phát hành hóa đơn điện tử" from an issued
 * invoice (needs `approve`), its lines, buyer and VAT per rate as the invoice has them; issuing
 * twice makes one legal invoice; its state and signed PDF/XML on the invoice; voiding the Sen
 * invoice cancels the legal one first, and is refused while the provider cannot be reached.
 */
describe('e-invoices of Sen invoices', () => {
  let t: TestApp;
  let fake: FakeViettel;
  let admin: Client;
  let manager: Client;
  let sales: Client;
  let company: string;

  const creates = () => fake.calls.filter((c) => c.path.includes('/createInvoice/')).length;

  /** An issued Sen invoice for the company: two lines at 10 % and one at 8 %. */
  async function issuedInvoice(): Promise<{ id: string; number: string }> {
    const inv = await sales.post('/api/v1/invoices', { companyId: company });
    expect(inv.status).toBe(201);
    const lines = await sales.put(`/api/v1/invoices/${inv.body.id}/line-items`, {
      items: [
        // 1,005 + 1,005 at 10 %: VAT per rate round(201) = 201, the lines' own 101 + 101.
        { name: 'Bút bi', sku: 'BB', quantity: 1, unitPrice: 1_005, vatRate: '10', unit: 'cái' },
        { name: 'Bút chì', quantity: 1, unitPrice: 1_005, vatRate: '10' },
        {
          name: 'Giấy A4',
          quantity: 2,
          unitPrice: 100_000,
          vatRate: '8',
          discount: { kind: 'amount', value: 20_000 },
        },
      ],
    });
    expect(lines.status).toBe(200);
    const issued = await manager.post(`/api/v1/invoices/${inv.body.id}/issue`);
    expect(issued.status).toBe(200);
    return inv.body;
  }

  beforeAll(async () => {
    fake = await startFakeViettel();
    t = await createTestApp({ SEN_OUTBOUND_ALLOW: '127.0.0.1' });
    admin = (await setupAdmin(t.app)).admin;
    manager = (await addMember(t.app, admin, 'manager', 'Nguyễn Thị Lan')).client;
    sales = (await addMember(t.app, admin, 'sales', 'Lê Văn Minh')).client;
    const profile = await admin.put('/api/v1/settings/company-profile', {
      legalName: 'Công ty TNHH Sen',
      taxCode: FAKE_TAX_CODE,
      address: '1 Tràng Tiền, Hoàn Kiếm, Hà Nội',
    });
    expect(profile.status).toBe(200);
    const saved = await admin.request('PUT', '/api/v1/einvoice/settings', {
      provider: 'viettel',
      baseUrl: fake.url,
      username: FAKE_USER,
      password: FAKE_PASSWORD,
      supplierTaxCode: FAKE_TAX_CODE,
      templateCode: '1/001',
      series: 'C26TAA',
    });
    expect(saved.status).toBe(200);
    company = (
      await sales.post('/api/v1/companies', {
        name: 'Công ty Cổ phần Hoa Sen',
        taxCode: '0312345673',
        addresses: [{ street: '45 Lê Lợi, Quận 1, TP. Hồ Chí Minh' }],
      })
    ).body.id;
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  afterEach(() => {
    fake.unavailableCalls = 0;
  });

  it('issues the legal e-invoice of an issued invoice once, with its lines, buyer and VAT per rate', async () => {
    const draft = (await sales.post('/api/v1/invoices', { companyId: company })).body;
    const early = await manager.post(`/api/v1/invoices/${draft.id}/einvoice`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('INVALID_STATUS');
    expect((await manager.get(`/api/v1/invoices/${draft.id}/einvoice`)).body).toMatchObject({
      configured: true,
      issuable: false,
      submission: null,
    });

    const inv = await issuedInvoice();
    const state = await sales.get(`/api/v1/invoices/${inv.id}/einvoice`);
    expect(state.body).toMatchObject({ configured: true, issuable: true, submission: null });
    // Issuing needs approve on invoices: a sales rep may not.
    expect((await sales.post(`/api/v1/invoices/${inv.id}/einvoice`)).status).toBe(403);
    const before = creates();
    const issued = await manager.post(`/api/v1/invoices/${inv.id}/einvoice`);
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({
      status: 'issued',
      recordId: inv.id,
      transactionId: inv.id,
    });
    expect(issued.body.invoiceNumber).toMatch(/^C26TAA\d+$/);

    // What the provider received is the invoice's.
    const sent = fake.invoices.filter((i) => i.transactionUuid === inv.id);
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as Record<string, any>;
    expect(body.buyerInfo).toMatchObject({
      buyerLegalName: 'Công ty Cổ phần Hoa Sen',
      buyerTaxCode: '0312345673',
      buyerAddressLine: '45 Lê Lợi, Quận 1, TP. Hồ Chí Minh',
    });
    expect(body.itemInfo.map((l: { itemName: string }) => l.itemName)).toEqual([
      'Bút bi',
      'Bút chì',
      'Giấy A4',
    ]);
    expect(body.itemInfo[2]).toMatchObject({
      itemTotalAmountWithoutTax: 180_000,
      taxAmount: 14_400,
      itemDiscount: 20_000,
    });
    const byRate = Object.fromEntries(
      body.taxBreakdowns.map((b: { taxPercentage: number; taxAmount: number }) => [
        b.taxPercentage,
        b.taxAmount,
      ]),
    );
    // The invoice's VAT per rate (201 on 2,010 at 10 %), not the sum of rounded lines (202).
    expect(byRate).toEqual({ 10: 201, 8: 14_400 });
    const record = (await manager.get(`/api/v1/invoices/${inv.id}`)).body;
    expect(body.summarizeInfo).toMatchObject({
      totalAmountWithoutTax: 182_010,
      totalTaxAmount: 14_601,
      totalAmountWithTax: record.total,
    });

    // Twice: the same legal invoice, nobody called.
    const again = await manager.post(`/api/v1/invoices/${inv.id}/einvoice`);
    expect(again.body.invoiceNumber).toBe(issued.body.invoiceNumber);
    expect(creates()).toBe(before + 1);
    expect(fake.invoices.filter((i) => i.transactionUuid === inv.id)).toHaveLength(1);

    // Its state and its signed files, for whoever reads the invoice.
    const shown = await sales.get(`/api/v1/invoices/${inv.id}/einvoice`);
    expect(shown.body).toMatchObject({
      issuable: false,
      submission: { status: 'issued', invoiceNumber: issued.body.invoiceNumber },
    });
    const pdf = await sales.getBytes(`/api/v1/invoices/${inv.id}/einvoice/document?kind=pdf`);
    expect(pdf.status).toBe(200);
    expect(String(pdf.headers['content-type'])).toContain('pdf');
    const xml = await sales.getBytes(`/api/v1/invoices/${inv.id}/einvoice/document?kind=xml`);
    expect(xml.status).toBe(200);
    expect((await sales.post(`/api/v1/invoices/${inv.id}/einvoice/status`)).body.status).toBe(
      'issued',
    );
  });

  it('voiding the invoice cancels its e-invoice first; a provider out of reach refuses the void', async () => {
    const inv = await issuedInvoice();
    const issued = await manager.post(`/api/v1/invoices/${inv.id}/einvoice`);
    expect(issued.status).toBe(200);

    fake.unavailableCalls = 50;
    const refused = await manager.post(`/api/v1/invoices/${inv.id}/void`, {
      reason: 'Khách huỷ đơn',
    });
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect(refused.body.error.code).toBe('EINVOICE_UNAVAILABLE');
    expect((await manager.get(`/api/v1/invoices/${inv.id}`)).body.status).toBe('issued');
    fake.unavailableCalls = 0;

    const voided = await manager.post(`/api/v1/invoices/${inv.id}/void`, {
      reason: 'Khách huỷ đơn',
    });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ status: 'void', voidReason: 'Khách huỷ đơn' });
    const legal = fake.invoices.find((i) => i.transactionUuid === inv.id)!;
    expect(legal.status).toBe('Hóa đơn xóa bỏ');
    const shown = (await manager.get(`/api/v1/invoices/${inv.id}/einvoice`)).body;
    expect(shown).toMatchObject({
      issuable: false,
      submission: { status: 'cancelled', cancelReason: 'Khách huỷ đơn' },
    });
    // A void invoice gets no new e-invoice: the cancelled one is its record.
    const after = await manager.post(`/api/v1/invoices/${inv.id}/einvoice`);
    expect(after.body.status).toBe('cancelled');
    expect(fake.invoices.filter((i) => i.transactionUuid === inv.id)).toHaveLength(1);

    // An invoice without an e-invoice is voided as before, calling nobody.
    const plain = await issuedInvoice();
    const calls = fake.calls.length;
    expect(
      (await manager.post(`/api/v1/invoices/${plain.id}/void`, { reason: 'Lập nhầm' })).status,
    ).toBe(200);
    expect(fake.calls.length).toBe(calls);
  });

  it('names a real invoice of the same workspace (foreign key)', async () => {
    const [ws] = await t.ctx.db.system((tx) =>
      queryRows<{ id: string }>(tx, sql`SELECT id FROM workspaces LIMIT 1`),
    );
    const error = await t.ctx.db
      .system((tx) =>
        tx.execute(sql`
          INSERT INTO einvoice_submissions (workspace_id, record_id, provider, transaction_id, status)
          VALUES (${ws!.id}, gen_random_uuid(), 'viettel', 'x', 'failed')`),
      )
      .then(
        () => null,
        (e: unknown) => e as { code?: string; cause?: { code?: string } },
      );
    expect(error?.code ?? error?.cause?.code).toBe('23503');
  });
});
