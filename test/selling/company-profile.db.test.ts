import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantContext } from '../../src/db/database.js';
import { queryRows } from '../../src/db/sql.js';
import { getCompanyProfile } from '../../src/modules/company-profile/company-profile.service.js';
import { addMember, setupAdmin, type Client } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/** A real PNG of w × h pixels (random, so it does not compress away). */
function png(w: number, h: number): Buffer {
  const img = new PNG({ width: w, height: h });
  randomBytes(img.data.length).copy(img.data);
  return PNG.sync.write(img);
}

/**
 * The business profile (#20): validation and normalisation through the real HTTP stack, the logo
 * upload (sniffed PNG/JPEG, ≤ 1 MB), the service the PDFs call, audit and tenant isolation.
 */
describe('company profile', () => {
  let t: TestApp;
  let admin: Client;
  let ws: TenantContext;
  let other: TenantContext;
  const url = '/api/v1/settings/company-profile';

  beforeAll(async () => {
    t = await createTestApp();
    const a = await setupAdmin(t.app);
    admin = a.admin;
    ws = { workspaceId: a.session.workspace.id, userId: a.session.user.id };
    const created = await admin.post('/api/v1/workspaces', { name: 'Công ty Khác' });
    expect(created.status).toBe(201);
    other = { workspaceId: created.body.workspace.id, userId: ws.userId };
    const back = await admin.post('/api/v1/auth/switch-workspace', {
      workspaceId: ws.workspaceId,
    });
    expect(back.status).toBe(200);
  });
  afterAll(() => t?.close());

  async function upload(client: Client, content: Buffer, fileName = 'logo.png') {
    const boundary = `----senLogo${Math.random().toString(16).slice(2)}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({
      method: 'PUT',
      url: `${url}/logo`,
      payload,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        cookie: `sen_session=${client.cookie}`,
        'x-csrf-token': client.csrf ?? '',
        'accept-language': 'en',
      },
    });
    return { status: res.statusCode, body: res.json() };
  }

  it('has the defaults before anything is saved', async () => {
    const res = await admin.get(url);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      legalName: null,
      taxCode: null,
      bank: null,
      paymentTermsDays: 30,
      quoteValidityDays: 15,
      defaultVatRate: '10',
      logo: null,
      updatedAt: null,
    });
  });

  it('saves and normalises: tax code, phone, email, website, bank, account holder', async () => {
    const res = await admin.request('PUT', url, {
      legalName: '  Công ty TNHH   Mỹ phẩm Sen Việt ',
      shortName: 'Sen Việt',
      address: '12 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội',
      taxCode: '01.00.109.106',
      phone: '024 3825 1234',
      email: 'KeToan@SenViet.VN',
      website: 'senviet.vn',
      bankBin: '970436',
      bankAccountNumber: '0011 0023 45678',
      bankAccountName: 'Công ty TNHH Mỹ phẩm Sen Việt Đà Nẵng',
      paymentTermsDays: 45,
      quoteValidityDays: 10,
      defaultVatRate: '8',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      legalName: 'Công ty TNHH Mỹ phẩm Sen Việt',
      taxCode: '0100109106',
      phone: '+842438251234',
      email: 'ketoan@senviet.vn',
      website: 'https://senviet.vn',
      bankBin: '970436',
      bank: { bin: '970436', shortName: expect.stringMatching(/Vietcombank/i) },
      bankAccountNumber: '001100234567' + '8',
      bankAccountName: 'CONG TY TNHH MY PHAM SEN VIET DA NANG',
      paymentTermsDays: 45,
      quoteValidityDays: 10,
      defaultVatRate: '8',
    });
    // A PUT naming one field leaves the others.
    const one = await admin.request('PUT', url, { shortName: 'Sen' });
    expect(one.body).toMatchObject({
      shortName: 'Sen',
      taxCode: '0100109106',
      paymentTermsDays: 45,
    });
  });

  it.each([
    [{ taxCode: '0100109107' }, 'taxCode', 'invalid_check_digit'],
    [{ taxCode: '12345' }, 'taxCode', 'invalid_format'],
    [{ phone: '12' }, 'phone', 'too_short'],
    [{ email: 'not an email' }, 'email', 'invalid_email'],
    [{ website: 'javascript:alert(1)' }, 'website', 'invalid_url'],
    [{ bankBin: '999999' }, 'bankBin', 'unknown_bank'],
    [{ bankAccountName: 'Sen 🌸' }, 'bankAccountName', 'invalid_characters'],
  ])('refuses %j with 400 naming the field', async (body, path, reason) => {
    const res = await admin.request('PUT', url, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields).toEqual([expect.objectContaining({ path, reason })]);
  });

  it('refuses a bank without an account number, a VAT rate off the list, an unknown field', async () => {
    const cleared = await admin.request('PUT', url, { bankAccountNumber: null });
    expect(cleared.status).toBe(400);
    expect(cleared.body.error.details.fields[0]).toMatchObject({
      path: 'bankAccountNumber',
      reason: 'required',
    });
    expect((await admin.request('PUT', url, { defaultVatRate: '7' })).status).toBe(400);
    expect((await admin.request('PUT', url, { defaultVatRate: 10 })).status).toBe(400);
    expect((await admin.request('PUT', url, { paymentTermsDays: -1 })).status).toBe(400);
    expect((await admin.request('PUT', url, { logo: 'x' })).status).toBe(400);
    const unchanged = await admin.get(url);
    expect(unchanged.body.bankAccountNumber).toBe('0011002345678');
  });

  it('takes a PNG or JPEG logo up to 1 MB, sniffed from its bytes, and serves it', async () => {
    const image = png(40, 20);
    const res = await upload(admin, image);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.logo).toMatchObject({ contentType: 'image/png', bytes: image.length });
    const got = await t.app.inject({
      method: 'GET',
      url: res.body.logo.url,
      headers: { cookie: `sen_session=${admin.cookie}` },
    });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(got.rawPayload, image)).toBe(0);
    // A JPEG is taken too (by its bytes, whatever the file's name).
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 1)]);
    const j = await upload(admin, jpeg, 'logo.png');
    expect(j.body.logo.contentType).toBe('image/jpeg');
    // Back to the PNG for the next tests.
    expect((await upload(admin, image)).status).toBe(200);
  });

  it('refuses a logo over 1 MB or that is not a PNG/JPEG with 400, keeping the old one', async () => {
    const before = (await admin.get(url)).body.logo;
    const big = png(600, 600);
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const tooBig = await upload(admin, big);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.details.fields).toEqual([
      expect.objectContaining({ path: 'file', reason: 'too_big' }),
    ]);
    for (const [content, name] of [
      [
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        'logo.svg',
      ],
      [Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'logo.gif'],
      [Buffer.from('just text pretending to be a png'), 'logo.png'],
    ] as const) {
      const res = await upload(admin, content, name);
      expect(res.status, name).toBe(400);
      expect(res.body.error.details.fields[0]).toMatchObject({
        path: 'file',
        reason: 'not_an_image',
      });
    }
    expect((await admin.get(url)).body.logo).toEqual(before);
    // JSON instead of a multipart upload.
    expect((await admin.request('PUT', `${url}/logo`, { file: 'x' })).status).toBe(415);
  });

  it('gives the PDFs the whole profile with the logo bytes (getCompanyProfile)', async () => {
    const p = await t.ctx.db.tenant(ws, (tx) => getCompanyProfile(tx));
    expect(p).toMatchObject({
      legalName: 'Công ty TNHH Mỹ phẩm Sen Việt',
      taxCode: '0100109106',
      bank: { bin: '970436' },
      bankAccountNumber: '0011002345678',
      bankAccountName: 'CONG TY TNHH MY PHAM SEN VIET DA NANG',
      defaultVatRate: '8',
    });
    expect(p.logo?.contentType).toBe('image/png');
    expect(p.logo?.data.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
    // Another workspace: the defaults, nothing of the first one.
    const q = await t.ctx.db.tenant(other, (tx) => getCompanyProfile(tx));
    expect(q).toMatchObject({ legalName: null, bank: null, logo: null, paymentTermsDays: 30 });
  });

  it('audits every change (the logo by its SHA-256), not a save that changes nothing', async () => {
    const count = async () =>
      await t.ctx.db.system((tx) =>
        queryRows<{ action: string; changes: Record<string, { from: unknown; to: unknown }> }>(
          tx,
          sql`SELECT action, changes FROM audit_log
                 WHERE workspace_id = ${ws.workspaceId}::uuid AND object_type = 'company_profile'
                 ORDER BY id`,
        ),
      );
    const rows = await count();
    expect(rows[0]!.action).toBe('create');
    expect(rows[0]!.changes.taxCode).toEqual({ from: null, to: '0100109106' });
    expect(rows.some((r) => typeof r.changes.logo?.to === 'string')).toBe(true);
    await admin.request('PUT', url, { shortName: 'Sen' });
    expect(await count()).toHaveLength(rows.length);
  });

  it('lets every member read it and only admins change it', async () => {
    const rep = await addMember(t.app, admin, 'sales', 'Lê Văn Bán');
    expect((await rep.client.get(url)).status).toBe(200);
    expect((await rep.client.request('PUT', url, { shortName: 'X' })).status).toBe(403);
    expect((await upload(rep.client, png(2, 2))).status).toBe(403);
    expect((await rep.client.delete(`${url}/logo`)).status).toBe(403);
    expect((await rep.client.get('/api/v1/settings/banks')).body.items.length).toBeGreaterThan(20);
  });

  it("keeps each workspace's profile to itself (RLS)", async () => {
    const rows = await t.ctx.db.tenant(other, (tx) =>
      queryRows<{ n: string }>(tx, sql`SELECT count(*) AS n FROM company_profiles`),
    );
    expect(Number(rows[0]!.n)).toBe(0);
    await expect(
      t.ctx.db.tenant(other, (tx) =>
        tx.execute(
          sql`UPDATE company_profiles SET legal_name = 'x' WHERE workspace_id = ${ws.workspaceId}::uuid RETURNING 1`,
        ),
      ),
    ).resolves.toMatchObject({ rows: [] });
    const own = await t.ctx.db.tenant(ws, (tx) => getCompanyProfile(tx));
    expect(own.legalName).toBe('Công ty TNHH Mỹ phẩm Sen Việt');
  });

  it('removes the logo', async () => {
    const res = await admin.delete(`${url}/logo`);
    expect(res.status).toBe(200);
    expect(res.body.logo).toBeNull();
    const got = await admin.get(`${url}/logo`);
    expect(got.status).toBe(404);
  });
});
