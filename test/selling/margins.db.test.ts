import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import { pdfPageTexts } from '../support/pdf-text.js';

/**
 * Cost price (giá vốn) and margin (lãi gộp), hidden per role (#20): a product's cost price is
 * copied onto a document's line; the lines' GET/PUT carry each line's cost and margin and the
 * document's margin, computed by the server — but only to a role that may see products'
 * `costPrice`. A role denied it never receives a cost or a margin (lines, totals, products,
 * exports, PDFs, record responses) and its writes of cost prices are refused.
 */
describe('cost price and margin per role', () => {
  let t: TestApp;
  let admin: Client;
  let manager: Awaited<ReturnType<typeof addMember>>;
  let company: string;
  let soap: { id: string };

  const fieldErrors = (body: {
    error: { details: { fields: { path: string; reason: string }[] } };
  }) => body.error.details.fields.map((f) => `${f.path}:${f.reason}`);

  /** Every key of a JSON value, however deep. */
  const keysOf = (value: unknown): string[] =>
    value && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)])
      : [];
  const costKeys = ['costPrice', 'costAmount', 'margin', 'marginPercent'];

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    manager = await addMember(t.app, admin, 'manager', 'Nguyễn Thị Lan');
    company = (await admin.post('/api/v1/companies', { name: 'Đại lý Hoa Mai' })).body.id;
    const created = await admin.post('/api/v1/products', {
      sku: 'XP-01',
      name: 'Xà phòng thơm',
      unitPrice: 100_000,
      costPrice: 60_000,
      vatRate: '10',
    });
    expect(created.status).toBe(201);
    expect(created.body.costPrice).toBe(60_000);
    soap = created.body;
  });
  afterAll(() => t?.close());

  const lines = [
    // 2.5 × 100,000 = 250,000 less 10 % = 225,000 net; cost 2.5 × 60,000 = 150,000.
    { productId: '', quantity: '2.5', discount: { kind: 'percent', value: 10 } },
    // A free-text line: no cost known.
    { name: 'Phí vận chuyển', quantity: 1, unitPrice: 50_000, vatRate: '8' },
  ];

  it('a role that sees cost prices gets each line’s margin and the document’s, computed by the server', async () => {
    const quote = (await admin.post('/api/v1/quotes', { companyId: company })).body;
    const put = await admin.put(`/api/v1/quotes/${quote.id}/line-items`, {
      items: lines.map((l) => ('productId' in l ? { ...l, productId: soap.id } : l)),
    });
    expect(put.status).toBe(200);
    expect(put.body.items[0]).toMatchObject({
      netAmount: 225_000,
      costPrice: 60_000,
      costAmount: 150_000,
      margin: 75_000,
      marginPercent: 33.33,
    });
    expect(put.body.items[1]).toMatchObject({
      costPrice: null,
      costAmount: null,
      margin: null,
      marginPercent: null,
    });
    expect(put.body.totals.margin).toEqual({
      cost: 150_000,
      margin: 75_000,
      percent: 33.33,
      linesWithoutCost: 1,
    });
    // A cost given on a line (a free-text one) counts; a sale below cost is a negative margin.
    const below = await admin.put(`/api/v1/quotes/${quote.id}/line-items`, {
      items: [
        { productId: soap.id, quantity: 1, unitPrice: 50_000 },
        { name: 'Giỏ quà', quantity: 2, unitPrice: 30_000, costPrice: 20_000, vatRate: '10' },
      ],
    });
    expect(below.status).toBe(200);
    expect(below.body.items.map((l: { margin: number }) => l.margin)).toEqual([-10_000, 20_000]);
    expect(below.body.items[0].marginPercent).toBe(-20);
    expect(below.body.totals.margin).toEqual({
      cost: 100_000,
      margin: 10_000,
      percent: 9.09,
      linesWithoutCost: 0,
    });
    const got = await admin.get(`/api/v1/quotes/${quote.id}/line-items`);
    expect(got.body.totals.margin).toEqual(below.body.totals.margin);
    // Negative cost prices are refused.
    const bad = await admin.put(`/api/v1/quotes/${quote.id}/line-items`, {
      items: [{ name: 'X', quantity: 1, unitPrice: 1, costPrice: -1, vatRate: '10' }],
    });
    expect(bad.status).toBe(400);
    expect((await admin.patch(`/api/v1/products/${soap.id}`, { costPrice: -5 })).status).toBe(400);
  });

  it('a role denied products’ cost price never receives a cost or a margin, and cannot write one', async () => {
    const saved = await admin.request('PUT', `/api/v1/roles/${manager.roleId}/field-access`, {
      fieldAccess: { products: { costPrice: 'hidden' } },
    });
    expect(saved.status).toBe(200);
    const m = manager.client;

    // Products: the field is null in responses and left out of the field metadata.
    const product = await m.get(`/api/v1/products/${soap.id}`);
    expect(product.status).toBe(200);
    expect(product.body.costPrice).toBeNull();
    const list = await m.get('/api/v1/products');
    expect(list.body.items.every((p: { costPrice: unknown }) => p.costPrice === null)).toBe(true);
    const fields = (await m.get('/api/v1/objects/products/fields')).body.items.map(
      (f: { key: string }) => f.key,
    );
    expect(fields).not.toContain('costPrice');
    const csv = await m.get('/api/v1/products/export?format=csv');
    expect(csv.status).toBe(200);
    expect(String(csv.body)).not.toContain('Giá vốn');
    expect(String(csv.body)).not.toContain('60000');
    const patch = await m.patch(`/api/v1/products/${soap.id}`, { costPrice: 1 });
    expect(patch.status).toBe(400);
    expect(fieldErrors(patch.body)).toContain('costPrice:not_writable');

    // Lines on each selling document: no cost, no margin, in PUT and GET.
    for (const object of ['quotes', 'orders', 'invoices']) {
      const doc = (await m.post(`/api/v1/${object}`, { companyId: company })).body;
      expect(doc.id).toBeTruthy();
      const put = await m.put(`/api/v1/${object}/${doc.id}/line-items`, {
        items: lines.map((l) => ('productId' in l ? { ...l, productId: soap.id } : l)),
      });
      expect(put.status).toBe(200);
      expect(put.body.totals.total).toBe(225_000 + 22_500 + 50_000 + 4_000);
      for (const body of [put.body, (await m.get(`/api/v1/${object}/${doc.id}/line-items`)).body]) {
        expect(keysOf(body).filter((k) => costKeys.includes(k))).toEqual([]);
        expect(JSON.stringify(body)).not.toContain('150000');
      }
      // The record itself, and its PDF, never carry a cost.
      const record = await m.get(`/api/v1/${object}/${doc.id}`);
      expect(keysOf(record.body).filter((k) => costKeys.includes(k))).toEqual([]);
      const pdf = await m.getBytes(`/api/v1/${object}/${doc.id}/pdf`);
      expect(pdf.status).toBe(200);
      const text = (await pdfPageTexts(pdf.bytes)).join('\n');
      expect(text).toContain('Xà phòng thơm');
      expect(text).not.toMatch(/60[.,]000|150[.,]000|Giá vốn|Lãi gộp/);
      // Writing a cost price is refused.
      const write = await m.put(`/api/v1/${object}/${doc.id}/line-items`, {
        items: [{ productId: soap.id, quantity: 1, costPrice: 1 }],
      });
      expect(write.status).toBe(400);
      expect(fieldErrors(write.body)).toContain('items.0.costPrice:not_writable');

      // The lines still took the product's cost: an admin sees the margin of the rep's lines.
      const seen = await admin.get(`/api/v1/${object}/${doc.id}/line-items`);
      expect(seen.body.items[0]).toMatchObject({ costPrice: 60_000, margin: 75_000 });
      expect(seen.body.totals.margin).toMatchObject({ margin: 75_000, linesWithoutCost: 1 });
    }

    // Read-only: the cost and margin are shown but not written.
    await admin.request('PUT', `/api/v1/roles/${manager.roleId}/field-access`, {
      fieldAccess: { products: { costPrice: 'read_only' } },
    });
    const quote = (await m.post('/api/v1/quotes', { companyId: company })).body;
    const readOnly = await m.put(`/api/v1/quotes/${quote.id}/line-items`, {
      items: [{ productId: soap.id, quantity: 1 }],
    });
    expect(readOnly.body.items[0]).toMatchObject({ costPrice: 60_000, margin: 40_000 });
    expect(readOnly.body.totals.margin.percent).toBe(40);
    const refused = await m.put(`/api/v1/quotes/${quote.id}/line-items`, {
      items: [{ productId: soap.id, quantity: 1, costPrice: 1 }],
    });
    expect(refused.status).toBe(400);
  });
});
