import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/sql.js';
import { createLogger } from '../../src/lib/logger.js';
import { purgeTrashJob } from '../../src/modules/records/trash.js';
import { Client, addMember, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/** Visibility scope (a sales rep sees their own customers), bulk actions and the trash purge. */
describe('record scope, bulk and purge', () => {
  let t: TestApp;
  let admin: Client;
  let adminId: string;
  let hoa: { client: Client; userId: string };
  let lam: { client: Client; userId: string };
  const c: Record<string, string> = {};

  const create = async (client: Client, object: string, body: object) => {
    const res = await client.post(`/api/v1/${object}`, body);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body.id as string;
  };
  const ids = (res: { body: { items: { id: string }[] } }) =>
    res.body.items.map((i) => Object.keys(c).find((k) => c[k] === i.id) ?? i.id).sort();
  const auditCount = async (action: string) =>
    (
      await t.ctx.db.system((tx) =>
        queryRows<{ n: number }>(
          tx,
          sql`SELECT count(*)::int AS n FROM audit_log WHERE object_type = 'contacts' AND action = ${action}`,
        ),
      )
    )[0]!.n;

  beforeAll(async () => {
    t = await createTestApp();
    const s = await setupAdmin(t.app);
    admin = s.admin;
    adminId = s.session.user.id;
    hoa = await addMember(t.app, admin, 'sales', 'Vũ Thị Hoa');
    lam = await addMember(t.app, admin, 'sales', 'Đặng Văn Lâm');
    c.hoa1 = await create(hoa.client, 'contacts', {
      fullName: 'Nguyễn Văn Tùng',
      phones: [{ value: '0912000001' }],
    });
    c.hoa2 = await create(hoa.client, 'contacts', { fullName: 'Lý Thị Mai' });
    c.lam1 = await create(lam.client, 'contacts', {
      fullName: 'Bùi Quốc Khánh',
      phones: [{ value: '0912000002' }],
    });
    c.admin1 = await create(admin, 'contacts', { fullName: 'Tạ Thu Hà' });
    c.hoaCo = await create(hoa.client, 'companies', { name: 'Công ty TNHH Mai Vàng' });
    c.adminCo = await create(admin, 'companies', { name: 'Công ty CP Sông Hồng' });
    // Both reps' contacts work at Hoa's company; Hoa's contact also at the admin's company.
    for (const [contact, company] of [
      ['hoa1', 'hoaCo'],
      ['lam1', 'hoaCo'],
      ['hoa1', 'adminCo'],
    ] as const) {
      const res = await admin.post(`/api/v1/contacts/${c[contact]}/companies`, {
        companyId: c[company],
      });
      if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    }
  });
  afterAll(() => t?.close());

  it('a sales rep lists, counts, searches and exports only their own contacts', async () => {
    const mine = await hoa.client.get('/api/v1/contacts?withTotal=true');
    expect(ids(mine)).toEqual(['hoa1', 'hoa2']);
    expect(mine.body.total).toBe(2);
    expect((await hoa.client.get('/api/v1/contacts/count')).body.count).toBe(2);
    expect(ids(await hoa.client.get('/api/v1/contacts?q=0912000'))).toEqual(['hoa1']);
    const csv = (await hoa.client.get('/api/v1/contacts/export?columns=displayName'))
      .body as string;
    expect(csv.slice(1).trimEnd().split('\r\n').sort()).toEqual(
      ['Họ và tên', 'Lý Thị Mai', 'Nguyễn Văn Tùng'].sort(),
    );
    expect(ids(await admin.get('/api/v1/contacts'))).toEqual(['admin1', 'hoa1', 'hoa2', 'lam1']);
    expect(ids(await hoa.client.get('/api/v1/companies'))).toEqual(['hoaCo']);
  });

  it('reading or writing another rep’s record is forbidden', async () => {
    expect((await hoa.client.get(`/api/v1/contacts/${c.lam1}`)).status).toBe(403);
    expect((await hoa.client.patch(`/api/v1/contacts/${c.lam1}`, { givenName: 'X' })).status).toBe(
      403,
    );
    expect((await hoa.client.delete(`/api/v1/contacts/${c.lam1}`)).status).toBe(403);
    expect((await hoa.client.get(`/api/v1/contacts/${c.lam1}/companies`)).status).toBe(403);
    expect((await hoa.client.get(`/api/v1/companies/${c.adminCo}/contacts`)).status).toBe(403);
    expect(
      (await hoa.client.get('/api/v1/contacts/01900000-0000-7000-8000-000000000000')).status,
    ).toBe(404);
    // Nor can they create records for someone else, or hand theirs over.
    expect(
      (await hoa.client.post('/api/v1/contacts', { fullName: 'Mới', ownerId: lam.userId })).status,
    ).toBe(403);
    expect(
      (await hoa.client.patch(`/api/v1/contacts/${c.hoa2}`, { ownerId: lam.userId })).status,
    ).toBe(403);
    // A viewer reads all but writes nothing.
    const viewer = await addMember(t.app, admin, 'viewer', 'Ngô Thị Xem');
    expect((await viewer.client.get('/api/v1/contacts/count')).body.count).toBe(4);
    expect((await viewer.client.post('/api/v1/contacts', { fullName: 'X' })).status).toBe(403);
    expect((await viewer.client.get('/api/v1/contacts/export')).status).toBe(403);
  });

  it('related panels apply the scope too', async () => {
    const related = await hoa.client.get(`/api/v1/companies/${c.hoaCo}/contacts`);
    expect(ids(related)).toEqual(['hoa1']);
    expect((await hoa.client.get(`/api/v1/companies/${c.hoaCo}`)).body.contactCount).toBe(1);
    expect((await admin.get(`/api/v1/companies/${c.hoaCo}`)).body.contactCount).toBe(2);
    expect(ids(await admin.get(`/api/v1/companies/${c.hoaCo}/contacts`))).toEqual(['hoa1', 'lam1']);
    // Hoa's contact works at the admin's company too, which Hoa cannot see.
    const contact = await hoa.client.get(`/api/v1/contacts/${c.hoa1}`);
    expect(contact.body.companies.map((l: { companyId: string }) => l.companyId)).toEqual([
      c.hoaCo,
    ]);
    expect((await admin.get(`/api/v1/contacts/${c.hoa1}`)).body.companies).toHaveLength(2);
    const link = await hoa.client.post(`/api/v1/contacts/${c.hoa2}/companies`, {
      companyId: c.adminCo,
    });
    expect(link.status).toBe(403);
  });

  it('bulk actions check every record and are all or nothing', async () => {
    const before = await auditCount('update');
    const mixed = await hoa.client.post('/api/v1/contacts/bulk', {
      ids: [c.hoa1, c.lam1],
      action: 'add_tag',
      tag: 'hội chợ 2025',
    });
    expect(mixed.status).toBe(403);
    expect((await admin.get(`/api/v1/contacts/${c.hoa1}`)).body.tags).toEqual([]);
    const ok = await hoa.client.post('/api/v1/contacts/bulk', {
      ids: [c.hoa1, c.hoa2],
      action: 'add_tag',
      tag: ' hội chợ 2025 ',
    });
    expect(ok.body).toEqual({ updated: 2 });
    expect((await hoa.client.get(`/api/v1/contacts/${c.hoa2}`)).body.tags).toEqual([
      'hội chợ 2025',
    ]);
    expect(await auditCount('update')).toBe(before + 2);

    const missing = await admin.post('/api/v1/contacts/bulk', {
      ids: [c.hoa1, '01900000-0000-7000-8000-000000000000'],
      action: 'set_field',
      field: 'lifecycleStage',
      value: 'customer',
    });
    expect(missing.status).toBe(404);
    expect((await admin.get(`/api/v1/contacts/${c.hoa1}`)).body.lifecycleStage).toBe('lead');

    const stage = await admin.post('/api/v1/contacts/bulk', {
      ids: [c.hoa1, c.lam1],
      action: 'set_field',
      field: 'lifecycleStage',
      value: 'customer',
    });
    expect(stage.body).toEqual({ updated: 2 });
    const badValue = await admin.post('/api/v1/contacts/bulk', {
      ids: [c.hoa1],
      action: 'set_field',
      field: 'lifecycleStage',
      value: 'boss',
    });
    expect(badValue.status).toBe(400);
    expect(badValue.body.error.details.fields[0].path).toBe('value');
    const badField = await admin.post('/api/v1/contacts/bulk', {
      ids: [c.hoa1],
      action: 'set_field',
      field: 'salary',
      value: 1,
    });
    expect(badField.status).toBe(400);
    expect(badField.body.error.details.fields[0].path).toBe('field');
    // One bad phone among many: nothing changes.
    const phones = await admin.post('/api/v1/contacts/bulk', {
      ids: [c.hoa1, c.hoa2],
      action: 'set_field',
      field: 'phones',
      value: [{ value: '12' }],
    });
    expect(phones.status).toBe(400);

    const removed = await admin.post('/api/v1/contacts/bulk', {
      ids: [c.hoa1, c.hoa2],
      action: 'remove_tag',
      tag: 'HỘI CHỢ 2025',
    });
    expect(removed.body).toEqual({ updated: 2 });
    expect((await admin.get(`/api/v1/contacts/${c.hoa2}`)).body.tags).toEqual([]);

    const assign = await admin.post('/api/v1/contacts/bulk', {
      ids: [c.hoa2],
      action: 'assign_owner',
      ownerId: lam.userId,
    });
    expect(assign.body).toEqual({ updated: 1 });
    expect(ids(await lam.client.get('/api/v1/contacts'))).toEqual(['hoa2', 'lam1']);
    await admin.post('/api/v1/contacts/bulk', {
      ids: [c.hoa2],
      action: 'assign_owner',
      ownerId: hoa.userId,
    });

    const del = await hoa.client.post('/api/v1/contacts/bulk', {
      ids: [c.hoa1, c.hoa2],
      action: 'delete',
    });
    expect(del.body).toEqual({ updated: 2 });
    expect(ids(await hoa.client.get('/api/v1/contacts?trash=true'))).toEqual(['hoa1', 'hoa2']);
    const restore = await hoa.client.post('/api/v1/contacts/bulk', {
      ids: [c.hoa1, c.hoa2],
      action: 'restore',
    });
    expect(restore.body).toEqual({ updated: 2 });
    expect(await auditCount('restore')).toBe(2);
    const viewer = await addMember(t.app, admin, 'support', 'Hỗ Trợ');
    expect(
      (await viewer.client.post('/api/v1/contacts/bulk', { ids: [c.hoa1], action: 'delete' }))
        .status,
    ).toBe(403);
  });

  it('the daily purge deletes only what was trashed more than 30 days ago', async () => {
    const old = await create(admin, 'contacts', { fullName: 'Cũ Lắm Rồi' });
    const recent = await create(admin, 'contacts', { fullName: 'Mới Xoá' });
    const oldParent = await create(admin, 'companies', { name: 'Công ty mẹ đã giải thể' });
    const child = await create(admin, 'companies', { name: 'Công ty con', parentId: oldParent });
    await admin.post(`/api/v1/contacts/${old}/companies`, { companyId: oldParent });
    for (const [object, id] of [
      ['contacts', old],
      ['contacts', recent],
      ['companies', oldParent],
    ]) {
      expect((await admin.delete(`/api/v1/${object}/${id}`)).status).toBe(204);
    }
    await t.ctx.db.system(async (tx) => {
      await tx.execute(
        sql`UPDATE contacts SET deleted_at = now() - interval '31 days' WHERE id = ${old}`,
      );
      await tx.execute(
        sql`UPDATE contacts SET deleted_at = now() - interval '29 days' WHERE id = ${recent}`,
      );
      await tx.execute(
        sql`UPDATE companies SET deleted_at = now() - interval '40 days' WHERE id = ${oldParent}`,
      );
    });
    await purgeTrashJob.handler(
      {},
      { db: t.ctx.db, logger: createLogger('silent'), config: t.ctx.config, jobId: 'test' },
    );
    const left = await t.ctx.db.system((tx) =>
      queryRows<{ id: string }>(
        tx,
        sql`SELECT id FROM contacts WHERE id IN (${old}, ${recent}) UNION ALL SELECT id FROM companies WHERE id = ${oldParent}`,
      ),
    );
    expect(left.map((r) => r.id)).toEqual([recent]);
    const childNow = await admin.get(`/api/v1/companies/${child}`);
    expect(childNow.body.parentId).toBeNull();
    expect((await admin.post(`/api/v1/contacts/${recent}/restore`)).status).toBe(200);
    // Restored as it was: out of the trash, still owned by the admin who created it.
    const restored = await admin.get(`/api/v1/contacts/${recent}`);
    expect(restored.body).toMatchObject({ deletedAt: null, ownerId: adminId });
    expect(ids(await admin.get('/api/v1/contacts?trash=true'))).not.toContain(recent);
  });
});
