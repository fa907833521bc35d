import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBulk } from '../../src/modules/bulk/bulk.run.js';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Lead conversion (#19, src/modules/leads/leads.convert.ts): a lead becomes a contact, a company
 * and a deal in one transaction, matching existing contacts and companies instead of
 * duplicating them; notes and attachments move to the contact; audited and on the timelines; a
 * converted lead is read-only and cannot be converted twice; permissions are checked before
 * anything is written; the sales report counts the conversion and the deal's revenue.
 */
describe('lead conversion', () => {
  let t: TestApp;
  let dataDir: string;
  let admin: Client;
  let rep: Awaited<ReturnType<typeof addMember>>;
  let manager: Client;
  let workspaceId: string;

  const count = async (table: string, where = 'true', values: unknown[] = []) => {
    const res = await t.ctx.db.executeSql(
      `SELECT count(*)::int AS n FROM ${table} WHERE workspace_id = $1 AND ${where}`,
      [workspaceId, ...values],
    );
    return (res.rows[0] as { n: number }).n;
  };
  const counts = async () => ({
    contacts: await count('contacts'),
    companies: await count('companies'),
    deals: await count('deals'),
    dealContacts: await count('deal_contacts'),
    links: await count('contact_companies'),
    notes: await count('notes', `record_type = 'contacts'`),
    audit: await count('audit_log'),
  });

  async function upload(client: Client, url: string, fileName: string, content: Buffer) {
    const boundary = `----senTest${Math.random().toString(16).slice(2)}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/plain\r\n\r\n`,
        'utf8',
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        cookie: `sen_session=${client.cookie}`,
        'x-csrf-token': client.csrf ?? '',
      },
    });
    return { status: res.statusCode, body: res.json() };
  }

  async function lead(client: Client, body: Record<string, unknown>): Promise<string> {
    const res = await client.post('/api/v1/leads', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-convert-'));
    t = await createTestApp({ SEN_DATA_DIR: dataDir });
    admin = (await setupAdmin(t.app)).admin;
    rep = await addMember(t.app, admin, 'sales', 'Lê Văn Minh');
    manager = (await addMember(t.app, admin, 'manager', 'Nguyễn Thị Lan')).client;
    workspaceId = (await admin.get('/api/v1/auth/session')).body.workspace.id;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  let converted: { leadId: string; contactId: string; companyId: string; dealId: string };

  it('converts a lead into a new contact, company and deal, moving its notes and attachments', async () => {
    const leadId = await lead(rep.client, {
      fullName: 'Nguyễn Thị Hồng Nhung',
      phones: [{ value: '0912 345 678' }],
      emails: [{ value: 'nhung@minhphat.vn' }],
      companyName: 'Công ty TNHH Minh Phát',
      taxCode: '0100109106',
      jobTitle: 'Trưởng phòng mua hàng',
      addresses: [{ street: 'Số 12 Phố Huế', provinceCode: '01' }],
      source: 'referral',
    });
    const note = await rep.client.post(`/api/v1/leads/${leadId}/notes`, {
      bodyHtml: '<p>Gọi lần 1: cần báo giá 200 thùng</p>',
    });
    expect(note.status).toBe(201);
    const file = await upload(
      rep.client,
      `/api/v1/leads/${leadId}/attachments`,
      'yeu-cau.txt',
      Buffer.from('Yêu cầu báo giá'),
    );
    expect(file.status, JSON.stringify(file.body)).toBe(201);

    const preview = await rep.client.get(`/api/v1/leads/${leadId}/convert/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      contacts: [],
      contactsOutsideScope: false,
      companies: [],
      defaults: { companyName: 'Công ty TNHH Minh Phát', ownerId: rep.userId },
    });
    expect(preview.body.defaults.dealName).toMatch(
      /^Công ty TNHH Minh Phát – \d{2}\/\d{2}\/\d{4}$/,
    );

    const res = await rep.client.post(`/api/v1/leads/${leadId}/convert`, {
      contact: { mode: 'new' },
      company: { mode: 'new' },
      deal: { create: true, amount: 50_000_000, role: 'Người quyết định' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      leadId,
      contact: { name: 'Nguyễn Thị Hồng Nhung', created: true },
      company: { name: 'Công ty TNHH Minh Phát', created: true },
      deal: { name: preview.body.defaults.dealName, created: true },
      moved: { notes: 1, attachments: 1 },
    });
    const contactId = res.body.contact.id as string;
    const companyId = res.body.company.id as string;
    const dealId = res.body.deal.id as string;
    converted = { leadId, contactId, companyId, dealId };

    const contact = await rep.client.get(`/api/v1/contacts/${contactId}`);
    expect(contact.body).toMatchObject({
      familyName: 'Nguyễn',
      middleName: 'Thị Hồng',
      givenName: 'Nhung',
      primaryPhone: '+84912345678',
      primaryEmail: 'nhung@minhphat.vn',
      provinceCode: '01',
      source: 'Giới thiệu',
      ownerId: rep.userId,
      companies: [{ companyId, name: 'Công ty TNHH Minh Phát', jobTitle: 'Trưởng phòng mua hàng' }],
    });
    const company = await rep.client.get(`/api/v1/companies/${companyId}`);
    expect(company.body).toMatchObject({ taxCode: '0100109106', ownerId: rep.userId });
    const deal = await rep.client.get(`/api/v1/deals/${dealId}`);
    expect(deal.body).toMatchObject({
      amount: 50_000_000,
      companyId,
      sourceLeadId: leadId,
      ownerId: rep.userId,
      status: 'open',
      contacts: [{ contactId, role: 'Người quyết định', isPrimary: true }],
    });
    const pipelines = await rep.client.get('/api/v1/pipelines');
    expect(deal.body.pipelineId).toBe(pipelines.body.items[0].id);
    expect(deal.body.stageId).toBe(pipelines.body.items[0].stages[0].id);

    const after = await rep.client.get(`/api/v1/leads/${leadId}`);
    expect(after.body).toMatchObject({
      status: 'converted',
      convertedContactId: contactId,
      convertedCompanyId: companyId,
      convertedDealId: dealId,
      // Presented with their names for the record page's links.
      convertedContact: { id: contactId, name: 'Nguyễn Thị Hồng Nhung' },
      convertedCompany: { id: companyId, name: 'Công ty TNHH Minh Phát' },
      convertedDeal: { id: dealId, name: preview.body.defaults.dealName },
    });
    expect(after.body.convertedAt).not.toBeNull();

    // The notes and the file now hang off the contact, none left on the lead.
    const contactNotes = await rep.client.get(`/api/v1/contacts/${contactId}/notes`);
    expect(contactNotes.body.items.map((n: { bodyText: string }) => n.bodyText)).toEqual([
      'Gọi lần 1: cần báo giá 200 thùng',
    ]);
    expect((await rep.client.get(`/api/v1/leads/${leadId}/notes`)).body.items).toEqual([]);
    const files = await rep.client.get(`/api/v1/contacts/${contactId}/attachments`);
    expect(files.body.items.map((a: { fileName: string }) => a.fileName)).toEqual(['yeu-cau.txt']);
    expect((await rep.client.get(`/api/v1/leads/${leadId}/attachments`)).body.items).toEqual([]);
  });

  it('audits the conversion once on the lead and the creations through the writers', async () => {
    const { leadId, contactId, companyId, dealId } = converted;
    const log = await admin.get(`/api/v1/audit-log?objectType=leads&objectId=${leadId}`);
    const convert = log.body.items.find((e: { action: string }) => e.action === 'convert');
    expect(convert).toMatchObject({
      actor: expect.objectContaining({ name: 'Lê Văn Minh' }),
    });
    expect(convert.changes).toMatchObject({
      status: { from: 'new', to: 'converted' },
      convertedContactId: { from: null, to: contactId },
      convertedCompanyId: { from: null, to: companyId },
      convertedDealId: { from: null, to: dealId },
      movedNotes: { from: null, to: 1 },
      movedAttachments: { from: null, to: 1 },
    });
    for (const [object, id] of [
      ['contacts', contactId],
      ['companies', companyId],
      ['deals', dealId],
    ] as const) {
      const entries = await admin.get(`/api/v1/audit-log?objectType=${object}&objectId=${id}`);
      expect(entries.body.items.map((e: { action: string }) => e.action)).toContain('create');
    }
  });

  it('shows the conversion on the timelines of the lead and of what it became', async () => {
    const { leadId, contactId, companyId, dealId } = converted;
    const own = await rep.client.get(`/api/v1/leads/${leadId}/timeline`);
    const event = own.body.items.find((e: { type: string }) => e.type === 'converted');
    expect(event).toMatchObject({ recordId: leadId, actor: { name: 'Lê Văn Minh' } });
    expect(event.data.names).toMatchObject({
      [contactId]: 'Nguyễn Thị Hồng Nhung',
      [companyId]: 'Công ty TNHH Minh Phát',
    });
    for (const [object, id] of [
      ['contacts', contactId],
      ['companies', companyId],
      ['deals', dealId],
    ] as const) {
      const timeline = await rep.client.get(`/api/v1/${object}/${id}/timeline`);
      expect(timeline.status).toBe(200);
      const types = timeline.body.items.map((e: { type: string; recordId: string }) => [
        e.type,
        e.recordId,
      ]);
      // The lead's conversion and its own creation travel with it, named as the lead.
      expect(types).toContainEqual(['converted', leadId]);
      expect(types).toContainEqual(['created', leadId]);
      const fromLead = timeline.body.items.find((e: { type: string }) => e.type === 'converted');
      expect(fromLead.recordName).toBe('Nguyễn Thị Hồng Nhung');
    }
  });

  it('keeps a converted lead read-only: edits, merges and a second conversion answer 409 LEAD_CONVERTED', async () => {
    const { leadId } = converted;
    const patch = await rep.client.patch(`/api/v1/leads/${leadId}`, { jobTitle: 'Giám đốc' });
    expect(patch.status).toBe(409);
    expect(patch.body.error.code).toBe('LEAD_CONVERTED');
    expect(patch.body.error.details.contactId).toBe(converted.contactId);
    const status = await rep.client.patch(`/api/v1/leads/${leadId}`, { status: 'qualified' });
    expect(status.body.error.code).toBe('LEAD_CONVERTED');
    expect((await rep.client.get(`/api/v1/leads/${leadId}`)).body).toMatchObject({
      status: 'converted',
      jobTitle: 'Trưởng phòng mua hàng',
    });

    const again = await rep.client.post(`/api/v1/leads/${leadId}/convert`, {});
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'LEAD_CONVERTED',
      message: 'Khách hàng tiềm năng này đã được chuyển đổi rồi: không thể chuyển đổi lần nữa.',
      details: { contactId: converted.contactId, dealId: converted.dealId },
    });
    expect(again.body.error.requestId).toBeTruthy();

    // The other 409 of a lead, a stale version, has its own code.
    const other = await lead(rep.client, { fullName: 'Trần Văn Cường' });
    await rep.client.patch(`/api/v1/leads/${other}`, { jobTitle: 'Kế toán' });
    const stale = await rep.client.request(
      'PATCH',
      `/api/v1/leads/${other}`,
      { jobTitle: 'Thủ kho' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');

    // A bulk change fails on the converted lead alone, with its reason.
    const bulk = await manager.post('/api/v1/leads/bulk-operations', {
      action: 'set_field',
      field: 'jobTitle',
      value: 'Giám đốc',
      ids: [leadId, other],
    });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(201);
    await runBulk(t.ctx.db, { operationId: bulk.body.id, workspaceId });
    const done = await manager.get(`/api/v1/bulk-operations/${bulk.body.id}`);
    expect(done.body).toMatchObject({ status: 'done', changed: 1, failed: 1 });
    const failed = await t.ctx.db.executeSql(
      `SELECT record_id, error FROM bulk_operation_rows WHERE operation_id = $1 AND outcome = 'failed'`,
      [bulk.body.id],
    );
    expect(failed.rows).toMatchObject([
      { record_id: leadId, error: expect.objectContaining({ code: 'LEAD_CONVERTED' }) },
    ]);

    const merged = await manager.post('/api/v1/leads/merge', {
      survivorId: other,
      mergedIds: [leadId],
      values: {},
    });
    expect(merged.status).toBe(409);
    expect(merged.body.error.code).toBe('LEAD_CONVERTED');
    expect((await rep.client.get(`/api/v1/leads/${leadId}`)).body.deletedAt).toBeNull();
  });

  it('matches an existing contact by email and company by tax code instead of duplicating them', async () => {
    const company = await manager.post('/api/v1/companies', {
      name: 'Công ty CP Hoa Sen',
      taxCode: '0302035520',
    });
    expect(company.status).toBe(201);
    const contact = await manager.post('/api/v1/contacts', {
      fullName: 'Phạm Văn Dũng',
      emails: [{ value: 'dung@hoasen.vn' }],
    });
    expect(contact.status).toBe(201);
    const namesake = await manager.post('/api/v1/companies', { name: 'Hoa Sen' });
    const leadId = await lead(manager, {
      fullName: 'Phạm Dũng',
      emails: [{ value: 'DUNG@hoasen.vn' }],
      phones: [{ value: '0987 654 321' }],
      companyName: 'Hoa Sen',
      taxCode: '0302035520',
    });

    const preview = await manager.get(`/api/v1/leads/${leadId}/convert/preview`);
    expect(preview.body.contacts).toEqual([
      {
        id: contact.body.id,
        name: 'Phạm Văn Dũng',
        primaryEmail: 'dung@hoasen.vn',
        primaryPhone: null,
        matchedOn: ['email'],
      },
    ]);
    expect(preview.body.companies).toEqual([
      {
        id: company.body.id,
        name: 'Công ty CP Hoa Sen',
        taxCode: '0302035520',
        matchedOn: 'taxCode',
      },
      { id: namesake.body.id, name: 'Hoa Sen', taxCode: null, matchedOn: 'name' },
    ]);

    const before = await counts();
    // Asking for a new contact while one holds the email: refused with the match.
    const dup = await manager.post(`/api/v1/leads/${leadId}/convert`, {
      contact: { mode: 'new' },
      company: { mode: 'existing', id: company.body.id },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('DUPLICATE_FOUND');
    expect(dup.body.error.details.contacts).toEqual([
      { id: contact.body.id, name: 'Phạm Văn Dũng', matchedOn: ['email'] },
    ]);
    const dupCompany = await manager.post(`/api/v1/leads/${leadId}/convert`, {
      contact: { mode: 'existing', id: contact.body.id },
      company: { mode: 'new' },
    });
    expect(dupCompany.status).toBe(409);
    expect(dupCompany.body.error.details.companies).toEqual([
      { id: company.body.id, name: 'Công ty CP Hoa Sen' },
    ]);
    expect(await counts()).toEqual(before);

    const res = await manager.post(`/api/v1/leads/${leadId}/convert`, {
      contact: { mode: 'existing', id: contact.body.id },
      company: { mode: 'existing', id: company.body.id },
      deal: { create: true, name: 'Hoa Sen – tôn lợp mái', amount: 120_000_000 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      contact: { id: contact.body.id, created: false },
      company: { id: company.body.id, created: false },
      deal: { name: 'Hoa Sen – tôn lợp mái', created: true },
    });
    const after = await counts();
    expect(after.contacts).toBe(before.contacts);
    expect(after.companies).toBe(before.companies);
    expect(after.deals).toBe(before.deals + 1);
    // The existing contact now works at the existing company.
    const linked = await manager.get(`/api/v1/contacts/${contact.body.id}`);
    expect(linked.body.companies.map((c: { companyId: string }) => c.companyId)).toEqual([
      company.body.id,
    ]);

    // Confirmed: a second person with the same email becomes a contact of their own.
    const twin = await lead(manager, {
      fullName: 'Phạm Dũng',
      emails: [{ value: 'dung@hoasen.vn' }],
    });
    const forced = await manager.post(`/api/v1/leads/${twin}/convert`, {
      contact: { mode: 'new', allowDuplicate: true },
    });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ contact: { created: true }, company: null, deal: null });
  });

  it('refuses bad input with field errors at their part of the body', async () => {
    const leadId = await lead(manager, { fullName: 'Đỗ Thị Mai' });
    const noId = await manager.post(`/api/v1/leads/${leadId}/convert`, {
      contact: { mode: 'existing' },
    });
    expect(noId.status).toBe(400);
    expect(noId.body.error.details.fields[0].path).toBe('contact.id');
    const missing = await manager.post(`/api/v1/leads/${leadId}/convert`, {
      company: { mode: 'existing', id: '01890000-0000-7000-8000-000000000000' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields[0].path).toBe('company.id');
    const noName = await manager.post(`/api/v1/leads/${leadId}/convert`, {
      company: { mode: 'new' },
    });
    expect(noName.body.error.details.fields[0].path).toBe('company.name');
    const badStage = await manager.post(`/api/v1/leads/${leadId}/convert`, {
      deal: { create: true, stageId: '01890000-0000-7000-8000-000000000000' },
    });
    expect(badStage.status).toBe(400);
    expect(badStage.body.error.details.fields[0].path).toBe('deal.stageId');
    const unknown = await manager.post(`/api/v1/leads/${leadId}/convert`, { extra: 1 });
    expect(unknown.status).toBe(400);
    expect((await manager.get(`/api/v1/leads/${leadId}`)).body.status).toBe('new');
  });

  it('checks every permission before writing: a rep who may not create deals cannot convert with one', async () => {
    const role = await admin.post('/api/v1/roles', {
      name: 'Bán hàng không tạo cơ hội',
      permissions: {
        leads: { read: true, create: true, update: true, scope: 'own' },
        contacts: { read: true, create: true, update: true, scope: 'own' },
        companies: { read: true, create: true, update: true, scope: 'own' },
        deals: { read: true, scope: 'own' },
      },
    });
    expect(role.status).toBe(201);
    const junior = await addMember(t.app, admin, 'sales', 'Vũ Thị Thu');
    expect(
      (await admin.patch(`/api/v1/users/${junior.userId}`, { roleId: role.body.id })).status,
    ).toBe(200);
    const leadId = await lead(junior.client, {
      fullName: 'Hoàng Văn Nam',
      companyName: 'Công ty TNHH Nam Sơn',
      emails: [{ value: 'nam@namson.vn' }],
    });
    const note = await junior.client.post(`/api/v1/leads/${leadId}/notes`, {
      bodyHtml: '<p>Hẹn gặp thứ Hai</p>',
    });
    expect(note.status).toBe(201);

    const before = await counts();
    const refused = await junior.client.post(`/api/v1/leads/${leadId}/convert`, {
      deal: { create: true, amount: 10_000_000 },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    // Nothing was written: no contact, company, deal, link, moved note or audit entry.
    expect(await counts()).toEqual(before);
    expect((await junior.client.get(`/api/v1/leads/${leadId}`)).body.status).toBe('new');
    expect((await junior.client.get(`/api/v1/leads/${leadId}/notes`)).body.items).toHaveLength(1);

    // Another rep's lead is out of their scope.
    const repLead = await lead(rep.client, { fullName: 'Lý Thị Hà' });
    const foreign = await junior.client.post(`/api/v1/leads/${repLead}/convert`, {});
    expect(foreign.status).toBe(403);

    // Without a deal the same rep converts it.
    const ok = await junior.client.post(`/api/v1/leads/${leadId}/convert`, {});
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ company: { created: true }, deal: null });
  });

  it("counts the conversion in the sales report's leads by source, and the won deal's revenue", async () => {
    const report = async () => {
      const res = await manager.get('/api/v1/reports/sales?period=month');
      expect(res.status).toBe(200);
      return res.body.leadsBySource.find((r: { source: string | null }) => r.source === 'referral');
    };
    expect(await report()).toMatchObject({ leads: 1, converted: 1, wonAmount: 0 });
    const won = await rep.client.patch(`/api/v1/deals/${converted.dealId}`, { status: 'won' });
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    expect(await report()).toMatchObject({ leads: 1, converted: 1, wonAmount: 50_000_000 });
  });
});
