import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/sql.js';
import { pricesFor } from '../../src/modules/price-lists/price-lists.service.js';
import { ownerActor } from '../../src/modules/workspaces/workspaces.service.js';
import { addMember, Client, PASSWORD, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Price lists per customer group (#20, src/modules/price-lists): the lists and their prices
 * through the real HTTP stack, the customers' "Bảng giá" field (form, filter, import, export),
 * and pricesFor(), which quotes price their lines with.
 */
describe('price lists', () => {
  let t: TestApp;
  let admin: Client;
  let adminId: string;
  let workspaceId: string;
  let sales: Client;
  let other: Client;
  const product: Record<string, string> = {};
  let dealer: string;
  let retail: string;

  const put = (client: Client, id: string, items: unknown) =>
    client.request('PUT', `/api/v1/price-lists/${id}/items`, { items });
  const fieldError = (res: { body: { error: { details: { fields: unknown[] } } } }) =>
    res.body.error.details.fields[0];

  beforeAll(async () => {
    t = await createTestApp();
    const setup = await setupAdmin(t.app);
    admin = setup.admin;
    const session = await admin.get('/api/v1/auth/session');
    adminId = session.body.user.id;
    workspaceId = session.body.workspace.id;
    sales = (await addMember(t.app, admin, 'sales')).client;
    other = new Client(t.app);
    await other.post('/api/v1/auth/sign-in', { email: setup.email, password: PASSWORD });
    expect((await other.post('/api/v1/workspaces', { name: 'Công ty TNHH Khác' })).status).toBe(
      201,
    );
    for (const [sku, name, unitPrice] of [
      ['NM-500', 'Nước mắm Phú Quốc 500ml', 45_000],
      ['GAO-25', 'Gạo ST25 túi 5kg', 180_000],
      ['MIEN', 'Miến dong', 0],
    ] as const) {
      const res = await admin.post('/api/v1/products', { sku, name, unitPrice, unit: 'chai' });
      expect(res.status).toBe(201);
      product[sku] = res.body.id;
    }
  });
  afterAll(() => t?.close());

  it('creates, lists, renames lists; a name is taken whatever its case; managers keep them', async () => {
    const created = await admin.post('/api/v1/price-lists', {
      name: '  Đại lý   cấp 1 ',
      description: 'Chiết khấu cho đại lý',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Đại lý cấp 1',
      description: 'Chiết khấu cho đại lý',
      active: true,
      isDefault: false,
      itemCount: 0,
      companyCount: 0,
      contactCount: 0,
    });
    dealer = created.body.id;
    const second = await admin.post('/api/v1/price-lists', { name: 'Khách lẻ', isDefault: true });
    expect(second.status).toBe(201);
    retail = second.body.id;

    const taken = await admin.post('/api/v1/price-lists', { name: 'ĐẠI LÝ CẤP 1' });
    expect(taken.status).toBe(400);
    expect(fieldError(taken)).toMatchObject({ path: 'name', reason: 'duplicate' });
    const renameTaken = await admin.patch(`/api/v1/price-lists/${retail}`, {
      name: 'đại lý cấp 1',
    });
    expect(renameTaken.status).toBe(400);
    expect(fieldError(renameTaken)).toMatchObject({ path: 'name', reason: 'duplicate' });
    const empty = await admin.post('/api/v1/price-lists', { name: '   ' });
    expect(empty.status).toBe(400);
    const huge = await admin.post('/api/v1/price-lists', { name: 'x'.repeat(101) });
    expect(huge.status).toBe(400);

    // Everyone who reads products reads the lists; only managers and admins change them.
    const list = await sales.get('/api/v1/price-lists');
    expect(list.status).toBe(200);
    expect(list.body.items.map((l: { name: string }) => l.name)).toEqual([
      'Khách lẻ',
      'Đại lý cấp 1',
    ]);
    expect((await sales.post('/api/v1/price-lists', { name: 'Của tôi' })).status).toBe(403);
    expect((await put(sales, dealer, [])).status).toBe(403);
    // Another workspace sees none of them.
    expect((await other.get('/api/v1/price-lists')).body.items).toEqual([]);
    expect((await other.get(`/api/v1/price-lists/${dealer}`)).status).toBe(404);
    expect((await other.patch(`/api/v1/price-lists/${dealer}`, { name: 'X' })).status).toBe(404);
  });

  it('keeps at most one default list, and an active one', async () => {
    const moved = await admin.patch(`/api/v1/price-lists/${dealer}`, { isDefault: true });
    expect(moved.body.isDefault).toBe(true);
    expect((await admin.get(`/api/v1/price-lists/${retail}`)).body.isDefault).toBe(false);
    const both = await admin.patch(`/api/v1/price-lists/${retail}`, {
      active: false,
      isDefault: true,
    });
    expect(both.status).toBe(400);
    expect(fieldError(both)).toMatchObject({ path: 'isDefault' });
    // Deactivating the default ends it being the default.
    const off = await admin.patch(`/api/v1/price-lists/${dealer}`, { active: false });
    expect(off.body).toMatchObject({ active: false, isDefault: false });
    await admin.patch(`/api/v1/price-lists/${dealer}`, { active: true });
    await admin.patch(`/api/v1/price-lists/${retail}`, { isDefault: true });
    const rows = await t.ctx.db.system((tx) =>
      queryRows<{ n: number }>(
        tx,
        sql`SELECT count(*)::int AS n FROM price_lists WHERE workspace_id = ${workspaceId} AND is_default`,
      ),
    );
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('replaces a list’s prices in one request and shows each product’s own price beside them', async () => {
    const saved = await put(admin, dealer, [
      { productId: product['NM-500'], unitPrice: 40_500 },
      { productId: product['GAO-25'], unitPrice: 180_000 },
      { productId: product.MIEN, unitPrice: 12_000 },
    ]);
    expect(saved.status).toBe(200);
    expect(saved.body.priceList.itemCount).toBe(3);
    expect(saved.body.items).toEqual([
      {
        productId: product['GAO-25'],
        sku: 'GAO-25',
        name: 'Gạo ST25 túi 5kg',
        unit: 'chai',
        unitPrice: 180_000,
        productUnitPrice: 180_000,
        differencePercent: 0,
        productActive: true,
        productDeleted: false,
      },
      expect.objectContaining({ sku: 'MIEN', unitPrice: 12_000, differencePercent: null }),
      expect.objectContaining({
        sku: 'NM-500',
        unitPrice: 40_500,
        productUnitPrice: 45_000,
        differencePercent: -10,
      }),
    ]);
    // Replace: a product left out goes, one repriced is repriced.
    const again = await put(admin, dealer, [{ productId: product['NM-500'], unitPrice: 42_000 }]);
    expect(
      again.body.items.map((i: { sku: string; unitPrice: number }) => [i.sku, i.unitPrice]),
    ).toEqual([['NM-500', 42_000]]);
    const read = await sales.get(`/api/v1/price-lists/${dealer}/items`);
    expect(read.status).toBe(200);
    expect(read.body.items).toHaveLength(1);
    // The audit log names the changed prices by SKU.
    const audit = await t.ctx.db.system((tx) =>
      queryRows<{ changes: Record<string, { from: unknown; to: unknown }> }>(
        tx,
        sql`SELECT changes FROM audit_log WHERE object_type = 'price_list' AND object_id = ${dealer}
             AND action = 'update' ORDER BY id DESC LIMIT 1`,
      ),
    );
    expect(audit[0]!.changes).toMatchObject({
      'NM-500': { from: 40_500, to: 42_000 },
      'GAO-25': { from: 180_000, to: null },
      itemCount: { from: 3, to: 1 },
    });
  });

  it('refuses bad prices with 400 and changes nothing', async () => {
    const foreign = await other.post('/api/v1/products', {
      sku: 'NM-500',
      name: 'Của công ty khác',
    });
    expect(foreign.status).toBe(201);
    const cases: [unknown[], string, string | undefined][] = [
      [[{ productId: product['NM-500'], unitPrice: -1 }], 'items.0.unitPrice', undefined],
      [[{ productId: product['NM-500'], unitPrice: 1.5 }], 'items.0.unitPrice', undefined],
      [[{ productId: product['NM-500'], unitPrice: 1e16 }], 'items.0.unitPrice', undefined],
      [[{ productId: product['NM-500'], unitPrice: 1e300 }], 'items.0.unitPrice', undefined],
      [[{ productId: product['NM-500'], unitPrice: '1000' }], 'items.0.unitPrice', undefined],
      [
        [{ productId: '0190a5b0-0000-7000-8000-000000000000', unitPrice: 1 }],
        'items.0.productId',
        'not_found',
      ],
      [[{ productId: foreign.body.id, unitPrice: 1 }], 'items.0.productId', 'not_found'],
      [
        [
          { productId: product['GAO-25'], unitPrice: 1 },
          { productId: product['GAO-25'], unitPrice: 2 },
        ],
        'items.1.productId',
        'duplicate',
      ],
      [[{ productId: 'not-a-uuid', unitPrice: 1 }], 'items.0.productId', undefined],
      [[{ productId: product['NM-500'], unitPrice: 1, extra: true }], 'items.0', undefined],
    ];
    for (const [items, path, reason] of cases) {
      const res = await put(admin, dealer, items);
      expect(res.status, JSON.stringify(items)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      const fields = res.body.error.details.fields as { path: string; reason?: string }[];
      expect(
        fields.some((f) => f.path.startsWith(path)),
        JSON.stringify(fields),
      ).toBe(true);
      if (reason) expect(fields.find((f) => f.path === path)?.reason).toBe(reason);
    }
    // Too many lines.
    const many = Array.from({ length: 5001 }, () => ({ productId: product.MIEN, unitPrice: 1 }));
    expect((await put(admin, dealer, many)).status).toBe(400);
    expect((await put(admin, '0190a5b0-0000-7000-8000-000000000000', [])).status).toBe(404);
    // Another workspace's list is not found there, whatever the body.
    expect((await put(other, dealer, [])).status).toBe(404);
    const unchanged = await admin.get(`/api/v1/price-lists/${dealer}/items`);
    expect(
      unchanged.body.items.map((i: { sku: string; unitPrice: number }) => [i.sku, i.unitPrice]),
    ).toEqual([['NM-500', 42_000]]);
  });

  it('a trashed product keeps its price, cannot be added, and is still priced', async () => {
    await put(admin, dealer, [
      { productId: product['NM-500'], unitPrice: 42_000 },
      { productId: product.MIEN, unitPrice: 9_000 },
    ]);
    expect((await admin.delete(`/api/v1/products/${product.MIEN}`)).status).toBe(204);
    const kept = await put(admin, dealer, [
      { productId: product['NM-500'], unitPrice: 42_000 },
      { productId: product.MIEN, unitPrice: 9_500 },
    ]);
    expect(kept.status).toBe(200);
    expect(kept.body.items.find((i: { sku: string }) => i.sku === 'MIEN')).toMatchObject({
      unitPrice: 9_500,
      productDeleted: true,
    });
    const refused = await put(admin, retail, [{ productId: product.MIEN, unitPrice: 1 }]);
    expect(refused.status).toBe(400);
    expect(fieldError(refused)).toMatchObject({ path: 'items.0.productId', reason: 'in_trash' });
    expect((await admin.post(`/api/v1/products/${product.MIEN}/restore`)).status).toBe(200);
  });

  it('contacts and companies name a list: form field, filter, validation', async () => {
    const fields = await sales.get('/api/v1/objects/companies/fields');
    const field = fields.body.items.find((f: { key: string }) => f.key === 'priceListId');
    expect(field).toMatchObject({ type: 'select', filterable: true, sortable: true });
    expect(field.label).toEqual({ vi: 'Bảng giá', en: 'Price list' });
    expect(field.options.map((o: { label: { vi: string } }) => o.label.vi)).toEqual([
      'Đại lý cấp 1',
      'Khách lẻ',
    ]);
    const objects = await sales.get('/api/v1/objects');
    const contactsDef = objects.body.items.find((o: { key: string }) => o.key === 'contacts');
    expect(contactsDef.presentation.form.more).toContain('priceListId');

    const company = await admin.post('/api/v1/companies', {
      name: 'Công ty TNHH Minh Phát',
      priceListId: dealer,
    });
    expect(company.status).toBe(201);
    expect(company.body.priceListId).toBe(dealer);
    const contact = await admin.post('/api/v1/contacts', {
      fullName: 'Trần Thị Bình',
      priceListId: retail,
    });
    expect(contact.body.priceListId).toBe(retail);
    const plain = await admin.post('/api/v1/contacts', { fullName: 'Lê Văn Cường' });
    expect(plain.body.priceListId).toBeNull();

    const unknown = await admin.post('/api/v1/companies', {
      name: 'X',
      priceListId: '0190a5b0-0000-7000-8000-000000000000',
    });
    expect(unknown.status).toBe(400);
    expect(fieldError(unknown)).toMatchObject({ path: 'priceListId', reason: 'not_found' });
    // Another workspace's list is unknown here.
    const foreignList = await other.post('/api/v1/price-lists', { name: 'Riêng' });
    const foreign = await admin.patch(`/api/v1/contacts/${plain.body.id}`, {
      priceListId: foreignList.body.id,
    });
    expect(foreign.status).toBe(400);
    expect(fieldError(foreign)).toMatchObject({ path: 'priceListId', reason: 'not_found' });

    const filter = JSON.stringify({ and: [{ field: 'priceListId', op: 'is', value: retail }] });
    const filtered = await admin.get(`/api/v1/contacts?filter=${encodeURIComponent(filter)}`);
    expect(filtered.status).toBe(200);
    expect(filtered.body.items.map((c: { displayName: string }) => c.displayName)).toEqual([
      'Trần Thị Bình',
    ]);
    const sorted = await admin.get('/api/v1/contacts?sort=priceListId');
    expect(sorted.status).toBe(200);
    const counts = await admin.get(`/api/v1/price-lists/${retail}`);
    expect(counts.body).toMatchObject({ contactCount: 1, companyCount: 0 });

    // An inactive list is kept where it is, offered no more, refused as a new value.
    await admin.patch(`/api/v1/price-lists/${retail}`, { active: false });
    const archived = (await sales.get('/api/v1/objects/contacts/fields')).body.items
      .find((f: { key: string }) => f.key === 'priceListId')
      .options.find((o: { key: string }) => o.key === retail);
    expect(archived.archived).toBe(true);
    const inactive = await admin.patch(`/api/v1/contacts/${plain.body.id}`, {
      priceListId: retail,
    });
    expect(inactive.status).toBe(400);
    expect(fieldError(inactive)).toMatchObject({ path: 'priceListId', reason: 'archived' });
    const keep = await admin.patch(`/api/v1/contacts/${contact.body.id}`, { source: 'Zalo' });
    expect(keep.status).toBe(200);
    expect(keep.body.priceListId).toBe(retail);
    // Deactivating it ended it being the default: both come back.
    const back = await admin.patch(`/api/v1/price-lists/${retail}`, {
      active: true,
      isDefault: true,
    });
    expect(back.body).toMatchObject({ active: true, isDefault: true });
  });

  it('prices a quote’s products: company list, then contact list, then default, then the product', async () => {
    await put(admin, dealer, [{ productId: product['NM-500'], unitPrice: 42_000 }]);
    await put(admin, retail, [
      { productId: product['NM-500'], unitPrice: 47_000 },
      { productId: product['GAO-25'], unitPrice: 185_000 },
    ]);
    const company = await admin.post('/api/v1/companies', {
      name: 'Đại lý Hoà Bình',
      priceListId: dealer,
    });
    const contact = await admin.post('/api/v1/contacts', {
      fullName: 'Phạm Văn Dũng',
      priceListId: retail,
    });
    const actor = ownerActor({ id: adminId, name: 'Nguyễn Văn An' }, workspaceId, 'api', null);
    const ids = [product['NM-500']!, product['GAO-25']!, '0190a5b0-0000-7000-8000-000000000000'];
    const price = (who: { companyId?: string; contactId?: string }) =>
      t.ctx.db.read(actor, (tx) => pricesFor(tx, who, ids));

    // The company's list wins over the contact's; a product missing from it takes its own price.
    const both = await price({ companyId: company.body.id, contactId: contact.body.id });
    expect(Object.fromEntries(both)).toEqual({
      [product['NM-500']!]: {
        unitPrice: 42_000,
        source: 'price_list',
        priceListId: dealer,
        priceListName: 'Đại lý cấp 1',
      },
      [product['GAO-25']!]: { unitPrice: 180_000, source: 'product' },
    });
    // The contact's list when the company has none (or there is no company).
    const contactOnly = await price({ contactId: contact.body.id });
    expect(contactOnly.get(product['GAO-25']!)).toMatchObject({
      unitPrice: 185_000,
      source: 'price_list',
      priceListId: retail,
    });
    // Nobody named: the default list (Khách lẻ).
    const nobody = await price({});
    expect(nobody.get(product['NM-500']!)).toMatchObject({
      unitPrice: 47_000,
      priceListId: retail,
    });
    // An inactive company list gives way to the contact's.
    await admin.patch(`/api/v1/price-lists/${dealer}`, { active: false });
    const inactive = await price({ companyId: company.body.id, contactId: contact.body.id });
    expect(inactive.get(product['NM-500']!)).toMatchObject({
      unitPrice: 47_000,
      priceListId: retail,
    });
    await admin.patch(`/api/v1/price-lists/${dealer}`, { active: true });
    // No default and no list: every product at its own price; inactive products are priced too.
    await admin.patch(`/api/v1/price-lists/${retail}`, { isDefault: false });
    await admin.patch(`/api/v1/products/${product['GAO-25']}`, { active: false });
    const plain = await price({});
    expect(Object.fromEntries(plain)).toEqual({
      [product['NM-500']!]: { unitPrice: 45_000, source: 'product' },
      [product['GAO-25']!]: { unitPrice: 180_000, source: 'product' },
    });
    await admin.patch(`/api/v1/price-lists/${retail}`, { isDefault: true });

    // Over HTTP, for the quote editor.
    const res = await sales.get(
      `/api/v1/price-lists/quote-prices?companyId=${company.body.id}&productIds=${ids.join(',')}`,
    );
    // The company is the admin's: a sales rep who sees only their own customers may not price it.
    expect(res.status).toBe(403);
    const ok = await admin.get(
      `/api/v1/price-lists/quote-prices?companyId=${company.body.id}&contactId=${contact.body.id}&productIds=${ids.join(',')}`,
    );
    expect(ok.status).toBe(200);
    expect(ok.body.priceList).toEqual({ id: dealer, name: 'Đại lý cấp 1' });
    expect(ok.body.items).toHaveLength(2);
    expect(
      ok.body.items.find((i: { productId: string }) => i.productId === product['NM-500']),
    ).toEqual({
      productId: product['NM-500'],
      unitPrice: 42_000,
      source: 'price_list',
      priceListId: dealer,
      priceListName: 'Đại lý cấp 1',
      productUnitPrice: 45_000,
    });
    const mine = await sales.post('/api/v1/contacts', { fullName: 'Khách của Sales' });
    const salesOk = await sales.get(
      `/api/v1/price-lists/quote-prices?contactId=${mine.body.id}&productIds=${product['NM-500']}`,
    );
    expect(salesOk.status).toBe(200);
    expect(salesOk.body.priceList.id).toBe(retail);
    for (const bad of [
      'productIds=',
      'productIds=abc',
      `productIds=${product['NM-500']}&companyId=nope`,
      `productIds=${Array.from({ length: 201 }, () => product['NM-500']).join(',')}`,
    ]) {
      expect((await admin.get(`/api/v1/price-lists/quote-prices?${bad}`)).status, bad).toBe(400);
    }
    const otherCompany = await other.post('/api/v1/companies', { name: 'Công ty khác' });
    expect(
      (
        await admin.get(
          `/api/v1/price-lists/quote-prices?companyId=${otherCompany.body.id}&productIds=${product['NM-500']}`,
        )
      ).status,
    ).toBe(404);
    await admin.patch(`/api/v1/products/${product['GAO-25']}`, { active: true });
  });

  it('imports and exports the list by its name', async () => {
    const boundary = '----senPriceLists';
    const csv =
      'Tên công ty,Bảng giá\r\nCông ty CP Nhập Khẩu,đại lý cấp 1\r\nCông ty Sai,Không có\r\n';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cong-ty.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.from(csv),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/companies/imports',
      payload,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        cookie: `sen_session=${admin.cookie}`,
        'x-csrf-token': admin.csrf ?? '',
      },
    });
    expect(up.statusCode).toBe(201);
    const imp = up.json();
    expect(imp.mapping).toEqual(['name', 'priceListId']);
    const preview = await admin.post(`/api/v1/imports/${imp.id}/preview`, {
      mapping: imp.mapping,
      options: { duplicates: 'skip' },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.rows.map((r: { outcome: string }) => r.outcome)).toEqual([
      'created',
      'failed',
    ]);
    expect(preview.body.rows[0].record.priceListId).toBe(dealer);

    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/companies/export?columns=name,priceListId&sort=name',
      headers: { cookie: `sen_session=${admin.cookie}`, 'accept-language': 'vi' },
    });
    expect(res.statusCode).toBe(200);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Tên công ty,Bảng giá');
    expect(lines).toContain('Công ty TNHH Minh Phát,Đại lý cấp 1');
    expect(res.body).not.toContain(dealer);
  });

  it('deleting a list leaves its customers without one and drops its prices', async () => {
    const company = await admin.post('/api/v1/companies', {
      name: 'Công ty Sắp Mất Bảng Giá',
      priceListId: retail,
    });
    const res = await admin.delete(`/api/v1/price-lists/${retail}`);
    expect(res.status).toBe(204);
    const after = await admin.get(`/api/v1/companies/${company.body.id}`);
    expect(after.body.priceListId).toBeNull();
    const items = await t.ctx.db.system((tx) =>
      queryRows<{ n: number }>(
        tx,
        sql`SELECT count(*)::int AS n FROM price_list_items WHERE price_list_id = ${retail}`,
      ),
    );
    expect(Number(items[0]!.n)).toBe(0);
    // The workspace of the customers is untouched (only price_list_id was set to NULL).
    const row = await t.ctx.db.system((tx) =>
      queryRows<{ workspace_id: string }>(
        tx,
        sql`SELECT workspace_id FROM companies WHERE id = ${company.body.id}`,
      ),
    );
    expect(row[0]!.workspace_id).toBe(workspaceId);
    expect((await admin.get(`/api/v1/price-lists/${retail}`)).status).toBe(404);
    expect((await sales.delete(`/api/v1/price-lists/${dealer}`)).status).toBe(403);
  });
});
