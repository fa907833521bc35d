import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { overdueJob } from '../../src/modules/invoices/invoices.module.js';
import { expireJob } from '../../src/modules/quotes/quotes.module.js';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * What the selling documents share beyond one document (#20): the daily sweeps over every
 * workspace (quotes expire, invoices fall overdue) and the customer's timeline, which shows its
 * quotes, orders, invoices and payments by number to whoever may read them.
 */
describe('selling sweeps and timelines', () => {
  let t: TestApp;

  const dayOffset = (days: number) =>
    new Date(Date.now() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

  /** A workspace with a manager, a customer, a sent quote past its validity and an invoice past due. */
  async function workspace(admin: Client, name: string) {
    const created = await admin.post('/api/v1/workspaces', { name });
    expect(created.status).toBe(201);
    const workspaceId = created.body.workspace.id as string;
    await admin.post('/api/v1/auth/switch-workspace', { workspaceId });
    const manager = (await addMember(t.app, admin, 'manager')).client;
    const marketing = (await addMember(t.app, admin, 'marketing')).client;
    const companyId = (await manager.post('/api/v1/companies', { name: `Khách của ${name}` })).body
      .id as string;
    const items = [{ name: 'Dịch vụ', quantity: 1, unitPrice: 1_000_000, vatRate: '0' }];

    const quote = await manager.post('/api/v1/quotes', {
      companyId,
      issueDate: dayOffset(-20),
      validUntil: dayOffset(-5),
    });
    expect(quote.status).toBe(201);
    await manager.put(`/api/v1/quotes/${quote.body.id}/line-items`, { items });
    expect((await manager.post(`/api/v1/quotes/${quote.body.id}/send`)).body.status).toBe('sent');

    const order = (await manager.post('/api/v1/orders', { companyId })).body;
    const invoice = await manager.post('/api/v1/invoices', {
      companyId,
      issueDate: dayOffset(-40),
      paymentTermsDays: 30,
    });
    await manager.put(`/api/v1/invoices/${invoice.body.id}/line-items`, { items });
    await manager.post(`/api/v1/invoices/${invoice.body.id}/issue`);
    const payment = await manager.post('/api/v1/payments', {
      companyId,
      method: 'cash',
      amount: 200_000,
      allocations: [{ invoiceId: invoice.body.id, amount: 200_000 }],
    });
    expect(payment.status).toBe(201);
    return {
      manager,
      marketing,
      companyId,
      quote: quote.body as { id: string; number: string },
      order: order as { id: string; number: string },
      invoice: invoice.body as { id: string; number: string },
      payment: payment.body as { id: string; number: string },
    };
  }

  let a: Awaited<ReturnType<typeof workspace>>;
  let b: Awaited<ReturnType<typeof workspace>>;

  beforeAll(async () => {
    t = await createTestApp();
    const { admin } = await setupAdmin(t.app);
    a = await workspace(admin, 'Chi nhánh Hà Nội');
    b = await workspace(admin, 'Chi nhánh Sài Gòn');
  });
  afterAll(() => t?.close());

  const run = (job: typeof expireJob | typeof overdueJob) =>
    job.handler(
      {},
      { config: t.ctx.config, db: t.ctx.db, logger: createLogger('silent'), jobId: 'test' },
    );

  it('expires sent quotes and marks invoices overdue in every workspace', async () => {
    for (const w of [a, b]) {
      expect((await w.manager.get(`/api/v1/quotes/${w.quote.id}`)).body.status).toBe('sent');
    }
    await run(expireJob);
    await run(overdueJob);
    for (const w of [a, b]) {
      expect((await w.manager.get(`/api/v1/quotes/${w.quote.id}`)).body.status).toBe('expired');
      const invoice = (await w.manager.get(`/api/v1/invoices/${w.invoice.id}`)).body;
      expect(invoice).toMatchObject({ status: 'overdue', balance: 800_000 });
    }
    // A second run changes nothing.
    await run(overdueJob);
    expect((await a.manager.get(`/api/v1/invoices/${a.invoice.id}`)).body.status).toBe('overdue');
  });

  it("shows a customer's documents on its timeline by number, as far as the reader may see them", async () => {
    const named = async (client: Client) => {
      const res = await client.get(`/api/v1/companies/${a.companyId}/timeline?limit=100`);
      expect(res.status).toBe(200);
      const pairs = new Set<string>();
      type Item = { recordType: string; recordId: string; recordName: string | null };
      for (const e of res.body.items as Item[]) {
        pairs.add(`${e.recordType}:${e.recordName}`);
        pairs.add(e.recordId);
      }
      return pairs;
    };
    const manager = await named(a.manager);
    for (const [object, doc] of [
      ['quotes', a.quote],
      ['orders', a.order],
      ['invoices', a.invoice],
      ['payments', a.payment],
    ] as const) {
      expect(manager.has(`${object}:${doc.number}`)).toBe(true);
    }
    // The invoice's timeline shows the payment allocated to it.
    const onInvoice = await a.manager.get(`/api/v1/invoices/${a.invoice.id}/timeline?limit=100`);
    expect(
      (onInvoice.body.items as { recordType: string; recordName: string | null }[]).some(
        (e) => e.recordType === 'payments' && e.recordName === a.payment.number,
      ),
    ).toBe(true);
    // Marketing reads companies and invoices but not payments: no payment on its timeline.
    const marketing = await named(a.marketing);
    expect(marketing.has(`invoices:${a.invoice.number}`)).toBe(true);
    expect([...marketing].some((p) => p.startsWith('payments:'))).toBe(false);
    // Another workspace's documents never appear.
    expect(manager.has(a.invoice.id)).toBe(true);
    for (const doc of [b.quote, b.order, b.invoice, b.payment])
      expect(manager.has(doc.id)).toBe(false);
  });
});
