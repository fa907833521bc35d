import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { registerPermissionObject, type Actor } from '../../src/core/permissions.js';
import { queryRows } from '../../src/db/sql.js';
import { decryptSecret } from '../../src/lib/secrets.js';
import { einvoicePermission } from '../../src/modules/einvoice/einvoice.module.js';
import * as service from '../../src/modules/einvoice/einvoice.service.js';
import type { EInvoiceDocument } from '../../src/modules/einvoice/einvoice.types.js';
import { setupAdmin } from '../support/client.js';
import { createTestApp, testConfig, type TestApp } from '../support/harness.js';
import {
  FAKE_PASSWORD,
  FAKE_TAX_CODE,
  FAKE_USER,
  startFakeViettel,
  type FakeViettel,
} from './fake-viettel.js';
import { invoiceRows } from './invoice-rows.js';

/**
 * The e-invoice service on a real database (both backends) against the local Viettel stand-in:
 * settings with the password encrypted at rest, one submission per Sen invoice, issue / status /
 * cancel / files, wrong credentials, a timeout, a 500 whose invoice was created and the retry
 * that does not issue it twice, two callers at once. The stand-in is on 127.0.0.1, reachable
 * only through SEN_OUTBOUND_ALLOW.
 */
describe('e-invoices', () => {
  let t: TestApp;
  let fake: FakeViettel;
  let actor: Actor;

  const fast = { backoffMs: 1, timeoutMs: 2000 };

  /** Real Sen invoices to submit (a submission's record is one: FK to invoices). */
  let pool: string[] = [];

  function doc(id = pool.pop()!): EInvoiceDocument {
    return {
      senInvoiceId: id,
      senInvoiceNumber: 'HD-2026-0042',
      currency: 'VND',
      paymentMethod: 'cash_or_transfer',
      seller: { legalName: 'Công ty TNHH Sen', taxCode: FAKE_TAX_CODE, address: 'Hà Nội' },
      buyer: {
        name: 'Công ty Cổ phần Hoa Sen',
        taxCode: '0312345673',
        address: '45 Lê Lợi, Quận 1, TP. Hồ Chí Minh',
        email: 'ketoan@hoasen.vn',
      },
      lines: [
        {
          name: 'Kem dưỡng da',
          unit: 'hộp',
          quantity: 3,
          unitPrice: 100_000,
          vatRate: 10,
          amountBeforeVat: 300_000,
          vatAmount: 30_000,
        },
      ],
      totals: { amountBeforeVat: 300_000, vatAmount: 30_000, total: 330_000 },
    };
  }

  async function appError(promise: Promise<unknown>): Promise<AppError> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }

  const submissionRow = async (recordId: string) =>
    (
      await t.ctx.db.system((tx) =>
        queryRows<{
          status: string;
          attempts: number;
          error_code: string | null;
          raw_excerpt: string | null;
          invoice_number: string | null;
        }>(
          tx,
          sql`SELECT status, attempts, error_code, raw_excerpt, invoice_number
                FROM einvoice_submissions WHERE record_id = ${recordId}`,
        ),
      )
    )[0];

  const creates = () => fake.calls.filter((c) => c.path.includes('/createInvoice/')).length;

  async function saveSettings(overrides: Record<string, unknown> = {}) {
    return service.saveEInvoiceSettings(t.ctx, actor, {
      provider: 'viettel',
      baseUrl: fake.url,
      username: FAKE_USER,
      password: FAKE_PASSWORD,
      supplierTaxCode: FAKE_TAX_CODE,
      templateCode: '1/001',
      series: 'C26TAA',
      ...overrides,
    });
  }

  beforeAll(async () => {
    registerPermissionObject(einvoicePermission);
    fake = await startFakeViettel();
    t = await createTestApp({ SEN_OUTBOUND_ALLOW: '127.0.0.1' });
    const s = await setupAdmin(t.app);
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
    pool = await invoiceRows(t.ctx, actor.workspaceId, 30);
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  afterEach(() => {
    fake.delayMs = 0;
    fake.unavailableCalls = 0;
    fake.failNextCreateAfterSaving = false;
  });

  it('refuses to issue before a provider is set up', async () => {
    const error = await appError(service.issueEInvoice(t.ctx, actor, doc(), fast));
    expect(error.code).toBe('EINVOICE_NOT_CONFIGURED');
    expect(error.messageIn('vi')).toContain('Chưa cài đặt');
  });

  it('keeps the settings with the password encrypted at rest, never presented', async () => {
    const saved = await saveSettings();
    expect(saved).toMatchObject({
      provider: 'viettel',
      hasPassword: true,
      supplierTaxCode: FAKE_TAX_CODE,
    });
    expect(JSON.stringify(saved)).not.toContain(FAKE_PASSWORD);
    const [row] = await t.ctx.db.system((tx) =>
      queryRows<{ secret_encrypted: string; workspace_id: string }>(
        tx,
        sql`SELECT secret_encrypted, workspace_id FROM einvoice_settings`,
      ),
    );
    expect(row!.secret_encrypted).not.toContain(FAKE_PASSWORD);
    expect(row!.secret_encrypted.startsWith('v1.')).toBe(true);
    expect(
      decryptSecret(
        t.ctx.config.secretsKey,
        row!.secret_encrypted,
        `einvoice_settings:${actor.workspaceId}`,
      ),
    ).toBe(FAKE_PASSWORD);
    // bound to its workspace: the same ciphertext does not open for another one
    expect(() =>
      decryptSecret(
        t.ctx.config.secretsKey,
        row!.secret_encrypted,
        `einvoice_settings:${randomUUID()}`,
      ),
    ).toThrow();
    // nor with another key
    expect(() =>
      decryptSecret(
        'another-key-another-key-another-key',
        row!.secret_encrypted,
        `einvoice_settings:${actor.workspaceId}`,
      ),
    ).toThrow();

    // saving without a password keeps the stored one
    const again = await saveSettings({ password: undefined, series: 'C26TAB' });
    expect(again.series).toBe('C26TAB');
    const [after] = await t.ctx.db.system((tx) =>
      queryRows<{ secret_encrypted: string }>(
        tx,
        sql`SELECT secret_encrypted FROM einvoice_settings`,
      ),
    );
    expect(after!.secret_encrypted).toBe(row!.secret_encrypted);
    await saveSettings();

    const audit = await t.ctx.db.system((tx) =>
      queryRows<{ changes: unknown }>(
        tx,
        sql`SELECT changes FROM audit_log WHERE object_type = 'einvoice_settings'`,
      ),
    );
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(FAKE_PASSWORD);
  });

  it('refuses a private base URL, a bad tax code, an unknown provider', async () => {
    for (const baseUrl of ['http://10.0.0.5', 'http://169.254.169.254', 'http://[::1]:8080']) {
      expect((await appError(saveSettings({ baseUrl }))).code).toBe('EINVOICE_DESTINATION_BLOCKED');
    }
    expect((await appError(saveSettings({ supplierTaxCode: '0100109107' }))).code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await appError(saveSettings({ provider: 'nope' }))).code).toBe('VALIDATION_FAILED');
    expect((await appError(saveSettings({ baseUrl: 'ftp://example.vn' }))).code).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('refuses to store a password under the public development key in production', async () => {
    const prodCtx = {
      ...t.ctx,
      config: { ...testConfig({ SEN_OUTBOUND_ALLOW: '127.0.0.1' }), env: 'production' as const },
    };
    const error = await appError(
      service.saveEInvoiceSettings(prodCtx, actor, {
        provider: 'viettel',
        baseUrl: fake.url,
        username: FAKE_USER,
        password: FAKE_PASSWORD,
        supplierTaxCode: FAKE_TAX_CODE,
        templateCode: '1/001',
        series: 'C26TAA',
      }),
    );
    expect(error.messageIn('en')).toContain('SEN_SECRETS_KEY');
  });

  it('issues once, looks it up, fetches the PDF and XML, cancels; a second issue calls nobody', async () => {
    const d = doc();
    const before = creates();
    const issued = await service.issueEInvoice(t.ctx, actor, d, fast);
    expect(issued).toMatchObject({
      status: 'issued',
      transactionId: d.senInvoiceId,
      attempts: 1,
      templateCode: '1/001',
    });
    expect(issued.invoiceNumber).toMatch(/^C26TAA\d+$/);
    expect(creates()).toBe(before + 1);
    const row = await submissionRow(d.senInvoiceId);
    expect(row!.raw_excerpt).toContain(issued.invoiceNumber!);

    const again = await service.issueEInvoice(t.ctx, actor, d, fast);
    expect(again.id).toBe(issued.id);
    expect(creates()).toBe(before + 1);

    const status = await service.refreshEInvoiceStatus(t.ctx, actor, d.senInvoiceId);
    expect(status).toMatchObject({ status: 'issued', providerStatus: 'Hóa đơn gốc' });

    const pdf = await service.fetchEInvoiceDocument(t.ctx, actor, d.senInvoiceId, 'pdf');
    expect(pdf.data.subarray(0, 5).toString()).toBe('%PDF-');
    const xml = await service.fetchEInvoiceDocument(t.ctx, actor, d.senInvoiceId, 'xml');
    expect(xml.data.toString()).toContain(`<SHDon>${issued.invoiceNumber}</SHDon>`);

    const cancelled = await service.cancelEInvoice(
      t.ctx,
      actor,
      d.senInvoiceId,
      'Khách trả lại hàng',
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Khách trả lại hàng' });
    const refreshed = await service.refreshEInvoiceStatus(t.ctx, actor, d.senInvoiceId);
    expect(refreshed).toMatchObject({ status: 'cancelled', providerStatus: 'Hóa đơn xóa bỏ' });
    expect((await appError(service.cancelEInvoice(t.ctx, actor, d.senInvoiceId, 'lại'))).code).toBe(
      'CONFLICT',
    );

    const audit = await t.ctx.db.system((tx) =>
      queryRows<{ action: string }>(
        tx,
        sql`SELECT action FROM audit_log WHERE object_type = 'invoices' AND object_id = ${d.senInvoiceId} ORDER BY id`,
      ),
    );
    expect(audit.map((a) => a.action)).toEqual(['einvoice_issue', 'einvoice_cancel']);
  });

  it('a 500 after the provider created the invoice: the retry finds it, no second legal invoice', async () => {
    const d = doc();
    fake.failNextCreateAfterSaving = true;
    const before = creates();
    const issued = await service.issueEInvoice(t.ctx, actor, d, fast);
    expect(issued.status).toBe('issued');
    expect(issued.attempts).toBe(2);
    expect(creates()).toBe(before + 1);
    expect(fake.invoices.filter((i) => i.transactionUuid === d.senInvoiceId)).toHaveLength(1);
  });

  it('a failed submission that may have reached the provider is looked up before it is sent again', async () => {
    const d = doc();
    fake.failNextCreateAfterSaving = true;
    const error = await appError(service.issueEInvoice(t.ctx, actor, d, { ...fast, attempts: 1 }));
    expect(error.code).toBe('EINVOICE_UNAVAILABLE');
    expect(error.status).toBe(502);
    expect(error.messageIn('vi')).toContain('Viettel S-Invoice đang gặp sự cố');
    expect(await submissionRow(d.senInvoiceId)).toMatchObject({
      status: 'failed',
      error_code: 'EINVOICE_UNAVAILABLE',
      attempts: 1,
    });

    const before = creates();
    const issued = await service.issueEInvoice(t.ctx, actor, d, fast);
    expect(issued.status).toBe('issued');
    expect(creates()).toBe(before); // found by the lookup, not sent again
    expect(fake.invoices.filter((i) => i.transactionUuid === d.senInvoiceId)).toHaveLength(1);
  });

  it('a claim left by a node that stopped mid-call is taken over with a lookup first', async () => {
    const d = doc();
    // The stopped node had reached Viettel: the invoice exists there, the row says 'submitting'.
    const { eInvoiceAdapter } = await import('../../src/modules/einvoice/einvoice.registry.js');
    await eInvoiceAdapter('viettel')!
      .create({
        baseUrl: fake.url,
        username: FAKE_USER,
        password: FAKE_PASSWORD,
        supplierTaxCode: FAKE_TAX_CODE,
        templateCode: '1/001',
        series: 'C26TAA',
        outboundAllow: ['127.0.0.1'],
      })
      .issue(d, { transactionId: d.senInvoiceId });
    await t.ctx.db.system((tx) =>
      tx.execute(sql`INSERT INTO einvoice_submissions
        (workspace_id, record_id, provider, transaction_id, status, attempts, claimed_at)
        VALUES (${actor.workspaceId}, ${d.senInvoiceId}, 'viettel', ${d.senInvoiceId},
                'submitting', 0, now() - interval '10 minutes')`),
    );
    const before = creates();
    const issued = await service.issueEInvoice(t.ctx, actor, d, fast);
    expect(issued.status).toBe('issued');
    expect(creates()).toBe(before);
    expect(fake.invoices.filter((i) => i.transactionUuid === d.senInvoiceId)).toHaveLength(1);

    // A fresh claim (another node is calling right now) is not taken over.
    const d2 = doc();
    await t.ctx.db.system((tx) =>
      tx.execute(sql`INSERT INTO einvoice_submissions
        (workspace_id, record_id, provider, transaction_id, status, attempts, claimed_at)
        VALUES (${actor.workspaceId}, ${d2.senInvoiceId}, 'viettel', ${d2.senInvoiceId},
                'submitting', 0, now())`),
    );
    expect((await appError(service.issueEInvoice(t.ctx, actor, d2, fast))).code).toBe(
      'EINVOICE_IN_PROGRESS',
    );
  });

  it('says wrong credentials in both languages and keeps the failure', async () => {
    await saveSettings({ password: 'mật khẩu sai' });
    const d = doc();
    try {
      const error = await appError(service.issueEInvoice(t.ctx, actor, d, fast));
      expect(error.code).toBe('EINVOICE_AUTH_FAILED');
      expect(error.messageIn('vi')).toBe(
        'Viettel S-Invoice từ chối tên đăng nhập hoặc mật khẩu. Hãy kiểm tra lại tài khoản trong Cài đặt → Hóa đơn điện tử.',
      );
      expect(error.messageIn('en')).toContain('refused the user name or password');
      expect(await submissionRow(d.senInvoiceId)).toMatchObject({
        status: 'failed',
        error_code: 'EINVOICE_AUTH_FAILED',
      });
    } finally {
      await saveSettings();
    }
  });

  it('times out a provider that does not answer', async () => {
    fake.delayMs = 1000;
    const d = doc();
    const error = await appError(
      service.issueEInvoice(t.ctx, actor, d, { backoffMs: 1, timeoutMs: 150, attempts: 2 }),
    );
    expect(error.code).toBe('EINVOICE_TIMEOUT');
    expect(error.status).toBe(504);
    expect(error.messageIn('vi')).toContain('không trả lời kịp');
    expect(await submissionRow(d.senInvoiceId)).toMatchObject({
      status: 'failed',
      error_code: 'EINVOICE_TIMEOUT',
    });
  });

  it('passes on the provider refusing the invoice, with its words', async () => {
    const d = doc();
    d.buyer = { name: '' } as EInvoiceDocument['buyer'];
    expect((await appError(service.issueEInvoice(t.ctx, actor, d, fast))).code).toBe(
      'VALIDATION_FAILED',
    );
    const d2 = doc();
    d2.totals.total = 1;
    expect((await appError(service.issueEInvoice(t.ctx, actor, d2, fast))).code).toBe(
      'VALIDATION_FAILED',
    );
    expect(await submissionRow(d2.senInvoiceId)).toBeUndefined();
  });

  it('two callers at once: one issues, the other is told it is in progress', async () => {
    fake.delayMs = 300;
    const d = doc();
    const before = creates();
    const results = await Promise.allSettled([
      service.issueEInvoice(t.ctx, actor, d, fast),
      service.issueEInvoice(t.ctx, actor, d, fast),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0]!.reason as AppError).code).toBe('EINVOICE_IN_PROGRESS');
    expect(creates()).toBe(before + 1);
  });

  it('refuses what the role does not allow', async () => {
    const viewer: Actor = { ...actor, role: { key: 'viewer', isAdmin: false, permissions: {} } };
    expect((await appError(service.issueEInvoice(t.ctx, viewer, doc(), fast))).code).toBe(
      'FORBIDDEN',
    );
    expect((await appError(service.getEInvoiceSettings(t.ctx, viewer))).code).toBe('FORBIDDEN');
    const manager: Actor = { ...actor, role: { key: 'manager', isAdmin: false, permissions: {} } };
    expect((await appError(service.getEInvoiceSettings(t.ctx, manager))).code).toBe('FORBIDDEN');
    const issued = await service.issueEInvoice(t.ctx, manager, doc(), fast);
    expect(issued.status).toBe('issued');
  });
});
