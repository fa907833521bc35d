import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/sql.js';
import { Client, addMember, setupAdmin, type Reply } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * The create and update steps every record object shares (records/writer.ts): each object's
 * own normalisation and checks, the owner's and the custom fields' in one fixed order, every
 * field error of a write reported together, FORBIDDEN before any of them, nothing saved.
 */
describe('record writes: the steps every object shares', () => {
  let t: TestApp;
  let admin: Client;
  let adminId: string;
  let hoa: { client: Client; userId: string };
  const ghost = '01900000-0000-7000-8000-000000000000';
  const custom = { ma: 'M-1' };

  /** `path:reason` of each field error, in the order the write reported them. */
  const problems = (res: Reply) => {
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    return res.body.error.details.fields.map(
      (f: { path: string; reason?: string }) => `${f.path}:${f.reason ?? ''}`,
    );
  };
  const created = async (res: Reply) => {
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body.id as string;
  };
  const counts = async () =>
    (
      await t.ctx.db.system((tx) =>
        queryRows<{ records: number; audit: number }>(
          tx,
          sql`SELECT ((SELECT count(*) FROM contacts) + (SELECT count(*) FROM companies)
                + (SELECT count(*) FROM products))::int AS records,
              (SELECT count(*) FROM audit_log WHERE object_type IN ('contacts', 'companies', 'products'))::int AS audit`,
        ),
      )
    )[0]!;

  beforeAll(async () => {
    t = await createTestApp();
    const s = await setupAdmin(t.app);
    admin = s.admin;
    adminId = s.session.user.id;
    hoa = await addMember(t.app, admin, 'sales', 'Vũ Thị Hoa');
    // A required custom field on every object: its error comes last, with the others.
    for (const object of ['contacts', 'companies', 'products']) {
      const res = await admin.post(`/api/v1/custom-fields?object=${object}`, {
        key: 'ma',
        label: 'Mã nội bộ',
        type: 'text',
        required: true,
      });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    }
  });
  afterAll(() => t?.close());

  it('reports every field error of a create together: own fields, owner, own checks, custom', async () => {
    await created(
      await admin.post('/api/v1/products', { sku: 'NM-500', name: 'Nước mắm', custom }),
    );
    const before = await counts();
    expect(
      problems(await admin.post('/api/v1/contacts', { fullName: ' ', ownerId: ghost })),
    ).toEqual(['fullName:required', 'ownerId:not_a_member', 'custom.ma:']);
    expect(
      problems(
        await admin.post('/api/v1/companies', {
          name: ' ',
          website: 'javascript:alert(1)',
          ownerId: ghost,
          parentId: ghost,
        }),
      ),
    ).toEqual([
      'name:required',
      'website:invalid_url',
      'ownerId:not_a_member',
      'parentId:not_found',
      'custom.ma:',
    ]);
    expect(
      problems(await admin.post('/api/v1/products', { sku: ' NM-500 ', name: '', ownerId: ghost })),
    ).toEqual(['name:required', 'ownerId:not_a_member', 'sku:duplicate', 'custom.ma:']);
    expect(await counts()).toEqual(before);
  });

  it('reports every field error of an update together; unchanged values are not checked again', async () => {
    const parent = await created(
      await admin.post('/api/v1/companies', { name: 'Tập đoàn Sen', custom }),
    );
    const child = await created(
      await admin.post('/api/v1/companies', { name: 'Chi nhánh Sen', parentId: parent, custom }),
    );
    const before = await counts();
    expect(
      problems(
        await admin.patch(`/api/v1/companies/${parent}`, {
          name: '',
          ownerId: ghost,
          parentId: child,
          custom: { ma: '' },
        }),
      ),
    ).toEqual(['name:required', 'ownerId:not_a_member', 'parentId:cycle', 'custom.ma:']);
    expect(await counts()).toEqual(before);

    // The parent went to the trash: the child keeps it and can still be edited…
    expect((await admin.delete(`/api/v1/companies/${parent}`)).status).toBe(204);
    const renamed = await admin.patch(`/api/v1/companies/${child}`, {
      name: 'Chi nhánh Sen Huế',
      parentId: parent,
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Chi nhánh Sen Huế');
    // …but the trashed company cannot be chosen again once let go.
    expect((await admin.patch(`/api/v1/companies/${child}`, { parentId: null })).status).toBe(200);
    expect(problems(await admin.patch(`/api/v1/companies/${child}`, { parentId: parent }))).toEqual(
      ['parentId:not_found'],
    );

    const product = await created(
      await admin.post('/api/v1/products', { sku: 'GAO-25', name: 'Gạo ST25', custom }),
    );
    await created(await admin.post('/api/v1/products', { sku: 'GAO-5', name: 'Gạo 5kg', custom }));
    expect(
      problems(await admin.patch(`/api/v1/products/${product}`, { sku: 'GAO-5', ownerId: ghost })),
    ).toEqual(['ownerId:not_a_member', 'sku:duplicate']);
    const same = await admin.patch(`/api/v1/products/${product}`, {
      sku: 'GAO-25',
      unitPrice: 25_000,
    });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ sku: 'GAO-25', unitPrice: 25_000 });
    expect((await admin.patch(`/api/v1/products/${ghost}`, { name: 'Không có' })).status).toBe(404);
  });

  it('FORBIDDEN comes before any field error; an owner who is not a member is a field error', async () => {
    const own = await created(
      await hoa.client.post('/api/v1/contacts', { fullName: 'Lý Thị Mai', custom }),
    );
    const adminsCompany = await created(
      await admin.post('/api/v1/companies', { name: 'Công ty CP Sông Hồng', custom }),
    );
    const before = await counts();
    // A sales rep cannot give a record to someone else, whatever else is wrong with the body.
    const handOver = await hoa.client.post('/api/v1/contacts', { fullName: '', ownerId: adminId });
    expect(handOver.status).toBe(403);
    expect(handOver.body.error.code).toBe('FORBIDDEN');
    const reassign = await hoa.client.patch(`/api/v1/contacts/${own}`, {
      fullName: '',
      ownerId: adminId,
    });
    expect(reassign.status).toBe(403);
    // Another rep's record: refused before its body is looked at.
    const other = await hoa.client.patch(`/api/v1/companies/${adminsCompany}`, { name: '' });
    expect(other.status).toBe(403);
    // Products are kept by managers: a sales rep's create is refused before validation.
    expect((await hoa.client.post('/api/v1/products', { name: '' })).status).toBe(403);
    // Not a member is not a matter of scope: reported with the other field errors.
    expect(
      problems(await hoa.client.post('/api/v1/companies', { name: '', ownerId: ghost })),
    ).toEqual(['name:required', 'ownerId:not_a_member', 'custom.ma:']);
    expect(await counts()).toEqual(before);
  });
});
