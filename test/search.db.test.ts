import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTaxCode } from '../src/lib/vn/tax-code.js';
import { buildCompany, buildContact } from '../src/modules/demo/factories.js';
import { parseSearchQuery } from '../src/modules/search/search.service.js';
import { addApiKey, addMember, Client, setupAdmin } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

interface Hit {
  type: string;
  id: string;
  title: string;
  subtitle: string | null;
  ownerId: string | null;
}

describe('global search', () => {
  let t: TestApp;
  let admin: Client;
  let workspaceId: string;
  let adminId: string;
  let sales: { client: Client; userId: string };
  const ids: Record<string, string> = {};
  const taxCode = makeTaxCode('010010910') ?? '';

  async function addContact(
    key: string,
    c: {
      familyName?: string;
      middleName?: string;
      givenName: string;
      phones?: string[];
      emails?: string[];
      ownerId?: string;
      deleted?: boolean;
    },
  ): Promise<void> {
    const { deleted, ownerId, ...fields } = c;
    const row = await buildContact(t.ctx.db, {
      workspaceId,
      ownerId: ownerId ?? adminId,
      ...fields,
      deletedAt: deleted ? new Date() : null,
    });
    ids[key] = row.id;
  }

  async function addCompany(key: string, name: string, tax: string | null, ownerId = adminId) {
    const row = await buildCompany(t.ctx.db, {
      workspaceId,
      ownerId,
      name,
      taxCode: tax,
      provinceCode: '01',
    });
    ids[key] = row.id;
  }

  const search = async (client: Client, q: string, extra = '') => {
    const res = await client.get<{ items: Hit[] }>(
      `/api/v1/search?q=${encodeURIComponent(q)}${extra}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items;
  };
  const idsOf = (hits: Hit[]) => hits.map((h) => h.id);

  beforeAll(async () => {
    t = await createTestApp();
    const s = await setupAdmin(t.app);
    admin = s.admin;
    workspaceId = s.session.workspace.id;
    adminId = s.session.user.id;
    sales = await addMember(t.app, admin, 'sales', 'Lò Văn Sáng');

    await addContact('anh', {
      familyName: 'Nguyễn',
      middleName: 'Văn',
      givenName: 'Ánh',
      phones: ['0912 345 678'],
      emails: ['anh.nguyen@sen.vn'],
    });
    await addContact('anhTuan', { familyName: 'Nguyễn', middleName: 'Văn Ánh', givenName: 'Tuấn' });
    await addContact('other0984', {
      familyName: 'Trần',
      givenName: 'Bình',
      phones: ['0984 912 000'],
    });
    await addContact('duc', { familyName: 'Đỗ', middleName: 'Minh', givenName: 'Đức' });
    // Ranking of "minh": exact, name prefix, word prefix, contains.
    await addContact('minhExact', { givenName: 'Minh' });
    await addContact('minhPrefix', { familyName: 'Minh', givenName: 'Châu' });
    await addContact('minhWord', { familyName: 'Lê', middleName: 'Minh', givenName: 'Hoàng' });
    await addContact('minhContains', {
      familyName: 'Phạm',
      middleName: 'Thu',
      givenName: 'Hà',
      emails: ['haminh@example.vn'],
    });
    await addContact('trashed', { familyName: 'Quách', givenName: 'Tĩnh', deleted: true });
    await addContact('salesOwn', {
      familyName: 'Khuất',
      middleName: 'Thị',
      givenName: 'Lan',
      ownerId: sales.userId,
    });
    await addContact('adminOwn', { familyName: 'Khuất', middleName: 'Văn', givenName: 'Long' });
    await addCompany('company', 'Công ty TNHH Sen Vàng', taxCode);
  });
  afterAll(() => t?.close());

  it.each([
    'nguyen van anh',
    'NGUYỄN VĂN ÁNH',
    'Nguyen Van Anh',
    'Nguyễn Văn Ánh'.normalize('NFD'),
  ])('finds the same person ignoring diacritics and case: %s', async (q) => {
    const hits = await search(admin, q);
    expect(idsOf(hits).slice(0, 2)).toEqual([ids.anh, ids.anhTuan]);
    expect(hits[0]).toMatchObject({
      type: 'contacts',
      title: 'Nguyễn Văn Ánh',
      subtitle: 'anh.nguyen@sen.vn · 0912 345 678',
      ownerId: adminId,
    });
  });

  it.each(['duc', 'Đức', 'ĐỨC', 'đuc'])('folds đ/Đ: %s finds Đỗ Minh Đức', async (q) => {
    expect(idsOf(await search(admin, q))).toContain(ids.duc);
  });

  it.each([
    '0912 345 678',
    '+84 912 345 678',
    '84912345678',
    '912345678',
    '0912.345.678',
    '345678',
  ])('finds a phone number written as %s', async (q) => {
    const hits = await search(admin, q);
    expect(idsOf(hits)).toContain(ids.anh);
    expect(idsOf(hits)).not.toContain(ids.other0984);
  });

  it('a number typed with +84 matches from the start of the national number only', async () => {
    // 0984 912 000 contains "84912" but does not start with 912.
    expect(idsOf(await search(admin, '+84 912'))).toEqual([ids.anh]);
    expect(idsOf(await search(admin, '0984 912'))).toEqual([ids.other0984]);
  });

  it('parses phone and tax-code queries', () => {
    expect(parseSearchQuery('+84 912 345', 20).phone).toEqual({
      contains: null,
      nationalPrefix: '912345',
    });
    expect(parseSearchQuery('0912 345', 20).phone).toEqual({
      contains: '912345',
      nationalPrefix: null,
    });
    expect(parseSearchQuery('nguyen 12', 20).phone).toBeNull();
  });

  it('finds an email by its prefix', async () => {
    expect(idsOf(await search(admin, 'anh.ngu'))).toEqual([ids.anh]);
    expect(idsOf(await search(admin, 'anh.nguyen@sen'))).toEqual([ids.anh]);
  });

  it('finds a company by tax code, whole or in part', async () => {
    for (const q of [taxCode, taxCode.slice(0, 7)]) {
      const hits = await search(admin, q);
      expect(hits).toEqual([
        {
          type: 'companies',
          id: ids.company,
          title: 'Công ty TNHH Sen Vàng',
          subtitle: `MST ${taxCode} · Hà Nội`,
          ownerId: adminId,
        },
      ]);
    }
    expect(idsOf(await search(admin, 'sen vang'))).toEqual([ids.company]);
  });

  it('ranks exact name, then name prefix, then word prefix, then contains', async () => {
    expect(idsOf(await search(admin, 'minh'))).toEqual([
      ids.minhExact,
      ids.minhPrefix,
      ids.duc, // "do minh duc": a word prefix too; ties by name ("do…" < "le…")
      ids.minhWord,
      ids.minhContains,
    ]);
  });

  it('respects limit and types', async () => {
    expect(idsOf(await search(admin, 'minh', '&limit=2'))).toEqual([ids.minhExact, ids.minhPrefix]);
    expect(await search(admin, 'sen vang', '&types=contacts')).toEqual([]);
    expect(idsOf(await search(admin, 'sen vang', '&types=companies,contacts'))).toEqual([
      ids.company,
    ]);
  });

  it('excludes trashed records', async () => {
    expect(await search(admin, 'quach tinh')).toEqual([]);
  });

  it('finds people by their given name, alone or after other words (the given-name stage)', async () => {
    expect(idsOf(await search(admin, 'duc'))).toEqual([ids.duc]);
    expect(idsOf(await search(admin, 'Đỗ Đức'))).toEqual([ids.duc]);
    expect(idsOf(await search(admin, 'minh duc'))).toEqual([ids.duc]);
    expect(idsOf(await search(admin, 'van long'))).toEqual([ids.adminOwn]);
    // Every word must match: a given name alone is not enough.
    expect(await search(admin, 'tran long')).toEqual([]);
    // The walk applies the visibility scope like every other stage.
    expect(await search(sales.client, 'long')).toEqual([]);
    expect(idsOf(await search(sales.client, 'lan'))).toEqual([ids.salesOwn]);
  });

  it('a sales user (own scope) sees only their own records', async () => {
    expect(idsOf(await search(admin, 'khuat')).sort()).toEqual([ids.salesOwn, ids.adminOwn].sort());
    expect(idsOf(await search(sales.client, 'khuat'))).toEqual([ids.salesOwn]);
    expect(await search(sales.client, 'nguyen van anh')).toEqual([]);
    expect(await search(sales.client, taxCode)).toEqual([]);
  });

  it('skips the types the caller cannot read', async () => {
    const { client: bot } = await addApiKey(admin, 'search', ['companies:read']);
    expect(await search(bot, 'nguyen van anh')).toEqual([]);
    expect(idsOf(await search(bot, 'sen vang'))).toEqual([ids.company]);
  });

  it('rejects bad input and anonymous callers', async () => {
    expect((await admin.get('/api/v1/search?q=a&limit=500')).status).toBe(400);
    expect((await admin.get('/api/v1/search?q=a&types=Contacts;drop')).status).toBe(400);
    expect((await new Client(t.app).get('/api/v1/search?q=nguyen')).status).toBe(401);
    expect(await search(admin, '   ')).toEqual([]);
    expect(await search(admin, '%_\\')).toEqual([]);
  });
});
