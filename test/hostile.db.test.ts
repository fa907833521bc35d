import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/sql.js';
import { createLogger } from '../src/lib/logger.js';
import { addMember, type Client, type Reply, setupAdmin } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

/**
 * The failures a black-box review found (issue #16), each answered as stated: nothing written,
 * the one error shape, never a 500.
 */
describe('hostile input and access (review findings)', () => {
  let t: TestApp;
  let admin: Client;
  let viewer: Client;
  let sales: Client;
  let contactId: string;
  const logLines: string[] = [];
  const ws = { workspaceId: '', userId: '' };

  function expectError(res: Reply, status: number, code: string) {
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(Object.keys(res.body)).toEqual(['error']);
    expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
    expect(typeof res.body.error.message).toBe('string');
    expect('details' in res.body.error).toBe(true);
  }

  async function count(table: string): Promise<number> {
    const rows = await t.ctx.db.system((tx) =>
      queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`),
    );
    return rows[0]!.n;
  }

  /** Raw inject (for bodies a Client would not send). */
  async function raw(
    client: Client,
    method: 'GET' | 'POST',
    url: string,
    payload?: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const res = await t.app.inject({
      method,
      url,
      headers: {
        cookie: `sen_session=${client.cookie}`,
        'x-csrf-token': client.csrf ?? '',
        ...headers,
      },
      ...(payload !== undefined ? { payload } : {}),
    });
    const body = res.headers['content-type']?.toString().includes('json') ? res.json() : res.body;
    return { status: res.statusCode, body, headers: res.headers };
  }

  beforeAll(async () => {
    // Capture every log line the app writes at the default level.
    t = await createTestApp(
      {},
      createLogger('info', { write: (line) => void logLines.push(line) }),
    );
    const setup = await setupAdmin(t.app);
    admin = setup.admin;
    ws.workspaceId = setup.session.workspace.id;
    ws.userId = setup.session.user.id;
    viewer = (await addMember(t.app, admin, 'viewer')).client;
    sales = (await addMember(t.app, admin, 'sales')).client;
    const created = await admin.post('/api/v1/contacts', { fullName: 'Nguyễn Văn Bình' });
    expect(created.status).toBe(201);
    contactId = created.body.id;
  });
  afterAll(() => t?.close());

  describe('the viewer role cannot write notes or attachments', () => {
    it('POST a note → 403, nothing written', async () => {
      const before = await count('notes');
      const res = await viewer.post(`/api/v1/contacts/${contactId}/notes`, {
        bodyHtml: '<p>x</p>',
      });
      expectError(res, 403, 'FORBIDDEN');
      expect(await count('notes')).toBe(before);
    });

    it('upload an attachment → 403 before the bytes are read, nothing written', async () => {
      const before = await count('attachments');
      const boundary = 'senBoundary1';
      const res = await raw(
        viewer,
        'POST',
        `/api/v1/contacts/${contactId}/attachments`,
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`,
        { 'content-type': `multipart/form-data; boundary=${boundary}` },
      );
      expectError(res, 403, 'FORBIDDEN');
      expect(await count('attachments')).toBe(before);
    });

    it('the admin (update on the record) still can', async () => {
      const res = await admin.post(`/api/v1/contacts/${contactId}/notes`, {
        bodyHtml: '<p>ok</p>',
      });
      expect(res.status).toBe(201);
    });
  });

  describe('a NUL character is refused with 400 everywhere, and never logged with SQL', () => {
    const NUL = 'a\u0000b';
    const cases: [string, string, string, unknown][] = [
      ['contact name', 'POST', '/api/v1/contacts', { fullName: NUL }],
      ['contact tag', 'POST', '/api/v1/contacts', { fullName: 'x', tags: [NUL] }],
      [
        'contact email',
        'POST',
        '/api/v1/contacts',
        { fullName: 'x', emails: [{ value: `a${NUL}@b.vn` }] },
      ],
      [
        'address street',
        'POST',
        '/api/v1/contacts',
        { fullName: 'x', addresses: [{ street: NUL }] },
      ],
      ['company name', 'POST', '/api/v1/companies', { name: NUL }],
      ['team name', 'POST', '/api/v1/teams', { name: NUL }],
      ['view name', 'POST', '/api/v1/views', { object: 'contacts', name: NUL }],
      [
        'custom field label',
        'POST',
        '/api/v1/custom-fields',
        { object: 'contacts', label: NUL, type: 'text' },
      ],
      ['profile name', 'PATCH', '/api/v1/me', { name: NUL }],
      ['workspace name', 'PATCH', '/api/v1/workspace', { name: NUL }],
      ['an object key', 'POST', '/api/v1/contacts', { fullName: 'x', [NUL]: 1 }],
    ];
    for (const [what, method, url, body] of cases) {
      it(`in a ${what}`, async () => {
        const before = await count('audit_log');
        const res = await admin.request(method as 'POST', url, body);
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(res.body.error.details.fields[0]).toMatchObject({ in: 'body' });
        expect(await count('audit_log')).toBe(before);
      });
    }

    it('in a note', async () => {
      const res = await admin.post(`/api/v1/contacts/${contactId}/notes`, { bodyHtml: NUL });
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it('in custom values', async () => {
      const res = await admin.post('/api/v1/contacts', {
        fullName: 'x',
        custom: { anything: NUL },
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.error.details.fields[0].path).toBe('custom.anything');
    });

    it('in q=, filter values and search', async () => {
      for (const url of [
        `/api/v1/contacts?q=${encodeURIComponent(NUL)}`,
        `/api/v1/contacts?filter=${encodeURIComponent(JSON.stringify({ and: [{ field: 'displayName', op: 'contains', value: NUL }] }))}`,
        `/api/v1/contacts/count?q=${encodeURIComponent(NUL)}`,
        `/api/v1/search?q=${encodeURIComponent(NUL)}`,
        `/api/v1/vn/wards?provinceCode=01&q=${encodeURIComponent(NUL)}`,
      ]) {
        const res = await admin.get(url);
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(res.body.error.details.fields[0]).toMatchObject({ in: 'querystring' });
      }
    });

    it('no failed SQL or its parameters reach the log', () => {
      const text = logLines.join('\n');
      expect(text).not.toMatch(/Failed query/);
      expect(text).not.toMatch(/params:/);
      expect(text).not.toMatch(/"level":50/);
    });
  });

  describe('malformed multipart bodies → 400', () => {
    const url = () => `/api/v1/contacts/${contactId}/attachments`;
    const bodies: [string, string, string][] = [
      [
        'no closing boundary',
        'multipart/form-data; boundary=b1',
        '--b1\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello',
      ],
      [
        'garbage',
        'multipart/form-data; boundary=b1',
        '\u0001\u0002garbage that is no multipart at all',
      ],
      [
        'no boundary',
        'multipart/form-data',
        '--b1\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello\r\n--b1--\r\n',
      ],
      [
        'no file part',
        'multipart/form-data; boundary=b1',
        '--b1\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--b1--\r\n',
      ],
      ['an empty body', 'multipart/form-data; boundary=b1', ''],
    ];
    for (const [what, type, payload] of bodies) {
      it(what, async () => {
        const before = await count('attachments');
        const res = await raw(admin, 'POST', url(), payload, { 'content-type': type });
        expectError(res, 400, 'BAD_REQUEST');
        expect(await count('attachments')).toBe(before);
      });
    }
  });

  it('a 60,000-character query string → 431 in the one error shape (real HTTP)', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${address}/api/v1/contacts?q=${'a'.repeat(60_000)}`);
    expect(res.status).toBe(431);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      code: 'HEADERS_TOO_LARGE',
      details: null,
      requestId: res.headers.get('x-request-id'),
    });
    expect(String(body.error.message).length).toBeGreaterThan(0);
  });

  it('errors Fastify raises before routing use the one error shape', async () => {
    const badUrl = await raw(admin, 'GET', '/api/v1/contacts/%E0%A4%A');
    expectError(badUrl, 400, 'BAD_REQUEST');
  });

  it('one field error per unknown key, each { path, message, text, reason, in }', async () => {
    const res = await admin.post('/api/v1/teams', {
      name: 'Ok',
      id: '01900000-0000-7000-8000-000000000000',
      workspaceId: '01900000-0000-7000-8000-000000000000',
    });
    expectError(res, 400, 'VALIDATION_FAILED');
    const fields = res.body.error.details.fields;
    expect(fields.map((f: { path: string }) => f.path).sort()).toEqual(['id', 'workspaceId']);
    for (const f of fields) {
      expect(Object.keys(f).sort()).toEqual(['in', 'message', 'path', 'reason', 'text']);
      expect(f.reason).toBe('unrecognized_keys');
      expect(f.text.vi).not.toBe(f.text.en);
      expect(f.message).toBe(f.text.vi); // in the signed-in user's language
    }
  });

  it('OpenAPI and the server agree on the size of a note', async () => {
    const doc = (await admin.get('/api/openapi.json')).body;
    const body =
      doc.paths['/api/v1/{object}/{id}/notes'].post.requestBody.content['application/json'].schema;
    const max = body.properties.bodyHtml.maxLength;
    expect(max).toBe(100_000);
    const ok = await admin.post(`/api/v1/contacts/${contactId}/notes`, {
      bodyHtml: 'ệ'.repeat(max),
    });
    expect(ok.status).toBe(201);
    const tooLong = await admin.post(`/api/v1/contacts/${contactId}/notes`, {
      bodyHtml: 'a'.repeat(max + 1),
    });
    expectError(tooLong, 400, 'VALIDATION_FAILED');
    expect(tooLong.body.error.details.fields[0].path).toBe('bodyHtml');
  });

  it('an API key cannot be created with a scope its user does not hold', async () => {
    const before = await count('api_keys');
    const res = await sales.post('/api/v1/api-keys', {
      name: 'too much',
      scopes: ['contacts:read', 'members:create'],
    });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.error.details.fields[0].path).toBe('scopes');
    expect(res.body.error.details.fields[0].message).toContain('members:create');
    expect(await count('api_keys')).toBe(before);
    const fine = await sales.post('/api/v1/api-keys', { name: 'fine', scopes: ['contacts:read'] });
    expect(fine.status).toBe(201);
  });

  it('the export neutralises fullwidth ＝＋－＠ at the start of a cell', async () => {
    for (const name of ['＝1+1', '＋1', '－1', '＠SUM(A1)']) {
      expect((await admin.post('/api/v1/contacts', { displayName: name })).status).toBe(201);
    }
    const res = await admin.get('/api/v1/contacts/export?columns=displayName');
    expect(res.status).toBe(200);
    const lines = String(res.body).split(/\r?\n/);
    for (const name of ['＝1+1', '＋1', '－1', '＠SUM(A1)']) {
      expect(lines).toContain(`'${name}`);
    }
  });

  it('one province name in /vn/wards, /vn/provinces and records', async () => {
    const wards = await admin.get('/api/v1/vn/wards?provinceCode=01&q=hoan%20kiem');
    const provinces = await admin.get('/api/v1/vn/provinces');
    const ward = wards.body.items[0];
    const province = provinces.body.items.find((p: { code: string }) => p.code === '01');
    const contact = await admin.post('/api/v1/contacts', {
      fullName: 'Lê Văn C',
      addresses: [{ provinceCode: '01', wardCode: ward.code, street: '1 Tràng Tiền' }],
    });
    expect(contact.status).toBe(201);
    const address = contact.body.addresses[0];
    // The official full name everywhere a province is named beside a place.
    expect(province.fullName).toBe('Thành phố Hà Nội');
    expect(ward.provinceName).toBe(province.fullName);
    expect(address.provinceName).toBe(province.fullName);
    expect(address.wardName).toBe(ward.fullName);
  });
});
