import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * The kanban board endpoint (GET /:object/board, src/modules/records/board.ts): every column's
 * first cards, count and cursor in one request, with the list's filter, q, sort and visibility
 * scope; a column's cursor continues in the ordinary list.
 */
describe('kanban board', () => {
  let t: TestApp;
  let admin: Client;
  let sales: Awaited<ReturnType<typeof addMember>>;
  let team: Awaited<ReturnType<typeof addMember>>;

  type Column = {
    value: string | null;
    label: { vi: string; en: string } | null;
    color: string | null;
    archived: boolean;
    listed: boolean;
    count: number;
    items: { id: string; displayName?: string; name?: string }[];
    nextCursor: string | null;
  };
  const board = async (client: Client, object: string, query: Record<string, string>) => {
    const res = await client.get(`/api/v1/${object}/board?${new URLSearchParams(query)}`);
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    return res.body as { groupBy: string; total: number; columns: Column[] };
  };
  const enc = (v: unknown) => JSON.stringify(v);
  const column = (b: { columns: Column[] }, value: string | null) =>
    b.columns.find((c) => c.value === value);

  const stages = ['lead', 'lead', 'lead', 'lead', 'lead', 'customer', 'customer', 'opportunity'];

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    sales = await addMember(t.app, admin, 'sales', 'Lê Thị Hoa');
    const role = await admin.post('/api/v1/roles', {
      name: 'Kinh doanh theo nhóm',
      permissions: { contacts: { read: true, scope: 'team' } },
    });
    team = await addMember(t.app, admin, 'viewer', 'Đỗ Văn Tâm');
    await admin.patch(`/api/v1/users/${team.userId}`, { roleId: role.body.id });
    const created = await admin.post('/api/v1/teams', {
      name: 'Miền Bắc',
      memberIds: [team.userId, sales.userId],
    });
    expect(created.status).toBe(201);
    for (const [i, stage] of stages.entries()) {
      const res = await admin.post('/api/v1/contacts', {
        fullName: `Nguyễn Văn Khách ${i + 1}`,
        lifecycleStage: stage,
        tags: i % 2 === 0 ? ['hội chợ'] : [],
      });
      expect(res.status).toBe(201);
    }
    for (const [i, stage] of ['lead', 'lead', 'customer'].entries()) {
      const res = await sales.client.post('/api/v1/contacts', {
        fullName: `Trần Thị Riêng ${i + 1}`,
        lifecycleStage: stage,
      });
      expect(res.status).toBe(201);
    }
    // A contact in an archived stage (stored before the list was editable).
    const old = await admin.post('/api/v1/contacts', { fullName: 'Phạm Văn Cũ' });
    await t.ctx.db.system((tx) =>
      tx.execute(sql`UPDATE contacts SET lifecycle_stage = 'subscriber' WHERE id = ${old.body.id}`),
    );
  });
  afterAll(() => t?.close());

  it('answers every column: first cards, counts equal the list counts, cursors continue the list', async () => {
    const filter = { field: 'tags', op: 'contains', value: 'hội chợ' };
    for (const query of [
      {},
      { filter: enc(filter) },
      { q: 'khach' },
      { sort: 'displayName' },
      { filter: enc(filter), sort: '-createdAt' },
    ] as Record<string, string>[]) {
      const b = await board(admin, 'contacts', { groupBy: 'lifecycleStage', limit: '2', ...query });
      expect(b.groupBy).toBe('lifecycleStage');
      const only = new URLSearchParams({
        ...(query.filter ? { filter: query.filter } : {}),
        ...(query.q ? { q: query.q } : {}),
      });
      const total = await admin.get(`/api/v1/contacts/count?${only}`);
      expect(b.total).toBe(total.body.count);
      for (const c of b.columns) {
        const condition = { field: 'lifecycleStage', op: 'is', value: c.value };
        const where = query.filter ? { and: [filter, condition] } : condition;
        const params = new URLSearchParams({
          filter: enc(where),
          ...(query.q ? { q: query.q } : {}),
          ...(query.sort ? { sort: query.sort } : {}),
        });
        const counted = new URLSearchParams(params);
        counted.delete('sort');
        const count = await admin.get(`/api/v1/contacts/count?${counted}`);
        expect(c.count).toBe(count.body.count);
        // The first cards are the list's first page, in its order.
        const first = await admin.get(`/api/v1/contacts?${params}&limit=2`);
        expect(c.items.map((r) => r.id)).toEqual(first.body.items.map((r: { id: string }) => r.id));
        expect(c.nextCursor === null).toBe(first.body.nextCursor === null);
        if (c.nextCursor) {
          const more = await admin.get(
            `/api/v1/contacts?${params}&limit=50&cursor=${c.nextCursor}`,
          );
          expect(more.status).toBe(200);
          const all = await admin.get(`/api/v1/contacts?${params}&limit=50`);
          expect([...c.items, ...more.body.items].map((r) => r.id)).toEqual(
            all.body.items.map((r: { id: string }) => r.id),
          );
        }
      }
    }
  });

  it("shows the workspace's stages in order with labels and colours; archived only while used", async () => {
    const b = await board(admin, 'contacts', { groupBy: 'lifecycleStage' });
    expect(b.columns.map((c) => c.value)).toEqual([
      'lead',
      'sales_qualified',
      'opportunity',
      'customer',
      'evangelist',
      'inactive',
      'subscriber',
    ]);
    expect(column(b, 'lead')).toMatchObject({
      label: { vi: 'Khách tiềm năng', en: 'Lead' },
      color: '#228be6',
      count: 7,
      listed: true,
    });
    expect(column(b, 'subscriber')).toMatchObject({ archived: true, count: 1 });
    expect(column(b, 'sales_qualified')).toMatchObject({ count: 0, items: [], nextCursor: null });
    // Filtered to nobody in the archived stage: its column goes.
    const onlyNew = await board(admin, 'contacts', { groupBy: 'lifecycleStage', q: 'khach' });
    expect(onlyNew.columns.some((c) => c.value === 'subscriber')).toBe(false);
  });

  it('respects the own and team scopes like the lists', async () => {
    const own = await board(sales.client, 'contacts', { groupBy: 'lifecycleStage' });
    expect(own.total).toBe(3);
    expect(column(own, 'lead')?.count).toBe(2);
    expect(column(own, 'customer')?.count).toBe(1);
    const names = own.columns.flatMap((c) => c.items.map((r) => r.displayName));
    expect(names.every((n) => n?.startsWith('Trần Thị Riêng'))).toBe(true);

    // A team-scoped viewer sees their team mate's contacts, not the admin's.
    const mates = await board(team.client, 'contacts', { groupBy: 'lifecycleStage' });
    expect(mates.total).toBe((await team.client.get('/api/v1/contacts/count')).body.count);
    expect(mates.total).toBe(3);
  });

  it('groups only by a select field the caller can filter on', async () => {
    for (const groupBy of [
      'phones',
      'displayName',
      'company',
      'nothing',
      'custom.nope',
      'ownerId',
    ]) {
      const res = await admin.get(`/api/v1/contacts/board?groupBy=${groupBy}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields[0].path).toBe('groupBy');
    }
    expect((await admin.get('/api/v1/contacts/board')).status).toBe(400);
    expect((await admin.get('/api/v1/contacts/board?groupBy=lifecycleStage&limit=0')).status).toBe(
      400,
    );
    const bad = await admin.get(
      `/api/v1/contacts/board?groupBy=lifecycleStage&filter=${encodeURIComponent(enc({ field: 'lifecycleStage', op: 'is', value: 'boss' }))}`,
    );
    expect(bad.status).toBe(400);
  });

  it('any object, a custom select field, values typed before the list, and "no value"', async () => {
    for (const body of [
      { name: 'Công ty CP Sao Mai', industry: 'retail' },
      { name: 'Công ty TNHH Bình An', industry: 'retail' },
      { name: 'Công ty CP Hồng Hà' },
      { name: 'Công ty TNHH Gốm Bát Tràng', industry: 'other' },
    ]) {
      expect((await admin.post('/api/v1/companies', body)).status).toBe(201);
    }
    await t.ctx.db.system((tx) =>
      tx.execute(
        sql`UPDATE companies SET industry = 'Gốm sứ' WHERE name = 'Công ty TNHH Gốm Bát Tràng'`,
      ),
    );
    const b = await board(admin, 'companies', { groupBy: 'industry' });
    expect(column(b, 'retail')).toMatchObject({ count: 2, label: { vi: 'Bán lẻ', en: 'Retail' } });
    expect(column(b, 'Gốm sứ')).toMatchObject({ count: 1, listed: false, label: null });
    expect(column(b, null)).toMatchObject({ count: 1 });
    expect(b.columns.at(-1)?.value).toBeNull();
    expect(b.columns.at(-2)?.value).toBe('Gốm sứ');
    // The typed value's column continues in the list like any other.
    const filter = enc({ field: 'industry', op: 'is', value: 'Gốm sứ' });
    expect(
      (await admin.get(`/api/v1/companies?filter=${encodeURIComponent(filter)}`)).body.items,
    ).toHaveLength(1);

    const field = await admin.post('/api/v1/custom-fields', {
      object: 'companies',
      label: 'Hạng',
      type: 'select',
      options: { choices: [{ label: 'Vàng' }, { label: 'Bạc' }] },
    });
    expect(field.status).toBe(201);
    const company = (await admin.get('/api/v1/companies?q=sao mai')).body.items[0];
    await admin.patch(`/api/v1/companies/${company.id}`, { custom: { hang: 'vang' } });
    const byRank = await board(admin, 'companies', { groupBy: 'custom.hang' });
    expect(byRank.columns.map((c) => [c.value, c.count])).toEqual([
      ['vang', 1],
      ['bac', 0],
      [null, 3],
    ]);
  });
});
