import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/sql.js';
import { buildContact } from '../src/modules/demo/factories.js';
import { sweepAttachments } from '../src/modules/notes/attachments.jobs.js';
import { addMember, type Client, setupAdmin } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

const ATTACHMENT_MAX = 64 * 1024;

describe('notes and attachments', () => {
  let t: TestApp;
  let admin: Client;
  let dataDir: string;
  let ws: { workspaceId: string; userId: string };
  let sales: Awaited<ReturnType<typeof addMember>>;
  let manager: Awaited<ReturnType<typeof addMember>>;
  let adminContact: string;
  let salesContact: string;

  const insertContact = async (displayName: string, ownerId: string) =>
    (await buildContact(t.ctx.db, { workspaceId: ws.workspaceId, ownerId, displayName })).id;

  async function count(table: 'notes' | 'attachments'): Promise<number> {
    const rows = await t.ctx.db.tenant(ws, (tx) =>
      queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`),
    );
    return rows[0]!.n;
  }

  function filesOnDisk(): string[] {
    const dir = path.join(dataDir, 'attachments', ws.workspaceId);
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  }

  /** A multipart/form-data upload of one file through the real HTTP stack. */
  async function upload(
    client: Client,
    url: string,
    fileName: string,
    content: Buffer,
    clientType = 'application/octet-stream',
  ) {
    const boundary = `----senTest${Math.random().toString(16).slice(2)}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${clientType}\r\n\r\n`,
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
        'accept-language': 'en',
      },
    });
    return { status: res.statusCode, body: res.json(), headers: res.headers };
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-notes-'));
    t = await createTestApp({
      SEN_DATA_DIR: dataDir,
      SEN_ATTACHMENT_MAX_BYTES: String(ATTACHMENT_MAX),
      SEN_BODY_LIMIT_BYTES: String(1024 * 1024),
    });
    const setup = await setupAdmin(t.app);
    admin = setup.admin;
    ws = { workspaceId: setup.session.workspace.id, userId: setup.session.user.id };
    sales = await addMember(t.app, admin, 'sales', 'Phạm Văn Bán');
    manager = await addMember(t.app, admin, 'manager', 'Lê Thị Quản');
    adminContact = await insertContact('Nguyễn Thị Hồng Nhung', ws.userId);
    salesContact = await insertContact('Trần Văn Khách', sales.userId);
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('sanitises rich text on write and keeps a plain-text copy', async () => {
    const res = await admin.post(`/api/v1/contacts/${adminContact}/notes`, {
      bodyHtml:
        '<h2 onclick="x()">Cuộc gọi</h2><p style="color:red">Khách <strong>đồng ý</strong> &amp; hẹn gặp<script>alert(1)</script></p>' +
        '<img src=x onerror="alert(1)"><ul><li>Báo giá</li><li><a href="javascript:alert(1)">xấu</a></li>' +
        '<li><a href="https://sen.vn/bao-gia" onmouseover="x()" target="_self">báo giá</a></li></ul>' +
        '<iframe src="https://evil.example"></iframe><a href="mailto:nhung@example.vn">mail</a>',
      pinned: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const html: string = res.body.bodyHtml;
    expect(html).not.toMatch(/script|onerror|onclick|onmouseover|style|javascript:|iframe|<img/i);
    expect(html).toContain('<h2>Cuộc gọi</h2>');
    expect(html).toContain(
      '<a href="https://sen.vn/bao-gia" rel="noopener noreferrer nofollow" target="_blank">báo giá</a>',
    );
    expect(html).toContain('<a href="mailto:nhung@example.vn"');
    expect(res.body.bodyText).toBe('Cuộc gọi\nKhách đồng ý & hẹn gặp\nBáo giá\nxấu\nbáo giá\nmail');
    expect(res.body).toMatchObject({
      pinned: true,
      recordType: 'contacts',
      recordId: adminContact,
    });
    expect(res.body.author.id).toBe(ws.userId);

    const list = await admin.get(`/api/v1/contacts/${adminContact}/notes`);
    expect(list.body.items[0].id).toBe(res.body.id);
    const audit = await admin.get(`/api/v1/audit-log?objectType=notes&objectId=${res.body.id}`);
    expect(audit.body.items[0].action).toBe('create');

    const empty = await admin.post(`/api/v1/contacts/${adminContact}/notes`, {
      bodyHtml: '<script>only()</script>',
    });
    expect(empty.status).toBe(400);
  });

  it('refuses oversized notes and saves nothing', async () => {
    const before = await count('notes');
    const big = await admin.post(`/api/v1/contacts/${adminContact}/notes`, {
      bodyHtml: `<p>${'a'.repeat(101 * 1024)}</p>`,
    });
    expect(big.status).toBe(400);
    expect(big.body.error.details.fields[0].path).toBe('bodyHtml');
    const huge = await admin.post(`/api/v1/contacts/${adminContact}/notes`, {
      bodyHtml: `<p>${'a'.repeat(10 * 1024 * 1024)}</p>`,
    });
    expect(huge.status).toBe(413);
    expect(await count('notes')).toBe(before);
  });

  it('lets anyone who can read the record comment; only the author or an admin edits', async () => {
    const mine = await manager.client.post(`/api/v1/contacts/${adminContact}/notes`, {
      bodyHtml: '<p>Ghi chú của quản lý</p>',
    });
    expect(mine.status).toBe(201);
    const adminNote = await admin.post(`/api/v1/contacts/${adminContact}/notes`, {
      bodyHtml: '<p>Của admin</p>',
    });
    // The manager can read the admin's note but not change it.
    expect(
      (await manager.client.patch(`/api/v1/notes/${adminNote.body.id}`, { pinned: true })).status,
    ).toBe(403);
    expect((await manager.client.delete(`/api/v1/notes/${adminNote.body.id}`)).status).toBe(403);
    // The author edits; an admin may edit or delete anyone's note.
    const edited = await manager.client.patch(`/api/v1/notes/${mine.body.id}`, {
      bodyHtml: '<p>Đã sửa <b onclick="x">xong</b></p>',
    });
    expect(edited.status).toBe(200);
    expect(edited.body.bodyHtml).toBe('<p>Đã sửa <b>xong</b></p>');
    expect((await admin.patch(`/api/v1/notes/${mine.body.id}`, { pinned: true })).body.pinned).toBe(
      true,
    );
    expect((await admin.delete(`/api/v1/notes/${mine.body.id}`)).status).toBe(204);
    expect(
      (await manager.client.patch(`/api/v1/notes/${mine.body.id}`, { pinned: false })).status,
    ).toBe(404);
    const audit = await admin.get(`/api/v1/audit-log?objectType=notes&objectId=${mine.body.id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'delete',
      'update',
      'update',
      'create',
    ]);
  });

  it('keeps a sales user (own scope) out of other people\u2019s records', async () => {
    const own = await sales.client.post(`/api/v1/contacts/${salesContact}/notes`, {
      bodyHtml: '<p>Khách của tôi</p>',
    });
    expect(own.status).toBe(201);
    expect((await sales.client.get(`/api/v1/contacts/${salesContact}/notes`)).status).toBe(200);
    const other = await sales.client.get(`/api/v1/contacts/${adminContact}/notes`);
    expect([403, 404]).toContain(other.status);
    const post = await sales.client.post(`/api/v1/contacts/${adminContact}/notes`, {
      bodyHtml: '<p>x</p>',
    });
    expect([403, 404]).toContain(post.status);
    const adminNote = (await admin.get(`/api/v1/contacts/${adminContact}/notes`)).body.items[0];
    expect([403, 404]).toContain(
      (await sales.client.patch(`/api/v1/notes/${adminNote.id}`, { pinned: false })).status,
    );
    // Unknown objects and ids.
    expect((await admin.get(`/api/v1/spaceships/${adminContact}/notes`)).status).toBe(404);
    expect(
      (await admin.get(`/api/v1/contacts/01900000-0000-7000-8000-000000000000/notes`)).status,
    ).toBe(404);
  });

  it('pages notes with a cursor', async () => {
    const contact = await insertContact('Khách nhiều ghi chú', ws.userId);
    for (let i = 0; i < 5; i++) {
      await admin.post(`/api/v1/contacts/${contact}/notes`, { bodyHtml: `<p>Ghi chú ${i}</p>` });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { bodyText: string }[]; nextCursor: string | null } } =
        await admin.get(
          `/api/v1/contacts/${contact}/notes?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
      seen.push(...res.body.items.map((n) => n.bodyText));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Ghi chú 4', 'Ghi chú 3', 'Ghi chú 2', 'Ghi chú 1', 'Ghi chú 0']);
    expect((await admin.get(`/api/v1/contacts/${contact}/notes?cursor=bogus`)).status).toBe(400);
  });

  it('uploads a file, sniffs its type and downloads it as an attachment', async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(100, 1),
    ]);
    const up = await upload(
      admin,
      `/api/v1/contacts/${adminContact}/attachments`,
      'ảnh hồ sơ.png',
      png,
      'text/html',
    );
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({
      fileName: 'ảnh hồ sơ.png',
      contentType: 'image/png',
      sizeBytes: png.length,
      recordType: 'contacts',
      recordId: adminContact,
    });
    expect(up.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(filesOnDisk()).toEqual([up.body.id]);

    const dl = await t.app.inject({
      method: 'GET',
      url: `/api/v1/attachments/${up.body.id}/download`,
      headers: { cookie: `sen_session=${admin.cookie}` },
    });
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(png)).toBe(true);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.headers['content-disposition']).toBe(
      `attachment; filename="anh ho so.png"; filename*=UTF-8''${encodeURIComponent('ảnh hồ sơ.png')}`,
    );
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-security-policy']).toContain('sandbox');

    // An HTML page claiming to be a PNG is stored and served as an opaque download.
    const html = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
    const evil = await upload(
      admin,
      `/api/v1/contacts/${adminContact}/attachments`,
      'cat.png',
      html,
      'image/png',
    );
    expect(evil.status).toBe(201);
    expect(evil.body.contentType).toBe('application/octet-stream');
    const evilDl = await t.app.inject({
      method: 'GET',
      url: `/api/v1/attachments/${evil.body.id}/download`,
      headers: { cookie: `sen_session=${admin.cookie}` },
    });
    expect(evilDl.headers['content-type']).toBe('application/octet-stream');
    expect(evilDl.headers['content-disposition']).toMatch(/^attachment;/);
    expect(evilDl.headers['content-security-policy']).toContain('sandbox');

    const csv = await upload(
      admin,
      `/api/v1/contacts/${adminContact}/attachments`,
      'khach.csv',
      Buffer.from('ten;sdt\nNhung;0912345678\n'),
    );
    expect(csv.body.contentType).toBe('text/csv');
    const pdf = await upload(
      admin,
      `/api/v1/contacts/${adminContact}/attachments`,
      'x.bin',
      Buffer.from('%PDF-1.7\n...'),
    );
    expect(pdf.body.contentType).toBe('application/pdf');

    const list = await admin.get(`/api/v1/contacts/${adminContact}/attachments`);
    expect(list.body.items).toHaveLength(4);
  });

  it('refuses a file over the size limit and leaves nothing behind', async () => {
    const rows = await count('attachments');
    const files = filesOnDisk().length;
    const big = await upload(
      admin,
      `/api/v1/contacts/${adminContact}/attachments`,
      'big.bin',
      Buffer.alloc(ATTACHMENT_MAX + 1, 7),
    );
    expect(big.status).toBe(413);
    expect(await count('attachments')).toBe(rows);
    expect(filesOnDisk()).toHaveLength(files);
    // Exactly at the limit is fine.
    const ok = await upload(
      admin,
      `/api/v1/contacts/${adminContact}/attachments`,
      'ok.bin',
      Buffer.alloc(ATTACHMENT_MAX, 7),
    );
    expect(ok.status).toBe(201);
    expect(ok.body.contentType).toBe('application/octet-stream');
  });

  it('scopes attachments like notes; uploader or admin deletes (soft)', async () => {
    const up = await upload(
      sales.client,
      `/api/v1/contacts/${salesContact}/attachments`,
      'hopdong.txt',
      Buffer.from('Hợp đồng'),
    );
    expect(up.status).toBe(201);
    expect(up.body.contentType).toBe('text/plain');
    const denied = await upload(
      sales.client,
      `/api/v1/contacts/${adminContact}/attachments`,
      'x.txt',
      Buffer.from('x'),
    );
    expect([403, 404]).toContain(denied.status);
    const adminFile = (await admin.get(`/api/v1/contacts/${adminContact}/attachments`)).body
      .items[0];
    const dl = await t.app.inject({
      method: 'GET',
      url: `/api/v1/attachments/${adminFile.id}/download`,
      headers: { cookie: `sen_session=${sales.client.cookie}` },
    });
    expect([403, 404]).toContain(dl.statusCode);
    expect((await manager.client.delete(`/api/v1/attachments/${up.body.id}`)).status).toBe(403);
    expect((await sales.client.delete(`/api/v1/attachments/${up.body.id}`)).status).toBe(204);
    expect((await sales.client.delete(`/api/v1/attachments/${up.body.id}`)).status).toBe(404);
    // JSON instead of multipart is refused.
    expect(
      (await admin.post(`/api/v1/contacts/${adminContact}/attachments`, { file: 'x' })).status,
    ).toBe(415);
  });

  it('sweeps files without a row and attachments deleted long ago', async () => {
    const up = await upload(
      admin,
      `/api/v1/contacts/${adminContact}/attachments`,
      'cu.txt',
      Buffer.from('cũ'),
    );
    const keepFile = await upload(
      admin,
      `/api/v1/contacts/${adminContact}/attachments`,
      'moi.txt',
      Buffer.from('mới'),
    );
    expect((await admin.delete(`/api/v1/attachments/${up.body.id}`)).status).toBe(204);
    const dir = path.join(dataDir, 'attachments', ws.workspaceId);
    // An orphan (as left by a crash between rename and commit) and a stale temporary file.
    fs.writeFileSync(path.join(dir, '01900000-0000-7000-8000-00000000abcd'), 'orphan');
    fs.writeFileSync(path.join(dir, '.upload-stale'), 'partial');
    const later = Date.now() + 2 * 3600_000;
    // Recently soft-deleted: kept (restorable by an admin from the database for 30 days).
    let r = await sweepAttachments(t.ctx.db, dataDir, { now: later });
    expect(r.filesRemoved).toBe(2);
    expect(fs.existsSync(path.join(dir, up.body.id))).toBe(true);
    r = await sweepAttachments(t.ctx.db, dataDir, { now: later, retentionDays: 0 });
    expect(r.rowsDeleted).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(path.join(dir, up.body.id))).toBe(false);
    expect(fs.existsSync(path.join(dir, keepFile.body.id))).toBe(true);
    // Fresh files are never swept (an upload may be about to commit).
    fs.writeFileSync(path.join(dir, '01900000-0000-7000-8000-00000000abce'), 'fresh');
    expect((await sweepAttachments(t.ctx.db, dataDir)).filesRemoved).toBe(0);
  });
});
