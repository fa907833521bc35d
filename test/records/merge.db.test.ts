import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/sql.js';
import { addMember, Client, PASSWORD, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Duplicates and merge (#18) for every record object through the registry: pairs found by the
 * declared exact keys (phones, emails, tax codes, SKUs) and by fuzzy names above the workspace
 * threshold, ranked with their evidence, per caller scope, dismissed for good; a merge moves
 * notes, attachments, links, declared references and saved views' filters to the survivor,
 * trashes the others, refuses (writing nothing) without update on the survivor or delete on a
 * merged record; its undo puts every row back as it was.
 */
describe('duplicates and merge', () => {
  let t: TestApp;
  let admin: Client;
  let hoa: Client;
  let viewer: Client;
  let hoaId: string;
  let adminEmail: string;

  const create = async (client: Client, object: string, body: object) => {
    const res = await client.post(`/api/v1/${object}`, body);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body.id as string;
  };
  const scan = async (client: Client, object: string) => {
    const res = await client.post(`/api/v1/${object}/duplicate-pairs/scan`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const pairs = async (client: Client, object: string, query = '') => {
    const res = await client.get(`/api/v1/${object}/duplicate-pairs${query}`);
    expect(res.status).toBe(200);
    return res.body as {
      items: {
        score: number;
        evidence: {
          keys: { key: string; value: string }[];
          nameSimilarity: number;
          sharedLinks: string[];
        };
        records: { id: string }[];
      }[];
      nextCursor: string | null;
      threshold: number;
    };
  };
  const put = (client: Client, url: string, body: unknown) => client.request('PUT', url, body);
  const ids = (p: { records: { id: string }[] }) => p.records.map((r) => r.id).sort();
  const pairOf = (x: string, y: string) => [x, y].sort();

  /** Every row a merge can touch, as the database holds it (to compare before and after). */
  async function snapshot(object: string, recordIds: string[]) {
    return t.ctx.db.system(async (tx) => {
      const list = sql`${`{${recordIds.join(',')}}`}::uuid[]`;
      const q = async (query: ReturnType<typeof sql>) =>
        (await queryRows<{ r: unknown }>(tx, query)).map((x) => x.r);
      return {
        records: await q(
          sql`SELECT to_jsonb(r) - 'version' AS r FROM ${sql.identifier(object)} r WHERE id = ANY(${list}) ORDER BY id`,
        ),
        notes: await q(
          sql`SELECT to_jsonb(n) AS r FROM notes n WHERE record_id = ANY(${list}) ORDER BY id`,
        ),
        attachments: await q(
          sql`SELECT to_jsonb(a) AS r FROM attachments a WHERE record_id = ANY(${list}) ORDER BY id`,
        ),
        links: await q(
          sql`SELECT to_jsonb(l) AS r FROM contact_companies l
               WHERE contact_id = ANY(${list}) OR company_id = ANY(${list})
               ORDER BY contact_id, company_id`,
        ),
        children: await q(
          sql`SELECT to_jsonb(c) - 'version' AS r FROM companies c WHERE parent_id = ANY(${list}) ORDER BY id`,
        ),
        views: await q(sql`SELECT to_jsonb(v) AS r FROM saved_views v ORDER BY id`),
        unique: await q(
          sql`SELECT to_jsonb(u) AS r FROM custom_field_unique_values u
               WHERE record_id = ANY(${list}) ORDER BY field_id, value`,
        ),
      };
    });
  }

  beforeAll(async () => {
    t = await createTestApp();
    const setup = await setupAdmin(t.app);
    admin = setup.admin;
    adminEmail = setup.email;
    const h = await addMember(t.app, admin, 'sales', 'Vũ Thị Hoa');
    hoa = h.client;
    hoaId = h.userId;
    viewer = (await addMember(t.app, admin, 'viewer', 'Lê Văn Xem')).client;
  });
  afterAll(() => t?.close());

  it('finds pairs by each declared exact key and ranks them with their evidence', async () => {
    const an1 = await create(admin, 'contacts', {
      fullName: 'Nguyễn Văn An',
      phones: [{ value: '0912 345 678', primary: true }],
    });
    const an2 = await create(admin, 'contacts', {
      fullName: 'Anh An kho',
      phones: [{ value: '+84 912345678' }],
    });
    const mail1 = await create(admin, 'contacts', {
      fullName: 'Phạm Thu Trang',
      emails: [{ value: 'trang.pham@example.vn' }],
    });
    const mail2 = await create(admin, 'contacts', {
      fullName: 'Phạm Thu Trang',
      emails: [{ value: 'Trang.Pham@Example.vn' }],
    });
    await create(admin, 'contacts', { fullName: 'Đỗ Minh Khoa' });
    const co1 = await create(admin, 'companies', {
      name: 'Công ty CP Sen Vàng',
      taxCode: '0100109106',
    });
    const co2 = await create(admin, 'companies', {
      name: 'Sen Vang JSC',
      taxCode: '01.00.109.106',
    });
    const p1 = await create(admin, 'products', { sku: 'NM-500', name: 'Nước mắm 500ml' });
    const p2 = await create(admin, 'products', { sku: 'nm-500', name: 'Nước mắm chai' });

    await scan(admin, 'contacts');
    const contacts = await pairs(admin, 'contacts');
    const byIds = new Map(contacts.items.map((p) => [ids(p).join(), p]));
    const phone = byIds.get(pairOf(an1, an2).join());
    expect(phone?.evidence.keys).toEqual([{ key: 'phones', value: '+84912345678' }]);
    const mail = byIds.get(pairOf(mail1, mail2).join());
    expect(mail?.evidence.keys).toEqual([{ key: 'emails', value: 'trang.pham@example.vn' }]);
    expect(mail?.evidence.nameSimilarity).toBe(1);
    // Same email AND same name ranks above the same phone under different names.
    expect(contacts.items[0]).toBe(mail);
    expect(mail!.score).toBeGreaterThan(phone!.score);
    expect(contacts.items).toHaveLength(2);

    await scan(admin, 'companies');
    const companies = await pairs(admin, 'companies');
    expect(companies.items.map(ids)).toEqual([pairOf(co1, co2)]);
    expect(companies.items[0]!.evidence.keys).toEqual([{ key: 'taxCode', value: '0100109106' }]);

    await scan(admin, 'products');
    const products = await pairs(admin, 'products');
    expect(products.items.map(ids)).toEqual([pairOf(p1, p2)]);
    expect(products.items[0]!.evidence.keys).toEqual([{ key: 'sku', value: 'nm-500' }]);
    // A record in the trash is no one's duplicate.
    expect((await admin.delete(`/api/v1/products/${p2}`)).status).toBe(204);
    expect((await pairs(admin, 'products')).items).toEqual([]);
    await admin.post(`/api/v1/products/${p2}/restore`);
  });

  it('finds similar names above the threshold the admin tunes, with shared links', async () => {
    const co = await create(admin, 'companies', { name: 'Công ty TNHH Hoa Mai' });
    const a = await create(admin, 'contacts', { fullName: 'Trần Thị Bích Ngọc' });
    const b = await create(admin, 'contacts', { fullName: 'Tran Thi Bich Ngoc' });
    const c = await create(admin, 'contacts', { fullName: 'Trần Bích Ngọc' });
    // Alike names pair only with the same company (the contacts' declared sameLink); d has the
    // same name as a but no company.
    const d = await create(admin, 'contacts', { fullName: 'Trần Thị Bích Ngọc' });
    for (const id of [a, b, c]) {
      expect((await admin.post(`/api/v1/contacts/${id}/companies`, { companyId: co })).status).toBe(
        200,
      );
    }
    await scan(admin, 'contacts');
    const found = (await pairs(admin, 'contacts')).items;
    const ab = found.find((p) => ids(p).join() === pairOf(a, b).join());
    expect(ab?.evidence.nameSimilarity).toBe(1);
    expect(ab?.evidence.keys).toEqual([]);
    expect(found.some((p) => ids(p).includes(d))).toBe(false);
    const ac = found.find((p) => ids(p).join() === pairOf(a, c).join());
    expect(ac).toBeDefined();
    expect(ac!.evidence.nameSimilarity).toBeLessThan(1);
    expect(ac!.evidence.sharedLinks).toEqual(['contact_companies']);

    // Companies pair by name alone (sharing a word few companies have).
    const co2 = await create(admin, 'companies', { name: 'Cong ty Hoa Mai' });
    await create(admin, 'companies', { name: 'Công ty CP Thép Miền Nam' });
    await scan(admin, 'companies');
    const byName = (await pairs(admin, 'companies')).items.find(
      (p) => ids(p).join() === pairOf(co, co2).join(),
    );
    expect(byName?.evidence.nameSimilarity).toBeGreaterThanOrEqual(0.6);
    expect(byName?.evidence.keys).toEqual([]);

    // A stricter threshold keeps the identical names only.
    expect((await put(hoa, `/api/v1/contacts/duplicate-settings`, { threshold: 95 })).status).toBe(
      403,
    );
    const set = await put(admin, `/api/v1/contacts/duplicate-settings`, { threshold: 95 });
    expect(set.status).toBe(200);
    expect(set.body.threshold).toBe(95);
    await scan(admin, 'contacts');
    const strict = (await pairs(admin, 'contacts')).items.map((p) => ids(p).join());
    expect(strict).toContain(pairOf(a, b).join());
    expect(strict).not.toContain(pairOf(a, c).join());
    expect(
      (await put(admin, `/api/v1/contacts/duplicate-settings`, { threshold: 20 })).status,
    ).toBe(400);
    await put(admin, `/api/v1/contacts/duplicate-settings`, { threshold: 60 });
  });

  it('shows a caller only pairs of records they may both see, and pages them', async () => {
    const mine = await create(hoa, 'contacts', {
      fullName: 'Lý Thị Hồng',
      phones: [{ value: '0903 111 222' }],
    });
    const also = await create(hoa, 'contacts', {
      fullName: 'Lý Hồng',
      phones: [{ value: '0903111222' }],
    });
    const adminOwn = await create(admin, 'contacts', {
      fullName: 'Lý Thị Hồng',
      phones: [{ value: '0903111222' }],
    });
    await scan(hoa, 'contacts');
    const hers = (await pairs(hoa, 'contacts')).items;
    expect(hers.map(ids)).toEqual([pairOf(mine, also)]);
    const all = await pairs(admin, 'contacts');
    expect(all.items.map((p) => ids(p).join())).toContain(pairOf(mine, adminOwn).join());
    // Keyset pages: the same pairs one at a time, in the same order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await pairs(admin, 'contacts', `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((p) => ids(p).join()));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((p) => ids(p).join()));
    expect((await admin.get('/api/v1/contacts/duplicate-pairs?cursor=nonsense')).status).toBe(400);
  });

  it('remembers a dismissed pair through later scans', async () => {
    const a = await create(admin, 'contacts', {
      fullName: 'Hoàng Văn Tú',
      emails: [{ value: 'tu@hoang.vn' }],
    });
    const b = await create(admin, 'contacts', {
      fullName: 'Hoàng Tú',
      emails: [{ value: 'tu@hoang.vn' }],
    });
    await scan(admin, 'contacts');
    const has = async () =>
      (await pairs(admin, 'contacts')).items.some((p) => ids(p).join() === pairOf(a, b).join());
    expect(await has()).toBe(true);
    const res = await admin.post('/api/v1/contacts/duplicate-pairs/dismiss', { recordIds: [b, a] });
    expect(res.status).toBe(204);
    expect(await has()).toBe(false);
    await scan(admin, 'contacts');
    expect(await has()).toBe(false);
    const dismissed = await pairs(admin, 'contacts', '?dismissed=true');
    expect(dismissed.items.map((p) => ids(p).join())).toContain(pairOf(a, b).join());
    // Hoà cannot see the admin's records: she cannot dismiss their pair.
    expect(
      (await hoa.post('/api/v1/contacts/duplicate-pairs/dismiss', { recordIds: [a, b] })).status,
    ).toBe(403);
  });

  it('merges contacts: values, notes, attachments, links, views; undo restores every row', async () => {
    const sen = await create(admin, 'companies', { name: 'Công ty Sen Hồng' });
    const mai = await create(admin, 'companies', { name: 'Công ty Mai Vàng' });
    const survivor = await create(admin, 'contacts', {
      fullName: 'Nguyễn Thị Lan',
      phones: [{ value: '0911 000 111', primary: true }],
      lifecycleStage: 'lead',
    });
    const merged = await create(admin, 'contacts', {
      fullName: 'Nguyễn Thị Lan Anh',
      phones: [{ value: '0911000111' }],
      emails: [{ value: 'lan.anh@example.vn' }],
      lifecycleStage: 'customer',
      birthday: '1990-05-01',
    });
    await admin.post(`/api/v1/contacts/${survivor}/companies`, { companyId: sen, isPrimary: true });
    await admin.post(`/api/v1/contacts/${merged}/companies`, {
      companyId: sen,
      jobTitle: 'Kế toán',
    });
    await admin.post(`/api/v1/contacts/${merged}/companies`, { companyId: mai, isPrimary: true });
    const note = await admin.post(`/api/v1/contacts/${merged}/notes`, {
      bodyHtml: '<p>Gọi lại</p>',
    });
    expect(note.status).toBe(201);
    const attachment = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/${merged}/attachments`,
      payload: Buffer.from(
        '--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nxin chao\r\n--b--\r\n',
      ),
      headers: {
        'content-type': 'multipart/form-data; boundary=b',
        cookie: `sen_session=${admin.cookie}`,
        'x-csrf-token': admin.csrf ?? '',
      },
    });
    expect(attachment.statusCode).toBe(201);
    const companyView = await admin.post('/api/v1/views', {
      object: 'contacts',
      name: 'Ở Mai Vàng',
      definition: { kind: 'table', filter: { field: 'company', op: 'is', value: mai } },
    });
    expect(companyView.status).toBe(201);
    const all = [survivor, merged, sen, mai];
    const before = await snapshot('contacts', all);

    // Refusals write nothing: a viewer, a sales rep who cannot see the records, a survivor
    // that is also merged, a value from a record outside the merge.
    const body = {
      survivorId: survivor,
      mergedIds: [merged],
      values: { lifecycleStage: merged, emails: merged, birthday: merged },
    };
    expect((await viewer.post('/api/v1/contacts/merge', body)).status).toBe(403);
    expect((await hoa.post('/api/v1/contacts/merge', body)).status).toBe(403);
    expect(
      (await admin.post('/api/v1/contacts/merge', { ...body, mergedIds: [merged, survivor] }))
        .status,
    ).toBe(400);
    expect(
      (await admin.post('/api/v1/contacts/merge', { ...body, values: { birthday: sen } })).status,
    ).toBe(400);
    expect(await snapshot('contacts', all)).toEqual(before);

    const preview = await admin.get(`/api/v1/contacts/merge-preview?ids=${survivor},${merged}`);
    expect(preview.status).toBe(200);
    const keys = preview.body.fields.map((f: { key: string }) => f.key);
    expect(keys).toEqual(expect.arrayContaining(['lifecycleStage', 'emails', 'birthday']));

    const res = await admin.post('/api/v1/contacts/merge', body);
    expect(res.status).toBe(200);
    expect(res.body.record.lifecycleStage).toBe('customer');
    expect(res.body.record.birthday).toBe('1990-05-01');
    expect(res.body.record.primaryEmail).toBe('lan.anh@example.vn');
    expect(res.body.record.displayName).toBe('Nguyễn Thị Lan');
    // Links: Sen kept once (the survivor's), Mai moved, not primary (the survivor has Sen).
    const companies = res.body.record.companies as { companyId: string; isPrimary: boolean }[];
    expect(companies.map((c) => [c.companyId, c.isPrimary]).sort()).toEqual(
      [
        [sen, true],
        [mai, false],
      ].sort(),
    );
    expect((await admin.get(`/api/v1/contacts/${merged}`)).status).toBe(404);
    const notes = await admin.get(`/api/v1/contacts/${survivor}/notes`);
    expect(notes.body.items.map((n: { id: string }) => n.id)).toContain(note.body.id);
    const files = await admin.get(`/api/v1/contacts/${survivor}/attachments`);
    expect(files.body.items.map((a: { id: string }) => a.id)).toContain(
      attachment.json().id as string,
    );
    const views = await admin.get('/api/v1/views?object=contacts');
    const cv = views.body.items.find((v: { id: string }) => v.id === companyView.body.id);
    expect(cv.definition.filter.value).toBe(mai);
    // The survivor's timeline shows the merged record's history and the merge.
    const timeline = await admin.get(`/api/v1/contacts/${survivor}/timeline?limit=100`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.items.some((e: { recordId: string }) => e.recordId === merged)).toBe(true);
    const merges = await admin.get(`/api/v1/contacts/${survivor}/merges`);
    expect(merges.body.items).toEqual([
      expect.objectContaining({ id: res.body.mergeId, mergedIds: [merged], undone: false }),
    ]);

    const undo = await admin.post(`/api/v1/merges/${res.body.mergeId}/undo`);
    expect(undo.body).toEqual(expect.objectContaining({ survivorId: survivor }));
    expect(undo.status).toBe(200);
    expect(undo.body.restoredIds).toEqual([merged]);
    const after = await snapshot('contacts', all);
    // Every row as it was (the views' updated_at moves; their definitions are back).
    const strip = (s: typeof before) => ({
      ...s,
      views: s.views.map((v) => ({ ...(v as object), updated_at: null })),
    });
    expect(strip(after)).toEqual(strip(before));
    expect((await admin.post(`/api/v1/merges/${res.body.mergeId}/undo`)).status).toBe(409);
  });

  it('refuses an undo once the survivor changed, or a merged record left the trash', async () => {
    const a = await create(admin, 'contacts', { fullName: 'Bùi Văn Hải' });
    const b = await create(admin, 'contacts', { fullName: 'Bùi Hải' });
    const first = await admin.post('/api/v1/contacts/merge', { survivorId: a, mergedIds: [b] });
    expect(first.status).toBe(200);
    expect((await admin.patch(`/api/v1/contacts/${a}`, { source: 'Zalo' })).status).toBe(200);
    const refused = await admin.post(`/api/v1/merges/${first.body.mergeId}/undo`);
    expect(refused.status).toBe(409);
    expect(refused.body.details?.reason ?? refused.body.error?.details?.reason).toBeDefined();

    const c = await create(admin, 'contacts', { fullName: 'Bùi Văn Hà' });
    const d = await create(admin, 'contacts', { fullName: 'Bùi Hà' });
    const second = await admin.post('/api/v1/contacts/merge', { survivorId: c, mergedIds: [d] });
    expect((await admin.post(`/api/v1/contacts/${d}/restore`)).status).toBe(200);
    expect((await admin.post(`/api/v1/merges/${second.body.mergeId}/undo`)).status).toBe(409);
    // Another workspace's merge is not found.
    const other = new Client(t.app);
    await other.post('/api/v1/auth/sign-in', { email: adminEmail, password: PASSWORD });
    expect((await other.post('/api/v1/workspaces', { name: 'Công ty khác' })).status).toBe(201);
    expect((await other.post(`/api/v1/merges/${second.body.mergeId}/undo`)).status).toBe(404);
  });

  it('merges companies: links of their contacts and subsidiaries move, and back', async () => {
    const keep = await create(admin, 'companies', { name: 'Công ty Lúa Vàng' });
    const dup = await create(admin, 'companies', {
      name: 'Lua Vang Co',
      website: 'https://luavang.vn',
    });
    const child = await create(admin, 'companies', { name: 'Chi nhánh Lúa Vàng', parentId: dup });
    const person = await create(admin, 'contacts', { fullName: 'Đặng Văn Cường' });
    await admin.post(`/api/v1/contacts/${person}/companies`, {
      companyId: dup,
      jobTitle: 'Giám đốc',
    });
    // Saved views filtering on the merged company, one of them another user's private view
    // (written in capitals: ids match in either case).
    const shared = await admin.post('/api/v1/views', {
      object: 'contacts',
      name: 'Lúa Vàng',
      shared: true,
      definition: { kind: 'table', filter: { field: 'company', op: 'is', value: dup } },
    });
    const hers = await hoa.post('/api/v1/views', {
      object: 'contacts',
      name: 'Của Hoa',
      definition: {
        kind: 'table',
        filter: { or: [{ field: 'company', op: 'in', value: [dup.toUpperCase()] }] },
      },
    });
    expect([shared.status, hers.status]).toEqual([201, 201]);
    const all = [keep, dup, child, person];
    const before = await snapshot('companies', all);
    const res = await admin.post('/api/v1/companies/merge', {
      survivorId: keep,
      mergedIds: [dup],
      values: { website: dup },
    });
    expect(res.status).toBe(200);
    expect(res.body.record.website).toBe('https://luavang.vn/');
    expect((await admin.get(`/api/v1/companies/${child}`)).body.parentId).toBe(keep);
    const employee = (await admin.get(`/api/v1/contacts/${person}`)).body;
    expect(employee.companies.map((c: { companyId: string }) => c.companyId)).toEqual([keep]);
    const viewOf = async (client: Client, id: string) =>
      (await client.get('/api/v1/views?object=contacts')).body.items.find(
        (v: { id: string }) => v.id === id,
      ).definition.filter;
    expect(await viewOf(admin, shared.body.id)).toEqual({
      field: 'company',
      op: 'is',
      value: keep,
    });
    expect(await viewOf(hoa, hers.body.id)).toEqual({
      or: [{ field: 'company', op: 'in', value: [keep] }],
    });
    expect((await admin.post(`/api/v1/merges/${res.body.mergeId}/undo`)).status).toBe(200);
    expect(await viewOf(hoa, hers.body.id)).toEqual({
      or: [{ field: 'company', op: 'in', value: [dup.toUpperCase()] }],
    });
    // Every row as it was (the views' updated_at moves; their definitions are back).
    const strip = (s: typeof before) => ({
      ...s,
      views: s.views.map((v) => ({ ...(v as object), updated_at: null })),
    });
    expect(strip(await snapshot('companies', all))).toEqual(strip(before));
  });

  it('merges products that share a SKU: the survivor may take the merged one’s SKU', async () => {
    const keep = await create(admin, 'products', { sku: 'TR-01', name: 'Trà xanh' });
    const dup = await create(admin, 'products', {
      sku: 'tr-01',
      name: 'Trà xanh hộp',
      unitPrice: 45000,
    });
    await scan(admin, 'products');
    const found = (await pairs(admin, 'products')).items.map((p) => ids(p).join());
    expect(found).toContain(pairOf(keep, dup).join());
    const all = [keep, dup];
    const before = await snapshot('products', all);
    // A manager may; a sales rep (read-only on products) may not, and nothing is written.
    expect(
      (await hoa.post('/api/v1/products/merge', { survivorId: keep, mergedIds: [dup] })).status,
    ).toBe(403);
    expect(await snapshot('products', all)).toEqual(before);
    const res = await admin.post('/api/v1/products/merge', {
      survivorId: keep,
      mergedIds: [dup],
      values: { sku: dup, unitPrice: dup },
    });
    expect(res.status).toBe(200);
    expect(res.body.record.sku).toBe('tr-01');
    expect(res.body.record.unitPrice).toBe(45000);
    expect((await pairs(admin, 'products')).items.map((p) => ids(p).join())).not.toContain(
      pairOf(keep, dup).join(),
    );
    expect((await admin.post(`/api/v1/merges/${res.body.mergeId}/undo`)).status).toBe(200);
    expect(await snapshot('products', all)).toEqual(before);
    void hoaId;
  });
});
