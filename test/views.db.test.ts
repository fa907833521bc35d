import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

const contractFilter = {
  and: [
    { field: 'provinceCode', op: 'is', value: '01' },
    {
      or: [
        { field: 'custom.hang', op: 'in', value: ['gold', 'silver'] },
        { field: 'displayName', op: 'contains', value: 'nhung' },
      ],
    },
  ],
};

describe('saved views', () => {
  let t: TestApp;
  let admin: Client;
  let sales: Awaited<ReturnType<typeof addMember>>;
  let manager: Awaited<ReturnType<typeof addMember>>;

  const names = async (client: Client, object = 'contacts') =>
    ((await client.get(`/api/v1/views?object=${object}`)).body.items as { name: string }[]).map(
      (v) => v.name,
    );

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    sales = await addMember(t.app, admin, 'sales', 'Phạm Văn Bán');
    manager = await addMember(t.app, admin, 'manager', 'Lê Thị Quản');
  });
  afterAll(() => t?.close());

  it('saves a table view with a filter tree, sort and columns', async () => {
    const res = await admin.post('/api/v1/views?object=contacts', {
      name: 'Khách Hà Nội',
      definition: {
        kind: 'table',
        columns: ['displayName', 'primaryPhone', 'custom.hang'],
        sort: [{ field: 'updatedAt', direction: 'desc' }],
        filter: contractFilter,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ object: 'contacts', shared: false, name: 'Khách Hà Nội' });
    expect(res.body.definition.filter).toEqual(contractFilter);
    const kanban = await admin.post('/api/v1/views', {
      object: 'contacts',
      name: 'Theo giai đoạn',
      definition: { kind: 'kanban', groupBy: 'lifecycleStage' },
    });
    expect(kanban.status).toBe(201);
    const renamed = await admin.patch(`/api/v1/views/${kanban.body.id}`, { name: 'Phễu' });
    expect(renamed.body.name).toBe('Phễu');
    const audit = await admin.get(
      `/api/v1/audit-log?objectType=saved_views&objectId=${kanban.body.id}`,
    );
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);
  });

  it('validates the definition’s structure', async () => {
    const post = (definition: unknown, object = 'contacts') =>
      admin.post(`/api/v1/views?object=${object}`, { name: 'X', definition });
    expect((await post({ kind: 'kanban' })).status).toBe(400);
    expect((await post({ kind: 'table', groupBy: 'lifecycleStage' })).status).toBe(400);
    expect((await post({ kind: 'grid' })).status).toBe(400);
    expect((await post({ kind: 'table', extra: 1 })).status).toBe(400);
    expect((await post({ kind: 'table', sort: [{ field: 'x', direction: 'up' }] })).status).toBe(
      400,
    );
    expect((await post({ kind: 'table', columns: ['no spaces allowed'] })).status).toBe(400);
    expect(
      (await post({ kind: 'table', filter: { field: 'x', op: 'resembles', value: 1 } })).status,
    ).toBe(400);
    expect((await post({ kind: 'table', filter: { and: [{ field: 'x' }] } })).status).toBe(400);
    expect((await post({ kind: 'table', filter: { and: [], or: [] } })).status).toBe(400);
    let deep: unknown = { field: 'x', op: 'is', value: 1 };
    for (let i = 0; i < 5; i++) deep = { and: [deep] };
    expect((await post({ kind: 'table', filter: deep })).status).toBe(400);
    expect((await post({ kind: 'table' }, 'spaceships')).status).toBe(400);
    // Structure only: an unknown field name is accepted (resolved when the view is applied).
    expect(
      (await post({ kind: 'table', filter: { field: 'custom.khong_co', op: 'is', value: 1 } }))
        .status,
    ).toBe(201);
  });

  it('keeps private views private, even from admins', async () => {
    const mine = await sales.client.post('/api/v1/views?object=contacts', {
      name: 'Của Bán',
      definition: { kind: 'table' },
    });
    expect(mine.status).toBe(201);
    expect(await names(sales.client)).toContain('Của Bán');
    expect(await names(admin)).not.toContain('Của Bán');
    expect(await names(sales.client)).not.toContain('Khách Hà Nội');
    expect((await admin.patch(`/api/v1/views/${mine.body.id}`, { name: 'x' })).status).toBe(404);
    expect((await admin.delete(`/api/v1/views/${mine.body.id}`)).status).toBe(404);
    expect(
      (await sales.client.patch(`/api/v1/views/${mine.body.id}`, { name: 'Của tôi' })).status,
    ).toBe(200);
    expect((await sales.client.delete(`/api/v1/views/${mine.body.id}`)).status).toBe(204);
  });

  it('shared views: created by managers and admins, seen by everyone', async () => {
    const denied = await sales.client.post('/api/v1/views?object=contacts', {
      name: 'Chia sẻ',
      shared: true,
      definition: { kind: 'table' },
    });
    expect(denied.status).toBe(403);
    const own = await sales.client.post('/api/v1/views?object=contacts', {
      name: 'Riêng',
      definition: { kind: 'table' },
    });
    expect(
      (await sales.client.patch(`/api/v1/views/${own.body.id}`, { shared: true })).status,
    ).toBe(403);

    const shared = await manager.client.post('/api/v1/views?object=contacts', {
      name: 'Khách VIP (chung)',
      shared: true,
      definition: { kind: 'table', filter: { field: 'tags', op: 'contains', value: ['vip'] } },
    });
    expect(shared.status).toBe(201);
    expect(await names(sales.client)).toContain('Khách VIP (chung)');
    expect(await names(admin)).toContain('Khách VIP (chung)');
    // Not in another object's list.
    expect(await names(sales.client, 'companies')).not.toContain('Khách VIP (chung)');
    // Sales may use it, not change it.
    expect(
      (await sales.client.patch(`/api/v1/views/${shared.body.id}`, { name: 'x' })).status,
    ).toBe(403);
    expect((await sales.client.delete(`/api/v1/views/${shared.body.id}`)).status).toBe(403);
    // An admin may change it, but only its owner makes it private.
    expect((await admin.patch(`/api/v1/views/${shared.body.id}`, { name: 'VIP' })).body.name).toBe(
      'VIP',
    );
    expect((await admin.patch(`/api/v1/views/${shared.body.id}`, { shared: false })).status).toBe(
      403,
    );
    const unshared = await manager.client.patch(`/api/v1/views/${shared.body.id}`, {
      shared: false,
    });
    expect(unshared.body.shared).toBe(false);
    expect(await names(sales.client)).not.toContain('VIP');
    expect(await names(admin)).not.toContain('VIP');
    expect((await manager.client.delete(`/api/v1/views/${shared.body.id}`)).status).toBe(204);
  });
});
