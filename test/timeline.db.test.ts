import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

interface Event {
  id: string;
  type: string;
  occurredAt: string;
  actor: { id: string; name: string } | null;
  recordType: string;
  recordId: string;
  recordName: string | null;
  data: Record<string, any>;
}

describe('timeline', () => {
  let t: TestApp;
  let admin: Client;
  let dataDir: string;
  let adminId: string;
  let sales: Awaited<ReturnType<typeof addMember>>;

  async function create(client: Client, object: string, body: Record<string, unknown>) {
    const res = await client.post(`/api/v1/${object}`, body);
    if (res.status !== 201) throw new Error(`create ${object}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }

  async function link(client: Client, contactId: string, companyId: string) {
    const res = await client.post(`/api/v1/contacts/${contactId}/companies`, { companyId });
    if (res.status >= 300) throw new Error(`link: ${JSON.stringify(res.body)}`);
  }

  async function note(client: Client, object: string, id: string, text: string, pinned = false) {
    const res = await client.post(`/api/v1/${object}/${id}/notes`, {
      bodyHtml: `<p>${text}</p>`,
      pinned,
    });
    if (res.status !== 201) throw new Error(`note: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }

  async function attach(client: Client, object: string, id: string, fileName: string) {
    const boundary = 'senTimelineBoundary';
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/${object}/${id}/attachments`,
      payload: Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n\r\nnội dung\r\n--${boundary}--\r\n`,
      ),
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        cookie: `sen_session=${client.cookie}`,
        'x-csrf-token': client.csrf ?? '',
      },
    });
    if (res.statusCode !== 201) throw new Error(`attach: ${res.body}`);
    return res.json().id as string;
  }

  /** Every event of a timeline, walking the cursor `limit` at a time. */
  async function walk(client: Client, url: string, limit: number): Promise<Event[]> {
    const all: Event[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++) {
      const sep = url.includes('?') ? '&' : '?';
      const res: { status: number; body: { items: Event[]; nextCursor: string | null } } =
        await client.get(`${url}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      all.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (!cursor) return all;
    }
    throw new Error('cursor never ended');
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-timeline-'));
    t = await createTestApp({ SEN_DATA_DIR: dataDir });
    const setup = await setupAdmin(t.app);
    admin = setup.admin;
    adminId = setup.session.user.id;
    sales = await addMember(t.app, admin, 'sales', 'Phạm Văn Bán');
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists a contact’s notes, attachments and field changes, newest first, with pinned notes on top', async () => {
    const contact = await create(admin, 'contacts', { fullName: 'Nguyễn Thị Hồng Nhung' });
    await note(admin, 'contacts', contact, 'Gọi lần 1');
    const pinned = await note(admin, 'contacts', contact, 'Khách VIP — luôn gọi trước 10h', true);
    const patched = await admin.patch(`/api/v1/contacts/${contact}`, {
      lifecycleStage: 'customer',
    });
    expect(patched.status).toBe(200);
    const file = await attach(admin, 'contacts', contact, 'báo giá.txt');
    await note(admin, 'contacts', contact, 'Gọi lần 2');

    const res = await admin.get(`/api/v1/contacts/${contact}/timeline`);
    expect(res.status).toBe(200);
    expect(res.body.pinned.map((n: { id: string }) => n.id)).toEqual([pinned]);
    const items: Event[] = res.body.items;
    expect(items.map((e) => e.type)).toEqual([
      'note',
      'attachment',
      'field_change',
      'note',
      'created',
    ]);
    expect(items[0]!.data.bodyText).toBe('Gọi lần 2');
    expect(items[1]!.data).toMatchObject({
      attachmentId: file,
      fileName: 'báo giá.txt',
      contentType: 'text/plain',
    });
    expect(items[2]!.data.changes.lifecycleStage).toEqual({ from: 'lead', to: 'customer' });
    expect(items[0]).toMatchObject({
      recordType: 'contacts',
      recordId: contact,
      recordName: 'Nguyễn Thị Hồng Nhung',
      actor: { id: adminId, name: 'Nguyễn Văn An' },
    });
    // Newest first, ties broken by id: the order never goes backwards.
    for (let i = 1; i < items.length; i++) {
      expect(items[i - 1]!.occurredAt >= items[i]!.occurredAt).toBe(true);
    }
    expect(res.body.nextCursor).toBeNull();

    const onlyNotes = await admin.get(`/api/v1/contacts/${contact}/timeline?types=note`);
    expect(onlyNotes.body.items.map((e: Event) => e.data.bodyText)).toEqual([
      'Gọi lần 2',
      'Gọi lần 1',
    ]);
    expect(onlyNotes.body.pinned).toHaveLength(1);
    const files = await admin.get(`/api/v1/contacts/${contact}/timeline?types=attachment`);
    expect(files.body.items.map((e: Event) => e.type)).toEqual(['attachment']);
    const changes = await admin.get(
      `/api/v1/contacts/${contact}/timeline?types=field_change,created`,
    );
    expect(changes.body.items.map((e: Event) => e.type)).toEqual(['field_change', 'created']);
    expect(changes.body.pinned).toEqual([]);
    expect((await admin.get(`/api/v1/contacts/${contact}/timeline?types=warp`)).status).toBe(400);
    expect((await admin.get(`/api/v1/contacts/${contact}/timeline?cursor=nope`)).status).toBe(400);
  });

  it('pages with a keyset cursor: every event exactly once, in order', async () => {
    const contact = await create(admin, 'contacts', { fullName: 'Lê Văn Nhiều' });
    for (let i = 0; i < 12; i++) await note(admin, 'contacts', contact, `Ghi chú ${i}`);
    for (let i = 0; i < 3; i++) {
      await admin.patch(`/api/v1/contacts/${contact}`, { source: `nguồn ${i}` });
    }
    const full = (await admin.get(`/api/v1/contacts/${contact}/timeline?limit=200`)).body
      .items as Event[];
    expect(full).toHaveLength(16);
    for (const limit of [1, 3, 5]) {
      const walked = await walk(admin, `/api/v1/contacts/${contact}/timeline`, limit);
      expect(walked.map((e) => e.id)).toEqual(full.map((e) => e.id));
    }
    const notesOnly = await walk(admin, `/api/v1/contacts/${contact}/timeline?types=note`, 4);
    expect(notesOnly.map((e) => e.data.bodyText)).toEqual(
      Array.from({ length: 12 }, (_, i) => `Ghi chú ${11 - i}`),
    );
  });

  it('shows a company’s own events and those of its contacts', async () => {
    const company = await create(admin, 'companies', { name: 'Công ty TNHH Hoa Sen' });
    const a = await create(admin, 'contacts', { fullName: 'Trần Thị An' });
    const b = await create(admin, 'contacts', { fullName: 'Võ Văn Bình' });
    const outsider = await create(admin, 'contacts', { fullName: 'Người Ngoài' });
    await link(admin, a, company);
    await link(admin, b, company);
    await note(admin, 'companies', company, 'Họp với ban giám đốc');
    await note(admin, 'contacts', a, 'An xin báo giá');
    await note(admin, 'contacts', b, 'Bình hẹn tuần sau', true);
    await note(admin, 'contacts', outsider, 'Không liên quan');

    const res = await admin.get(`/api/v1/companies/${company}/timeline?types=note`);
    expect(res.status).toBe(200);
    const items: Event[] = res.body.items;
    expect(items.map((e) => [e.recordName, e.data.bodyText])).toEqual([
      ['Trần Thị An', 'An xin báo giá'],
      ['Công ty TNHH Hoa Sen', 'Họp với ban giám đốc'],
    ]);
    // A pinned note of a contact says whose it is on the company's page.
    expect(
      res.body.pinned.map((n: { bodyText: string; recordName: string }) => [
        n.recordName,
        n.bodyText,
      ]),
    ).toEqual([['Võ Văn Bình', 'Bình hẹn tuần sau']]);
    const all = (await admin.get(`/api/v1/companies/${company}/timeline`)).body.items as Event[];
    const recordIds = new Set(all.map((e) => e.recordId));
    expect(recordIds).toEqual(new Set([company, a, b]));
  });

  it('names the ids inside a field change (linked company, owner) so the page can say it in words', async () => {
    const company = await create(admin, 'companies', { name: 'Nhà phân phối Hồng Hà' });
    const contact = await create(admin, 'contacts', { fullName: 'Lê Thị Hoa' });
    const res = await admin.post(`/api/v1/contacts/${contact}/companies`, {
      companyId: company,
      jobTitle: 'Trưởng phòng mua hàng',
    });
    expect(res.status).toBeLessThan(300);
    const items = (await admin.get(`/api/v1/contacts/${contact}/timeline?types=field_change`)).body
      .items as Event[];
    const change = items.find((e) => e.data.changes?.companies);
    expect(change?.data.changes.companies).toEqual({
      from: [],
      to: [{ companyId: company, jobTitle: 'Trưởng phòng mua hàng', isPrimary: true }],
    });
    expect(change?.data.names).toEqual({ [company]: 'Nhà phân phối Hồng Hà' });

    const other = await addMember(t.app, admin, 'sales', 'Phạm Văn Chủ');
    await admin.patch(`/api/v1/contacts/${contact}`, { ownerId: other.userId });
    const owner = (
      (await admin.get(`/api/v1/contacts/${contact}/timeline?types=field_change`)).body
        .items as Event[]
    ).find((e) => e.data.changes?.ownerId);
    expect(owner?.data.names[other.userId]).toBe('Phạm Văn Chủ');
  });

  it('applies the visibility scope: a sales user sees only their own contacts', async () => {
    const company = await create(sales.client, 'companies', { name: 'Cửa hàng Minh Châu' });
    const mine = await create(sales.client, 'contacts', { fullName: 'Khách Của Bán' });
    const theirs = await create(admin, 'contacts', { fullName: 'Khách Của Admin' });
    await link(admin, mine, company);
    await link(admin, theirs, company);
    await note(sales.client, 'contacts', mine, 'Ghi chú của sales');
    await note(admin, 'contacts', theirs, 'Bí mật của admin', true);
    await note(admin, 'contacts', theirs, 'Cũng bí mật');

    const res = await sales.client.get(`/api/v1/companies/${company}/timeline`);
    expect(res.status).toBe(200);
    const ids = new Set((res.body.items as Event[]).map((e) => e.recordId));
    expect(ids.has(mine)).toBe(true);
    expect(ids.has(theirs)).toBe(false);
    expect(JSON.stringify(res.body)).not.toContain('bí mật');
    expect(JSON.stringify(res.body)).not.toContain('Bí mật');

    // The admin sees both.
    const full = await admin.get(`/api/v1/companies/${company}/timeline`);
    expect(new Set((full.body.items as Event[]).map((e) => e.recordId)).has(theirs)).toBe(true);

    // Another user's contact: no timeline, no notes.
    expect([403, 404]).toContain(
      (await sales.client.get(`/api/v1/contacts/${theirs}/timeline`)).status,
    );
    expect([403, 404]).toContain(
      (await sales.client.get(`/api/v1/contacts/${theirs}/notes`)).status,
    );
    // Unknown record.
    expect(
      (await admin.get('/api/v1/contacts/01900000-0000-7000-8000-000000000000/timeline')).status,
    ).toBe(404);
  });

  it('shows deletion and restore of the record', async () => {
    const contact = await create(admin, 'contacts', { fullName: 'Đỗ Văn Xoá' });
    expect((await admin.delete(`/api/v1/contacts/${contact}`)).status).toBe(204);
    expect((await admin.post(`/api/v1/contacts/${contact}/restore`)).status).toBe(200);
    const res = await admin.get(
      `/api/v1/contacts/${contact}/timeline?types=created,deleted,restored`,
    );
    expect(res.body.items.map((e: Event) => e.type)).toEqual(['restored', 'deleted', 'created']);
  });
});
