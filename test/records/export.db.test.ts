import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { queryRows } from '../../src/db/sql.js';
import { contactKind } from '../../src/modules/contacts/contacts.service.js';
import { runExport, sweepExports } from '../../src/modules/exports/exports.run.js';
import { prepareExport } from '../../src/modules/records/records.service.js';
import { actorFromPrincipal } from '../../src/modules/auth/auth.service.js';
import type { PrincipalRow } from '../../src/modules/auth/auth.repository.js';
import { addApiKey, addMember, type Client, type Reply, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Exports (#18) through the real HTTP stack on both backends, with a page of 4 rows and a
 * threshold of 10 rows for jobs (set by config, so a few dozen rows cross many pages): every
 * row of the view past the old cap's page-by-page reading, CSV / XLSX / vCard read back and
 * checked, formula neutralising, the caller's scope and the related records they may not see,
 * backpressure, the job (progress, download, a crash's restart), expiry (410) and the creator
 * rule.
 */
describe('exports', () => {
  let t: TestApp;
  let admin: Client;
  let adminId: string;
  let workspaceId: string;
  let hoa: { client: Client; userId: string };
  let lam: { client: Client; userId: string };
  let dataDir: string;
  const PAGE = 4;
  const SYNC_MAX = 10;
  const N = 23;
  const ids: Record<string, string> = {};

  /** A raw response (the body as bytes: XLSX). */
  async function raw(client: Client, url: string) {
    const res = await t.app.inject({
      method: 'GET',
      url,
      headers: {
        'accept-language': 'en',
        ...(client.cookie ? { cookie: `sen_session=${client.cookie}` } : {}),
        ...(client.bearer ? { authorization: `Bearer ${client.bearer}` } : {}),
      },
    });
    return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload, text: res.body };
  }

  const csvLines = (text: string) =>
    text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');

  async function xlsxOf(bytes: Buffer) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    return wb;
  }

  /** vCard content lines, unfolded (RFC 6350 §3.2). */
  const unfold = (text: string) =>
    text
      .replace(/\r\n[ \t]/g, '')
      .split('\r\n')
      .filter(Boolean);

  const create = async (client: Client, object: string, body: object) => {
    const res = await client.post(`/api/v1/${object}`, body);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body.id as string;
  };

  const actorOf = async (userId: string, keyScopes?: string[]) => {
    const [row] = await t.ctx.db.system((tx) =>
      queryRows<{ p: PrincipalRow }>(
        tx,
        sql`SELECT sen_principal(${userId}::uuid, ${workspaceId}::uuid) AS p`,
      ),
    );
    return actorFromPrincipal(row!.p, {
      channel: 'api',
      requestId: null,
      ...(keyScopes ? { keyScopes } : {}),
    });
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-exports-'));
    t = await createTestApp({
      SEN_DATA_DIR: dataDir,
      SEN_EXPORT_PAGE_ROWS: String(PAGE),
      SEN_EXPORT_SYNC_MAX_ROWS: String(SYNC_MAX),
    });
    const s = await setupAdmin(t.app);
    admin = s.admin;
    adminId = s.session.user.id;
    workspaceId = s.session.workspace.id;
    hoa = await addMember(t.app, admin, 'sales', 'Vũ Thị Hoa');
    lam = await addMember(t.app, admin, 'sales', 'Đặng Văn Lâm');
    const field = await admin.post('/api/v1/custom-fields', {
      object: 'contacts',
      key: 'diem',
      label: 'Điểm',
      type: 'number',
    });
    if (field.status !== 201) throw new Error(JSON.stringify(field.body));
    // N rows of the admin's, half of them born on the same day (ties in a nullable sort).
    for (let i = 1; i <= N; i++) {
      const n = String(i).padStart(2, '0');
      ids[`k${n}`] = await create(admin, 'contacts', {
        fullName: `Nguyễn Văn Khách ${n}`,
        ...(i % 2 === 0 ? { birthday: '1990-05-17' } : {}),
        ...(i % 3 === 0 ? { birthday: '1985-02-03' } : {}),
        custom: { diem: i * 10 },
        tags: i === 1 ? ['vip'] : [],
      });
    }
    ids.formula = await create(admin, 'contacts', {
      fullName: 'Trần Thị Công Thức',
      source: '=HYPERLINK("http://evil")',
      tags: ['@cmd', '+1'],
    });
    ids.hoaCo = await create(hoa.client, 'companies', { name: 'Công ty TNHH Mai Vàng' });
    ids.adminCo = await create(admin, 'companies', { name: 'Công ty CP Sông Hồng' });
    ids.hoa1 = await create(hoa.client, 'contacts', {
      familyName: 'Lê',
      middleName: 'Thị Hồng',
      givenName: 'Nhung',
      phones: [
        { value: '0912 345 678', label: 'Di động', primary: true },
        { value: '024 3825 1234', label: 'Cơ quan' },
      ],
      emails: [{ value: 'nhung@minhphat.vn', label: 'Công ty' }],
      addresses: [{ street: 'Số 12 Phố Huế; tầng 3, phòng \\4', provinceCode: '01' }],
      birthday: '1990-05-17',
      gender: 'female',
      tags: ['vip', 'khách sỉ, miền Bắc'],
    });
    ids.hoa2 = await create(hoa.client, 'contacts', { fullName: 'Phạm Minh Tuấn' });
    ids.lam1 = await create(lam.client, 'contacts', { fullName: 'Bùi Quốc Khánh' });
    for (const [contact, company, extra] of [
      ['hoa1', 'hoaCo', { jobTitle: 'Trưởng phòng mua hàng', isPrimary: true }],
      ['hoa1', 'adminCo', { jobTitle: 'Cố vấn' }],
    ] as const) {
      const res = await admin.post(`/api/v1/contacts/${ids[contact]}/companies`, {
        companyId: ids[company],
        ...extra,
      });
      if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    }
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('streams every row of the view across many pages, in its order, without a cap', async () => {
    // Pages of 4 rows; every contact, once, in the list's order (a nullable sort with ties).
    const list = async (sort: string) => {
      const out: string[] = [];
      let cursor: string | null = null;
      do {
        const res: Reply<{ items: { id: string }[]; nextCursor: string | null }> = await admin.get(
          `/api/v1/contacts?sort=${sort}&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        );
        out.push(...res.body.items.map((r: { id: string }) => r.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      return out;
    };
    for (const sort of ['-birthday', 'displayName']) {
      const res = await raw(admin, `/api/v1/contacts/export?columns=id&sort=${sort}`);
      expect(res.status).toBe(200);
      const rows = csvLines(res.text).slice(1);
      expect(rows).toHaveLength(N + 4);
      expect(new Set(rows).size).toBe(rows.length);
      expect(rows).toEqual(await list(sort));
    }
    // The filter and q of the view.
    const vip = await raw(
      admin,
      `/api/v1/contacts/export?columns=displayName&filter=${encodeURIComponent(
        JSON.stringify({ field: 'tags', op: 'contains', value: 'vip' }),
      )}`,
    );
    expect(csvLines(vip.text).slice(1).sort()).toEqual([
      'Lê Thị Hồng Nhung',
      'Nguyễn Văn Khách 01',
    ]);
    const q = await raw(admin, '/api/v1/contacts/export?columns=displayName&q=khach%201');
    expect(csvLines(q.text)).toHaveLength(1 + 10);
  });

  it('reads the next page only once the destination took the last one', async () => {
    const actor = await actorOf(adminId);
    let reads = 0;
    const db = Object.create(t.ctx.db, {
      read: {
        value: (...args: Parameters<Database['read']>) => {
          reads++;
          return t.ctx.db.read(...args);
        },
      },
    }) as Database;
    const prepared = await prepareExport(
      { db, config: t.ctx.config },
      actor,
      contactKind,
      { columns: ['id'], sort: 'displayName' },
      'en',
    );
    const before = reads;
    // A destination that takes one chunk and holds on to it until released.
    let release: (() => void) | null = null;
    const chunks: string[] = [];
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        release = done;
      },
    });
    const pages: number[] = [];
    let finished = false;
    const running = prepared
      .writeTo(slow, (rows) => {
        pages.push(rows);
      })
      .finally(() => (finished = true));
    const settle = () => new Promise((r) => setTimeout(r, 30));
    const next = async () => {
      const r = release as (() => void) | null;
      release = null;
      r?.();
      await settle();
    };
    await settle();
    // Page 1 (read before) is written and held: page 2 is not read.
    expect(chunks).toHaveLength(1);
    expect(reads).toBe(before);
    expect(pages).toEqual([]);
    for (let page = 2; page <= 4; page++) {
      await next();
      expect(reads).toBe(before + page - 1);
      expect(chunks).toHaveLength(page);
      expect(pages).toEqual(Array.from({ length: page - 1 }, (_, i) => (i + 1) * PAGE));
    }
    while (!finished) await next();
    expect(await running).toBe(N + 4);
    expect(pages.at(-1)).toBe(N + 4);
    expect(chunks.join('').split('\r\n').filter(Boolean)).toHaveLength(N + 5);
  });

  it('neutralises formulas in CSV and in XLSX, whose numbers and dates are typed', async () => {
    const columns = 'displayName,source,tags,birthday,custom.diem,createdAt';
    const csv = await raw(admin, `/api/v1/contacts/export?columns=${columns}&sort=displayName`);
    const formulaLine = csvLines(csv.text).find((l) => l.startsWith('Trần Thị Công Thức'))!;
    expect(formulaLine).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(formulaLine).toMatch(
      /^Trần Thị Công Thức,"'=HYPERLINK\(""http:\/\/evil""\)","'@cmd, \+1",,,\d{4}-/,
    );

    const res = await raw(
      admin,
      `/api/v1/contacts/export?format=xlsx&columns=${columns}&sort=displayName`,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toMatch(/filename="contacts-\d{8}\.xlsx"/);
    const wb = await xlsxOf(res.bytes);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('Liên hệ');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.rowCount).toBe(1 + N + 4);
    const header = sheet.getRow(1);
    expect(header.values).toEqual([
      undefined,
      'Họ và tên',
      'Nguồn',
      'Nhãn',
      'Ngày sinh',
      'Điểm',
      'Ngày tạo',
    ]);
    expect(header.getCell(1).font?.bold).toBe(true);
    const rows = new Map<string, ExcelJS.Row>();
    sheet.eachRow((row, n) => {
      if (n > 1) rows.set(String(row.getCell(1).value), row);
    });
    const formula = rows.get('Trần Thị Công Thức')!;
    expect(formula.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(formula.getCell(2).value).toBe(`'=HYPERLINK("http://evil")`);
    expect(formula.getCell(3).value).toBe(`'@cmd, +1`);
    const k02 = rows.get('Nguyễn Văn Khách 02')!;
    expect(k02.getCell(4).value).toEqual(new Date(Date.UTC(1990, 4, 17)));
    expect(k02.getCell(4).numFmt).toBe('dd/mm/yyyy');
    expect(k02.getCell(5).value).toBe(20);
    expect(k02.getCell(5).type).toBe(ExcelJS.ValueType.Number);
    // createdAt in the workspace's zone (Asia/Ho_Chi_Minh, UTC+7), as a date-time.
    const created = k02.getCell(6).value as Date;
    expect(created).toBeInstanceOf(Date);
    const record = await admin.get(`/api/v1/contacts/${ids.k02}`);
    const utc = Date.parse(record.body.createdAt);
    expect(Math.abs(created.getTime() - (utc + 7 * 3600_000))).toBeLessThan(1000);
  });

  it('writes contacts as vCard 4.0 cards, and refuses vcf for objects without one', async () => {
    const res = await raw(hoa.client, '/api/v1/contacts/export?format=vcf&sort=displayName');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/vcard; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/filename="contacts-\d{8}\.vcf"/);
    // Folded at 75 octets, CRLF line ends, UTF-8 intact.
    for (const line of res.text.split('\r\n')) {
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    }
    expect(res.text.endsWith('END:VCARD\r\n')).toBe(true);
    const lines = unfold(res.text);
    const cards: string[][] = [];
    for (const line of lines) {
      if (line === 'BEGIN:VCARD') cards.push([]);
      cards.at(-1)!.push(line);
    }
    // Hoa (sales, own scope) exports her two contacts only.
    expect(cards).toHaveLength(2);
    const nhung = cards.find((c) => c.includes('FN:Lê Thị Hồng Nhung'))!;
    expect(nhung).toEqual([
      'BEGIN:VCARD',
      'VERSION:4.0',
      `UID:urn:uuid:${ids.hoa1}`,
      'FN:Lê Thị Hồng Nhung',
      'N:Lê;Nhung;Thị Hồng;;',
      'TEL;VALUE=uri;TYPE=cell;PREF=1:tel:+84912345678',
      'TEL;VALUE=uri;TYPE=work:tel:+842438251234',
      'EMAIL;TYPE=work;PREF=1:nhung@minhphat.vn',
      // Only the company Hoa may see: the admin's company is not in her scope.
      'ORG:Công ty TNHH Mai Vàng',
      'TITLE:Trưởng phòng mua hàng',
      'ADR;PREF=1:;;Số 12 Phố Huế\\; tầng 3\\, phòng \\\\4;;Thành phố Hà Nội;;Việt Nam',
      'BDAY:19900517',
      'GENDER:F',
      'CATEGORIES:vip,khách sỉ\\, miền Bắc',
      expect.stringMatching(/^REV:\d{8}T\d{6}Z$/),
      'END:VCARD',
    ]);
    // The admin sees both companies; the primary one is the ORG.
    const all = unfold((await raw(admin, '/api/v1/contacts/export?format=vcf')).text);
    expect(all.filter((l) => l === 'BEGIN:VCARD')).toHaveLength(N + 4);
    expect(all).toContain('ORG:Công ty TNHH Mai Vàng');
    // A long name is folded inside a character, never through one.
    const long = await create(hoa.client, 'contacts', {
      fullName: `Tôn Nữ ${'Hoàng Thị Ngọc Ánh '.repeat(6).trim()}`,
    });
    const folded = (await raw(hoa.client, '/api/v1/contacts/export?format=vcf')).text;
    expect(folded).toMatch(/\r\n [^\r]/);
    expect(unfold(folded)).toContain(`FN:Tôn Nữ ${'Hoàng Thị Ngọc Ánh '.repeat(6).trim()}`);
    await hoa.client.delete(`/api/v1/contacts/${long}`);

    const refused = await admin.get('/api/v1/companies/export?format=vcf');
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields[0]).toMatchObject({
      path: 'format',
      message: 'Công ty không xuất được ra vCard: chỉ CSV hoặc Excel (XLSX).',
    });
    const objects = await admin.get('/api/v1/objects');
    const formats = Object.fromEntries(
      objects.body.items.map((o: { key: string; exportFormats: string[] }) => [
        o.key,
        o.exportFormats,
      ]),
    );
    expect(formats).toMatchObject({ contacts: ['csv', 'xlsx', 'vcf'], companies: ['csv', 'xlsx'] });
  });

  it('exports only the rows in the caller’s scope and the related records they may see', async () => {
    const columns = 'displayName,companies';
    const csv = await raw(
      hoa.client,
      `/api/v1/contacts/export?columns=${columns}&sort=displayName`,
    );
    expect(csvLines(csv.text)).toEqual([
      'Họ và tên,Công ty',
      'Lê Thị Hồng Nhung,Công ty TNHH Mai Vàng',
      'Phạm Minh Tuấn,',
    ]);
    const xlsx = await xlsxOf(
      (await raw(hoa.client, `/api/v1/contacts/export?format=xlsx&columns=${columns}`)).bytes,
    );
    const names: unknown[] = [];
    xlsx.worksheets[0]!.eachRow((row) => names.push(row.getCell(1).value));
    expect(names.slice(1).sort()).toEqual(['Lê Thị Hồng Nhung', 'Phạm Minh Tuấn']);
    // The admin sees both of Nhung's companies.
    const all = await raw(admin, `/api/v1/contacts/export?columns=${columns}&q=nhung`);
    expect(csvLines(all.text)[1]).toBe(
      'Lê Thị Hồng Nhung,"Công ty TNHH Mai Vàng, Công ty CP Sông Hồng"',
    );
    // A key without companies:read exports no company at all.
    const key = await addApiKey(admin, 'export only', ['contacts:read', 'contacts:export']);
    const viaKey = await raw(key.client, `/api/v1/contacts/export?columns=${columns}&q=nhung`);
    expect(viaKey.status).toBe(200);
    expect(csvLines(viaKey.text)[1]).toBe('Lê Thị Hồng Nhung,');
    const vcf = unfold((await raw(key.client, '/api/v1/contacts/export?format=vcf&q=nhung')).text);
    expect(vcf.some((l) => l.startsWith('ORG'))).toBe(false);
    // A filter-only field is no column; a role without export gets nothing.
    expect((await admin.get('/api/v1/contacts/export?columns=displayName,company')).status).toBe(
      400,
    );
    const viewer = await addMember(t.app, admin, 'viewer', 'Ngô Thị Xem');
    expect((await viewer.client.get('/api/v1/contacts/export?format=xlsx')).status).toBe(403);
    expect((await viewer.client.post('/api/v1/contacts/exports', { format: 'csv' })).status).toBe(
      403,
    );
  });

  it('answers a small view with its download address, a large one with a job', async () => {
    const small = await admin.post('/api/v1/contacts/exports', {
      format: 'xlsx',
      filter: { field: 'tags', op: 'contains', value: 'vip' },
      sort: 'displayName',
      columns: ['displayName', 'tags'],
    });
    expect(small.status).toBe(200);
    expect(small.body).toMatchObject({ mode: 'direct', total: 2 });
    const direct = await raw(admin, small.body.url);
    expect(direct.status).toBe(200);
    const wb = await xlsxOf(direct.bytes);
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(3);
    // Sorted by name the Vietnamese way (given name first): Khách before Nhung.
    expect([sheet.getRow(2).values, sheet.getRow(3).values]).toEqual([
      [undefined, 'Nguyễn Văn Khách 01', 'vip'],
      [undefined, 'Lê Thị Hồng Nhung', 'vip, khách sỉ, miền Bắc'],
    ]);
    // Parameters are checked before either answer.
    const bad = await admin.post('/api/v1/contacts/exports', { format: 'csv', sort: 'nope' });
    expect(bad.status).toBe(400);
    expect((await admin.post('/api/v1/companies/exports', { format: 'vcf' })).status).toBe(400);

    const big = await admin.post('/api/v1/contacts/exports', {
      format: 'csv',
      sort: 'displayName',
      columns: ['displayName', 'custom.diem'],
    });
    expect(big.status).toBe(201);
    expect(big.body).toMatchObject({
      mode: 'job',
      total: N + 4,
      job: { status: 'queued', rowsDone: 0, totalRows: N + 4, downloadUrl: null, format: 'csv' },
    });
    const id = big.body.job.id as string;
    expect((await admin.get(`/api/v1/exports/${id}`)).body.status).toBe('queued');
    expect((await admin.get(`/api/v1/exports/${id}/download`)).status).toBe(409);
    await runExport(t.ctx.db, t.ctx, { exportId: id, workspaceId });
    const done = await admin.get(`/api/v1/exports/${id}`);
    expect(done.body).toMatchObject({
      status: 'done',
      rowsDone: N + 4,
      downloadUrl: `/api/v1/exports/${id}/download`,
    });
    expect(Date.parse(done.body.expiresAt) - Date.parse(done.body.finishedAt)).toBe(24 * 3600_000);
    const file = await raw(admin, done.body.downloadUrl);
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/filename="contacts-\d{8}\.csv"/);
    expect(Number(file.headers['content-length'])).toBe(done.body.sizeBytes);
    // The same bytes as the streamed export of the same view.
    const same = await raw(
      admin,
      '/api/v1/contacts/export?sort=displayName&columns=displayName,custom.diem',
    );
    expect(file.text).toBe(same.text);
    expect(fs.readdirSync(path.join(dataDir, 'exports', workspaceId))).toEqual([id]);

    // Only its creator downloads it, or sees its progress.
    const other = await raw(lam.client, `/api/v1/exports/${id}/download`);
    expect(other.status).toBe(403);
    expect((await lam.client.get(`/api/v1/exports/${id}`)).status).toBe(403);
    expect((await admin.get('/api/v1/exports/01900000-0000-7000-8000-000000000000')).status).toBe(
      404,
    );
  });

  it('restarts a job from scratch after a crash, removing its temp file', async () => {
    const started = await admin.post('/api/v1/contacts/exports', {
      format: 'xlsx',
      sort: '-birthday',
      columns: ['displayName', 'birthday'],
    });
    const id = started.body.job.id as string;
    const dir = path.join(dataDir, 'exports', workspaceId);
    // A run that dies on its third page leaves the export running and no temp file behind.
    let reads = 0;
    const failing: Database = Object.create(t.ctx.db, {
      read: {
        value: <T>(...args: Parameters<Database['read']>) => {
          if (++reads === 5) throw new Error('connection lost');
          return t.ctx.db.read(...args) as Promise<T>;
        },
      },
    }) as Database;
    await expect(runExport(failing, t.ctx, { exportId: id, workspaceId })).rejects.toThrow(
      'connection lost',
    );
    expect((await admin.get(`/api/v1/exports/${id}`)).body.status).toBe('running');
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(id))).toEqual([]);
    // A crash's leftover temp file is removed by the next run.
    fs.writeFileSync(path.join(dir, `${id}.part`), 'half a file');
    await runExport(t.ctx.db, t.ctx, { exportId: id, workspaceId });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(id))).toEqual([id]);
    const done = await admin.get(`/api/v1/exports/${id}`);
    expect(done.body).toMatchObject({ status: 'done', rowsDone: N + 4 });
    const wb = await xlsxOf((await raw(admin, done.body.downloadUrl)).bytes);
    expect(wb.worksheets[0]!.rowCount).toBe(1 + N + 4);
    // Run again (a duplicate job): nothing happens to a finished export.
    await runExport(t.ctx.db, t.ctx, { exportId: id, workspaceId });
    expect((await admin.get(`/api/v1/exports/${id}`)).body.finishedAt).toBe(done.body.finishedAt);
  });

  it('a download link expires after 24 hours: 410, then the sweep removes the file', async () => {
    const started = await admin.post('/api/v1/contacts/exports', { format: 'vcf' });
    const id = started.body.job.id as string;
    await runExport(t.ctx.db, t.ctx, { exportId: id, workspaceId });
    const file = path.join(dataDir, 'exports', workspaceId, id);
    expect(fs.existsSync(file)).toBe(true);
    expect((await raw(admin, `/api/v1/exports/${id}/download`)).status).toBe(200);
    await t.ctx.db.system((tx) =>
      tx.execute(sql`UPDATE exports SET expires_at = now() - interval '1 minute' WHERE id = ${id}`),
    );
    const gone = await raw(admin, `/api/v1/exports/${id}/download`);
    expect(gone.status).toBe(410);
    // In the member's language (the admin's is Vietnamese).
    expect(JSON.parse(gone.text).error).toMatchObject({
      code: 'GONE',
      message: 'Liên kết tải đã hết hạn: tệp xuất chỉ được giữ 24 giờ. Hãy xuất lại.',
    });
    expect((await admin.get(`/api/v1/exports/${id}`)).body.downloadUrl).toBeNull();

    // An orphan file (no export owns it) older than the grace period goes too.
    const orphan = path.join(
      dataDir,
      'exports',
      workspaceId,
      '01900000-0000-7000-8000-00000000beef',
    );
    fs.writeFileSync(orphan, 'x');
    const swept = await sweepExports(t.ctx.db, dataDir, { graceMs: -60_000 });
    expect(swept).toMatchObject({ expired: 1, filesRemoved: 1 });
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(orphan)).toBe(false);
    // Files of done exports stay.
    expect(fs.readdirSync(path.join(dataDir, 'exports', workspaceId)).length).toBeGreaterThan(0);
    expect((await admin.get(`/api/v1/exports/${id}`)).body.status).toBe('expired');
    expect((await raw(admin, `/api/v1/exports/${id}/download`)).status).toBe(410);
    // Rows go 30 days after their export was made.
    await t.ctx.db.system((tx) =>
      tx.execute(sql`UPDATE exports SET created_at = now() - interval '31 days' WHERE id = ${id}`),
    );
    expect((await sweepExports(t.ctx.db, dataDir)).rowsDeleted).toBe(1);
    expect((await admin.get(`/api/v1/exports/${id}`)).status).toBe(404);
  });
});
