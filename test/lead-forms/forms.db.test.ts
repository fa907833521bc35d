import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/sql.js';
import { addMember, setupAdmin, type Client } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Lead capture forms (#19): Settings → Biểu mẫu thu thập, the public endpoint and the hosted
 * page. A submission becomes a lead (UTM, referrer, landing page, source, campaign, scored with
 * form_submitted, assigned by a rule, audited as the form), joins a matching contact or open
 * lead instead, or is stored as spam; bad input (unknown fields, oversized values, NUL, a flood
 * past the rate limits) is refused in the one error shape and stores nothing. Both backends.
 */
describe('lead capture forms', () => {
  let t: TestApp;
  let admin: Client;
  let sales: Client;
  let repId: string;
  let form: { id: string; publicKey: string; hostedUrl: string; snippet: string };
  let needFieldId: string;
  let ip = 0;
  /** Each call from a new client IP unless one is given (the per-IP limit is tested apart). */
  const nextIp = () => `10.0.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`;

  async function post(
    key: string,
    body: Record<string, unknown> | string,
    opts: { ip?: string; accept?: string; headers?: Record<string, string> } = {},
  ) {
    const urlencoded = typeof body === 'string';
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/forms/${key}/submissions`,
      remoteAddress: opts.ip ?? nextIp(),
      headers: {
        'content-type': urlencoded ? 'application/x-www-form-urlencoded' : 'application/json',
        accept: opts.accept ?? 'application/json',
        ...opts.headers,
      },
      payload: urlencoded ? body : JSON.stringify(body),
    });
    const json = res.headers['content-type']?.toString().includes('json');
    return { status: res.statusCode, body: json ? res.json() : res.body, headers: res.headers };
  }

  const count = async (table: string, where = sql`true`) =>
    Number(
      (
        await t.ctx.db.system((tx) =>
          queryRows<{ n: number }>(
            tx,
            sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} WHERE ${where}`,
          ),
        )
      )[0]!.n,
    );

  beforeAll(async () => {
    t = await createTestApp();
    const s = await setupAdmin(t.app);
    admin = s.admin;
    const rep = await addMember(t.app, admin, 'sales', 'Phạm Văn Bình');
    sales = rep.client;
    repId = rep.userId;
    // Website leads go to the rep; a form submission is worth 10 points.
    expect(
      (
        await admin.post('/api/v1/settings/assignment/leads/rules', {
          name: 'Website',
          condition: { field: 'source', op: 'is', value: 'website' },
          targetType: 'user',
          userId: repId,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await admin.post('/api/v1/settings/scoring/leads/rules', {
          kind: 'event',
          eventKey: 'form_submitted',
          points: 10,
        })
      ).status,
    ).toBe(201);
    const need = await admin.post('/api/v1/custom-fields', {
      object: 'leads',
      key: 'nhu_cau',
      label: 'Nhu cầu',
      type: 'select',
      options: {
        choices: [
          { key: 'si', label: 'Mua sỉ' },
          { key: 'le', label: 'Mua lẻ' },
        ],
      },
    });
    expect(need.status, JSON.stringify(need.body)).toBe(201);
    needFieldId = need.body.id;

    const created = await admin.post('/api/v1/lead-forms', {
      name: 'Đăng ký tư vấn',
      fields: [
        { key: 'fullName', label: { vi: 'Họ và tên', en: 'Your name' }, required: true },
        { key: 'email', label: { vi: 'Email', en: 'Email' } },
        { key: 'phone', label: { vi: 'Số điện thoại', en: 'Phone' } },
        { key: 'companyName', label: { vi: 'Tên cửa hàng', en: 'Shop name' } },
        { key: 'provinceCode', label: { vi: 'Tỉnh/Thành phố', en: 'Province' } },
        { key: 'custom.nhu_cau', label: { vi: 'Nhu cầu', en: 'Need' } },
      ],
      campaign: 'Tết 2027',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    form = created.body;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps forms in Settings: defaults, checks, permissions', async () => {
    expect(form).toMatchObject({
      source: 'website',
      active: true,
      afterSubmit: 'message',
      ratePerIp: 10,
      ratePerForm: 300,
      submitLabel: { vi: 'Gửi thông tin' },
    });
    expect(form.publicKey).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(form.hostedUrl).toMatch(new RegExp(`/f/${form.publicKey}$`));
    expect(form.snippet).toContain(`/api/v1/public/forms/${form.publicKey}/submissions`);
    expect(form.snippet).toContain('name="utm_source"');
    expect(form.snippet).toContain('document.referrer');
    expect(form.snippet).toContain('Họ và tên');

    const fields = await admin.get('/api/v1/lead-forms/fields');
    expect(fields.body.items.map((f: { key: string }) => f.key)).toEqual(
      expect.arrayContaining(['fullName', 'email', 'phone', 'provinceCode', 'custom.nhu_cau']),
    );

    const bad = await admin.post('/api/v1/lead-forms', {
      name: 'Sai',
      fields: [
        { key: 'score', label: { vi: 'Điểm', en: 'Score' } },
        { key: 'email', label: { vi: 'Email', en: 'Email' } },
      ],
      afterSubmit: 'redirect',
      redirectUrl: 'javascript:alert(1)',
      source: 'tiktok',
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['fields.0.key', 'fields', 'redirectUrl', 'source']),
    );

    expect((await sales.get('/api/v1/lead-forms')).status).toBe(403);
    const list = await admin.get('/api/v1/lead-forms');
    expect(list.body.items.map((f: { name: string }) => f.name)).toEqual(['Đăng ký tư vấn']);
  });

  it('turns a submission into a lead: UTM, referrer, landing page, source, campaign, scored, assigned, audited', async () => {
    const res = await post(form.publicKey, {
      fullName: 'Nguyễn Thị Hoa',
      email: 'Hoa.Nguyen@Example.vn',
      phone: '0912 345 678',
      provinceCode: '01',
      'custom.nhu_cau': 'si',
      utm_source: 'facebook',
      utm_medium: 'cpc',
      utm_campaign: 'tet-2027',
      utm_term: 'son môi',
      utm_content: 'banner-a',
      referrer: 'https://www.facebook.com/',
      landing_page: 'https://shop.example.vn/khuyen-mai?utm_source=facebook',
      website: '',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      status: 'received',
      message: expect.stringContaining('Cảm ơn'),
      redirectUrl: null,
    });
    expect(res.headers['access-control-allow-origin']).toBe('*');

    const leads = await admin.get('/api/v1/leads');
    expect(leads.body.items).toHaveLength(1);
    const lead = (await admin.get(`/api/v1/leads/${leads.body.items[0].id}`)).body;
    expect(lead).toMatchObject({
      displayName: 'Nguyễn Thị Hoa',
      primaryEmail: 'hoa.nguyen@example.vn',
      primaryPhone: '+84912345678',
      companyName: null,
      provinceCode: '01',
      source: 'website',
      campaign: 'Tết 2027',
      utmSource: 'facebook',
      utmMedium: 'cpc',
      utmCampaign: 'tet-2027',
      utmTerm: 'son môi',
      utmContent: 'banner-a',
      referrer: 'https://www.facebook.com/',
      landingPage: 'https://shop.example.vn/khuyen-mai?utm_source=facebook',
      custom: { nhu_cau: 'si' },
      score: 10,
      ownerId: repId,
    });
    expect(lead.scoreReasons).toEqual([
      { label: { vi: 'Gửi biểu mẫu', en: 'Form submitted' }, points: 10 },
    ]);

    // Audited as the form, through the channel 'form'; the timeline shows the submission.
    const audit = await admin.get(`/api/v1/audit-log?objectType=leads&objectId=${lead.id}`);
    const created = audit.body.items.find((e: { action: string }) => e.action === 'create');
    expect(created).toMatchObject({ channel: 'form' });
    expect(JSON.stringify(created)).toContain('Biểu mẫu Đăng ký tư vấn');
    const timeline = await admin.get(`/api/v1/leads/${lead.id}/timeline`);
    const event = timeline.body.items.find((e: { type: string }) => e.type === 'form_submission');
    expect(event.data).toMatchObject({ formName: 'Đăng ký tư vấn', outcome: 'lead_created' });
    // Who did it, in words: the form (no person behind it).
    expect(event.actor).toEqual({ id: '', name: 'Đăng ký tư vấn' });
    const createdEvent = timeline.body.items.find((e: { type: string }) => e.type === 'created');
    expect(createdEvent.actor.name).toBe('Biểu mẫu Đăng ký tư vấn');
    expect(event.data.values).toEqual(
      expect.arrayContaining([
        { key: 'fullName', label: { vi: 'Họ và tên', en: 'Your name' }, value: 'Nguyễn Thị Hoa' },
        { key: 'provinceCode', label: { vi: 'Tỉnh/Thành phố', en: 'Province' }, value: 'Hà Nội' },
        { key: 'custom.nhu_cau', label: { vi: 'Nhu cầu', en: 'Need' }, value: 'Mua sỉ' },
      ]),
    );

    // The rep was told by the assignment.
    const told = await sales.get('/api/v1/notifications');
    expect(JSON.stringify(told.body)).toContain('Nguyễn Thị Hoa');

    // The form's submissions in Settings.
    const subs = await admin.get(`/api/v1/lead-forms/${form.id}/submissions`);
    expect(subs.body.items[0]).toMatchObject({
      outcome: 'lead_created',
      recordType: 'leads',
      recordId: lead.id,
      recordName: 'Nguyễn Thị Hoa',
      utmSource: 'facebook',
    });
  });

  it('joins an open lead with the same email: a score event, empty fields filled, no new lead', async () => {
    const before = await count('leads');
    const res = await post(form.publicKey, {
      fullName: 'Hoa',
      email: 'hoa.nguyen@example.vn',
      companyName: 'Tên khác',
      utm_source: 'zalo',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await count('leads')).toBe(before);
    const lead = (await admin.get('/api/v1/leads')).body.items[0];
    const full = (await admin.get(`/api/v1/leads/${lead.id}`)).body;
    // Empty fields are filled, filled ones keep their first values (first touch); a second
    // form_submitted event is recorded (an event rule counts once; it restarts the decay's clock).
    expect(full).toMatchObject({ companyName: 'Tên khác', utmSource: 'facebook', score: 10 });
    expect(await count('score_events', sql`record_id = ${lead.id}`)).toBe(2);
    const subs = await admin.get(`/api/v1/lead-forms/${form.id}/submissions`);
    expect(subs.body.items[0]).toMatchObject({ outcome: 'lead_matched', recordId: lead.id });
  });

  it('attaches a submission matching a contact to its timeline instead of creating a lead', async () => {
    const contact = await admin.post('/api/v1/contacts', {
      fullName: 'Trần Văn Khải',
      phones: [{ value: '0987 654 321' }],
    });
    expect(contact.status).toBe(201);
    const before = await count('leads');
    const res = await post(form.publicKey, { fullName: 'Anh Khải', phone: '+84987654321' });
    expect(res.status).toBe(200);
    expect(await count('leads')).toBe(before);
    const timeline = await admin.get(`/api/v1/contacts/${contact.body.id}/timeline`);
    const event = timeline.body.items.find((e: { type: string }) => e.type === 'form_submission');
    expect(event.data).toMatchObject({ formName: 'Đăng ký tư vấn', outcome: 'contact_matched' });
    expect(event.data.values[0]).toMatchObject({ key: 'fullName', value: 'Anh Khải' });
  });

  it('stores a filled honeypot as spam, answered like a success, creating nothing', async () => {
    const before = await count('leads');
    const res = await post(form.publicKey, {
      fullName: 'Buy cheap',
      email: 'bot@spam.example',
      website: 'http://spam.example',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('received');
    expect(await count('leads')).toBe(before);
    const subs = await admin.get(`/api/v1/lead-forms/${form.id}/submissions`);
    expect(subs.body.items[0]).toMatchObject({ outcome: 'spam', recordId: null });
    // The list counts every stored submission (a new lead, a lead, a contact, spam).
    const listed = (await admin.get('/api/v1/lead-forms')).body.items[0];
    expect(listed).toMatchObject({ submissions: 4, lastSubmittedAt: expect.any(String) });
    expect((await admin.get(`/api/v1/lead-forms/${form.id}`)).body.submissions).toBe(4);
  });

  it('refuses bad input in the one error shape and stores nothing', async () => {
    const before = await count('form_submissions');
    const unknown = await post(form.publicKey, { fullName: 'A', email: 'a@b.vn', isAdmin: 'true' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('VALIDATION_FAILED');
    expect(unknown.body.error.details.fields).toEqual([
      expect.objectContaining({ path: 'isAdmin', reason: 'unknown' }),
    ]);

    const long = await post(form.publicKey, { fullName: 'A', companyName: 'x'.repeat(301) });
    expect(long.status).toBe(400);
    expect(long.body.error.details.fields[0]).toMatchObject({
      path: 'companyName',
      reason: 'too_long',
    });

    // Up to the body limit, a value over its field's maximum is a field error.
    const big = await post(form.publicKey, { fullName: 'A', referrer: 'x'.repeat(60_000) });
    expect(big.status).toBe(400);
    expect(big.body.error.details.fields[0]).toMatchObject({
      path: 'referrer',
      reason: 'too_long',
    });
    // 1 MB is past the route's 64 KB body limit: refused before it is read.
    const huge = await post(form.publicKey, { fullName: 'x'.repeat(1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(huge.body.error.requestId).toEqual(expect.any(String));
    const hugeForm = await post(form.publicKey, `fullName=${'x'.repeat(1024 * 1024)}`);
    expect(hugeForm.status).toBe(413);

    const nul = await post(form.publicKey, 'fullName=A%00B&email=a%40b.vn');
    expect(nul.status).toBe(400);
    expect(nul.body.error.code).toBe('VALIDATION_FAILED');

    const missing = await post(form.publicKey, { email: 'khong-ten@example.vn' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields[0]).toMatchObject({
      path: 'fullName',
      reason: 'required',
    });

    const badEmail = await post(form.publicKey, { fullName: 'Lan', email: 'lan@' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error.details.fields[0].path).toBe('email');

    const choice = await post(form.publicKey, { fullName: 'Lan', provinceCode: '999' });
    expect(choice.status).toBe(400);
    expect(choice.body.error.details.fields[0]).toMatchObject({
      path: 'provinceCode',
      reason: 'invalid_choice',
    });

    expect(await count('form_submissions')).toBe(before);
  });

  it('answers 404 for an unknown key, a form turned off, and the old key after regeneration', async () => {
    expect((await post('no-such-key', { fullName: 'A' })).status).toBe(404);
    const other = await admin.post('/api/v1/lead-forms', {
      name: 'Hội chợ',
      fields: [
        { key: 'fullName', label: { vi: 'Họ và tên', en: 'Name' }, required: true },
        { key: 'phone', label: { vi: 'Điện thoại', en: 'Phone' }, required: true },
      ],
    });
    const key = other.body.publicKey;
    expect((await post(key, { fullName: 'Một', phone: '0901000001' })).status).toBe(200);
    const regenerated = await admin.post(`/api/v1/lead-forms/${other.body.id}/regenerate-key`);
    expect(regenerated.status).toBe(200);
    expect(regenerated.body.publicKey).not.toBe(key);
    expect((await post(key, { fullName: 'Hai', phone: '0901000002' })).status).toBe(404);
    expect(
      (await post(regenerated.body.publicKey, { fullName: 'Hai', phone: '0901000002' })).status,
    ).toBe(200);
    await admin.patch(`/api/v1/lead-forms/${other.body.id}`, { active: false });
    const off = await post(regenerated.body.publicKey, { fullName: 'Ba', phone: '0901000003' });
    expect(off.status).toBe(404);
    expect(off.body.error.code).toBe('NOT_FOUND');
    // A form with submissions is turned off, not deleted; an unused one is deleted.
    expect((await admin.delete(`/api/v1/lead-forms/${other.body.id}`)).status).toBe(409);
    const unused = await admin.post('/api/v1/lead-forms', {
      name: 'Nháp',
      fields: [
        { key: 'givenName', label: { vi: 'Tên', en: 'Name' }, required: true },
        { key: 'email', label: { vi: 'Email', en: 'Email' } },
      ],
    });
    expect((await admin.delete(`/api/v1/lead-forms/${unused.body.id}`)).status).toBe(204);
  });

  it('answers a plain HTML form post with a thank-you page, or a 303 to the redirect', async () => {
    const html = 'text/html,application/xhtml+xml,*/*;q=0.8';
    const page = await post(
      form.publicKey,
      'fullName=L%C3%AA+Th%E1%BB%8B+Thu&email=thu%40example.vn&_lang=vi&website=',
      { accept: html },
    );
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Cảm ơn bạn!');
    const problem = await post(form.publicKey, 'email=thu2%40example.vn&_lang=en', {
      accept: html,
    });
    expect(problem.status).toBe(400);
    expect(problem.headers['content-type']).toContain('text/html');
    expect(problem.body).toContain('Please fill this in.');

    await admin.patch(`/api/v1/lead-forms/${form.id}`, {
      afterSubmit: 'redirect',
      redirectUrl: 'https://shop.example.vn/cam-on',
    });
    const redirected = await post(form.publicKey, 'fullName=Ph%E1%BA%A1m+Minh&phone=0903111222', {
      accept: html,
    });
    expect(redirected.status).toBe(303);
    expect(redirected.headers.location).toBe('https://shop.example.vn/cam-on');
    const json = await post(form.publicKey, { fullName: 'Phạm Minh Hai', phone: '0903111333' });
    expect(json.body).toEqual({
      status: 'received',
      message: null,
      redirectUrl: 'https://shop.example.vn/cam-on',
    });
    await admin.patch(`/api/v1/lead-forms/${form.id}`, { afterSubmit: 'message' });
  });

  it('serves the hosted page in the workspace language with a switch, UTM from its URL', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/f/${form.publicKey}?utm_source=zalo&utm_campaign=t%E1%BA%BFt`,
      headers: { referer: 'https://zalo.me/abc' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const html = res.body;
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('<meta name="viewport"');
    expect(html).toContain('Đăng ký tư vấn');
    expect(html).toContain('>Họ và tên <span class="req"');
    expect(html).toContain('name="email"');
    expect(html).toContain('<option value="01">Hà Nội</option>');
    expect(html).toContain('<option value="si">Mua sỉ</option>');
    expect(html).toContain('name="utm_source" value="zalo"');
    expect(html).toContain('name="utm_campaign" value="tết"');
    expect(html).toContain('name="referrer" value="https://zalo.me/abc"');
    expect(html).toMatch(/name="landing_page" value="http[^"]*\/f\/[^"]*utm_source=zalo/);
    expect(html).not.toContain('<script');
    expect(html).toContain('lang=en');

    const en = await t.app.inject({ method: 'GET', url: `/f/${form.publicKey}?lang=en` });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Your name');

    const missing = await t.app.inject({ method: 'GET', url: '/f/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Không tìm thấy biểu mẫu');

    // The page posts to itself; problems come back on the page, under their question.
    const bad = await t.app.inject({
      method: 'POST',
      url: `/f/${form.publicKey}`,
      remoteAddress: nextIp(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '_lang=vi&email=mai%40example.vn&utm_source=zalo',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Vui lòng nhập thông tin này.');
    expect(bad.body).toContain('value="mai@example.vn"');
    const ok = await t.app.inject({
      method: 'POST',
      url: `/f/${form.publicKey}`,
      remoteAddress: nextIp(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload:
        '_lang=vi&fullName=%C4%90%E1%BB%97+Th%E1%BB%8B+Mai&email=mai%40example.vn&utm_source=zalo',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('Cảm ơn bạn!');
    const lead = (await admin.get('/api/v1/leads?q=mai%40example.vn')).body.items[0];
    expect(lead).toMatchObject({ displayName: 'Đỗ Thị Mai' });
  });

  it('allows any origin on the public endpoint only, and never reads a session there', async () => {
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: `/api/v1/public/forms/${form.publicKey}/submissions`,
      headers: { origin: 'https://shop.example.vn', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const other = await admin.get('/api/v1/lead-forms');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    // A signed-in admin's cookie without the CSRF header: ignored, not a CSRF failure.
    const res = await post(
      form.publicKey,
      { fullName: 'Vũ Thị Lan', email: 'lan.vu@example.vn' },
      { headers: { cookie: `sen_session=${admin.cookie}` } },
    );
    expect(res.status).toBe(200);
  });

  it(
    'rate-limits per client IP and per form in the database: 429, Retry-After, nothing stored',
    { timeout: 30_000 },
    async () => {
      const limited = await admin.post('/api/v1/lead-forms', {
        name: 'Giới hạn',
        fields: [
          { key: 'fullName', label: { vi: 'Họ và tên', en: 'Name' }, required: true },
          { key: 'email', label: { vi: 'Email', en: 'Email' } },
        ],
        ratePerIp: 3,
        ratePerForm: 5,
      });
      const key = limited.body.publicKey;
      // The windows are whole minutes: start well inside one, so the counts do not reset midway.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
      const stored = () => count('form_submissions', sql`form_id = ${limited.body.id}`);
      const ipA = '203.0.113.7';
      for (let i = 0; i < 3; i++) {
        expect((await post(key, { fullName: `Khách ${i}` }, { ip: ipA })).status).toBe(200);
      }
      const flood = await post(key, { fullName: 'Khách 3' }, { ip: ipA });
      expect(flood.status).toBe(429);
      expect(flood.body.error.code).toBe('RATE_LIMITED');
      expect(flood.body.error.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(flood.body.error.details.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(flood.headers['retry-after']).toBe(String(flood.body.error.details.retryAfterSeconds));
      expect(await stored()).toBe(3);
      // Another IP may still submit, until the form's own limit.
      expect((await post(key, { fullName: 'Khách 4' }, { ip: '203.0.113.8' })).status).toBe(200);
      expect((await post(key, { fullName: 'Khách 5' }, { ip: '203.0.113.9' })).status).toBe(200);
      const past = await post(key, { fullName: 'Khách 6' }, { ip: '203.0.113.10' });
      expect(past.status).toBe(429);
      expect(await stored()).toBe(5);
      // The other forms are not limited by this one.
      expect((await post(form.publicKey, { fullName: 'Hồ Văn Tâm' }, { ip: ipA })).status).toBe(
        200,
      );
    },
  );
  it('stops asking a question whose custom field was deleted; old pages may still send it', async () => {
    expect((await admin.delete(`/api/v1/custom-fields/${needFieldId}`)).status).toBe(204);
    const page = await t.app.inject({ method: 'GET', url: `/f/${form.publicKey}` });
    expect(page.body).not.toContain('name="custom.nhu_cau"');
    const res = await post(form.publicKey, {
      fullName: 'Lý Văn Cũ',
      email: 'ly.cu@example.vn',
      'custom.nhu_cau': 'si',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});
