import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import { createLogger } from '../../src/lib/logger.js';
import { pdfPageTexts } from '../support/pdf-text.js';

/**
 * Invoices, payments, receivables and the customer figures kept by the database (#20).
 */
describe('invoices, payments and receivables', () => {
  let t: TestApp;
  let admin: Client;
  let sales: Client;
  let manager: Client;
  let lan: string;
  let other: string;
  let soap: { id: string };

  const dayOffset = (days: number) => {
    const d = new Date(Date.now() + 7 * 3600_000 + days * 86_400_000);
    return d.toISOString().slice(0, 10);
  };

  /** An issued invoice of `companyId` for `amount` (VAT 0 %), dated `issueOffset` days from today. */
  const issued = async (companyId: string, amount: number, issueOffset = 0, terms = 30) => {
    const inv = await sales.post('/api/v1/invoices', {
      companyId,
      issueDate: dayOffset(issueOffset),
      paymentTermsDays: terms,
    });
    expect(inv.status).toBe(201);
    const lines = await sales.put(`/api/v1/invoices/${inv.body.id}/line-items`, {
      items: [{ name: 'Hàng hoá', quantity: 1, unitPrice: amount, vatRate: '0' }],
    });
    expect(lines.status).toBe(200);
    const res = await manager.post(`/api/v1/invoices/${inv.body.id}/issue`);
    expect(res.status).toBe(200);
    return res.body as { id: string; number: string; status: string; balance: number };
  };

  const company = async (id: string) => (await admin.get(`/api/v1/companies/${id}`)).body;

  beforeAll(async () => {
    t = await createTestApp({}, process.env.SEN_TEST_LOG ? createLogger('error') : undefined);
    admin = (await setupAdmin(t.app)).admin;
    sales = (await addMember(t.app, admin, 'sales')).client;
    manager = (await addMember(t.app, admin, 'manager')).client;
    lan = (await sales.post('/api/v1/companies', { name: 'Nhà phân phối chị Lan' })).body.id;
    other = (await sales.post('/api/v1/companies', { name: 'Cửa hàng Bình An' })).body.id;
    soap = (
      await manager.post('/api/v1/products', { sku: 'XP', name: 'Xà phòng', unitPrice: 100_000 })
    ).body;
    const wh = (await manager.get('/api/v1/stock/warehouses')).body.items[0].id;
    await manager.post('/api/v1/stock/receipts', {
      warehouseId: wh,
      lines: [{ productId: soap.id, quantity: 50 }],
    });
  });
  afterAll(() => t?.close());

  it('invoices what an order delivered, issues with a VietQR PDF, and a payment moves the figures', async () => {
    await admin.put('/api/v1/settings/company-profile', {
      legalName: 'Công ty TNHH Sen',
      bankBin: '970436',
      bankAccountNumber: '0011001234567',
      bankAccountName: 'CONG TY TNHH SEN',
    });
    const order = (await sales.post('/api/v1/orders', { companyId: lan })).body;
    await sales.put(`/api/v1/orders/${order.id}/line-items`, {
      items: [{ productId: soap.id, quantity: 10 }],
    });
    await sales.post(`/api/v1/orders/${order.id}/confirm`);
    expect((await sales.post(`/api/v1/orders/${order.id}/invoice`)).status).toBe(409);
    const line = (await sales.get(`/api/v1/orders/${order.id}/deliveries`)).body.lines[0];
    await sales.post(`/api/v1/orders/${order.id}/deliveries`, {
      lines: [{ lineId: line.lineId, quantity: 4 }],
    });
    const draft = await sales.post(`/api/v1/orders/${order.id}/invoice`);
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ status: 'draft', total: 440_000, order: { id: order.id } });
    expect(draft.body.number).toMatch(/^HD-\d{4}-0001$/);
    // Only what was delivered and not invoiced.
    expect((await sales.post(`/api/v1/orders/${order.id}/invoice`)).status).toBe(409);
    // A sales rep may not issue (approve), a manager may.
    expect((await sales.post(`/api/v1/invoices/${draft.body.id}/issue`)).status).toBe(403);
    const inv = await manager.post(`/api/v1/invoices/${draft.body.id}/issue`);
    expect(inv.body).toMatchObject({ status: 'issued', balance: 440_000 });
    expect(await company(lan)).toMatchObject({
      openBalance: 440_000,
      totalSpent: 0,
      orderCount: 1,
    });

    const pdf = await sales.getBytes(`/api/v1/invoices/${draft.body.id}/pdf`);
    expect(pdf.status).toBe(200);
    const text = (await pdfPageTexts(pdf.bytes)).join('\n');
    expect(text).toContain('HOÁ ĐƠN BÁN HÀNG');
    expect(text).toContain(`Quét mã VietQR để chuyển khoản, nội dung: ${draft.body.number}`);

    const pay = await sales.post('/api/v1/payments', {
      companyId: lan,
      method: 'bank_transfer',
      amount: 300_000,
      allocations: [{ invoiceId: draft.body.id, amount: 300_000 }],
    });
    expect(pay.status).toBe(201);
    expect(pay.body).toMatchObject({ allocatedAmount: 300_000, creditAmount: 0 });
    expect(pay.body.number).toMatch(/^PT-\d{4}-0001$/);
    const after = (await sales.get(`/api/v1/invoices/${draft.body.id}`)).body;
    expect(after).toMatchObject({ status: 'partly_paid', paidAmount: 300_000, balance: 140_000 });
    expect(await company(lan)).toMatchObject({ openBalance: 140_000, totalSpent: 300_000 });
  });

  it('keeps an overpayment as credit, refuses other customers’ invoices and over-allocation', async () => {
    const a = await issued(other, 200_000);
    const mine = await issued(lan, 50_000);
    const wrong = await sales.post('/api/v1/payments', {
      companyId: other,
      method: 'cash',
      amount: 100_000,
      allocations: [{ invoiceId: mine.id, amount: 50_000 }],
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.fields[0]).toMatchObject({
      path: 'allocations.0.invoiceId',
      reason: 'other_customer',
    });
    const over = await sales.post('/api/v1/payments', {
      companyId: other,
      method: 'cash',
      amount: 300_000,
      allocations: [{ invoiceId: a.id, amount: 250_000 }],
    });
    expect(over.status).toBe(400);
    expect(over.body.error.details.fields[0].reason).toBe('over_balance');
    // Nothing was written by the refused payments.
    expect((await company(other)).openBalance).toBe(200_000);
    const p = await sales.post('/api/v1/payments', {
      companyId: other,
      method: 'cash',
      amount: 300_000,
      allocations: [{ invoiceId: a.id, amount: 200_000 }],
    });
    expect(p.body.creditAmount).toBe(100_000);
    expect((await sales.get(`/api/v1/invoices/${a.id}`)).body.status).toBe('paid');
    expect(await company(other)).toMatchObject({
      openBalance: 0,
      totalSpent: 200_000,
      creditBalance: 100_000,
    });
    // The credit pays a later invoice.
    const b = await issued(other, 80_000);
    const applied = await sales.post(`/api/v1/payments/${p.body.id}/allocations`, {
      allocations: [{ invoiceId: b.id, amount: 80_000 }],
    });
    expect(applied.body).toMatchObject({ allocatedAmount: 280_000, creditAmount: 20_000 });
    expect(await company(other)).toMatchObject({
      openBalance: 0,
      creditBalance: 20_000,
      totalSpent: 280_000,
    });
  });

  it('voids only unpaid invoices (keeping the number), and a reversal reopens what it paid', async () => {
    const inv = await issued(lan, 70_000);
    const p = await sales.post('/api/v1/payments', {
      companyId: lan,
      method: 'card',
      amount: 70_000,
      allocations: [{ invoiceId: inv.id, amount: 70_000 }],
    });
    const refused = await manager.post(`/api/v1/invoices/${inv.id}/void`, { reason: 'Sai giá' });
    expect(refused.status).toBe(409);
    expect(
      (await sales.post(`/api/v1/payments/${p.body.id}/reverse`, { reason: 'Nhầm' })).status,
    ).toBe(403);
    const reversed = await manager.post(`/api/v1/payments/${p.body.id}/reverse`, {
      reason: 'Nhầm khách',
    });
    expect(reversed.body).toMatchObject({
      status: 'reversed',
      reverseReason: 'Nhầm khách',
      creditAmount: 0,
    });
    expect((await sales.get(`/api/v1/invoices/${inv.id}`)).body).toMatchObject({
      status: 'issued',
      paidAmount: 0,
    });
    const voided = await manager.post(`/api/v1/invoices/${inv.id}/void`, { reason: 'Sai giá' });
    expect(voided.body).toMatchObject({ status: 'void', number: inv.number, balance: 0 });
    // A payment is never edited: its amount is not writable.
    expect((await sales.patch(`/api/v1/payments/${p.body.id}`, { amount: 1 })).status).toBe(400);
    // Invoices are never deleted.
    expect((await admin.delete(`/api/v1/invoices/${inv.id}`)).status).toBeGreaterThanOrEqual(403);
  });

  it('lists customers by balance, a contact without a company by its name, and overdue ones only on request', async () => {
    // A contact buying on its own (no company): its invoice's customer is the contact.
    const person = (await sales.post('/api/v1/contacts', { fullName: 'Đặng Thị Mai' })).body
      .id as string;
    const inv = await sales.post('/api/v1/invoices', {
      contactId: person,
      issueDate: dayOffset(0),
      paymentTermsDays: 30,
    });
    expect(inv.status).toBe(201);
    await sales.put(`/api/v1/invoices/${inv.body.id}/line-items`, {
      items: [{ name: 'Hàng hoá', quantity: 1, unitPrice: 987_000, vatRate: '0' }],
    });
    expect((await manager.post(`/api/v1/invoices/${inv.body.id}/issue`)).status).toBe(200);
    const report = await manager.get('/api/v1/receivables');
    const rows = report.body.customers as {
      customer: { object: string; id: string; name: string };
      balance: number;
      buckets: Record<string, number>;
      overdueInvoices: number;
    }[];
    const balances = rows.map((r) => r.balance);
    expect(balances).toEqual([...balances].sort((a, b) => b - a));
    expect(rows.find((r) => r.customer.id === person)).toMatchObject({
      customer: { object: 'contacts', name: expect.stringContaining('Mai') },
      balance: 987_000,
      buckets: { notDue: 987_000, over90: 0 },
      overdueInvoices: 0,
    });
    // Not overdue: left out of the overdue list, which holds only customers with overdue invoices.
    const overdue = (await manager.get('/api/v1/receivables?overdue=true')).body.customers as {
      customer: { id: string };
      overdueInvoices: number;
    }[];
    expect(overdue.some((r) => r.customer.id === person)).toBe(false);
    expect(overdue.every((r) => r.overdueInvoices > 0)).toBe(true);
  });

  it('ages receivables by days past due, with the customer’s owner, and prints a statement', async () => {
    const shop = (await sales.post('/api/v1/companies', { name: 'Tạp hoá Hồng Nhung' })).body.id;
    await issued(shop, 100_000, -75, 30); // due 45 days ago: 31–60
    await issued(shop, 40_000, -10, 30); // due in 20 days: not due
    await issued(shop, 25_000, -130, 30); // due 100 days ago: over 90
    const report = await manager.get('/api/v1/receivables');
    const row = report.body.customers.find(
      (c: { customer: { id: string } }) => c.customer.id === shop,
    );
    expect(row).toMatchObject({
      customer: { object: 'companies', name: 'Tạp hoá Hồng Nhung' },
      balance: 165_000,
      buckets: { notDue: 40_000, d1_30: 0, d31_60: 100_000, d61_90: 0, over90: 25_000 },
      overdueInvoices: 2,
    });
    expect(row.owner.name).toBeTruthy();
    const overdue = await manager.get('/api/v1/receivables?overdue=true');
    expect(
      overdue.body.customers.some((c: { customer: { id: string } }) => c.customer.id === shop),
    ).toBe(true);
    expect(await company(shop)).toMatchObject({ openBalance: 165_000, overdueAmount: 125_000 });
    const statement = await manager.getBytes(
      `/api/v1/receivables/statement?object=companies&id=${shop}`,
    );
    expect(statement.status).toBe(200);
    const text = (await pdfPageTexts(statement.bytes)).join('\n');
    expect(text).toContain('BẢNG ĐỐI CHIẾU CÔNG NỢ');
    expect(text).toContain('Tạp hoá Hồng Nhung');
    expect(text).toContain('165.000');
  });

  it('takes the customer’s payment terms for the due date, else the business profile’s', async () => {
    await sales.patch(`/api/v1/companies/${other}`, { paymentTermsDays: 45 });
    const inv = await sales.post('/api/v1/invoices', { companyId: other, issueDate: '2026-12-01' });
    expect(inv.body).toMatchObject({ paymentTermsDays: 45, dueDate: '2027-01-15' });
    const plain = await sales.post('/api/v1/invoices', { companyId: lan, issueDate: '2026-12-01' });
    expect(plain.body).toMatchObject({ paymentTermsDays: 30, dueDate: '2026-12-31' });
    expect(
      (await sales.patch(`/api/v1/companies/${other}`, { paymentTermsDays: 400 })).status,
    ).toBe(400);
  });

  it('keeps invoice numbers unique and gap-free when many are created at once', async () => {
    const made = await Promise.all(
      Array.from({ length: 10 }, () => sales.post('/api/v1/invoices', { companyId: lan })),
    );
    expect(made.every((r) => r.status === 201)).toBe(true);
    const all = await admin.get('/api/v1/invoices?limit=200');
    const seq = all.body.items
      .map((x: { number: string }) => Number(x.number.slice(-4)))
      .sort((a: number, b: number) => a - b);
    expect(seq).toEqual(Array.from({ length: seq.length }, (_, i) => i + 1));
  });

  it('lists customers with no order for 90 days through a relative filter on a figure', async () => {
    const filter = JSON.stringify({
      and: [
        { field: 'lastOrderDate', op: 'within_last_days', value: 90 },
        { field: 'totalSpent', op: 'gt', value: 100_000 },
      ],
    });
    const recent = await admin.get(`/api/v1/companies?filter=${encodeURIComponent(filter)}`);
    expect(recent.status).toBe(200);
    expect(recent.body.items.map((c: { id: string }) => c.id)).toEqual([lan]);
    const stale = JSON.stringify({
      and: [{ field: 'lastOrderDate', op: 'more_than_days_ago', value: 90 }],
    });
    expect(
      (await admin.get(`/api/v1/companies?filter=${encodeURIComponent(stale)}`)).body.items,
    ).toEqual([]);
    const bad = JSON.stringify({
      and: [{ field: 'lastOrderDate', op: 'more_than_days_ago', value: -1 }],
    });
    expect((await admin.get(`/api/v1/companies?filter=${encodeURIComponent(bad)}`)).status).toBe(
      400,
    );
  });
});
