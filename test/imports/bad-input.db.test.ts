import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTaxCode } from '../../src/lib/vn/tax-code.js';
import { runImport } from '../../src/modules/imports/run.js';
import { type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Issue #18, "Bad input (each tested)", for imports through the real HTTP stack on both
 * backends: a file over the limit, duplicate header names, ragged rows, invalid phones and tax
 * codes in 5 % of rows, the same person twice in one file, formula-like cells, an XLSX with
 * merged cells and a formula, a column mapped to a field that cannot be written. Each import's
 * counts add up to its rows, and each failed or skipped row is in the error file with its
 * reason. (Encodings, empty and header-only files, vCard: imports.db.test.ts.)
 */
describe('imports: bad input', () => {
  let t: TestApp;
  let admin: Client;
  let dataDir: string;
  let workspaceId: string;
  const MAX = 64 * 1024;

  async function upload(client: Client, object: string, fileName: string, content: Buffer) {
    const boundary = `----senTest${Math.random().toString(16).slice(2)}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/${object}/imports`,
      payload,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        cookie: `sen_session=${client.cookie}`,
        'x-csrf-token': client.csrf ?? '',
        'accept-language': 'vi',
      },
    });
    return { status: res.statusCode, body: res.json(), headers: res.headers };
  }

  type Done = {
    status: string;
    totalRows: number;
    rowsDone: number;
    created: number;
    updated: number;
    skipped: number;
    failed: number;
  };

  /** Start an analysed import with this plan, run its job, and read its report. */
  async function startAndRun(
    id: string,
    mapping: (string | null)[],
    options: Record<string, unknown> = { duplicates: 'skip' },
  ): Promise<Done> {
    const started = await admin.post(`/api/v1/imports/${id}/start`, { mapping, options });
    expect(started.status).toBe(202);
    await runImport(t.ctx.db, t.ctx, { importId: id, workspaceId });
    const done = (await admin.get(`/api/v1/imports/${id}`)).body as Done;
    expect(done.status).toBe('done');
    // Counts add up, always.
    expect(done.rowsDone).toBe(done.totalRows);
    expect(done.created + done.updated + done.skipped + done.failed).toBe(done.totalRows);
    return done;
  }

  /** A signed-in member's language is their own (PATCH /me), not the request's header. */
  async function inLanguage<T>(locale: 'vi' | 'en', fn: () => Promise<T>): Promise<T> {
    expect((await admin.patch('/api/v1/me', { locale })).status).toBe(200);
    try {
      return await fn();
    } finally {
      expect((await admin.patch('/api/v1/me', { locale: 'vi' })).status).toBe(200);
    }
  }

  /** The error file as records (BOM stripped), in the given language. */
  async function errorRows(id: string, language: 'vi' | 'en' = 'vi'): Promise<string[][]> {
    const res = await inLanguage(language, () => admin.get(`/api/v1/imports/${id}/errors`));
    expect(res.status).toBe(200);
    const text = String(res.body);
    expect(text.startsWith('\ufeff')).toBe(true);
    return parseCsv(text.slice(1), { relax_column_count: true }) as string[][];
  }

  const importFiles = () => {
    const dir = path.join(dataDir, 'imports', workspaceId);
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-bad-imports-'));
    t = await createTestApp({ SEN_DATA_DIR: dataDir, SEN_IMPORT_MAX_BYTES: String(MAX) });
    admin = (await setupAdmin(t.app)).admin;
    workspaceId = (await admin.get('/api/v1/auth/session')).body.workspace.id;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a file over the size limit with 413, in both languages, and keeps nothing', async () => {
    const before = (await admin.get('/api/v1/contacts/imports')).body.items.length;
    const filesBefore = importFiles();
    // A well-formed CSV of exactly the limit is accepted; one byte more is refused.
    const header = 'Họ và tên,Email\n';
    const line = (i: number) => `Khách Giới Hạn ${i},gioihan${i}@example.vn\n`;
    let csv = header;
    for (let i = 1; Buffer.byteLength(csv + line(i)) <= MAX; i++) csv += line(i);
    const pad = MAX - Buffer.byteLength(csv);
    const exact = Buffer.from(csv + 'x'.repeat(pad));
    expect(exact.length).toBe(MAX);
    const accepted = await upload(admin, 'contacts', 'vua-du.csv', exact);
    expect(accepted.status).toBe(201);
    expect(accepted.body.sizeBytes).toBe(MAX);

    for (const [language, message] of [
      ['vi', /64 KB/],
      ['en', /64 KB/],
    ] as const) {
      const over = await inLanguage(language, () =>
        upload(admin, 'contacts', 'qua-lon.csv', Buffer.concat([exact, Buffer.from('y')])),
      );
      expect(over.status).toBe(413);
      expect(Object.keys(over.body)).toEqual(['error']);
      expect(over.body.error).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        requestId: over.headers['x-request-id'],
      });
      expect(over.body.error.message).toMatch(message);
      if (language === 'vi') expect(over.body.error.message).toMatch(/Tệp/);
      else expect(over.body.error.message).toMatch(/file/);
    }
    // Nothing kept: one import row more (the accepted one), one file more (its own).
    const after = (await admin.get('/api/v1/contacts/imports')).body.items;
    expect(after.length).toBe(before + 1);
    expect(after.map((i: { fileName: string }) => i.fileName)).not.toContain('qua-lon.csv');
    expect(importFiles().sort()).toEqual([...filesBefore, accepted.body.id].sort());
  });

  it('keeps both columns of a duplicate header and imports both values', async () => {
    const csv = [
      'Họ và tên,Email,Email,SĐT',
      'Đỗ Hai Thư,thu.congviec@example.vn,thu.canhan@example.vn,0913 100 001',
      'Vũ Một Thư,mot@example.vn,,0913 100 002',
      'Lý Chỉ Thư Hai,,chithuhai@example.vn,0913 100 003',
    ].join('\n');
    const up = await upload(admin, 'contacts', 'hai-email.csv', Buffer.from(csv));
    expect(up.status).toBe(201);
    expect(up.body.headers).toEqual(['Họ và tên', 'Email', 'Email (2)', 'SĐT']);
    expect(up.body.mapping).toEqual(['fullName', 'emails', 'emails', 'phones']);
    expect(up.body.sample[0]).toEqual([
      'Đỗ Hai Thư',
      'thu.congviec@example.vn',
      'thu.canhan@example.vn',
      '0913 100 001',
    ]);
    const done = await startAndRun(up.body.id, up.body.mapping);
    expect(done).toMatchObject({ created: 3, failed: 0, skipped: 0 });
    const two = await admin.get(`/api/v1/contacts?q=${encodeURIComponent('0913100001')}`);
    expect(two.body.items).toHaveLength(1);
    expect(two.body.items[0].emails.map((e: { value: string }) => e.value)).toEqual([
      'thu.congviec@example.vn',
      'thu.canhan@example.vn',
    ]);
    const second = await admin.get(`/api/v1/contacts?q=${encodeURIComponent('0913100003')}`);
    expect(second.body.items[0].emails.map((e: { value: string }) => e.value)).toEqual([
      'chithuhai@example.vn',
    ]);
  });

  it('imports short rows with their missing cells empty and fails rows longer than the header', async () => {
    // The first rows (the analysis' sample) decide the width: a wider row among them gets
    // columns of its own ("Cột 5"), which may be mapped or left out.
    const early = [
      'Họ và tên,Email,SĐT,Nguồn',
      'Ngắn Một Ô,ngan1@example.vn',
      'Đủ Bốn Ô,du4@example.vn,0914 200 002,Website',
      'Dài Sáu Ô,dai6@example.vn,0914 200 003,Zalo,thừa một,thừa hai',
    ].join('\n');
    const a = await upload(admin, 'contacts', 'le-dau.csv', Buffer.from(early));
    expect(a.status).toBe(201);
    expect(a.body.headers).toEqual(['Họ và tên', 'Email', 'SĐT', 'Nguồn', 'Cột 5', 'Cột 6']);
    expect(a.body.mapping).toEqual(['fullName', 'emails', 'phones', 'source', null, null]);
    const da = await startAndRun(a.body.id, a.body.mapping);
    expect(da).toMatchObject({ created: 3, failed: 0 });
    const short = await admin.get(`/api/v1/contacts?q=${encodeURIComponent('ngan1@example.vn')}`);
    expect(short.body.items[0]).toMatchObject({
      displayName: 'Ngắn Một Ô',
      primaryPhone: null,
      source: null,
      phones: [],
    });

    // Past the sample, a row wider than the header fails, and the error file keeps its extra
    // cells (after the reason, which stays under its own header).
    const rows = ['Họ và tên,Email,SĐT,Nguồn'];
    for (let i = 1; i <= 30; i++) rows.push(`Khách Lệch ${i},lech${i}@example.vn,,Hội chợ`);
    rows.push('Chỉ Có Tên'); // row 31: fewer cells (imported)
    rows.push('Quá Nhiều Ô,nhieu@example.vn,0914 200 099,Hội chợ,ô thừa,"ô, thừa 2"'); // row 32
    rows.push('Cuối Có Dấu Phẩy,phay@example.vn,,Hội chợ,,'); // row 33: empty extras are no data
    const b = await upload(admin, 'contacts', 'le-sau.csv', Buffer.from(rows.join('\n')));
    expect(b.status).toBe(201);
    expect(b.body.headers).toEqual(['Họ và tên', 'Email', 'SĐT', 'Nguồn']);
    expect(b.body.totalRows).toBe(33);
    const db = await startAndRun(b.body.id, b.body.mapping);
    expect(db).toMatchObject({ created: 32, failed: 1, skipped: 0 });
    const onlyName = await admin.get(`/api/v1/contacts?q=${encodeURIComponent('Chỉ Có Tên')}`);
    expect(onlyName.body.items[0]).toMatchObject({ displayName: 'Chỉ Có Tên', emails: [] });
    expect(
      (await admin.get(`/api/v1/contacts?q=${encodeURIComponent('nhieu@example.vn')}`)).body.items,
    ).toHaveLength(0);

    const vi = await errorRows(b.body.id, 'vi');
    expect(vi[0]).toEqual(['Dòng', 'Họ và tên', 'Email', 'SĐT', 'Nguồn', 'Lý do']);
    expect(vi).toHaveLength(2);
    expect(vi[1]).toEqual([
      '33',
      'Quá Nhiều Ô',
      'nhieu@example.vn',
      '0914 200 099',
      'Hội chợ',
      'Dòng có 6 ô, nhiều hơn 4 cột của dòng tiêu đề.',
      'ô thừa',
      'ô, thừa 2',
    ]);
    const en = await errorRows(b.body.id, 'en');
    expect(en[0]!.at(-1)).toBe('Reason');
    expect(en[1]![5]).toBe("The row has 6 cells, more than the header's 4 columns.");
  });

  it('fails exactly the 5 % of rows with a bad tax code or phone, naming the column', async () => {
    // Companies: 100 rows, rows 10, 30, 50, 70, 90 with a wrong check digit.
    const bad = new Set([10, 30, 50, 70, 90]);
    const companies = ['Tên công ty,Mã số thuế,Ngành nghề'];
    let prefix = 31_0000_100;
    for (let i = 1; i <= 100; i++) {
      let code: string | null = null;
      while (!code) code = makeTaxCode(String(prefix++));
      if (bad.has(i)) code = code.slice(0, 9) + String((Number(code[9]) + 1) % 10);
      companies.push(`Công ty TNHH Thử Số ${i},${code},Bán lẻ`);
    }
    const cu = await upload(admin, 'companies', 'cong-ty.csv', Buffer.from(companies.join('\n')));
    expect(cu.status).toBe(201);
    expect(cu.body.mapping).toEqual(['name', 'taxCode', 'industry']);
    const cd = await startAndRun(cu.body.id, cu.body.mapping);
    expect(cd).toMatchObject({ totalRows: 100, created: 95, failed: 5, skipped: 0 });
    const ce = await errorRows(cu.body.id, 'vi');
    expect(ce.slice(1).map((r) => Number(r[0]))).toEqual([11, 31, 51, 71, 91]);
    for (const r of ce.slice(1)) {
      expect(r[1]).toMatch(/^Công ty TNHH Thử Số (10|30|50|70|90)$/);
      expect(r.at(-1)).toMatch(/^Mã số thuế: .*chữ số kiểm tra/i);
    }
    const count = await admin.get(
      `/api/v1/companies/count?q=${encodeURIComponent('Công ty TNHH Thử Số')}`,
    );
    expect(count.body.count).toBe(95);

    // Contacts: 100 rows, rows 5, 25, 45, 65, 85 with a phone that is not one.
    const badPhones = new Map([
      [5, '12345'],
      [25, '0912 34'],
      [45, '09123456789012'],
      [65, 'gọi sau'],
      [85, '0000'],
    ]);
    const contacts = ['Họ và tên,Số điện thoại,Email'];
    for (let i = 1; i <= 100; i++) {
      const phone =
        badPhones.get(i) ?? `0915 ${String(300_000 + i).slice(0, 3)} ${String(i).padStart(3, '0')}`;
      contacts.push(`Khách Năm Phần Trăm ${i},${phone},nam.pt${i}@example.vn`);
    }
    const pu = await upload(admin, 'contacts', 'sdt.csv', Buffer.from(contacts.join('\n')));
    expect(pu.body.mapping).toEqual(['fullName', 'phones', 'emails']);
    const pd = await startAndRun(pu.body.id, pu.body.mapping);
    expect(pd).toMatchObject({ totalRows: 100, created: 95, failed: 5, skipped: 0 });
    const pe = await errorRows(pu.body.id, 'vi');
    expect(pe.slice(1).map((r) => r[2])).toEqual([...badPhones.values()]);
    for (const r of pe.slice(1)) expect(r.at(-1)).toMatch(/^Số điện thoại: \S/);
    const pen = await errorRows(pu.body.id, 'en');
    for (const [i, r] of pen.slice(1).entries()) {
      expect(r.at(-1)).toMatch(/^Số điện thoại: The [a-z ]+/);
      expect(r.at(-1)).not.toBe(pe[i + 1]!.at(-1));
    }
    const n = await admin.get(
      `/api/v1/contacts/count?q=${encodeURIComponent('Khách Năm Phần Trăm')}`,
    );
    expect(n.body.count).toBe(95);
  });

  it('treats the same person twice in one file as a duplicate of the first line', async () => {
    const csv = [
      'Họ và tên,Email,Nguồn',
      'Hai Lần Một,hailan@example.vn,Hội chợ',
      'Người Khác,nguoikhac@example.vn,Hội chợ',
      'Hai Lần Hai,HaiLan@Example.vn,Website',
    ].join('\n');
    const skip = await upload(admin, 'contacts', 'trung-skip.csv', Buffer.from(csv));
    const ds = await startAndRun(skip.body.id, skip.body.mapping, { duplicates: 'skip' });
    expect(ds).toMatchObject({ created: 2, skipped: 1, failed: 0, updated: 0 });
    const found = await admin.get(`/api/v1/contacts?q=${encodeURIComponent('hailan@example.vn')}`);
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({ displayName: 'Hai Lần Một', source: 'Hội chợ' });
    const errors = await errorRows(skip.body.id, 'vi');
    expect(errors).toHaveLength(2);
    expect(errors[1]![0]).toBe('4');
    expect(errors[1]!.at(-1)).toBe('Trùng với "Hai Lần Một" (Email: HaiLan@Example.vn): bỏ qua.');
    // Clean the first import's contacts away for the second run.
    await admin.post(`/api/v1/imports/${skip.body.id}/undo`);
    const { undoImport } = await import('../../src/modules/imports/undo.js');
    await undoImport(t.ctx.db, { importId: skip.body.id, workspaceId });

    const update = await upload(admin, 'contacts', 'trung-update.csv', Buffer.from(csv));
    const du = await startAndRun(update.body.id, update.body.mapping, { duplicates: 'update' });
    expect(du).toMatchObject({ created: 2, updated: 1, skipped: 0, failed: 0 });
    const one = await admin.get(`/api/v1/contacts?q=${encodeURIComponent('hailan@example.vn')}`);
    expect(one.body.items).toHaveLength(1);
    // The second line updated the record the first one created.
    expect(one.body.items[0]).toMatchObject({ displayName: 'Hai Lần Hai', source: 'Website' });
    expect(await errorRows(update.body.id)).toHaveLength(1);
  });

  it('stores cells starting with = + - @ as text, and the export neutralises them', async () => {
    const rows: [string, string][] = [
      ['Công Thức Bằng', '=HYPERLINK("http://evil.example","Bấm vào")'],
      ['Công Thức Cộng', '+1+2'],
      ['Công Thức Trừ', '-2+3'],
      ['Công Thức A Còng', '@SUM(1,2)'],
    ];
    const csv = [
      'Họ và tên,SĐT,Nguồn',
      ...rows.map(
        ([name, source], i) => `${name},+84 916 400 00${i},"${source.replaceAll('"', '""')}"`,
      ),
    ].join('\r\n');
    const up = await upload(admin, 'contacts', 'cong-thuc.csv', Buffer.from(csv));
    expect(up.body.mapping).toEqual(['fullName', 'phones', 'source']);
    expect(await startAndRun(up.body.id, up.body.mapping)).toMatchObject({ created: 4 });
    const ids: string[] = [];
    for (const [i, [name, source]] of rows.entries()) {
      const found = await admin.get(`/api/v1/contacts?q=${encodeURIComponent(name)}`);
      expect(found.body.items[0]).toMatchObject({
        displayName: name,
        source,
        primaryPhone: `+8491640000${i}`,
      });
      ids.push(found.body.items[0].id);
    }
    const res = await admin.get(
      `/api/v1/contacts/export?columns=displayName,source&q=${encodeURIComponent('Công Thức')}&sort=displayName`,
    );
    expect(res.status).toBe(200);
    const exported = parseCsv(String(res.body).replace(/^\ufeff/, '')) as string[][];
    const bySource = new Map(exported.slice(1).map((r) => [r[0], r[1]]));
    for (const [name, source] of rows) expect(bySource.get(name)).toBe(`'${source}`);
    expect(bySource.size).toBe(4);
  });

  it('reads an XLSX with merged cells and formulas: the value in the merge’s first row, formula results', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Khách hàng');
    ws.addRow(['Họ và tên', 'Công ty', 'SĐT', 'Nguồn']);
    ws.addRow(['Gộp Ô Một', 'Công ty TNHH Ô Gộp', '0917 500 001', 'Hội chợ']);
    ws.addRow(['Gộp Ô Hai', null, '0917 500 002', 'Hội chợ']);
    ws.addRow(['Gộp Ô Ba', 'Công ty Riêng', '0917 500 003', null]);
    ws.mergeCells('B2:B3');
    // A formula with its cached result, as Excel saves it.
    ws.getCell('D4').value = { formula: 'CONCATENATE("Web","site")', result: 'Website' };
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const up = await upload(admin, 'contacts', 'gop-o.xlsx', file);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ format: 'xlsx', totalRows: 3, sheet: 'Khách hàng' });
    expect(up.body.mapping).toEqual(['fullName', 'company', 'phones', 'source']);
    expect(up.body.sample).toEqual([
      ['Gộp Ô Một', 'Công ty TNHH Ô Gộp', '0917 500 001', 'Hội chợ'],
      ['Gộp Ô Hai', '', '0917 500 002', 'Hội chợ'],
      ['Gộp Ô Ba', 'Công ty Riêng', '0917 500 003', 'Website'],
    ]);
    expect(await startAndRun(up.body.id, up.body.mapping)).toMatchObject({
      created: 3,
      failed: 0,
    });
    const get = async (phone: string) =>
      (await admin.get(`/api/v1/contacts?q=${phone}`)).body.items[0];
    expect((await get('0917500001')).companies).toMatchObject([{ name: 'Công ty TNHH Ô Gộp' }]);
    // The merged range's other row reads as empty: no company for it.
    expect((await get('0917500002')).companies).toEqual([]);
    const third = await get('0917500003');
    expect(third.source).toBe('Website');
    expect(third.companies).toMatchObject([{ name: 'Công ty Riêng' }]);
  });

  it('offers no read-only field as a target and refuses one in the mapping, naming the column', async () => {
    const fields = (await admin.get('/api/v1/objects/contacts/fields')).body.items as {
      key: string;
      readOnly: boolean;
    }[];
    // A contact's company and job title are read-only as fields (they live on the company
    // link) but are imported through the contacts' own targets, which create that link.
    const readOnly = fields
      .filter((f) => f.readOnly && f.key !== 'company' && f.key !== 'jobTitle')
      .map((f) => f.key);
    expect(readOnly).toEqual(expect.arrayContaining(['createdAt', 'updatedAt', 'createdBy']));
    const csv = 'Họ và tên,Ngày tạo\nChỉ Đọc,2020-01-01\n';
    const up = await upload(admin, 'contacts', 'chi-doc.csv', Buffer.from(csv));
    expect(up.status).toBe(201);
    const targets = (up.body.targets as { key: string }[]).map((x) => x.key);
    for (const key of readOnly) expect(targets).not.toContain(key);
    // "Ngày tạo" is createdAt's label: not suggested.
    expect(up.body.mapping).toEqual(['fullName', null]);

    for (const [language, column] of [
      ['vi', /Cột "Ngày tạo"/],
      ['en', /Column "Ngày tạo"/],
    ] as const) {
      const refused = await inLanguage(language, () =>
        admin.post(`/api/v1/imports/${up.body.id}/start`, {
          mapping: ['fullName', 'createdAt'],
          options: { duplicates: 'skip' },
        }),
      );
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      expect(refused.body.error.details.fields).toHaveLength(1);
      expect(refused.body.error.details.fields[0].path).toBe('mapping.1');
      expect(refused.body.error.details.fields[0].message).toMatch(column);
      expect(refused.body.error.details.fields[0].message).toMatch(
        language === 'vi'
          ? /"Ngày tạo" không nhập được \(chỉ đọc\)/
          : /"Created" cannot be imported \(read-only\)/,
      );
    }
    // Refused before anything started: still analysed, nothing created.
    expect((await admin.get(`/api/v1/imports/${up.body.id}`)).body.status).toBe('analyzed');
    const none = await admin.get(`/api/v1/contacts?q=${encodeURIComponent('Chỉ Đọc')}`);
    expect(none.body.items).toHaveLength(0);
  });
});
