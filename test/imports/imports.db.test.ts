import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../src/modules/imports/run.js';
import { undoImport } from '../../src/modules/imports/undo.js';
import type { Database } from '../../src/db/database.js';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Imports (#18) through the real HTTP stack on both backends: upload and analysis, suggested
 * mapping, preview, the run (the job's handler called directly: the test app has no job
 * runner), the report and error file, duplicates, undo, resuming after a crash.
 */
describe('imports', () => {
  let t: TestApp;
  let admin: Client;
  let sales: Client;
  let dataDir: string;
  const MAX = 64 * 1024;

  async function upload(client: Client, url: string, fileName: string, content: Buffer) {
    const boundary = `----senTest${Math.random().toString(16).slice(2)}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
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
        'accept-language': 'en',
      },
    });
    return { status: res.statusCode, body: res.json() };
  }

  const run = (id: string, db: Database = t.ctx.db, batchRows?: number) =>
    runImport(db, t.ctx, { importId: id, workspaceId: workspaceId }, batchRows);
  let workspaceId: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-imports-'));
    t = await createTestApp({ SEN_DATA_DIR: dataDir, SEN_IMPORT_MAX_BYTES: String(MAX) });
    admin = (await setupAdmin(t.app)).admin;
    sales = (await addMember(t.app, admin, 'sales')).client;
    const me = await admin.get('/api/v1/auth/session');
    workspaceId = me.body.workspace.id;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const CSV = [
    'Họ và tên,SĐT,Email,Công ty,Chức danh,Địa chỉ,Ngày sinh,Ghi chú lạ',
    'Nguyễn Thị Hồng Nhung,0912 345 678,nhung@example.vn,Công ty TNHH Minh Phát,Trưởng phòng mua hàng,"Số 12 Phố Huế, Hoàn Kiếm, Hà Nội",17/05/1990,x',
    'Trần Văn Đức,0987.654.321,duc@example.vn,Công ty TNHH Minh Phát,Kế toán,Quận 1 TP HCM,1985-02-03,',
    'Lê Văn Sai Số,12345,sai@example.vn,,,,,',
    'Phạm Thị Ngày Sai,0901234567,ngay@example.vn,,,,31/02/1990,',
    'Đức Trùng Số,0987654321,other@example.vn,,,,,',
    'Khách Cũ,0933333333,old@example.vn,,,,,',
    '=HYPERLINK("http://evil"),0944444444,,,,,,',
  ].join('\r\n');

  it('analyses a CSV: header, rows, suggested mapping from Vietnamese headers', async () => {
    const up = await upload(admin, '/api/v1/contacts/imports', 'khách hàng.csv', Buffer.from(CSV));
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({
      status: 'analyzed',
      format: 'csv',
      encoding: 'utf8',
      delimiter: ',',
      fileName: 'khách hàng.csv',
      totalRows: 7,
      headers: [
        'Họ và tên',
        'SĐT',
        'Email',
        'Công ty',
        'Chức danh',
        'Địa chỉ',
        'Ngày sinh',
        'Ghi chú lạ',
      ],
    });
    expect(up.body.mapping).toEqual([
      'fullName',
      'phones',
      'emails',
      'company',
      'jobTitle',
      'address',
      'birthday',
      null,
    ]);
    // The file is stored under its import's id, never under the uploaded name.
    const files = fs.readdirSync(path.join(dataDir, 'imports', workspaceId));
    expect(files).toEqual([up.body.id]);
  });

  it('previews, runs, reports and undoes an import (duplicates skipped, bad rows reported)', async () => {
    const existing = await admin.post('/api/v1/contacts', {
      fullName: 'Khách Cũ',
      emails: [{ value: 'old@example.vn' }],
    });
    expect(existing.status).toBe(201);
    const up = await upload(admin, '/api/v1/contacts/imports', 'list.csv', Buffer.from(CSV));
    const id = up.body.id as string;
    const plan = { mapping: up.body.mapping, options: { duplicates: 'skip' } };

    const preview = await admin.post(`/api/v1/imports/${id}/preview`, plan);
    expect(preview.status).toBe(200);
    expect(preview.body.rows.map((r: { outcome: string }) => r.outcome)).toEqual([
      'created',
      'created',
      'failed',
      'failed',
      'skipped',
      'skipped',
      'created',
    ]);
    const first = preview.body.rows[0].record;
    expect(first).toMatchObject({
      familyName: 'Nguyễn',
      middleName: 'Thị Hồng',
      givenName: 'Nhung',
      primaryPhone: '+84912345678',
      birthday: '1990-05-17',
    });
    expect(first.companies).toMatchObject([
      { name: 'Công ty TNHH Minh Phát', jobTitle: 'Trưởng phòng mua hàng', isPrimary: true },
    ]);
    expect(first.addresses[0]).toMatchObject({ provinceCode: '01', street: 'Số 12 Phố Huế' });
    // Nothing was kept by the preview.
    const before = await admin.get('/api/v1/contacts/count');
    expect(before.body.count).toBe(1);

    const started = await admin.post(`/api/v1/imports/${id}/start`, {
      ...plan,
      template: 'Danh sách phòng kinh doanh',
    });
    expect(started.status).toBe(202);
    expect(started.body.status).toBe('queued');
    await run(id);
    const done = await admin.get(`/api/v1/imports/${id}`);
    expect(done.body).toMatchObject({
      status: 'done',
      rowsDone: 7,
      created: 3,
      updated: 0,
      skipped: 2,
      failed: 2,
      canUndo: true,
    });
    const count = await admin.get('/api/v1/contacts/count');
    expect(count.body.count).toBe(4);
    // One company for both rows that name it.
    const companies = await admin.get('/api/v1/companies?q=minh phat');
    expect(companies.body.items).toHaveLength(1);
    // A formula is stored as the text it is.
    const formula = await admin.get(`/api/v1/contacts?q=${encodeURIComponent('0944444444')}`);
    expect(formula.body.items[0].displayName).toBe('=HYPERLINK("http://evil")');
    // The file is gone once the import finished.
    expect(fs.existsSync(path.join(dataDir, 'imports', workspaceId, id))).toBe(false);

    // The error file: the failed and skipped rows, original cells, reasons in the caller's language.
    admin.language = 'vi';
    const errors = await admin.get(`/api/v1/imports/${id}/errors`);
    admin.language = 'en';
    expect(errors.status).toBe(200);
    const lines = (errors.body as string)
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'Dòng,Họ và tên,SĐT,Email,Công ty,Chức danh,Địa chỉ,Ngày sinh,Ghi chú lạ,Lý do',
    );
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^4,Lê Văn Sai Số,12345,/);
    expect(lines[1]).toMatch(/SĐT: /);
    expect(lines[2]).toMatch(/^5,.*Ngày sinh: /);
    expect(lines[3]).toMatch(/^6,Đức Trùng Số,.*Trùng với ""Trần Văn Đức"" \(SĐT: 0987654321\)/);
    expect(lines[4]).toMatch(/^7,Khách Cũ,.*Trùng với ""Khách Cũ"" \(Email: old@example.vn\)/);

    // The mapping was saved as a template and is applied to the next file with these headers.
    const again = await upload(admin, '/api/v1/contacts/imports', 'again.csv', Buffer.from(CSV));
    expect(again.body.mapping).toEqual(plan.mapping);

    const undo = await admin.post(`/api/v1/imports/${id}/undo`);
    expect(undo.status).toBe(202);
    await undoImport(t.ctx.db, { importId: id, workspaceId });
    const undone = await admin.get(`/api/v1/imports/${id}`);
    expect(undone.body).toMatchObject({ status: 'undone', canUndo: false });
    const after = await admin.get('/api/v1/contacts/count');
    expect(after.body.count).toBe(1);
  });

  it('updates duplicates when asked, and the undo gives back their previous values', async () => {
    const c = await admin.post('/api/v1/contacts', {
      fullName: 'Hoàng Văn Cập Nhật',
      emails: [{ value: 'capnhat@example.vn' }],
      source: 'Hội chợ',
    });
    const csv =
      'Email,Nguồn,Họ và tên\ncapnhat@example.vn,Website,Hoàng Văn Cập Nhật\nmoi@example.vn,Zalo,Người Mới\n';
    const up = await upload(admin, '/api/v1/contacts/imports', 'update.csv', Buffer.from(csv));
    expect(up.body.mapping).toEqual(['emails', 'source', 'fullName']);
    const start = await admin.post(`/api/v1/imports/${up.body.id}/start`, {
      mapping: up.body.mapping,
      options: { duplicates: 'update', matchKeys: ['emails'] },
    });
    expect(start.status).toBe(202);
    await run(up.body.id);
    const done = await admin.get(`/api/v1/imports/${up.body.id}`);
    expect(done.body).toMatchObject({ created: 1, updated: 1, skipped: 0, failed: 0 });
    expect((await admin.get(`/api/v1/contacts/${c.body.id}`)).body.source).toBe('Website');
    await admin.post(`/api/v1/imports/${up.body.id}/undo`);
    await undoImport(t.ctx.db, { importId: up.body.id, workspaceId });
    const restored = await admin.get(`/api/v1/contacts/${c.body.id}`);
    expect(restored.body.source).toBe('Hội chợ');
    const gone = await admin.get(`/api/v1/contacts?q=${encodeURIComponent('moi@example.vn')}`);
    expect(gone.body.items).toHaveLength(0);
    // The timeline says what the import and its undo changed, in field names.
    const audit = await admin.get(`/api/v1/contacts/${c.body.id}/timeline`);
    expect(audit.status).toBe(200);
  });

  it('reads Windows-1258 and TCVN3 files and refuses mixed encodings, empty and header-only files', async () => {
    const cp1258 = [...'Họ và tên;Điện thoại\nTrần Thị Thuỷ;0911111111\n']
      .map((ch) => {
        const d = ch.normalize('NFD');
        const tones = d.match(/[\u0300\u0301\u0303\u0309\u0323]/g) ?? [];
        return d.replace(/[\u0300\u0301\u0303\u0309\u0323]/g, '').normalize('NFC') + tones.join('');
      })
      .join('');
    const win = await upload(
      admin,
      '/api/v1/contacts/imports',
      'cu.csv',
      iconv.encode(cp1258, 'windows1258'),
    );
    expect(win.status).toBe(201);
    expect(win.body).toMatchObject({ encoding: 'windows1258', delimiter: ';' });
    expect(win.body.sample[0][0]).toBe('Trần Thị Thuỷ');
    const tcvn = await upload(
      admin,
      '/api/v1/contacts/imports',
      'abc.csv',
      iconv.encode('Họ và tên,Điện thoại\nNguyễn Văn Bình,0922222222\n', 'tcvn'),
    );
    expect(tcvn.body).toMatchObject({ encoding: 'tcvn' });
    expect(tcvn.body.sample[0][0]).toBe('Nguyễn Văn Bình');

    const mixed = Buffer.concat([
      Buffer.from('Họ và tên,Điện thoại\nNguyễn Văn A,0911\n'),
      iconv.encode('Trần Thị Bình,0922\n', 'tcvn'),
    ]);
    const refused = await upload(admin, '/api/v1/contacts/imports', 'mixed.csv', mixed);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields[0].reason).toBe('encoding_mixed');
    expect(refused.body.error.message).toMatch(/CSV UTF-8/);
    const empty = await upload(admin, '/api/v1/contacts/imports', 'empty.csv', Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.fields[0].reason).toBe('empty');
    const headerOnly = await upload(
      admin,
      '/api/v1/contacts/imports',
      'h.csv',
      Buffer.from('Họ và tên,Email\n'),
    );
    expect(headerOnly.status).toBe(400);
    expect(headerOnly.body.error.details.fields[0].reason).toBe('no_rows');
    const big = await upload(
      admin,
      '/api/v1/contacts/imports',
      'big.csv',
      Buffer.alloc(MAX + 10, 65),
    );
    expect(big.status).toBe(413);
    const unclosed = await upload(
      admin,
      '/api/v1/contacts/imports',
      'q.csv',
      Buffer.from('a,b\n1,"open\n2,3\n'),
    );
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.error.details.fields[0].reason).toBe('csv');
    // Nothing of the refused uploads stays on disk.
    const left = fs.readdirSync(path.join(dataDir, 'imports', workspaceId));
    expect(left.filter((f) => f.startsWith('.upload'))).toEqual([]);
  });

  it('imports a vCard file from Android (2.1, quoted-printable Vietnamese names) end to end', async () => {
    const file = fs.readFileSync(path.join(__dirname, 'fixtures', 'android-2.1.vcf'));
    const up = await upload(admin, '/api/v1/contacts/imports', 'danh bạ.vcf', file);
    expect(up.status).toBe(201);
    expect(up.body.format).toBe('vcard');
    const mapping = up.body.mapping as (string | null)[];
    const at = (h: string) => mapping[(up.body.headers as string[]).indexOf(h)];
    expect(at('Họ và tên')).toBe('fullName');
    expect(at('Điện thoại 1')).toBe('phones');
    expect(at('Điện thoại 2')).toBe('phones');
    expect(at('Email 1')).toBe('emails');
    expect(at('Công ty')).toBe('company');
    expect(at('Chức danh')).toBe('jobTitle');
    expect(at('Ngày sinh')).toBe('birthday');
    await admin.post(`/api/v1/imports/${up.body.id}/start`, {
      mapping,
      options: { duplicates: 'skip' },
    });
    await run(up.body.id);
    const done = await admin.get(`/api/v1/imports/${up.body.id}`);
    expect(done.body.status).toBe('done');
    expect(done.body.created + done.body.updated + done.body.skipped + done.body.failed).toBe(
      done.body.totalRows,
    );
    const hoa = await admin.get(`/api/v1/contacts?q=${encodeURIComponent('hoa.nguyen@gmail.com')}`);
    expect(hoa.body.items[0]).toMatchObject({
      displayName: 'Nguyễn Thị Hoa',
      primaryPhone: '+84912345678',
      birthday: '1985-03-12',
    });
    expect(hoa.body.items[0].companies[0]).toMatchObject({
      name: 'Cửa hàng Hoa Sen',
      jobTitle: 'Chủ cửa hàng',
    });
  });

  it('imports the table of a Word document', async () => {
    const { zipEntries } = await import('../support/zip.js');
    const cell = (t: string) => `<w:tc><w:p><w:r><w:t>${t}</w:t></w:r></w:p></w:tc>`;
    const row = (cells: string[]) => `<w:tr>${cells.map(cell).join('')}</w:tr>`;
    const body =
      '<w:p><w:r><w:t>Danh sách khách hàng</w:t></w:r></w:p><w:tbl>' +
      row(['STT', 'Họ và tên', 'Số điện thoại']) +
      row(['1', 'Võ Thị Word', '0977 111 222']) +
      row(['2', 'Đặng Văn Bảng', '0977 333 444']) +
      '</w:tbl>';
    const doc = zipEntries({
      '[Content_Types].xml':
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      '_rels/.rels':
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      'word/document.xml': `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
    });
    const up = await upload(admin, '/api/v1/contacts/imports', 'khach.docx', doc);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ format: 'docx', totalRows: 2, sheet: 'Bảng 1' });
    expect(up.body.mapping).toEqual([null, 'fullName', 'phones']);
    await admin.post(`/api/v1/imports/${up.body.id}/start`, {
      mapping: up.body.mapping,
      options: { duplicates: 'skip' },
    });
    await run(up.body.id);
    expect((await admin.get(`/api/v1/imports/${up.body.id}`)).body.created).toBe(2);
  });

  it('needs the import permission on the object, checked before anything is written', async () => {
    const refused = await upload(sales, '/api/v1/contacts/imports', 'x.csv', Buffer.from(CSV));
    expect(refused.status).toBe(403);
    const up = await upload(admin, '/api/v1/contacts/imports', 'x.csv', Buffer.from(CSV));
    expect((await sales.get(`/api/v1/imports/${up.body.id}`)).status).toBe(403);
    expect(
      (
        await sales.post(`/api/v1/imports/${up.body.id}/start`, {
          mapping: up.body.mapping,
          options: {},
        })
      ).status,
    ).toBe(403);
    const bad = await admin.post(`/api/v1/imports/${up.body.id}/start`, {
      mapping: ['nope', null],
      options: {},
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].path).toBe('mapping.0');
  });

  it('resumes after a crash in the middle: no row twice, none lost, counts add up', async () => {
    const rows = ['Họ và tên,Email'];
    for (let i = 1; i <= 123; i++) rows.push(`Khách Số ${i},khach${i}@resume.vn`);
    const up = await upload(
      admin,
      '/api/v1/contacts/imports',
      'big.csv',
      Buffer.from(rows.join('\n')),
    );
    expect(up.body.totalRows).toBe(123);
    await admin.post(`/api/v1/imports/${up.body.id}/start`, {
      mapping: up.body.mapping,
      options: { duplicates: 'skip' },
    });
    // The database "crashes" on the third batch's transaction.
    let tenants = 0;
    const crashing: Database = Object.create(t.ctx.db, {
      tenant: {
        value: (ctx: never, fn: never) => {
          tenants++;
          if (tenants === 5) throw new Error('simulated crash');
          return t.ctx.db.tenant(ctx, fn);
        },
      },
    });
    await expect(run(up.body.id, crashing, 20)).rejects.toThrow('simulated crash');
    const half = await admin.get(`/api/v1/imports/${up.body.id}`);
    expect(half.body.status).toBe('running');
    expect(half.body.rowsDone).toBe(40);
    await run(up.body.id, t.ctx.db, 20);
    const done = await admin.get(`/api/v1/imports/${up.body.id}`);
    expect(done.body).toMatchObject({ status: 'done', rowsDone: 123, created: 123 });
    const n = await admin.get(`/api/v1/contacts/count?q=${encodeURIComponent('resume.vn')}`);
    expect(n.body.count).toBe(123);
  });
});
