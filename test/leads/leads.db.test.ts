import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../src/modules/imports/run.js';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Leads (#19, src/modules/leads): a record object declared like products, with contacts' name,
 * phones and emails, a company name, the source and UTM fields, a fixed status (converted only
 * by the conversion; disqualified needs a reason) and editable lists of sources and reasons.
 */
describe('leads', () => {
  let t: TestApp;
  let dataDir: string;
  let admin: Client;
  let sales: Awaited<ReturnType<typeof addMember>>;
  let otherSales: Awaited<ReturnType<typeof addMember>>;
  let marketing: Client;
  let workspaceId: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-leads-'));
    t = await createTestApp({ SEN_DATA_DIR: dataDir });
    admin = (await setupAdmin(t.app)).admin;
    sales = await addMember(t.app, admin, 'sales', 'Lê Văn Minh');
    otherSales = await addMember(t.app, admin, 'sales', 'Phạm Thị Hoa');
    marketing = (await addMember(t.app, admin, 'marketing', 'Đỗ Thu Trang')).client;
    const me = await admin.get('/api/v1/auth/session');
    workspaceId = me.body.workspace.id;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const fieldErrors = (body: {
    error: { details: { fields: { path: string; reason: string }[] } };
  }) => body.error.details.fields.map((f) => `${f.path}:${f.reason}`);

  it('creates, reads, updates, lists, sorts and filters leads', async () => {
    const created = await marketing.post('/api/v1/leads', {
      fullName: '  Nguyễn  Thị Hồng   Nhung ',
      phones: [{ value: '0912 345 678' }],
      emails: [{ value: ' Nhung@Example.VN ' }],
      companyName: 'Công ty TNHH Minh Phát',
      taxCode: '0100109106',
      jobTitle: 'Trưởng phòng mua hàng',
      addresses: [{ street: 'Số 12 Phố Huế', provinceCode: '01' }],
      source: 'facebook',
      campaign: 'Tết 2027',
      utmSource: 'facebook',
      utmMedium: 'cpc',
      utmCampaign: 'tet-2027',
      referrer: 'https://m.facebook.com/',
      landingPage: 'https://sen.example.vn/khuyen-mai?utm_source=facebook',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      familyName: 'Nguyễn',
      middleName: 'Thị Hồng',
      givenName: 'Nhung',
      displayName: 'Nguyễn Thị Hồng Nhung',
      primaryPhone: '+84912345678',
      primaryEmail: 'nhung@example.vn',
      companyName: 'Công ty TNHH Minh Phát',
      taxCode: '0100109106',
      provinceCode: '01',
      source: 'facebook',
      utmMedium: 'cpc',
      status: 'new',
      disqualifiedReason: null,
      score: 0,
      grade: 'D',
      scoreReasons: [],
      convertedAt: null,
    });
    const id = created.body.id as string;
    const patched = await marketing.patch(`/api/v1/leads/${id}`, { status: 'contacted' });
    expect(patched.status).toBe(200);
    expect(patched.body.status).toBe('contacted');
    // Read-only fields are not part of the write body.
    const scoreWrite = await marketing.patch(`/api/v1/leads/${id}`, { score: 100 });
    expect(scoreWrite.status).toBe(400);

    await marketing.post('/api/v1/leads', { fullName: 'Trần Văn Đức', source: 'referral' });
    const filter = JSON.stringify({ field: 'source', op: 'is', value: 'referral' });
    const list = await marketing.get(`/api/v1/leads?filter=${encodeURIComponent(filter)}`);
    expect(list.body.items.map((l: { displayName: string }) => l.displayName)).toEqual([
      'Trần Văn Đức',
    ]);
    const sorted = await marketing.get('/api/v1/leads?sort=-score');
    expect(sorted.status).toBe(200);
    const byGrade = JSON.stringify({ field: 'grade', op: 'is', value: 'D' });
    const graded = await marketing.get(`/api/v1/leads?filter=${encodeURIComponent(byGrade)}`);
    expect(graded.body.items).toHaveLength(2);
    const fields = await marketing.get('/api/v1/objects/leads/fields');
    const meta = (key: string) => fields.body.items.find((f: { key: string }) => f.key === key);
    expect(meta('score')).toMatchObject({ readOnly: true, sortable: true, filterable: true });
    expect(meta('grade')).toMatchObject({ readOnly: true, filterable: true });
    expect(meta('source')).toMatchObject({ optionsEditable: true });
    expect(meta('status').options.map((o: { label: { vi: string } }) => o.label.vi)).toEqual([
      'Mới',
      'Đã liên hệ',
      'Đủ điều kiện',
      'Không đủ điều kiện',
      'Đã chuyển đổi',
    ]);
    // Converted is never offered (forms, kanban drops): only the conversion sets it.
    expect(
      meta('status').options.find((o: { key: string }) => o.key === 'converted'),
    ).toMatchObject({
      archived: true,
    });
  });

  it('refuses converted from a client, disqualified without a reason, bad phones and emails', async () => {
    const converted = await marketing.post('/api/v1/leads', {
      fullName: 'Khách Chuyển Đổi',
      status: 'converted',
    });
    expect(converted.status).toBe(400);
    expect(fieldErrors(converted.body)).toEqual(['status:converted_by_conversion']);
    expect(converted.body.error.details.fields[0].text.vi).toContain('Đã chuyển đổi');

    const noReason = await marketing.post('/api/v1/leads', {
      fullName: 'Khách Không Nhu Cầu',
      status: 'disqualified',
    });
    expect(noReason.status).toBe(400);
    expect(fieldErrors(noReason.body)).toEqual(['disqualifiedReason:required']);
    const withReason = await marketing.post('/api/v1/leads', {
      fullName: 'Khách Không Nhu Cầu',
      status: 'disqualified',
      disqualifiedReason: 'no_need',
    });
    expect(withReason.status).toBe(201);
    expect(withReason.body.disqualifiedReason).toBe('no_need');
    // Requalified: the reason goes with the status.
    const requalified = await marketing.patch(`/api/v1/leads/${withReason.body.id}`, {
      status: 'qualified',
    });
    expect(requalified.body).toMatchObject({ status: 'qualified', disqualifiedReason: null });

    const bad = await marketing.post('/api/v1/leads', {
      fullName: 'Số Sai',
      phones: [{ value: '12345' }],
      emails: [{ value: 'not-an-email' }],
      taxCode: '0100109107',
    });
    expect(bad.status).toBe(400);
    expect(fieldErrors(bad.body).sort()).toEqual([
      'emails.0.value:invalid_email',
      'phones.0.value:too_short',
      'taxCode:invalid_check_digit',
    ]);
    const noName = await marketing.post('/api/v1/leads', { companyName: 'Chỉ có công ty' });
    expect(fieldErrors(noName.body)).toEqual(['givenName:required']);
    const unknownSource = await marketing.post('/api/v1/leads', {
      fullName: 'Nguồn Lạ',
      source: 'tiktok',
    });
    expect(unknownSource.status).toBe(400);
    expect(unknownSource.body.error.details.fields[0].path).toBe('source');
  });

  it('the sources and reasons are the workspace’s own lists', async () => {
    const list = await admin.get('/api/v1/field-options/leads/source');
    expect(list.status).toBe(200);
    const options = list.body.options as { key?: string; label: { vi: string; en: string } }[];
    expect(options.find((o) => o.key === 'referral')?.label.vi).toBe('Giới thiệu');
    expect(options.find((o) => o.key === 'cold_call')?.label.vi).toBe('Gọi điện chủ động');
    const saved = await admin.request('PUT', '/api/v1/field-options/leads/source', {
      options: [
        ...options.map(({ key, label }) => ({ key, label })),
        { label: { vi: 'TikTok', en: 'TikTok' } },
      ],
    });
    expect(saved.status).toBe(200);
    const tiktok = saved.body.options.find(
      (o: { label: { vi: string } }) => o.label.vi === 'TikTok',
    );
    const created = await marketing.post('/api/v1/leads', {
      fullName: 'Khách TikTok',
      source: tiktok.key,
    });
    expect(created.status).toBe(201);
    const reasons = await admin.get('/api/v1/field-options/leads/disqualifiedReason');
    expect(reasons.body.options.map((o: { label: { vi: string } }) => o.label.vi)).toContain(
      'Không liên lạc được',
    );
  });

  it('search finds leads by name, phone, email and company name', async () => {
    const hits = async (q: string) =>
      (await marketing.get(`/api/v1/search?q=${encodeURIComponent(q)}`)).body.items
        .filter((h: { type: string }) => h.type === 'leads')
        .map((h: { title: string }) => h.title);
    expect(await hits('hồng nhung')).toContain('Nguyễn Thị Hồng Nhung');
    expect(await hits('0912345678')).toContain('Nguyễn Thị Hồng Nhung');
    expect(await hits('nhung@example.vn')).toContain('Nguyễn Thị Hồng Nhung');
    expect(await hits('minh phat')).toContain('Nguyễn Thị Hồng Nhung');
  });

  it('the board groups leads by status', async () => {
    const res = await marketing.get('/api/v1/leads/board?groupBy=status');
    expect(res.status).toBe(200);
    expect(res.body.groupBy).toBe('status');
    const count = (value: string) =>
      res.body.columns.find((c: { value: string }) => c.value === value)?.count;
    expect(count('contacted')).toBe(1);
    expect(count('qualified')).toBe(1);
    expect(count('new')).toBeGreaterThanOrEqual(2);
  });

  it('sales reps see and write only their own leads; they cannot hand leads to others', async () => {
    const mine = await sales.client.post('/api/v1/leads', { fullName: 'Khách Của Minh' });
    expect(mine.status).toBe(201);
    expect(mine.body.ownerId).toBe(sales.userId);
    const theirs = await otherSales.client.post('/api/v1/leads', { fullName: 'Khách Của Hoa' });
    const list = await sales.client.get('/api/v1/leads');
    expect(list.body.items.map((l: { displayName: string }) => l.displayName)).toEqual([
      'Khách Của Minh',
    ]);
    expect((await sales.client.get(`/api/v1/leads/${theirs.body.id}`)).status).toBe(403);
    const handOver = await sales.client.patch(`/api/v1/leads/${mine.body.id}`, {
      ownerId: otherSales.userId,
    });
    expect(handOver.status).toBe(403);
    // Sales may not import leads; marketing may.
    const roles = await admin.get('/api/v1/roles');
    const role = (key: string) =>
      roles.body.items.find((r: { key: string | null }) => r.key === key).permissions.leads;
    expect(role('sales')).toMatchObject({ read: true, create: true, scope: 'own' });
    expect(role('sales').import ?? false).toBe(false);
    expect(role('marketing')).toMatchObject({
      read: true,
      import: true,
      export: true,
      scope: 'all',
    });
    expect(role('manager')).toMatchObject({ read: true, scope: 'all' });
  });

  it('imports a CSV of leads with Vietnamese headers, matching on phone', async () => {
    const csv = [
      'Họ và tên,SĐT,Email,Công ty,Nguồn,Chiến dịch,utm_source,utm_campaign,Trạng thái',
      'Võ Thị Lan,0903 111 222,lan@example.vn,Mỹ phẩm Lan Anh,Giới thiệu,Hội chợ Tết,zalo,tet-2027,Mới',
      'Hoàng Văn Nam,0987 222 333,nam@example.vn,,facebook,,facebook,tet-2027,Đã liên hệ',
      'Sai Trạng Thái,0977 444 555,,,,,,,Đã chuyển đổi',
      'Nguyễn Thị Hồng Nhung,0912345678,,,,,,,',
    ].join('\r\n');
    const boundary = '----senLeadsTest';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="leads.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.from(csv),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/leads/imports',
      payload,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        cookie: `sen_session=${marketing.cookie}`,
        'x-csrf-token': marketing.csrf ?? '',
      },
    });
    expect(res.statusCode).toBe(201);
    const up = res.json();
    expect(up.mapping).toEqual([
      'fullName',
      'phones',
      'emails',
      'companyName',
      'source',
      'campaign',
      'utmSource',
      'utmCampaign',
      'status',
    ]);
    const plan = { mapping: up.mapping, options: { duplicates: 'skip' } };
    const started = await marketing.post(`/api/v1/imports/${up.id}/start`, plan);
    expect(started.status).toBe(202);
    await runImport(t.ctx.db, t.ctx, { importId: up.id, workspaceId });
    const done = await marketing.get(`/api/v1/imports/${up.id}`);
    expect(done.body).toMatchObject({ status: 'done', created: 2, skipped: 1, failed: 1 });
    const lan = await marketing.get(`/api/v1/leads?q=${encodeURIComponent('võ thị lan')}`);
    expect(lan.body.items[0]).toMatchObject({
      displayName: 'Võ Thị Lan',
      primaryPhone: '+84903111222',
      companyName: 'Mỹ phẩm Lan Anh',
      source: 'referral',
      campaign: 'Hội chợ Tết',
      utmSource: 'zalo',
      utmCampaign: 'tet-2027',
      status: 'new',
    });
    const nam = await marketing.get(`/api/v1/leads?q=${encodeURIComponent('hoàng văn nam')}`);
    expect(nam.body.items[0]).toMatchObject({ source: 'facebook', status: 'contacted' });
  });

  it('exports leads with their source, status, score and grade', async () => {
    const csv = await marketing.get('/api/v1/leads/export');
    expect(csv.status).toBe(200);
    const text = String(csv.body);
    expect(text).toContain('Nguồn');
    expect(text).toContain('Hạng');
    expect(text).toContain('Võ Thị Lan');
  });
});
