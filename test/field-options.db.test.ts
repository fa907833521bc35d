import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, Client, PASSWORD, setupAdmin } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

/**
 * Option lists edited per workspace (src/modules/field-options): contacts' lifecycle stages,
 * companies' industries and products' units start with their declared defaults; a workspace
 * renames, recolours, reorders, adds and archives options; the field metadata, filters, exports,
 * record writes and the audit log follow its list, and another workspace keeps its own.
 */
describe('editable option lists', () => {
  let t: TestApp;
  let admin: Client;
  let sales: Client;
  let other: Client;
  let dealer: string;

  type Option = {
    key?: string;
    label: { vi: string; en?: string };
    color?: string | null;
    archived?: boolean;
  };
  const stages = async (client: Client = admin) =>
    (await client.get('/api/v1/field-options/contacts/lifecycleStage')).body;
  const save = (options: Option[], client: Client = admin) =>
    client.request('PUT', '/api/v1/field-options/contacts/lifecycleStage', { options });
  const asInput = (list: { options: Required<Option>[] }): Option[] =>
    list.options.map(({ key, label, color, archived }) => ({ key, label, color, archived }));
  const metaOptions = async (client: Client = admin) => {
    const res = await client.get('/api/v1/objects/contacts/fields');
    return res.body.items.find((f: { key: string }) => f.key === 'lifecycleStage').options;
  };

  beforeAll(async () => {
    t = await createTestApp();
    const setup = await setupAdmin(t.app);
    admin = setup.admin;
    sales = (await addMember(t.app, admin, 'sales')).client;
    // The same admin in a second session, in a workspace of their own.
    other = new Client(t.app);
    await other.post('/api/v1/auth/sign-in', { email: setup.email, password: PASSWORD });
    expect((await other.post('/api/v1/workspaces', { name: 'Công ty TNHH Khác' })).status).toBe(
      201,
    );
  });
  afterAll(() => t?.close());

  it('lists the editable option lists and serves the defaults with usage counts', async () => {
    const index = await admin.get('/api/v1/field-options');
    expect(index.status).toBe(200);
    expect(
      index.body.items.map((i: { object: string; field: string }) => `${i.object}.${i.field}`),
    ).toEqual(
      expect.arrayContaining(['contacts.lifecycleStage', 'companies.industry', 'products.unit']),
    );
    await admin.post('/api/v1/contacts', { fullName: 'Nguyễn Văn An' });
    await admin.post('/api/v1/contacts', { fullName: 'Trần Thị Bình', lifecycleStage: 'customer' });
    const list = await stages();
    expect(list.customised).toBe(false);
    expect(
      list.options
        .filter((o: { archived: boolean }) => !o.archived)
        .map((o: { label: { vi: string } }) => o.label.vi),
    ).toEqual([
      'Khách tiềm năng',
      'Đang chăm sóc',
      'Đã báo giá',
      'Khách hàng',
      'Khách hàng thân thiết',
      'Ngừng giao dịch',
    ]);
    expect(list.options.find((o: { key: string }) => o.key === 'lead')).toMatchObject({
      usage: 1,
      color: '#228be6',
    });
    expect(list.options.find((o: { key: string }) => o.key === 'customer')).toMatchObject({
      usage: 1,
    });
    expect(list.options.find((o: { key: string }) => o.key === 'subscriber')).toMatchObject({
      archived: true,
      usage: 0,
    });
    expect((await admin.get('/api/v1/field-options/contacts/displayName')).status).toBe(404);
    expect((await admin.get('/api/v1/field-options/spaceships/lifecycleStage')).status).toBe(404);
  });

  it('renames, recolours, reorders and adds; metadata, filters and writes follow; audited by label', async () => {
    const list = await stages();
    const input = asInput(list);
    const lead = input.find((o) => o.key === 'lead')!;
    lead.label = { vi: 'Khách mới', en: 'New lead' };
    lead.color = '#FA5252';
    const customer = input.splice(
      input.findIndex((o) => o.key === 'customer'),
      1,
    )[0]!;
    input.unshift(customer);
    input.push({ label: { vi: 'Đại lý cấp 1', en: 'Tier-1 dealer' }, color: '#12b886' });
    const res = await save(input);
    expect(res.status).toBe(200);
    expect(res.body.customised).toBe(true);
    expect(res.body.options[0].key).toBe('customer');
    const added = res.body.options.find(
      (o: { label: { vi: string } }) => o.label.vi === 'Đại lý cấp 1',
    );
    expect(added.key).toBe('dai_ly_cap_1');
    expect(res.body.options.find((o: { key: string }) => o.key === 'lead')).toMatchObject({
      label: { vi: 'Khách mới', en: 'New lead' },
      color: '#fa5252',
    });

    // Every page reads the workspace's list from the field metadata; another workspace keeps its own.
    const options = await metaOptions();
    expect(options[0]).toMatchObject({ key: 'customer' });
    expect(options.find((o: { key: string }) => o.key === 'lead').label.vi).toBe('Khách mới');
    expect((await metaOptions(sales)).find((o: { key: string }) => o.key === 'lead').label.vi).toBe(
      'Khách mới',
    );
    expect((await metaOptions(other)).find((o: { key: string }) => o.key === 'lead').label.vi).toBe(
      'Khách tiềm năng',
    );
    expect((await metaOptions(other)).some((o: { key: string }) => o.key === 'dai_ly_cap_1')).toBe(
      false,
    );

    // Writes take the new key; the other workspace refuses it.
    const created = await admin.post('/api/v1/contacts', {
      fullName: 'Lê Văn Cường',
      lifecycleStage: 'dai_ly_cap_1',
    });
    expect(created.status).toBe(201);
    dealer = created.body.id;
    const refused = await other.post('/api/v1/contacts', {
      fullName: 'Lê Văn Cường',
      lifecycleStage: 'dai_ly_cap_1',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    expect(refused.body.error.details.fields[0]).toMatchObject({
      path: 'lifecycleStage',
      reason: 'invalid_choice',
    });

    // Filters accept the workspace's keys; exports show its labels.
    const filter = encodeURIComponent(
      JSON.stringify({ field: 'lifecycleStage', op: 'is', value: 'dai_ly_cap_1' }),
    );
    const filtered = await admin.get(`/api/v1/contacts?filter=${filter}`);
    expect(filtered.body.items.map((c: { displayName: string }) => c.displayName)).toEqual([
      'Lê Văn Cường',
    ]);
    expect((await other.get(`/api/v1/contacts?filter=${filter}`)).status).toBe(400);
    const csv = await admin.get(
      '/api/v1/contacts/export?columns=displayName,lifecycleStage&sort=displayName',
    );
    expect(csv.body as string).toContain('Lê Văn Cường,Đại lý cấp 1');
    expect(csv.body as string).toContain('Nguyễn Văn An,Khách mới');

    // The audit log names options by their labels, not their keys.
    const audit = await admin.get('/api/v1/audit-log?objectType=field_options');
    expect(audit.status).toBe(200);
    const entry = audit.body.items[0];
    expect(entry).toMatchObject({
      action: 'create',
      objectType: 'field_options',
      objectName: 'Giai đoạn (Liên hệ)',
    });
    expect(entry.changes['Khách mới']).toEqual({
      from: { vi: 'Khách tiềm năng', en: 'Lead', color: '#228be6', archived: false },
      to: { vi: 'Khách mới', en: 'New lead', color: '#fa5252', archived: false },
    });
    expect(entry.changes['Đại lý cấp 1']).toMatchObject({ from: null, to: { vi: 'Đại lý cấp 1' } });
    expect(entry.changes.position.to[0]).toBe('Khách hàng');
    expect(JSON.stringify(entry.changes)).not.toContain('dai_ly_cap_1');
  });

  it('refuses to remove an option records hold (naming how many); archives instead', async () => {
    const list = await stages();
    const withoutCustomer = asInput(list).filter((o) => o.key !== 'customer');
    const refused = await save(withoutCustomer);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CONFLICT');
    expect(refused.body.error.message).toContain('1 bản ghi đang dùng');
    expect(refused.body.error.details.fields[0].text.en).toContain('1 record uses it');
    expect((await stages()).options.some((o: { key: string }) => o.key === 'customer')).toBe(true);

    // An unused option can go.
    const withoutOpportunity = asInput(list).filter((o) => o.key !== 'opportunity');
    expect((await save(withoutOpportunity)).status).toBe(200);

    // Archived: kept on the record that has it (and its other edits), refused for new values.
    const archived = asInput(await stages()).map((o) =>
      o.key === 'customer' ? { ...o, archived: true } : o,
    );
    expect((await save(archived)).status).toBe(200);
    const binh = (await admin.get('/api/v1/contacts?q=binh')).body.items[0];
    expect(binh.lifecycleStage).toBe('customer');
    const edit = await admin.patch(`/api/v1/contacts/${binh.id}`, {
      lifecycleStage: 'customer',
      source: 'Zalo',
    });
    expect(edit.status).toBe(200);
    const fresh = await admin.post('/api/v1/contacts', {
      fullName: 'Phạm Thị Dung',
      lifecycleStage: 'customer',
    });
    expect(fresh.status).toBe(400);
    expect(fresh.body.error.details.fields[0]).toMatchObject({
      path: 'lifecycleStage',
      reason: 'archived',
    });
    const bulk = await admin.post('/api/v1/contacts/bulk', {
      ids: [dealer],
      action: 'set_field',
      field: 'lifecycleStage',
      value: 'customer',
    });
    expect(bulk.status).toBe(400);
    expect(bulk.body.error.details.fields[0].path).toBe('value');
  });

  it('gives a new contact the first stage in use when the declared default is gone', async () => {
    const input = asInput(await stages()).map((o) =>
      o.key === 'lead' ? { ...o, archived: true } : o,
    );
    expect((await save(input)).status).toBe(200);
    const first = (await stages()).options.find((o: { archived: boolean }) => !o.archived).key;
    const created = await admin.post('/api/v1/contacts', { fullName: 'Vũ Thị Giang' });
    expect(created.status).toBe(201);
    expect(created.body.lifecycleStage).toBe(first);
    expect(first).not.toBe('lead');
  });

  it('checks names, keys and colours, and keeps one option in use', async () => {
    const input = asInput(await stages());
    const bad = await save([
      { label: { vi: '' } },
      { label: { vi: 'Khách VIP' }, color: 'red' },
      { label: { vi: 'khách vip' } },
      ...input,
    ]);
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['options.0.label.vi', 'options.1.color', 'options.2.label.vi']),
    );
    const noneActive = await save(input.map((o) => ({ ...o, archived: true })));
    expect(noneActive.status).toBe(400);
    expect(noneActive.body.error.details.fields[0].path).toBe('options');
    expect((await save([...input, { key: input[0]!.key, label: { vi: 'Trùng mã' } }])).status).toBe(
      400,
    );
    expect(
      (
        await admin.request('PUT', '/api/v1/field-options/contacts/lifecycleStage', {
          options: 'x',
        })
      ).status,
    ).toBe(400);
  });

  it('only those who manage custom fields edit lists; everyone who reads them sees them', async () => {
    const input = asInput(await stages());
    const denied = await save(input, sales);
    expect(denied.status).toBe(403);
    expect((await sales.get('/api/v1/field-options/contacts/lifecycleStage')).status).toBe(200);
  });

  it('industries and units were free text: typed values stay, show as typed and can be added', async () => {
    const created = await admin.post('/api/v1/companies', {
      name: 'Công ty CP Sao Mai',
      industry: 'retail',
    });
    expect(created.status).toBe(201);
    expect(
      (await admin.post('/api/v1/companies', { name: 'Công ty X', industry: 'Bán lẻ' })).status,
    ).toBe(400);
    // A value typed before the list existed (written as the old code did).
    await t.ctx.db.system((tx) =>
      tx.execute(
        sql`UPDATE companies SET industry = 'Thủ công mỹ nghệ' WHERE id = ${created.body.id}`,
      ),
    );
    // Kept through other edits, filterable, shown as typed in exports.
    expect(
      (await admin.patch(`/api/v1/companies/${created.body.id}`, { website: 'saomai.vn' })).status,
    ).toBe(200);
    const filter = encodeURIComponent(
      JSON.stringify({ field: 'industry', op: 'is', value: 'Thủ công mỹ nghệ' }),
    );
    expect((await admin.get(`/api/v1/companies?filter=${filter}`)).body.items).toHaveLength(1);
    const list = (await admin.get('/api/v1/field-options/companies/industry')).body;
    expect(list.unlisted).toEqual([{ value: 'Thủ công mỹ nghệ', usage: 1 }]);
    // Added to the list under its own text as key: the company's value is now listed.
    const options = [
      ...asInput(list),
      { key: 'Thủ công mỹ nghệ', label: { vi: 'Thủ công mỹ nghệ', en: 'Handicrafts' } },
    ];
    const saved = await admin.request('PUT', '/api/v1/field-options/companies/industry', {
      options,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.unlisted).toEqual([]);
    expect(saved.body.options.at(-1)).toMatchObject({ key: 'Thủ công mỹ nghệ', usage: 1 });

    const product = await admin.post('/api/v1/products', { sku: 'T-1', name: 'Trà', unit: 'hộp' });
    expect(product.status).toBe(201);
    expect(
      (await admin.post('/api/v1/products', { sku: 'T-2', name: 'Trà', unit: 'bó' })).status,
    ).toBe(400);
    const defaulted = await admin.post('/api/v1/products', { sku: 'T-3', name: 'Trà' });
    expect(defaulted.body.unit).toBe('cái');
  });
});
