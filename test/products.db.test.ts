import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

/**
 * Products, the first object built only from its declaration (src/modules/products): the
 * generic routes, field metadata, filters, search, timeline, export, trash, custom fields and
 * permissions serve it with no code of its own beyond its rules (SKU, price, VAT).
 */
describe('products through the generic machinery', () => {
  let t: TestApp;
  let admin: Client;
  let sales: Client;
  let manager: Client;

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    sales = (await addMember(t.app, admin, 'sales')).client;
    manager = (await addMember(t.app, admin, 'manager')).client;
  });
  afterAll(() => t?.close());

  it('creates, reads, updates, lists, filters and sorts products', async () => {
    const created = await manager.post('/api/v1/products', {
      sku: 'NM-500',
      name: 'Nước mắm Phú Quốc 500ml',
      unit: 'chai',
      unitPrice: 45_000,
      vatRate: '8',
      category: 'Gia vị',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      sku: 'NM-500',
      name: 'Nước mắm Phú Quốc 500ml',
      unit: 'chai',
      unitPrice: 45_000,
      vatRate: '8',
      active: true,
    });
    await manager.post('/api/v1/products', {
      sku: 'GAO-25',
      name: 'Gạo ST25 túi 5kg',
      unit: 'túi',
      unitPrice: 180_000,
    });
    const patched = await manager.patch(`/api/v1/products/${created.body.id}`, {
      unitPrice: 47_000,
    });
    expect(patched.body.unitPrice).toBe(47_000);
    const filter = JSON.stringify({ and: [{ field: 'unitPrice', op: 'gt', value: 100_000 }] });
    const list = await sales.get(`/api/v1/products?filter=${encodeURIComponent(filter)}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((p: { sku: string }) => p.sku)).toEqual(['GAO-25']);
    const sorted = await sales.get('/api/v1/products?sort=unitPrice');
    expect(sorted.body.items.map((p: { sku: string }) => p.sku)).toEqual(['NM-500', 'GAO-25']);
    const q = await sales.get('/api/v1/products?q=nuoc mam');
    expect(q.body.items.map((p: { sku: string }) => p.sku)).toEqual(['NM-500']);
  });

  it('refuses a duplicate SKU, a negative price and an unknown VAT rate, as field errors', async () => {
    const dup = await manager.post('/api/v1/products', { sku: 'NM-500', name: 'Khác' });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details.fields[0]).toMatchObject({ path: 'sku', reason: 'duplicate' });
    const negative = await manager.post('/api/v1/products', {
      sku: 'X1',
      name: 'X',
      unitPrice: -1,
    });
    expect(negative.body.error.details.fields[0].path).toBe('unitPrice');
    const vat = await manager.post('/api/v1/products', { sku: 'X2', name: 'X', vatRate: '7' });
    expect(vat.body.error.details.fields[0].path).toBe('vatRate');
  });

  it('the catalogue is read by everyone and kept by managers', async () => {
    expect((await sales.post('/api/v1/products', { sku: 'S1', name: 'Sales' })).status).toBe(403);
    expect((await sales.get('/api/v1/products')).status).toBe(200);
    const objects = await sales.get('/api/v1/objects');
    // Other modules add objects (leads, deals…): products is listed, after the customer records.
    const keys: string[] = objects.body.items.map((o: { key: string }) => o.key);
    expect(keys).toContain('products');
    expect(keys.filter((k) => ['contacts', 'companies', 'products'].includes(k))).toEqual([
      'contacts',
      'companies',
      'products',
    ]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('fields metadata, search, export, notes, timeline, trash and custom fields', async () => {
    const fields = await sales.get('/api/v1/objects/products/fields');
    const keys = fields.body.items.map((f: { key: string }) => f.key);
    expect(keys).toEqual(
      expect.arrayContaining(['name', 'sku', 'unit', 'unitPrice', 'vatRate', 'category', 'active']),
    );
    // The trash is its own view: "deleted at" is sortable there but never offered as a filter.
    const deletedAt = fields.body.items.find((f: { key: string }) => f.key === 'deletedAt');
    expect(deletedAt).toMatchObject({ filterable: false, sortable: true });
    const vat = fields.body.items.find((f: { key: string }) => f.key === 'vatRate');
    expect(vat.options.map((o: { label: { vi: string } }) => o.label.vi)).toContain(
      'Không chịu thuế',
    );

    const search = await sales.get('/api/v1/search?q=ST25');
    expect(search.body.items[0]).toMatchObject({ type: 'products', title: 'Gạo ST25 túi 5kg' });
    const bySku = await sales.get('/api/v1/search?q=gao-25');
    expect(bySku.body.items.map((h: { type: string }) => h.type)).toContain('products');

    const csv = await sales.get('/api/v1/products/export');
    expect(csv.status).toBe(200);
    expect(String(csv.body)).toContain('Mã SKU');
    expect(String(csv.body)).toContain('GAO-25');

    const list = await admin.get('/api/v1/products?q=gao');
    const id = list.body.items[0].id;
    expect(
      (await admin.post(`/api/v1/products/${id}/notes`, { bodyHtml: '<p>Hàng mới về</p>' })).status,
    ).toBe(201);
    const timeline = await admin.get(`/api/v1/products/${id}/timeline`);
    expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['note', 'created']),
    );

    const field = await admin.post('/api/v1/custom-fields', {
      object: 'products',
      label: 'Xuất xứ',
      type: 'text',
    });
    expect(field.status).toBe(201);
    const withCustom = await admin.patch(`/api/v1/products/${id}`, {
      custom: { [field.body.key]: 'Sóc Trăng' },
    });
    expect(withCustom.body.custom[field.body.key]).toBe('Sóc Trăng');

    expect((await admin.delete(`/api/v1/products/${id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/products/${id}`)).status).toBe(404);
    const trash = await admin.get('/api/v1/products?trash=true');
    expect(trash.body.items.map((p: { id: string }) => p.id)).toEqual([id]);
    // A trashed product frees its SKU.
    expect(
      (await admin.post('/api/v1/products', { sku: 'GAO-25', name: 'Gạo ST25 mới' })).status,
    ).toBe(201);
    // Restoring the old one now meets the new one's SKU: refused, nothing lost.
    const restore = await admin.post(`/api/v1/products/${id}/restore`);
    expect(restore.status).toBe(409);
    expect(restore.body.error.code).toBe('CONFLICT');
  });
});
