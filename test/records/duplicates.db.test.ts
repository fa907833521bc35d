import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/sql.js';
import { addMember, setupAdmin, type Client } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * POST /:object/duplicates (#17): the form's warning that a phone, an email, a tax code or a
 * SKU already belongs to another record. Values are compared in the form the server stores;
 * names are shown only for records in the caller's scope; the record being edited, records in
 * the trash and other workspaces' records never match.
 */
describe('duplicate warnings', () => {
  let t: TestApp;
  let admin: Client;
  let hoa: Client;
  let manager: Client;
  const id: Record<string, string> = {};

  const create = async (client: Client, object: string, body: object) => {
    const res = await client.post(`/api/v1/${object}`, body);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body.id as string;
  };
  const ask = (client: Client, object: string, values: object, excludeId?: string) =>
    client.post(`/api/v1/${object}/duplicates`, { values, ...(excludeId ? { excludeId } : {}) });

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    hoa = (await addMember(t.app, admin, 'sales', 'Vũ Thị Hoa')).client;
    manager = (await addMember(t.app, admin, 'manager', 'Lê Văn Quản')).client;
    id.an = await create(admin, 'contacts', {
      fullName: 'Nguyễn Văn An',
      phones: [{ value: '0912 345 678', primary: true }],
      emails: [{ value: 'An.Nguyen@Example.vn' }],
    });
    id.binh = await create(hoa, 'contacts', {
      fullName: 'Trần Thị Bình',
      phones: [{ value: '0987654321', primary: true }, { value: '+84 901 234 567' }],
    });
    id.sen = await create(admin, 'companies', {
      name: 'Công ty CP Sen Vàng',
      taxCode: '0100109106',
      phones: [{ value: '024 3825 1234' }],
      emails: [{ value: 'lienhe@senvang.vn' }],
    });
    id.nuocMam = await create(manager, 'products', { sku: 'NM-500', name: 'Nước mắm 500ml' });
  });
  afterAll(() => t?.close());

  it('matches phones and emails in their stored form, any of a record’s values', async () => {
    const res = await ask(admin, 'contacts', {
      phones: ['+84 912 345 678', '0901.234.567', '0911 111 111'],
      emails: ['  AN.NGUYEN@example.VN '],
    });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        key: 'phones',
        value: '+84 912 345 678',
        records: [{ id: id.an, name: 'Nguyễn Văn An' }],
        outsideScope: false,
      },
      // Bình's second (not primary) phone.
      {
        key: 'phones',
        value: '0901.234.567',
        records: [{ id: id.binh, name: 'Trần Thị Bình' }],
        outsideScope: false,
      },
      {
        key: 'emails',
        value: '  AN.NGUYEN@example.VN ',
        records: [{ id: id.an, name: 'Nguyễn Văn An' }],
        outsideScope: false,
      },
    ]);
  });

  it('matches a company’s tax code however it is written, and a product’s SKU', async () => {
    const co = await ask(admin, 'companies', {
      taxCode: ['01.00.109.106'],
      phones: ['02438251234'],
      emails: ['LienHe@SenVang.vn'],
    });
    expect(co.status).toBe(200);
    expect(co.body.items.map((i: any) => [i.key, i.records])).toEqual([
      ['taxCode', [{ id: id.sen, name: 'Công ty CP Sen Vàng' }]],
      ['phones', [{ id: id.sen, name: 'Công ty CP Sen Vàng' }]],
      ['emails', [{ id: id.sen, name: 'Công ty CP Sen Vàng' }]],
    ]);
    expect((await ask(admin, 'companies', { taxCode: ['0100112437'] })).body.items).toEqual([]);

    const sku = await ask(hoa, 'products', { sku: [' nm-500 '] });
    expect(sku.status).toBe(200);
    expect(sku.body.items).toEqual([
      {
        key: 'sku',
        value: ' nm-500 ',
        records: [{ id: id.nuocMam, name: 'Nước mắm 500ml' }],
        outsideScope: false,
      },
    ]);
  });

  it('does not count the record being edited, nor values that are not valid yet', async () => {
    const own = await ask(admin, 'contacts', { phones: ['0912345678'] }, id.an);
    expect(own.status).toBe(200);
    expect(own.body.items).toEqual([]);
    // Someone else's phone is still reported while editing An.
    expect(
      (await ask(admin, 'contacts', { phones: ['0987654321'] }, id.an)).body.items[0].records,
    ).toEqual([{ id: id.binh, name: 'Trần Thị Bình' }]);
    // Half-typed values are not an error: the save says what is wrong with them.
    const partial = await ask(admin, 'contacts', { phones: ['0912'], emails: ['an@'] });
    expect(partial.status).toBe(200);
    expect(partial.body.items).toEqual([]);
  });

  it('names only records in the caller’s scope; of others it says only that they exist', async () => {
    // Hoa (sales) sees her own contacts only: An is the admin's.
    const res = await ask(hoa, 'contacts', { phones: ['0912345678', '0987654321'] });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { key: 'phones', value: '0912345678', records: [], outsideScope: true },
      {
        key: 'phones',
        value: '0987654321',
        records: [{ id: id.binh, name: 'Trần Thị Bình' }],
        outsideScope: false,
      },
    ]);
    const raw = JSON.stringify(res.body);
    expect(raw).not.toContain(id.an);
    expect(raw).not.toContain('An');

    // Another workspace never hears of this one's records (creating one switches to it).
    const home = (await admin.get('/api/v1/workspaces')).body.items as { id: string }[];
    expect((await admin.post('/api/v1/workspaces', { name: 'Công ty TNHH Khác' })).status).toBe(
      201,
    );
    expect((await ask(admin, 'contacts', { phones: ['0912345678'] })).body.items).toEqual([]);
    await admin.post('/api/v1/auth/switch-workspace', { workspaceId: home[0]!.id });
    expect((await ask(admin, 'contacts', { phones: ['0912345678'] })).body.items).toHaveLength(1);
  });

  it('reads list keys through sen_match_list_values: its own workspace only, record tables only', async () => {
    const phones = sql`ARRAY['+84912345678', '+84987654321']::text[]`;
    const call = sql`SELECT value, id FROM sen_match_list_values('contacts', 'phones', ${phones}, 5) ORDER BY value`;
    // No workspace set (sen_system outside a tenant): nothing, not every workspace's rows.
    expect(await t.ctx.db.system((tx) => queryRows(tx, call))).toEqual([]);
    const workspaceId = (await admin.get('/api/v1/auth/session')).body.workspace.id as string;
    const rows = await t.ctx.db.system(async (tx) => {
      await tx.execute(sql`SELECT set_config('sen.workspace_id', ${workspaceId}, true)`);
      return queryRows(tx, call);
    });
    expect(rows).toEqual([
      { value: '+84912345678', id: id.an },
      { value: '+84987654321', id: id.binh },
    ]);
    const refused = await t.ctx.db
      .system((tx) =>
        queryRows(tx, sql`SELECT * FROM sen_match_list_values('users', 'email', ARRAY['x'], 5)`),
      )
      .then(
        () => null,
        (err: unknown) => String((err as { cause?: unknown }).cause ?? err),
      );
    expect(refused).toMatch(/not a record table/);
  });

  it('ignores records in the trash', async () => {
    const gone = await create(admin, 'contacts', {
      fullName: 'Phạm Thị Xoá',
      phones: [{ value: '0933 000 111' }],
    });
    expect((await ask(admin, 'contacts', { phones: ['0933000111'] })).body.items).toHaveLength(1);
    expect((await admin.delete(`/api/v1/contacts/${gone}`)).status).toBe(204);
    expect((await ask(admin, 'contacts', { phones: ['0933000111'] })).body.items).toEqual([]);
  });

  it('answers 400 on bad input, 401 without a session', async () => {
    for (const body of [
      { values: { taxCode: ['0100109106'] } }, // not a key of contacts
      { values: { phones: '0912345678' } },
      { values: { phones: [12] } },
      { values: { phones: ['x'.repeat(321)] } },
      { values: { phones: Array.from({ length: 21 }, () => '0912345678') } },
      { values: {}, excludeId: 'not-a-uuid' },
      { values: {}, extra: true },
      {},
    ]) {
      const res = await admin.post('/api/v1/contacts/duplicates', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contacts/duplicates',
      payload: { values: { phones: ['0912345678'] } },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('lists each object’s duplicate keys in GET /objects', async () => {
    const objects = (await admin.get('/api/v1/objects')).body.items as {
      key: string;
      duplicateKeys: string[];
    }[];
    const keys = Object.fromEntries(objects.map((o) => [o.key, o.duplicateKeys]));
    expect(keys.contacts).toEqual(['phones', 'emails']);
    expect(keys.companies).toEqual(['taxCode', 'phones', 'emails']);
    expect(keys.products).toEqual(['sku']);
  });
});
