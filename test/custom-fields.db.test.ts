import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/core/errors.js';
import type { CustomValues } from '../src/db/schema/index.js';
import { queryRows } from '../src/db/sql.js';
import {
  loadCustomFields,
  syncUniqueValues,
  validateCustomValues,
} from '../src/modules/custom-fields/values.js';
import { buildCompany, buildContact } from '../src/modules/demo/factories.js';
import { addMember, type Client, setupAdmin } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

/** The field errors of a VALIDATION_FAILED thrown by fn, as { path: englishMessage }. */
async function fieldErrorsOf(fn: () => unknown): Promise<Record<string, string>> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe('VALIDATION_FAILED');
    return Object.fromEntries((e.details?.fields ?? []).map((f) => [f.path, f.message]));
  }
  throw new Error('expected a validation error');
}

describe('custom fields', () => {
  let t: TestApp;
  let admin: Client;
  let ws: { workspaceId: string; userId: string };

  const tenant = <T>(fn: Parameters<TestApp['ctx']['db']['tenant']>[1]) =>
    t.ctx.db.tenant(ws, fn) as Promise<T>;

  const insertContact = async (displayName: string, custom: CustomValues = {}) =>
    (
      await buildContact(t.ctx.db, {
        workspaceId: ws.workspaceId,
        ownerId: ws.userId,
        displayName,
        custom,
      })
    ).id;

  async function customOf(id: string): Promise<CustomValues> {
    const rows = await t.ctx.db.tenant(ws, (tx) =>
      queryRows<{ custom: CustomValues }>(tx, sql`SELECT custom FROM contacts WHERE id = ${id}`),
    );
    return rows[0]!.custom;
  }

  /** What a record service does on create/update: validate, write, keep unique values. */
  async function saveContact(
    id: string | null,
    input: Record<string, unknown>,
  ): Promise<{ id: string; custom: CustomValues }> {
    return t.ctx.db.tenant(ws, async (tx) => {
      const fields = await loadCustomFields(tx, 'contacts');
      const existing = id
        ? (
            await queryRows<{ custom: CustomValues }>(
              tx,
              sql`SELECT custom FROM contacts WHERE id = ${id}`,
            )
          )[0]!.custom
        : null;
      const custom = validateCustomValues(fields, input, { existing });
      let recordId = id;
      if (recordId) {
        await tx.execute(
          sql`UPDATE contacts SET custom = ${JSON.stringify(custom)}::jsonb WHERE id = ${recordId}`,
        );
      } else {
        const rows = await queryRows<{ id: string }>(
          tx,
          sql`INSERT INTO contacts (workspace_id, display_name, owner_id, custom)
              VALUES (${ws.workspaceId}, 'Khách', ${ws.userId}, ${JSON.stringify(custom)}::jsonb)
              RETURNING id`,
        );
        recordId = rows[0]!.id;
      }
      await syncUniqueValues(tx, fields, 'contacts', recordId, custom);
      return { id: recordId, custom };
    });
  }

  beforeAll(async () => {
    t = await createTestApp();
    const setup = await setupAdmin(t.app);
    admin = setup.admin;
    ws = { workspaceId: setup.session.workspace.id, userId: setup.session.user.id };
  });
  afterAll(() => t?.close());

  it('creates fields of every type, with keys generated from Vietnamese labels', async () => {
    const specs: Record<string, unknown>[] = [
      {
        label: 'Hạng thành viên',
        type: 'select',
        options: {
          choices: [
            { label: 'Vàng', color: 'yellow' },
            { key: 'silver', label: 'Bạc' },
          ],
        },
      },
      {
        label: 'Sở thích',
        type: 'multi_select',
        options: {
          choices: [
            { key: 'golf', label: 'Golf' },
            { key: 'tennis', label: 'Tennis' },
          ],
        },
      },
      { label: 'Ghi chú ngắn', type: 'text' },
      { label: 'Tiểu sử', type: 'long_text' },
      { label: 'Điểm', type: 'number' },
      { label: 'Doanh số', type: 'money' },
      { label: 'Ngày ký', type: 'date' },
      { label: 'Lần gọi cuối', type: 'datetime' },
      { label: 'Đã xác minh', type: 'boolean' },
      { label: 'Trang cá nhân', type: 'url' },
      { label: 'Email phụ', type: 'email' },
      { label: 'Số Zalo', type: 'phone' },
      { label: 'Người giới thiệu', type: 'user' },
      { label: 'Công ty mẹ', type: 'link', options: { target: 'companies' } },
    ];
    for (const spec of specs) {
      const res = await admin.post('/api/v1/custom-fields?object=contacts', spec);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const list = await admin.get('/api/v1/custom-fields?object=contacts');
    expect(list.status).toBe(200);
    expect(list.body.items.map((f: { key: string }) => f.key)).toEqual([
      'hang_thanh_vien',
      'so_thich',
      'ghi_chu_ngan',
      'tieu_su',
      'diem',
      'doanh_so',
      'ngay_ky',
      'lan_goi_cuoi',
      'da_xac_minh',
      'trang_ca_nhan',
      'email_phu',
      'so_zalo',
      'nguoi_gioi_thieu',
      'cong_ty_me',
    ]);
    expect(list.body.items[0].options.choices[0]).toEqual({
      key: 'vang',
      label: 'Vàng',
      color: 'yellow',
    });
    // A second field with the same label gets a free key; an explicit taken key is refused.
    const again = await admin.post('/api/v1/custom-fields', {
      object: 'contacts',
      label: 'Điểm',
      type: 'number',
    });
    expect(again.body.key).toBe('diem_2');
    await admin.delete(`/api/v1/custom-fields/${again.body.id}`);
    const taken = await admin.post('/api/v1/custom-fields?object=contacts', {
      key: 'diem',
      label: 'X',
      type: 'text',
    });
    expect(taken.status).toBe(409);
  });

  it('refuses bad definitions', async () => {
    const post = (body: unknown) => admin.post('/api/v1/custom-fields?object=contacts', body);
    expect((await post({ label: 'X', type: 'select' })).status).toBe(400);
    expect((await post({ label: 'X', type: 'text', options: { target: 'contacts' } })).status).toBe(
      400,
    );
    expect(
      (await post({ label: 'X', type: 'link', options: { target: 'spaceships' } })).status,
    ).toBe(400);
    expect((await post({ label: 'X', type: 'boolean', unique: true })).status).toBe(400);
    expect((await post({ label: 'X', type: 'number', defaultValue: 'abc' })).status).toBe(400);
    expect((await post({ key: 'Bad Key', label: 'X', type: 'text' })).status).toBe(400);
    expect((await post({ label: 'X', type: 'warp' })).status).toBe(400);
    expect(
      (await admin.post('/api/v1/custom-fields?object=spaceships', { label: 'X', type: 'text' }))
        .status,
    ).toBe(400);
    expect((await admin.get('/api/v1/custom-fields?object=spaceships')).status).toBe(400);
  });

  it('validates and normalises a value of every type', async () => {
    const companyId = (
      await buildCompany(t.ctx.db, {
        workspaceId: ws.workspaceId,
        ownerId: ws.userId,
        name: 'Công ty ABC',
      })
    ).id;
    const saved = await saveContact(null, {
      hang_thanh_vien: 'vang',
      so_thich: ['tennis', 'golf', 'golf'],
      ghi_chu_ngan: '  Khách quen  ',
      tieu_su: 'Dài…',
      diem: '12.5',
      doanh_so: '1.500.000 ₫',
      ngay_ky: '2024-02-29',
      lan_goi_cuoi: '2024-05-01T09:30:00+07:00',
      da_xac_minh: true,
      trang_ca_nhan: 'sen.vn/nhung',
      email_phu: ' Nhung@Example.VN ',
      so_zalo: '0912 345 678',
      nguoi_gioi_thieu: ws.userId,
      cong_ty_me: companyId,
    });
    expect(saved.custom).toEqual({
      hang_thanh_vien: 'vang',
      so_thich: ['golf', 'tennis'],
      ghi_chu_ngan: 'Khách quen',
      tieu_su: 'Dài…',
      diem: 12.5,
      doanh_so: 1500000,
      ngay_ky: '2024-02-29',
      lan_goi_cuoi: '2024-05-01T02:30:00.000Z',
      da_xac_minh: true,
      trang_ca_nhan: 'https://sen.vn/nhung',
      email_phu: 'nhung@example.vn',
      so_zalo: '+84912345678',
      nguoi_gioi_thieu: ws.userId,
      cong_ty_me: companyId,
    });
    expect(await customOf(saved.id)).toEqual(saved.custom);

    const fields = await tenant<Awaited<ReturnType<typeof loadCustomFields>>>((tx) =>
      loadCustomFields(tx, 'contacts'),
    );
    const errors = await fieldErrorsOf(() =>
      validateCustomValues(
        fields,
        {
          hang_thanh_vien: 'platinum',
          so_thich: ['golf', 'chess'],
          ghi_chu_ngan: 42,
          tieu_su: 'x'.repeat(20_001),
          diem: 'mười',
          doanh_so: 1500.5,
          ngay_ky: '2023-02-29',
          lan_goi_cuoi: '2024-05-01 09:30',
          da_xac_minh: 'yes',
          trang_ca_nhan: 'javascript:alert(1)',
          email_phu: 'nhung@',
          so_zalo: '0112 345 678',
          nguoi_gioi_thieu: 'not-a-uuid',
          cong_ty_me: 17,
          khong_co: 'x',
        },
        { existing: null },
      ),
    );
    expect(errors).toEqual({
      'custom.hang_thanh_vien': 'Not in the list of choices.',
      'custom.so_thich': 'Not in the list of choices.',
      'custom.ghi_chu_ngan': 'Must be text.',
      'custom.tieu_su': 'Longer than 20000 characters.',
      'custom.diem': 'Invalid number.',
      'custom.doanh_so': 'Invalid amount (a whole number of đồng).',
      'custom.ngay_ky': 'Invalid date (YYYY-MM-DD).',
      'custom.lan_goi_cuoi': 'Invalid date and time (ISO 8601 with a time zone).',
      'custom.da_xac_minh': 'Must be true or false.',
      'custom.trang_ca_nhan': 'Invalid web address.',
      'custom.email_phu': 'Invalid email address.',
      'custom.so_zalo': 'Invalid phone number.',
      'custom.nguoi_gioi_thieu': 'Not an active member of this workspace.',
      'custom.cong_ty_me': 'The linked record does not exist.',
      'custom.khong_co': 'There is no such custom field.',
    });

    // References that are well-formed but point nowhere (or at a trashed record).
    await t.ctx.db.tenant(ws, (tx) =>
      tx.execute(sql`UPDATE companies SET deleted_at = now() WHERE id = ${companyId}`),
    );
    const refs = await fieldErrorsOf(() =>
      saveContact(null, {
        nguoi_gioi_thieu: '01900000-0000-7000-8000-000000000000',
        cong_ty_me: companyId,
      }),
    );
    expect(Object.keys(refs).sort()).toEqual(['custom.cong_ty_me', 'custom.nguoi_gioi_thieu']);
    // An unchanged reference is not re-checked on update (the company is in the trash now).
    const updated = await saveContact(saved.id, { diem: 13 });
    expect(updated.custom.cong_ty_me).toBe(companyId);
    expect(updated.custom.diem).toBe(13);
    // null clears, merging keeps the rest.
    const cleared = await saveContact(saved.id, { hang_thanh_vien: null, so_thich: [] });
    expect(cleared.custom.hang_thanh_vien).toBeUndefined();
    expect(cleared.custom.so_thich).toBeUndefined();
    expect(cleared.custom.email_phu).toBe('nhung@example.vn');
  });

  it('applies defaults and enforces required fields', async () => {
    const req = await admin.post('/api/v1/custom-fields?object=contacts', {
      label: 'Kênh',
      type: 'select',
      options: {
        choices: [
          { key: 'zalo', label: 'Zalo' },
          { key: 'phone', label: 'Điện thoại' },
        ],
      },
      required: true,
      defaultValue: 'zalo',
    });
    expect(req.status).toBe(201);
    const mst = await admin.post('/api/v1/custom-fields?object=contacts', {
      key: 'ma_khach',
      label: 'Mã khách',
      type: 'text',
      required: true,
    });
    expect(mst.status).toBe(201);
    const missing = await fieldErrorsOf(() => saveContact(null, {}));
    expect(missing).toEqual({ 'custom.ma_khach': 'This field is required.' });
    const created = await saveContact(null, { ma_khach: 'KH-001' });
    expect(created.custom).toMatchObject({ kenh: 'zalo', ma_khach: 'KH-001' });
    const clearing = await fieldErrorsOf(() => saveContact(created.id, { ma_khach: '' }));
    expect(clearing).toEqual({ 'custom.ma_khach': 'This field is required.' });
    // Other fields can still be edited.
    expect((await saveContact(created.id, { kenh: 'phone' })).custom.kenh).toBe('phone');
    await admin.delete(`/api/v1/custom-fields/${req.body.id}`);
    await admin.delete(`/api/v1/custom-fields/${mst.body.id}`);
  });

  it('refuses a duplicate unique value, also under concurrent writes', async () => {
    const f = await admin.post('/api/v1/custom-fields?object=contacts', {
      label: 'Mã số thuế cá nhân',
      type: 'text',
      unique: true,
    });
    expect(f.status).toBe(201);
    const key = f.body.key as string;
    const a = await saveContact(null, { [key]: 'Nguyễn ABC' });
    // Same value folded (case and diacritics) is a duplicate.
    const dup = await fieldErrorsOf(() => saveContact(null, { [key]: 'nguyen abc' }));
    expect(dup).toEqual({ [`custom.${key}`]: 'This value is already used by another record.' });
    // Saving the record itself again is fine; changing its value frees the old one.
    await saveContact(a.id, { [key]: 'NGUYỄN ABC' });
    await saveContact(a.id, { [key]: 'Khác' });
    await saveContact(null, { [key]: 'Nguyễn ABC' });

    const results = await Promise.allSettled(
      [1, 2, 3, 4].map(() => saveContact(null, { [key]: 'Cùng một giá trị' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('VALIDATION_FAILED');
    }
    const count = await t.ctx.db.tenant(ws, (tx) =>
      queryRows<{ n: number }>(
        tx,
        sql`SELECT count(*)::int AS n FROM contacts WHERE custom ->> ${key}::text = 'Cùng một giá trị'`,
      ),
    );
    expect(count[0]!.n).toBe(1);

    // Making an existing field unique when records share a value is refused.
    const plain = await admin.post('/api/v1/custom-fields?object=contacts', {
      label: 'Biệt danh',
      type: 'text',
    });
    await saveContact(null, { biet_danh: 'Bi' });
    await saveContact(null, { biet_danh: 'bi' });
    expect(
      (await admin.patch(`/api/v1/custom-fields/${plain.body.id}`, { unique: true })).status,
    ).toBe(409);
    await admin.delete(`/api/v1/custom-fields/${plain.body.id}`);
  });

  it('changes definitions: type locked once values exist, choices in use kept', async () => {
    const f = await admin.post('/api/v1/custom-fields?object=contacts', {
      label: 'Mức độ',
      type: 'select',
      options: {
        choices: [
          { key: 'cao', label: 'Cao' },
          { key: 'thap', label: 'Thấp' },
        ],
      },
    });
    // No values yet: the type may change.
    const retyped = await admin.patch(`/api/v1/custom-fields/${f.body.id}`, {
      type: 'multi_select',
    });
    expect(retyped.status).toBe(200);
    expect(retyped.body.options.choices).toHaveLength(2);
    await saveContact(null, { muc_do: ['cao'] });
    expect((await admin.patch(`/api/v1/custom-fields/${f.body.id}`, { type: 'text' })).status).toBe(
      409,
    );
    expect(
      (
        await admin.patch(`/api/v1/custom-fields/${f.body.id}`, {
          options: { choices: [{ key: 'thap', label: 'Thấp' }] },
        })
      ).status,
    ).toBe(409);
    const relabelled = await admin.patch(`/api/v1/custom-fields/${f.body.id}`, {
      label: 'Mức ưu tiên',
      options: { choices: [{ key: 'cao', label: 'Rất cao' }] },
    });
    expect(relabelled.status).toBe(200);
    expect(relabelled.body.key).toBe('muc_do');
    // The key never changes.
    expect((await admin.patch(`/api/v1/custom-fields/${f.body.id}`, { key: 'x' })).status).toBe(
      400,
    );
    const audit = await admin.get(
      `/api/v1/audit-log?objectType=custom_fields&objectId=${f.body.id}`,
    );
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'update',
      'update',
      'create',
    ]);
    expect(audit.body.items[0].changes.label).toEqual({ from: 'Mức độ', to: 'Mức ưu tiên' });
  });

  it('deleting a field removes its values from every record', async () => {
    const f = await admin.post('/api/v1/custom-fields?object=contacts', {
      label: 'Tạm thời',
      type: 'text',
      unique: true,
    });
    const a = await saveContact(null, { tam_thoi: 'một' });
    const trashed = await insertContact('Đã xoá', { tam_thoi: 'hai' });
    await t.ctx.db.tenant(ws, (tx) =>
      tx.execute(sql`UPDATE contacts SET deleted_at = now() WHERE id = ${trashed}`),
    );
    expect((await admin.delete(`/api/v1/custom-fields/${f.body.id}`)).status).toBe(204);
    expect(await customOf(a.id)).not.toHaveProperty('tam_thoi');
    expect(await customOf(trashed)).not.toHaveProperty('tam_thoi');
    const left = await t.ctx.db.tenant(ws, (tx) =>
      queryRows<{ n: number }>(
        tx,
        sql`SELECT count(*)::int AS n FROM custom_field_unique_values WHERE field_id = ${f.body.id}`,
      ),
    );
    expect(left[0]!.n).toBe(0);
    expect((await admin.delete(`/api/v1/custom-fields/${f.body.id}`)).status).toBe(404);
    const audit = await admin.get(
      `/api/v1/audit-log?objectType=custom_fields&objectId=${f.body.id}`,
    );
    expect(audit.body.items[0].action).toBe('delete');
  });

  it('only admins change definitions; every role reads them', async () => {
    const manager = await addMember(t.app, admin, 'manager', 'Lê Văn Quản');
    expect((await manager.client.get('/api/v1/custom-fields?object=contacts')).status).toBe(200);
    expect(
      (
        await manager.client.post('/api/v1/custom-fields?object=contacts', {
          label: 'X',
          type: 'text',
        })
      ).status,
    ).toBe(403);
    const list = await admin.get('/api/v1/custom-fields?object=contacts');
    const id = list.body.items[0].id;
    expect((await manager.client.patch(`/api/v1/custom-fields/${id}`, { label: 'Y' })).status).toBe(
      403,
    );
    expect((await manager.client.delete(`/api/v1/custom-fields/${id}`)).status).toBe(403);
  });

  it('is enforced by the contacts API', async () => {
    const bad = await admin.post('/api/v1/contacts', {
      fullName: 'Phan Văn Thử',
      custom: { diem: 'nhiều', so_zalo: '123', khong_co: 1 },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.fields.map((f: { path: string }) => f.path).sort();
    expect(paths).toEqual(['custom.diem', 'custom.khong_co', 'custom.so_zalo']);
    const good = await admin.post('/api/v1/contacts', {
      fullName: 'Phan Văn Thử',
      custom: { diem: '7', so_zalo: '0912 345 679', hang_thanh_vien: 'silver' },
    });
    expect(good.status, JSON.stringify(good.body)).toBe(201);
    expect(good.body.custom).toMatchObject({
      diem: 7,
      so_zalo: '+84912345679',
      hang_thanh_vien: 'silver',
    });
    const cleared = await admin.patch(`/api/v1/contacts/${good.body.id}`, {
      custom: { hang_thanh_vien: null },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.custom).not.toHaveProperty('hang_thanh_vien');
    expect(cleared.body.custom.diem).toBe(7);
  });
});
