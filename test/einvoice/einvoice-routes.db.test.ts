import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/permissions.js';
import { einvoiceModule } from '../../src/modules/einvoice/einvoice.module.js';
import * as service from '../../src/modules/einvoice/einvoice.service.js';
import { modules } from '../../src/modules/index.js';
import { addMember, setupAdmin, type Client } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import {
  FAKE_PASSWORD,
  FAKE_TAX_CODE,
  FAKE_USER,
  startFakeViettel,
  type FakeViettel,
} from './fake-viettel.js';
import { invoiceRows } from './invoice-rows.js';

/**
 * The e-invoice routes through the real HTTP stack (both backends): settings without the
 * password in any answer, 403 for a role without the permission, 400 on unknown fields, a
 * private base URL refused, a submission's status, cancel and files, errors in the one shape
 * with vi/en messages. The module is mounted here if src/modules/index.ts does not list it yet.
 */
describe('e-invoice routes', () => {
  let t: TestApp;
  let fake: FakeViettel;
  let admin: Client;
  let sales: Client;
  let actor: Actor;

  const settings = {
    provider: 'viettel',
    baseUrl: '',
    username: FAKE_USER,
    password: FAKE_PASSWORD,
    supplierTaxCode: FAKE_TAX_CODE,
    templateCode: '1/001',
    series: 'C26TAA',
  };

  beforeAll(async () => {
    if (!modules.some((m) => m.name === einvoiceModule.name)) modules.push(einvoiceModule);
    fake = await startFakeViettel();
    settings.baseUrl = fake.url;
    t = await createTestApp({ SEN_OUTBOUND_ALLOW: '127.0.0.1' });
    const s = await setupAdmin(t.app);
    admin = s.admin;
    sales = (await addMember(t.app, admin, 'sales')).client;
    actor = {
      type: 'user',
      userId: s.session.user.id as string,
      apiKeyId: null,
      name: 'Nguyễn Văn An',
      workspaceId: s.session.workspace.id as string,
      role: { key: 'admin', isAdmin: true, permissions: {} },
      teamMateIds: [],
      keyScopes: null,
      channel: 'api',
      requestId: null,
    };
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('keeps the settings; the password never comes back', async () => {
    const providers = await admin.get('/api/v1/einvoice/providers');
    expect(providers.status).toBe(200);
    expect(providers.body.items.map((p: { key: string }) => p.key)).toContain('viettel');

    expect((await admin.get('/api/v1/einvoice/settings')).body).toEqual({ settings: null });
    const saved = await admin.request('PUT', '/api/v1/einvoice/settings', settings);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ provider: 'viettel', hasPassword: true, enabled: true });
    const read = await admin.get('/api/v1/einvoice/settings');
    expect(read.body.settings.series).toBe('C26TAA');
    expect(JSON.stringify([saved.body, read.body])).not.toContain(FAKE_PASSWORD);
  });

  it('refuses bad input and other roles', async () => {
    const unknown = await admin.request('PUT', '/api/v1/einvoice/settings', {
      ...settings,
      secret: 'x',
    });
    expect(unknown.status).toBe(400);
    const blocked = await admin.request('PUT', '/api/v1/einvoice/settings', {
      ...settings,
      baseUrl: 'http://169.254.169.254/latest',
    });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.code).toBe('EINVOICE_DESTINATION_BLOCKED');

    expect((await sales.get('/api/v1/einvoice/settings')).status).toBe(403);
    expect((await sales.request('PUT', '/api/v1/einvoice/settings', settings)).status).toBe(403);
    expect((await sales.get(`/api/v1/einvoice/invoices/${crypto.randomUUID()}`)).status).toBe(403);
  });

  it('shows, refreshes, serves the files of and cancels an issued e-invoice', async () => {
    const id = (await invoiceRows(t.ctx, actor.workspaceId, 1))[0]!;
    expect((await admin.get(`/api/v1/einvoice/invoices/${id}`)).status).toBe(404);
    await service.issueEInvoice(t.ctx, actor, {
      senInvoiceId: id,
      senInvoiceNumber: 'HD-2026-0007',
      currency: 'VND',
      paymentMethod: 'cash',
      seller: { legalName: 'Công ty TNHH Sen', taxCode: FAKE_TAX_CODE, address: 'Hà Nội' },
      buyer: { name: 'Chị Lan' },
      lines: [
        {
          name: 'Son môi',
          unit: 'thỏi',
          quantity: 2,
          unitPrice: 150_000,
          vatRate: 8,
          amountBeforeVat: 300_000,
          vatAmount: 24_000,
        },
      ],
      totals: { amountBeforeVat: 300_000, vatAmount: 24_000, total: 324_000 },
    });

    const shown = await admin.get(`/api/v1/einvoice/invoices/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ status: 'issued', recordId: id, transactionId: id });
    expect(shown.body.invoiceNumber).toMatch(/^C26TAA\d+$/);

    const status = await admin.post(`/api/v1/einvoice/invoices/${id}/status`);
    expect(status.body.providerStatus).toBe('Hóa đơn gốc');

    const pdf = await admin.get(`/api/v1/einvoice/invoices/${id}/document?kind=pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(String(pdf.headers['content-disposition'])).toMatch(
      /^attachment; filename="C26TAA\d+\.pdf"$/,
    );
    const xml = await admin.get(`/api/v1/einvoice/invoices/${id}/document?kind=xml`);
    expect(xml.headers['content-type']).toBe('application/xml');
    expect(String(xml.body)).toContain('<SHDon>');
    expect((await admin.get(`/api/v1/einvoice/invoices/${id}/document?kind=docx`)).status).toBe(
      400,
    );

    expect((await admin.post(`/api/v1/einvoice/invoices/${id}/cancel`, {})).status).toBe(400);
    const cancelled = await admin.post(`/api/v1/einvoice/invoices/${id}/cancel`, {
      reason: 'Lập sai',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Lập sai' });
  });

  it('answers wrong credentials in the one error shape, in the caller’s language', async () => {
    const id = (await invoiceRows(t.ctx, actor.workspaceId, 1))[0]!;
    await service.issueEInvoice(t.ctx, actor, {
      senInvoiceId: id,
      senInvoiceNumber: 'HD-2026-0008',
      currency: 'VND',
      paymentMethod: 'cash',
      seller: { legalName: 'Công ty TNHH Sen', taxCode: FAKE_TAX_CODE, address: 'Hà Nội' },
      buyer: { name: 'Anh Minh' },
      lines: [
        {
          name: 'Kem',
          unit: 'hộp',
          quantity: 1,
          unitPrice: 10_000,
          vatRate: 10,
          amountBeforeVat: 10_000,
          vatAmount: 1_000,
        },
      ],
      totals: { amountBeforeVat: 10_000, vatAmount: 1_000, total: 11_000 },
    });
    await admin.request('PUT', '/api/v1/einvoice/settings', { ...settings, password: 'sai' });
    admin.language = 'vi';
    const res = await admin.post(`/api/v1/einvoice/invoices/${id}/status`);
    admin.language = 'en';
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('EINVOICE_AUTH_FAILED');
    expect(res.body.error.message).toContain('từ chối tên đăng nhập hoặc mật khẩu');
    expect(typeof res.body.error.requestId).toBe('string');
  });
});
