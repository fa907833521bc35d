import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Activities (tasks, calls, meetings; src/modules/activities): one record object with a kind,
 * linked to records of any object, on their timelines and feeding their last activity.
 */
describe('activities', () => {
  let t: TestApp;
  let admin: Client;
  let sales: { client: Client; userId: string };
  let other: { client: Client; userId: string };
  let contactId: string;
  let companyId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    sales = await addMember(t.app, admin, 'sales', 'Lê Văn Bán');
    other = await addMember(t.app, admin, 'sales', 'Phạm Thị Khác');
    companyId = (await sales.client.post('/api/v1/companies', { name: 'Công ty Hoa Sen' })).body.id;
    contactId = (await sales.client.post('/api/v1/contacts', { fullName: 'Nguyễn Thị Nhung' })).body
      .id;
  });
  afterAll(() => t?.close());

  it('creates a task linked to a contact and a company; both timelines show it once', async () => {
    const due = new Date(Date.now() + 3 * 3600_000).toISOString();
    const res = await sales.client.post('/api/v1/activities', {
      kind: 'task',
      title: 'Gọi lại chị Nhung về báo giá',
      dueAt: due,
      priority: 'high',
      links: [
        { object: 'contacts', id: contactId },
        { object: 'companies', id: companyId },
        { object: 'contacts', id: contactId },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'task',
      status: 'open',
      priority: 'high',
      ownerId: sales.userId,
      reminderMinutes: 15,
      doneAt: null,
    });
    expect(new Date(res.body.dueAt).getTime()).toBe(new Date(due).getTime());
    // Each related record once, by object then name.
    expect(res.body.links).toEqual([
      { object: 'companies', id: companyId, name: 'Công ty Hoa Sen' },
      { object: 'contacts', id: contactId, name: 'Nguyễn Thị Nhung' },
    ]);
    const timeline = await sales.client.get(`/api/v1/contacts/${contactId}/timeline?types=task`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.items).toHaveLength(1);
    expect(timeline.body.items[0]).toMatchObject({
      type: 'task',
      recordType: 'contacts',
      data: { title: 'Gọi lại chị Nhung về báo giá', status: 'open', ownerName: 'Lê Văn Bán' },
    });
    const contact = await sales.client.get(`/api/v1/contacts/${contactId}`);
    expect(contact.body.lastActivityAt).not.toBeNull();
  });

  it('logs a call as done now, and a meeting needs its start, an end after it and members', async () => {
    const call = await sales.client.post('/api/v1/activities', {
      kind: 'call',
      title: 'Gọi chị Nhung',
      outcome: 'connected',
      durationMinutes: 12,
      links: [{ object: 'contacts', id: contactId }],
    });
    expect(call.status).toBe(201);
    expect(call.body).toMatchObject({ status: 'done', direction: 'outbound', durationMinutes: 12 });
    expect(call.body.doneAt).not.toBeNull();

    const noStart = await sales.client.post('/api/v1/activities', {
      kind: 'meeting',
      title: 'Họp',
    });
    expect(noStart.status).toBe(400);
    expect(noStart.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual([
      'dueAt',
    ]);
    const backwards = await sales.client.post('/api/v1/activities', {
      kind: 'meeting',
      title: 'Họp',
      dueAt: '2026-12-10T09:00:00+07:00',
      endAt: '2026-12-10T08:00:00+07:00',
      onlineUrl: 'javascript:alert(1)',
      attendeeIds: [other.userId, '00000000-0000-7000-8000-000000000000'],
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual(
      ['attendeeIds', 'endAt', 'onlineUrl'],
    );
    const meeting = await sales.client.post('/api/v1/activities', {
      kind: 'meeting',
      title: 'Họp giới thiệu sản phẩm',
      dueAt: '2026-12-10T09:00:00+07:00',
      endAt: '2026-12-10T10:30:00+07:00',
      location: 'Văn phòng Hoa Sen, Q.1',
      onlineUrl: 'https://meet.example.vn/abc',
      attendeeIds: [other.userId],
      links: [{ object: 'contacts', id: contactId }],
    });
    expect(meeting.status).toBe(201);
    expect(meeting.body.attendees).toEqual([{ id: other.userId, name: 'Phạm Thị Khác' }]);
    expect(meeting.body.endAt).toBe('2026-12-10T03:30:00.000Z');
  });

  it('refuses a task assigned to a deactivated member with a clear 400', async () => {
    const leaver = await addMember(t.app, admin, 'sales', 'Người Đã Nghỉ');
    expect(
      (await admin.patch(`/api/v1/users/${leaver.userId}`, { status: 'deactivated' })).status,
    ).toBe(200);
    const res = await admin.post('/api/v1/activities', {
      title: 'Việc cho người đã nghỉ',
      ownerId: leaver.userId,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields[0]).toMatchObject({
      path: 'ownerId',
      reason: 'not_a_member',
    });
    expect(res.body.error.details.fields[0].text.vi).toMatch(/đang hoạt động/);
  });

  it('refuses links to records the writer may not see, and to unknown objects', async () => {
    const hidden = (await other.client.post('/api/v1/contacts', { fullName: 'Khách Riêng' })).body
      .id;
    const res = await sales.client.post('/api/v1/activities', {
      title: 'Lén',
      links: [
        { object: 'contacts', id: hidden },
        { object: 'nothing', id: hidden },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual([
      'links.0.id',
      'links.1.object',
    ]);
  });

  it('a user who may not see a linked record sees neither it on the activity nor its timeline', async () => {
    // The other rep's private contact, linked by an admin to an activity of the sales rep.
    const hidden = (await other.client.post('/api/v1/contacts', { fullName: 'Khách Bí Mật' })).body
      .id;
    const res = await admin.post('/api/v1/activities', {
      title: 'Chuẩn bị hợp đồng',
      ownerId: sales.userId,
      links: [
        { object: 'contacts', id: hidden },
        { object: 'companies', id: companyId },
      ],
    });
    expect(res.status).toBe(201);
    const seen = await sales.client.get(`/api/v1/activities/${res.body.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.links).toEqual([
      { object: 'companies', id: companyId, name: 'Công ty Hoa Sen' },
    ]);
    const timeline = await sales.client.get(`/api/v1/contacts/${hidden}/timeline`);
    expect(timeline.status).toBe(403);
    const own = await other.client.get(`/api/v1/contacts/${hidden}/timeline?types=task`);
    expect(own.body.items.map((e: { data: { title: string } }) => e.data.title)).toEqual([
      'Chuẩn bị hợp đồng',
    ]);
  });

  it("a role that may not read activities sees none on a record's timeline", async () => {
    const role = await admin.post('/api/v1/roles', {
      name: 'Chỉ xem liên hệ',
      permissions: { contacts: { read: true, scope: 'all' } },
    });
    expect(role.status).toBe(201);
    const reader = await addMember(t.app, admin, 'viewer', 'Đỗ Văn Tâm');
    expect(
      (await admin.patch(`/api/v1/users/${reader.userId}`, { roleId: role.body.id })).status,
    ).toBe(200);
    // The contact has the first test's task on its timeline; this reader sees the contact only.
    const all = await admin.get(`/api/v1/contacts/${contactId}/timeline?types=task`);
    expect(all.body.items.length).toBeGreaterThan(0);
    const timeline = await reader.client.get(`/api/v1/contacts/${contactId}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.items.filter((e: { type: string }) => e.type === 'task')).toEqual([]);
  });

  it('a recurring task done makes its next occurrence once, with the same links', async () => {
    const due = new Date(Date.now() - 36 * 3600_000);
    const res = await sales.client.post('/api/v1/activities', {
      title: 'Báo cáo tồn kho',
      dueAt: due.toISOString(),
      recurrence: 'daily',
      links: [{ object: 'companies', id: companyId }],
    });
    const done = await sales.client.patch(`/api/v1/activities/${res.body.id}`, { status: 'done' });
    expect(done.status).toBe(200);
    expect(done.body.doneAt).not.toBeNull();
    await sales.client.patch(`/api/v1/activities/${res.body.id}`, { status: 'open' });
    await sales.client.patch(`/api/v1/activities/${res.body.id}`, { status: 'done' });
    const filter = JSON.stringify({ field: 'title', op: 'is', value: 'Báo cáo tồn kho' });
    const list = await sales.client.get(
      `/api/v1/activities?filter=${encodeURIComponent(filter)}&sort=dueAt`,
    );
    expect(list.body.items).toHaveLength(2);
    const next = list.body.items.find((a: { id: string }) => a.id !== res.body.id);
    expect(next).toMatchObject({ status: 'open', recurrence: 'daily' });
    expect(next.links).toEqual([{ object: 'companies', id: companyId, name: 'Công ty Hoa Sen' }]);
    const nextDue = new Date(next.dueAt).getTime();
    // Whole days after the first due time, and after now.
    expect((nextDue - due.getTime()) % 86_400_000).toBe(0);
    expect(nextDue).toBeGreaterThan(Date.now());
    expect(nextDue - Date.now()).toBeLessThanOrEqual(86_400_000);
  });
  it('a monthly task long overdue is next due on the same day and time of a coming month', async () => {
    // The 5th at 09:00 in Việt Nam, about 14 months ago.
    const now = new Date();
    const due = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth() - 2, 5, 2, 0));
    const res = await sales.client.post('/api/v1/activities', {
      title: 'Chốt công nợ tháng',
      dueAt: due.toISOString(),
      recurrence: 'monthly',
    });
    expect(res.status).toBe(201);
    await sales.client.patch(`/api/v1/activities/${res.body.id}`, { status: 'done' });
    const filter = JSON.stringify({ field: 'title', op: 'is', value: 'Chốt công nợ tháng' });
    const list = await sales.client.get(`/api/v1/activities?filter=${encodeURIComponent(filter)}`);
    const next = list.body.items.find((a: { id: string }) => a.id !== res.body.id);
    const nextDue = new Date(next.dueAt);
    expect(nextDue.getTime()).toBeGreaterThan(Date.now());
    expect(nextDue.getTime() - Date.now()).toBeLessThanOrEqual(31 * 86_400_000);
    expect(nextDue.getUTCDate()).toBe(5);
    expect([nextDue.getUTCHours(), nextDue.getUTCMinutes()]).toEqual([2, 0]);
  });
});
