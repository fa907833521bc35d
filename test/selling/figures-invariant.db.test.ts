import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * After random sequences of invoices, payments, allocations, voids and reversals, every figure
 * the database keeps (invoices' paid amounts and statuses, payments' allocations, customers'
 * open balance, total spent and credit, the receivables report) equals the sum of the documents.
 */
describe('customer figures equal the documents', () => {
  let t: TestApp;
  let admin: Client;
  let manager: Client;
  const customers: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    manager = (await addMember(t.app, admin, 'manager')).client;
    for (const name of ['Công ty An Phát', 'Công ty Bảo Minh', 'Công ty Cát Tường']) {
      customers.push((await manager.post('/api/v1/companies', { name })).body.id);
    }
  });
  afterAll(() => t?.close());

  it('holds after 60 random operations', async () => {
    let seed = 20261207;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const invoices: { id: string; companyId: string }[] = [];
    const payments: string[] = [];
    for (let step = 0; step < 60; step++) {
      const companyId = customers[rnd(customers.length)]!;
      const op = rnd(6);
      if (op <= 1 || invoices.length === 0) {
        const inv = (await manager.post('/api/v1/invoices', { companyId, issueDate: '2026-09-01' }))
          .body;
        await manager.put(`/api/v1/invoices/${inv.id}/line-items`, {
          items: [
            {
              name: 'Hàng',
              quantity: 1 + rnd(3),
              unitPrice: 10_000 * (1 + rnd(20)),
              vatRate: ['0', '5', '10'][rnd(3)],
            },
          ],
        });
        if (rnd(4) > 0) await manager.post(`/api/v1/invoices/${inv.id}/issue`);
        invoices.push({ id: inv.id, companyId });
      } else if (op <= 3) {
        const open = (await manager.get(`/api/v1/invoices?limit=200`)).body.items.filter(
          (i: { companyId: string; balance: number }) => i.companyId === companyId && i.balance > 0,
        );
        const target = open[rnd(Math.max(open.length, 1))];
        const amount = 5_000 * (1 + rnd(40));
        const allocation = target
          ? [{ invoiceId: target.id, amount: Math.min(amount, target.balance) }]
          : [];
        const res = await manager.post('/api/v1/payments', {
          companyId,
          method: 'cash',
          amount,
          allocations: allocation,
        });
        expect(res.status).toBe(201);
        payments.push(res.body.id);
      } else if (op === 4 && payments.length > 0) {
        const id = payments[rnd(payments.length)]!;
        await manager.post(`/api/v1/payments/${id}/reverse`, { reason: 'Thử' });
      } else {
        const inv = invoices[rnd(invoices.length)]!;
        // Refused (409) when something is paid on it: the invariant must hold either way.
        await manager.post(`/api/v1/invoices/${inv.id}/void`, { reason: 'Thử' });
      }
    }
    const allInvoices = (await manager.get('/api/v1/invoices?limit=200')).body.items as {
      id: string;
      companyId: string;
      status: string;
      total: number;
      paidAmount: number;
      balance: number;
    }[];
    const allPayments = (await manager.get('/api/v1/payments?limit=200')).body.items as {
      id: string;
      companyId: string;
      status: string;
      amount: number;
      allocatedAmount: number;
    }[];
    // Each invoice's paid amount is the sum of its live allocations.
    const paidBy = new Map<string, number>();
    const allocatedBy = new Map<string, number>();
    for (const p of allPayments) {
      const allocations = (await manager.get(`/api/v1/payments/${p.id}/allocations`)).body
        .items as {
        invoiceId: string;
        amount: number;
        reversedAt: string | null;
      }[];
      for (const a of allocations.filter((x) => !x.reversedAt)) {
        paidBy.set(a.invoiceId, (paidBy.get(a.invoiceId) ?? 0) + a.amount);
        allocatedBy.set(p.id, (allocatedBy.get(p.id) ?? 0) + a.amount);
      }
      expect(p.allocatedAmount).toBe(allocatedBy.get(p.id) ?? 0);
      expect(p.allocatedAmount).toBeLessThanOrEqual(p.amount);
    }
    for (const i of allInvoices) {
      expect(i.paidAmount).toBe(paidBy.get(i.id) ?? 0);
      expect(i.paidAmount).toBeLessThanOrEqual(i.total);
      if (i.status === 'paid') expect(i.paidAmount).toBe(i.total);
      if (i.status === 'void') expect(i.paidAmount).toBe(0);
    }
    let reportTotal = 0;
    for (const companyId of customers) {
      const mine = allInvoices.filter((i) => i.companyId === companyId);
      const live = mine.filter((i) => !['draft', 'void'].includes(i.status));
      const expected = {
        openBalance: live.reduce((s, i) => s + i.total - i.paidAmount, 0),
        totalSpent: live.reduce((s, i) => s + i.paidAmount, 0),
        overdueAmount: live
          .filter((i) => i.status === 'overdue')
          .reduce((s, i) => s + i.total - i.paidAmount, 0),
        creditBalance: allPayments
          .filter((p) => p.companyId === companyId && p.status === 'posted')
          .reduce((s, p) => s + p.amount - p.allocatedAmount, 0),
      };
      expect((await manager.get(`/api/v1/companies/${companyId}`)).body).toMatchObject(expected);
      reportTotal += expected.openBalance;
    }
    expect((await manager.get('/api/v1/receivables')).body.totals.balance).toBe(reportTotal);
    expect(invoices.length).toBeGreaterThan(5);
    expect(payments.length).toBeGreaterThan(5);
  });
});
