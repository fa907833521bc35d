import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Field-level access per role (issue #19): a field hidden from a role is absent from every
 * path that shows records — responses, lists, filters and sorts, field metadata, board totals,
 * exports, search, timelines and reports — and cannot be written; a read-only one is shown but
 * not written. Roles keep it in `field_access`; members' principals follow at once.
 */
describe('field access per role', () => {
  let t: TestApp;
  let admin: Client;
  let manager: Client;
  let sales: Awaited<ReturnType<typeof addMember>>;
  let salesRoleId: string;
  let dealId: string;
  let pipelineId: string;

  const fieldErrors = (body: {
    error: { details: { fields: { path: string; reason: string }[] } };
  }) => body.error.details.fields.map((f) => `${f.path}:${f.reason}`);

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    manager = (await addMember(t.app, admin, 'manager', 'Nguyễn Thị Lan')).client;
    sales = await addMember(t.app, admin, 'sales', 'Lê Văn Minh');
    salesRoleId = sales.roleId;
    const custom = await admin.post('/api/v1/custom-fields', {
      object: 'contacts',
      label: 'Thu nhập',
      type: 'money',
    });
    expect(custom.status).toBe(201);
    pipelineId = (await sales.client.get('/api/v1/pipelines')).body.items[0].id;
    // Before any field access: the rep's deal with an amount.
    const deal = await sales.client.post('/api/v1/deals', {
      name: 'Hợp đồng bí mật',
      amount: 500_000_000,
      expectedCloseDate: '2027-01-15',
    });
    dealId = deal.body.id;
  });
  afterAll(() => t?.close());

  it('an admin hides fields from a role and makes others read-only; bad input is refused', async () => {
    const custom = (await admin.get('/api/v1/objects/contacts/fields')).body.items.find(
      (f: { label: { vi: string } }) => f.label.vi === 'Thu nhập',
    );
    const saved = await admin.request('PUT', `/api/v1/roles/${salesRoleId}/field-access`, {
      fieldAccess: {
        deals: { amount: 'hidden', expectedCloseDate: 'read_only' },
        contacts: { [custom.key]: 'hidden' },
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.fieldAccess.deals).toEqual({
      amount: 'hidden',
      expectedCloseDate: 'read_only',
    });

    const title = await admin.request('PUT', `/api/v1/roles/${salesRoleId}/field-access`, {
      fieldAccess: { deals: { name: 'hidden', nope: 'read_only' } },
    });
    expect(title.status).toBe(400);
    expect(fieldErrors(title.body)).toEqual([
      'fieldAccess.deals.name:not_hideable',
      'fieldAccess.deals.nope:unknown_field',
    ]);
    const roles = (await admin.get('/api/v1/roles')).body.items;
    const adminRole = roles.find((r: { key: string }) => r.key === 'admin');
    const onAdmin = await admin.request('PUT', `/api/v1/roles/${adminRole.id}/field-access`, {
      fieldAccess: { deals: { amount: 'hidden' } },
    });
    expect(onAdmin.status).toBe(400);
    const byRep = await sales.client.request('PUT', `/api/v1/roles/${salesRoleId}/field-access`, {
      fieldAccess: {},
    });
    expect(byRep.status).toBe(403);
  });

  it('a hidden field is absent from responses, metadata, filters, sorts, boards and search', async () => {
    const got = await sales.client.get(`/api/v1/deals/${dealId}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ name: 'Hợp đồng bí mật', amount: null, weightedAmount: null });
    expect(got.body.expectedCloseDate).toBe('2027-01-15');
    const list = await sales.client.get('/api/v1/deals');
    expect(list.body.items[0].amount).toBeNull();
    const fields = (await sales.client.get('/api/v1/objects/deals/fields')).body.items as {
      key: string;
      readOnly: boolean;
    }[];
    expect(fields.some((f) => f.key === 'amount')).toBe(false);
    expect(fields.find((f) => f.key === 'expectedCloseDate')?.readOnly).toBe(true);
    const filter = encodeURIComponent(
      JSON.stringify({ and: [{ field: 'amount', op: 'gt', value: 100 }] }),
    );
    expect((await sales.client.get(`/api/v1/deals?filter=${filter}`)).status).toBe(400);
    expect((await sales.client.get('/api/v1/deals?sort=-amount')).status).toBe(400);
    const board = await sales.client.get(`/api/v1/deals/board?groupBy=stageId&scope=${pipelineId}`);
    expect(board.status).toBe(200);
    for (const c of board.body.columns) expect(c.sums).toEqual({});
    expect(board.body.columns[0].items[0].amount).toBeNull();
    const search = await sales.client.get('/api/v1/search?q=bi mat');
    const hit = search.body.items.find((i: { id: string }) => i.id === dealId);
    expect(hit.subtitle).not.toMatch(/đ/);

    // The manager's role is untouched.
    const full = await manager.get(`/api/v1/deals/${dealId}`);
    expect(full.body).toMatchObject({ amount: 500_000_000, weightedAmount: 50_000_000 });
    const managerBoard = await manager.get(
      `/api/v1/deals/board?groupBy=stageId&scope=${pipelineId}`,
    );
    expect(managerBoard.body.columns[0].sums).toEqual({
      amount: 500_000_000,
      weighted: 50_000_000,
    });
  });

  it('hidden and read-only fields cannot be written', async () => {
    const create = await sales.client.post('/api/v1/deals', { name: 'X', amount: 1 });
    expect(create.status).toBe(400);
    expect(fieldErrors(create.body)).toEqual(['amount:not_writable']);
    const patch = await sales.client.patch(`/api/v1/deals/${dealId}`, {
      expectedCloseDate: '2027-02-01',
    });
    expect(patch.status).toBe(400);
    expect(fieldErrors(patch.body)).toEqual(['expectedCloseDate:not_writable']);
    // What the role may change still saves, and the hidden amount is kept.
    const renamed = await sales.client.patch(`/api/v1/deals/${dealId}`, {
      name: 'Hợp đồng năm 2027',
    });
    expect(renamed.status).toBe(200);
    expect((await manager.get(`/api/v1/deals/${dealId}`)).body.amount).toBe(500_000_000);
  });

  it('exports, timelines and reports leave the hidden field out', async () => {
    const csv = await sales.client.get('/api/v1/deals/export?format=csv');
    expect(csv.status).toBe(200);
    const header = String(csv.body).slice(1).split('\r\n')[0]!;
    expect(header).toContain('Tên cơ hội');
    expect(header).not.toContain('Giá trị');
    const named = await sales.client.get('/api/v1/deals/export?format=csv&columns=name,amount');
    expect(named.status).toBe(400);

    // The manager changes the amount: the rep's timeline shows the rename, not the amount.
    await manager.patch(`/api/v1/deals/${dealId}`, { amount: 600_000_000 });
    const timeline = await sales.client.get(`/api/v1/deals/${dealId}/timeline`);
    const changes = timeline.body.items.flatMap((e: { data: { changes?: object } }) =>
      Object.keys(e.data.changes ?? {}),
    );
    expect(changes).toContain('name');
    expect(changes).not.toContain('amount');
    const managerTimeline = await manager.get(`/api/v1/deals/${dealId}/timeline`);
    expect(JSON.stringify(managerTimeline.body)).toContain('600000000');

    const report = await sales.client.get('/api/v1/reports/sales');
    expect(report.status).toBe(403);
    expect(report.body.error.message).toMatch(/không được xem giá trị cơ hội/);
  });

  it('a hidden custom field is absent from records and cannot be written', async () => {
    const fields = (await admin.get('/api/v1/objects/contacts/fields')).body.items;
    const custom = fields.find((f: { label: { vi: string } }) => f.label.vi === 'Thu nhập');
    const key = custom.key.slice('custom.'.length);
    const contact = await manager.post('/api/v1/contacts', {
      fullName: 'Đỗ Văn Lương',
      ownerId: sales.userId,
      custom: { [key]: 30_000_000 },
    });
    expect(contact.status).toBe(201);
    const seen = await sales.client.get(`/api/v1/contacts/${contact.body.id}`);
    expect(seen.body.custom).toEqual({});
    const write = await sales.client.patch(`/api/v1/contacts/${contact.body.id}`, {
      custom: { [key]: 1 },
    });
    expect(write.status).toBe(400);
    expect(fieldErrors(write.body)).toEqual([`${custom.key}:not_writable`]);
    expect((await manager.get(`/api/v1/contacts/${contact.body.id}`)).body.custom).toEqual({
      [key]: 30_000_000,
    });
  });
});
