import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/sql.js';
import { Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/** Contacts and companies: create, read, update, trash, restore; validation of Vietnamese data. */
describe('customer records CRUD', () => {
  let t: TestApp;
  let admin: Client;
  let adminId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const s = await setupAdmin(t.app);
    admin = s.admin;
    adminId = s.session.user.id;
  });
  afterAll(() => t?.close());

  const countRows = async (table: 'contacts' | 'companies') =>
    (
      await t.ctx.db.system((tx) =>
        queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`),
      )
    )[0]!.n;

  const auditOf = (objectId: string) =>
    t.ctx.db.system((tx) =>
      queryRows<{ action: string; object_type: string; changes: Record<string, unknown> | null }>(
        tx,
        sql`SELECT action, object_type, changes FROM audit_log WHERE object_id = ${objectId} ORDER BY id`,
      ),
    );

  it('creates a contact with normalised Vietnamese data and reads it back', async () => {
    const res = await admin.post('/api/v1/contacts', {
      familyName: '  Nguyễn ',
      middleName: 'Thị  Hồng',
      givenName: 'Nhung',
      salutation: 'chi',
      gender: 'female',
      birthday: '1990-05-17',
      emails: [{ value: ' Nhung.Nguyen@Example.VN ', label: 'work' }],
      phones: [
        { value: '0912 345 678', label: 'mobile' },
        { value: '024 3825 1234', label: 'office', primary: true },
      ],
      addresses: [{ street: '12 Hàng Bài', wardCode: '00070', provinceCode: '01' }],
      tags: [' vip ', 'VIP', 'khách sỉ', ''],
      lifecycleStage: 'customer',
      source: 'website',
    });
    expect(res.status).toBe(201);
    const c = res.body;
    expect(c).toMatchObject({
      familyName: 'Nguyễn',
      middleName: 'Thị Hồng',
      givenName: 'Nhung',
      displayName: 'Nguyễn Thị Hồng Nhung',
      emails: [{ value: 'nhung.nguyen@example.vn', label: 'work', primary: true }],
      phones: [
        { value: '+84912345678', national: '0912 345 678', primary: false },
        { value: '+842438251234', national: '024 3825 1234', primary: true },
      ],
      primaryPhone: '+842438251234',
      primaryEmail: 'nhung.nguyen@example.vn',
      provinceCode: '01',
      wardCode: '00070',
      tags: ['vip', 'khách sỉ'],
      ownerId: adminId,
      owner: { id: adminId, name: 'Nguyễn Văn An' },
      companies: [],
      lifecycleStage: 'customer',
      deletedAt: null,
    });
    expect(c.addresses[0]).toMatchObject({ primary: true, countryCode: 'VN' });
    expect(c.addresses[0].provinceName).toMatch(/Hà Nội/);
    const got = await admin.get(`/api/v1/contacts/${c.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(c);
    const [row] = await t.ctx.db.system((tx) =>
      queryRows<{ search_name: string; sort_name: string; search_text: string }>(
        tx,
        sql`SELECT search_name, sort_name, search_text FROM contacts WHERE id = ${c.id}`,
      ),
    );
    expect(row!.search_name).toBe('nguyen thi hong nhung');
    expect(row!.sort_name).toBe('nhung nguyen thi hong');
    for (const part of ['nhung thi hong nguyen', '912345678', '0912345678', '84912345678']) {
      expect(row!.search_text).toContain(part);
    }
    expect((await auditOf(c.id)).map((a) => [a.action, a.object_type])).toEqual([
      ['create', 'contacts'],
    ]);
  });

  it('accepts every way people write a phone number', async () => {
    const res = await admin.post('/api/v1/contacts', {
      fullName: 'Trần Văn Bình',
      phones: [
        { value: '0912 345 678' },
        { value: '+84 912 345 678' },
        { value: '84912345678' },
        { value: '912345678' },
        { value: '0166 234 5678' },
        { value: '024 3825 1234' },
        { value: '+1 415 555 2671' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ familyName: 'Trần', middleName: 'Văn', givenName: 'Bình' });
    // The four forms of one number are one phone; the old 11-digit mobile is renumbered.
    expect(res.body.phones.map((p: { value: string }) => p.value)).toEqual([
      '+84912345678',
      '+84362345678',
      '+842438251234',
      '+14155552671',
    ]);
    expect(res.body.phones.map((p: { national: string }) => p.national)).toEqual([
      '0912 345 678',
      '0362 345 678',
      '024 3825 1234',
      '+1 415 555 2671',
    ]);
    expect(res.body.phones[0].primary).toBe(true);
    expect(res.body.primaryPhone).toBe('+84912345678');
  });

  it('rejects invalid data with translated field errors, and saves nothing', async () => {
    const before = await countRows('contacts');
    const companiesBefore = await countRows('companies');
    const body = {
      fullName: 'Lê Thị Cúc',
      phones: [{ value: '0912 345 678' }, { value: '0123' }, { value: 'gọi tôi' }],
      emails: [{ value: 'cuc@@example' }],
      addresses: [
        { provinceCode: '99' },
        { wardCode: '99999' },
        { wardCode: '25747', provinceCode: '01' },
      ],
    };
    // Messages follow the user's language (the admin's is Vietnamese).
    const vi = await admin.post('/api/v1/contacts', body);
    expect(vi.status).toBe(400);
    expect(vi.body.error.code).toBe('VALIDATION_FAILED');
    expect(vi.body.error.message).toBe('Dữ liệu không hợp lệ.');
    const fields = vi.body.error.details.fields;
    expect(fields.map((f: { path: string }) => f.path)).toEqual([
      'phones.1.value',
      'phones.2.value',
      'emails.0.value',
      'addresses.0.provinceCode',
      'addresses.1.wardCode',
      'addresses.2.wardCode',
    ]);
    expect(fields.map((f: { reason: string }) => f.reason)).toEqual([
      'too_short',
      'invalid_characters',
      'invalid_email',
      'unknown_province',
      'unknown_ward',
      'ward_not_in_province',
    ]);
    expect(fields[0].message).toBe('Số điện thoại quá ngắn.');
    expect(fields[5].message).toBe('Phường/xã này không thuộc tỉnh/thành phố đã chọn.');
    expect((await admin.patch('/api/v1/me', { locale: 'en' })).status).toBe(200);
    const en = await admin.post('/api/v1/contacts', body);
    expect(en.status).toBe(400);
    expect(en.body.error.message).toBe('Some fields are invalid.');
    expect(en.body.error.details.fields[5].message).toBe(
      'This ward or commune is not in the selected province.',
    );
    const tax = await admin.post('/api/v1/companies', { name: 'Công ty X', taxCode: '0100109107' });
    expect(tax.body.error.details.fields[0]).toMatchObject({
      path: 'taxCode',
      reason: 'invalid_check_digit',
      message: 'The tax code’s check digit is wrong: check each digit again.',
    });
    await admin.patch('/api/v1/me', { locale: 'vi' });
    expect(await countRows('contacts')).toBe(before);
    expect(await countRows('companies')).toBe(companiesBefore);
  });

  it('keeps a pre-2025 address as free text; unknown fields and enums are rejected', async () => {
    const res = await admin.post('/api/v1/contacts', {
      fullName: 'Phạm Minh Đức',
      addresses: [{ text: '45 Lý Thường Kiệt, Quận Hoàn Kiếm, Hà Nội' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.addresses).toEqual([
      {
        label: null,
        street: null,
        wardCode: null,
        provinceCode: null,
        text: '45 Lý Thường Kiệt, Quận Hoàn Kiếm, Hà Nội',
        countryCode: 'VN',
        primary: true,
        wardName: null,
        provinceName: null,
      },
    ]);
    expect(res.body.provinceCode).toBeNull();
    const unknown = await admin.post('/api/v1/contacts', { fullName: 'X', isAdmin: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields[0].path).toBe('isAdmin');
    const stage = await admin.post('/api/v1/contacts', { fullName: 'X', lifecycleStage: 'boss' });
    expect(stage.status).toBe(400);
    expect(stage.body.error.details.fields[0].path).toBe('lifecycleStage');
    const noName = await admin.post('/api/v1/contacts', { emails: [{ value: 'a@b.vn' }] });
    expect(noName.status).toBe(400);
    expect(noName.body.error.details.fields[0].path).toBe('givenName');
  });

  it('stores HTML and script as plain text, verbatim; limits lengths', async () => {
    const evil = '<img src=x onerror=alert(1)><script>alert("xss")</script>';
    const res = await admin.post('/api/v1/contacts', { givenName: evil, source: '<b>web</b>' });
    expect(res.status).toBe(201);
    expect(res.body.givenName).toBe(evil);
    expect(res.body.displayName).toBe(evil);
    expect(res.body.source).toBe('<b>web</b>');
    const long = await admin.post('/api/v1/contacts', { givenName: 'a'.repeat(101) });
    expect(long.status).toBe(400);
    expect(long.body.error.details.fields[0].path).toBe('givenName');
  });

  it('a 10 MB body is refused with 413 and nothing is saved', async () => {
    const before = await countRows('contacts');
    const res = await admin.post('/api/v1/contacts', { givenName: 'x'.repeat(10 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await countRows('contacts')).toBe(before);
  });

  it('updates only the given fields, audits the change, trashes and restores', async () => {
    const created = (
      await admin.post('/api/v1/contacts', {
        familyName: 'Võ',
        givenName: 'Hải',
        phones: [{ value: '0903 123 456' }],
        tags: ['a'],
      })
    ).body;
    const patched = await admin.patch(`/api/v1/contacts/${created.id}`, {
      middleName: 'Thanh',
      lifecycleStage: 'opportunity',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      displayName: 'Võ Thanh Hải',
      lifecycleStage: 'opportunity',
      phones: [{ value: '+84903123456' }],
      tags: ['a'],
    });
    const audit = await auditOf(created.id);
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    expect(audit[1]!.changes).toMatchObject({
      middleName: { from: null, to: 'Thanh' },
      displayName: { from: 'Võ Hải', to: 'Võ Thanh Hải' },
      lifecycleStage: { from: 'lead', to: 'opportunity' },
    });
    expect(Object.keys(audit[1]!.changes!)).not.toContain('searchText');

    const bad = await admin.patch(`/api/v1/contacts/${created.id}`, {
      phones: [{ value: '12' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].path).toBe('phones.0.value');

    expect((await admin.delete(`/api/v1/contacts/${created.id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/contacts/${created.id}`)).status).toBe(404);
    expect((await admin.patch(`/api/v1/contacts/${created.id}`, { givenName: 'X' })).status).toBe(
      404,
    );
    expect((await admin.delete(`/api/v1/contacts/${created.id}`)).status).toBe(404);
    const trashed = await admin.get(`/api/v1/contacts/${created.id}?trash=true`);
    expect(trashed.status).toBe(200);
    expect(trashed.body.deletedAt).not.toBeNull();
    const restored = await admin.post(`/api/v1/contacts/${created.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.deletedAt).toBeNull();
    expect((await admin.post(`/api/v1/contacts/${created.id}/restore`)).status).toBe(404);
    expect((await auditOf(created.id)).map((a) => a.action)).toEqual([
      'create',
      'update',
      'delete',
      'restore',
    ]);
    expect((await admin.get('/api/v1/contacts/not-a-uuid')).status).toBe(400);
    expect((await admin.get('/api/v1/contacts/01900000-0000-7000-8000-000000000000')).status).toBe(
      404,
    );
  });

  it('companies: tax code with check digit, website, parent without cycles', async () => {
    const wrong = await admin.post('/api/v1/companies', {
      name: 'Công ty TNHH Hoa Sen',
      taxCode: '0100109107',
      website: 'javascript:alert(1)',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.fields).toMatchObject([
      { path: 'taxCode', reason: 'invalid_check_digit' },
      { path: 'website', reason: 'invalid_url' },
    ]);
    const parent = await admin.post('/api/v1/companies', {
      name: '  Tập đoàn  Hoa Sen ',
      taxCode: '01.00.109.106',
      type: 'customer',
      website: 'hoasen.vn',
      phones: [{ value: '028 3822 1234' }],
      addresses: [{ street: '1 Lê Duẩn', wardCode: '25747' }],
    });
    expect(parent.status).toBe(201);
    expect(parent.body).toMatchObject({
      name: 'Tập đoàn Hoa Sen',
      taxCode: '0100109106',
      type: 'customer',
      website: 'https://hoasen.vn/',
      provinceCode: '79',
      wardCode: '25747',
      parentId: null,
      parent: null,
      contactCount: 0,
      ownerId: adminId,
    });
    const child = await admin.post('/api/v1/companies', {
      name: 'Chi nhánh Hoa Sen Đà Nẵng',
      taxCode: '0100109106-001',
      parentId: parent.body.id,
    });
    expect(child.status).toBe(201);
    expect(child.body).toMatchObject({
      taxCode: '0100109106-001',
      parent: { id: parent.body.id, name: 'Tập đoàn Hoa Sen' },
    });
    const cycle = await admin.patch(`/api/v1/companies/${parent.body.id}`, {
      parentId: child.body.id,
    });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.details.fields[0]).toMatchObject({ path: 'parentId', reason: 'cycle' });
    const self = await admin.patch(`/api/v1/companies/${parent.body.id}`, {
      parentId: parent.body.id,
    });
    expect(self.status).toBe(400);
    const ghost = await admin.patch(`/api/v1/companies/${child.body.id}`, {
      parentId: '01900000-0000-7000-8000-000000000000',
    });
    expect(ghost.body.error.details.fields[0]).toMatchObject({ path: 'parentId' });
    const owner = await admin.patch(`/api/v1/companies/${child.body.id}`, {
      ownerId: '01900000-0000-7000-8000-000000000000',
    });
    expect(owner.status).toBe(400);
    expect(owner.body.error.details.fields[0]).toMatchObject({
      path: 'ownerId',
      reason: 'not_a_member',
    });
    expect((await auditOf(child.body.id)).map((a) => a.object_type)).toEqual(['companies']);
  });

  it('links contacts and companies with job titles; one primary', async () => {
    const a = (await admin.post('/api/v1/companies', { name: 'Công ty Cổ phần Bình Minh' })).body;
    const b = (await admin.post('/api/v1/companies', { name: 'Công ty TNHH An Phát' })).body;
    const c = (await admin.post('/api/v1/contacts', { fullName: 'Đỗ Quang Huy' })).body;
    const first = await admin.post(`/api/v1/contacts/${c.id}/companies`, {
      companyId: a.id,
      jobTitle: 'Kế toán trưởng',
    });
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      {
        companyId: a.id,
        name: 'Công ty Cổ phần Bình Minh',
        jobTitle: 'Kế toán trưởng',
        isPrimary: true,
      },
    ]);
    const second = await admin.post(`/api/v1/contacts/${c.id}/companies`, {
      companyId: b.id,
      jobTitle: 'Giám đốc',
      isPrimary: true,
    });
    expect(
      second.body.items.map((l: { companyId: string; isPrimary: boolean }) => [
        l.companyId,
        l.isPrimary,
      ]),
    ).toEqual([
      [b.id, true],
      [a.id, false],
    ]);
    const contact = (await admin.get(`/api/v1/contacts/${c.id}`)).body;
    expect(contact.companies).toHaveLength(2);
    expect((await admin.get(`/api/v1/companies/${a.id}`)).body.contactCount).toBe(1);
    const related = await admin.get(`/api/v1/companies/${a.id}/contacts`);
    expect(related.body.items).toHaveLength(1);
    expect(related.body.items[0]).toMatchObject({
      id: c.id,
      jobTitle: 'Kế toán trưởng',
      isPrimary: false,
    });
    const bogus = await admin.post(`/api/v1/contacts/${c.id}/companies`, {
      companyId: '01900000-0000-7000-8000-000000000000',
    });
    expect(bogus.status).toBe(400);
    expect(bogus.body.error.details.fields[0].path).toBe('companyId');
    expect((await admin.delete(`/api/v1/contacts/${c.id}/companies/${b.id}`)).status).toBe(204);
    const left = await admin.get(`/api/v1/contacts/${c.id}/companies`);
    expect(left.body.items).toEqual([
      {
        companyId: a.id,
        name: 'Công ty Cổ phần Bình Minh',
        jobTitle: 'Kế toán trưởng',
        isPrimary: true,
      },
    ]);
    expect((await admin.delete(`/api/v1/contacts/${c.id}/companies/${b.id}`)).status).toBe(404);
    // A trashed company disappears from the contact; restored, it is back.
    await admin.delete(`/api/v1/companies/${a.id}`);
    expect((await admin.get(`/api/v1/contacts/${c.id}`)).body.companies).toEqual([]);
    await admin.post(`/api/v1/companies/${a.id}/restore`);
    expect((await admin.get(`/api/v1/contacts/${c.id}`)).body.companies).toHaveLength(1);
  });

  it('the field metadata lists system fields with labels, options and operators', async () => {
    const res = await admin.get('/api/v1/objects/contacts/fields');
    expect(res.status).toBe(200);
    const byKey = new Map(res.body.items.map((f: { key: string }) => [f.key, f]));
    expect(byKey.get('lifecycleStage')).toMatchObject({
      type: 'select',
      label: { vi: 'Giai đoạn', en: 'Lifecycle stage' },
      filterable: true,
      sortable: true,
      system: true,
      required: true,
    });
    // NOT NULL columns are required (an inline edit cannot clear them); optional ones are not.
    expect(byKey.get('displayName')).toMatchObject({ required: true });
    expect(byKey.get('salutation')).toMatchObject({ required: false });
    // Lifecycle stages are the workspace's option list: colours, archived stages included.
    expect(byKey.get('lifecycleStage')).toMatchObject({ optionsEditable: true });
    expect((byKey.get('lifecycleStage') as { options: unknown[] }).options).toContainEqual({
      key: 'customer',
      label: { vi: 'Khách hàng', en: 'Customer' },
      color: '#40c057',
      archived: false,
    });
    expect(byKey.get('tags')).toMatchObject({
      type: 'tags',
      operators: ['contains', 'not_contains', 'is_empty', 'is_not_empty'],
    });
    expect(byKey.get('phones')).toMatchObject({ filterable: false, sortable: false });
    expect((await admin.get('/api/v1/objects/spaceships/fields')).status).toBe(404);
  });

  it('Vietnamese administrative units for pickers', async () => {
    const provinces = await admin.get('/api/v1/vn/provinces');
    expect(provinces.body.items).toHaveLength(34);
    const wards = await admin.get('/api/v1/vn/wards?provinceCode=01&q=hoan%20kiem');
    expect(wards.body.items[0]).toMatchObject({ code: '00070', provinceCode: '01' });
    const all = await admin.get('/api/v1/vn/wards?provinceCode=01');
    expect(all.body.items.length).toBeGreaterThan(100);
    expect((await admin.get('/api/v1/vn/wards?provinceCode=99')).status).toBe(400);
    expect((await new Client(t.app).get('/api/v1/vn/provinces')).status).toBe(401);
  });
});
