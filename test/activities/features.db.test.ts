import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendReminders } from '../../src/modules/activities/activities.features.js';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

/** My day, reminders and the personal calendar feed (src/modules/activities). */
describe('my day, reminders and the calendar feed', () => {
  let t: TestApp;
  let admin: Client;
  let me: { client: Client; userId: string };
  let colleague: { client: Client; userId: string };

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    me = await addMember(t.app, admin, 'sales', 'Lê Thị Hà');
    colleague = await addMember(t.app, admin, 'sales', 'Đỗ Văn Nam');
  });
  afterAll(() => t?.close());

  it('My day: my open activities, overdue, today and upcoming; done ones leave it', async () => {
    const post = async (body: Record<string, unknown>, who = me.client) => {
      const res = await who.post('/api/v1/activities', body);
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const overdue = await post({ title: 'Gửi hợp đồng', dueAt: inMinutes(-120) });
    const today = await post({ title: 'Gọi xác nhận', dueAt: inMinutes(1) });
    const upcoming = await post({ title: 'Đi thăm khách', dueAt: inMinutes(3 * 24 * 60) });
    await post({ title: 'Quá xa', dueAt: inMinutes(20 * 24 * 60) });
    await post(
      { title: 'Của người khác', dueAt: inMinutes(-60), ownerId: colleague.userId },
      admin,
    );
    await post({ title: 'Không hạn' });
    const day = await me.client.get('/api/v1/activities/my-day');
    expect(day.status).toBe(200);
    const ids = (list: { id: string }[]) => list.map((a) => a.id);
    expect(ids(day.body.overdue)).toEqual([overdue]);
    // Unless the test runs in the last minute of the day in Việt Nam.
    expect([...ids(day.body.today), ...ids(day.body.upcoming)]).toEqual([today, upcoming]);
    expect(day.body.overdue[0]).toMatchObject({ title: 'Gửi hợp đồng', status: 'open' });

    // One click: PATCH status done.
    const done = await me.client.patch(`/api/v1/activities/${overdue}`, { status: 'done' });
    expect(done.status).toBe(200);
    const after = await me.client.get('/api/v1/activities/my-day');
    expect(ids(after.body.overdue)).toEqual([]);
    expect((await colleague.client.get('/api/v1/activities/my-day')).body.overdue).toHaveLength(1);
  });

  it('reminds the assignee once before the due time, again after a new due time', async () => {
    // The previous test's activities are due too: their reminders go first.
    await sendReminders(t.ctx.db);
    const before = (await me.client.get('/api/v1/notifications')).body.items.length;
    const res = await me.client.post('/api/v1/activities', {
      title: 'Chuẩn bị báo giá cho chị Nhung',
      dueAt: inMinutes(10),
      reminderMinutes: 15,
    });
    const later = await me.client.post('/api/v1/activities', {
      title: 'Việc tuần sau',
      dueAt: inMinutes(7 * 24 * 60),
    });
    expect(later.body.reminderMinutes).toBe(15);
    const version = (await me.client.get(`/api/v1/activities/${res.body.id}`)).body.version;
    expect(await sendReminders(t.ctx.db)).toBe(1);
    // Claiming the reminder is not an edit: the version a form holds still saves.
    expect((await me.client.get(`/api/v1/activities/${res.body.id}`)).body.version).toBe(version);
    expect(await sendReminders(t.ctx.db)).toBe(0);
    const list = await me.client.get('/api/v1/notifications');
    expect(list.body.items).toHaveLength(before + 1);
    const reminders = list.body.items.slice(0, 1);
    expect(reminders[0].kind).toBe('activity_reminder');
    expect(reminders[0].text).toMatch(
      /^Sắp đến giờ: công việc "Chuẩn bị báo giá cho chị Nhung" lúc /,
    );
    expect(reminders[0].record).toMatchObject({ object: 'activities', id: res.body.id });
    // Another member is not told.
    const theirs = await colleague.client.get('/api/v1/notifications');
    expect(
      theirs.body.items.filter((n: { text: string }) => n.text.includes('chị Nhung')),
    ).toHaveLength(0);
    // A new due time is reminded of again; a done task is not.
    await me.client.patch(`/api/v1/activities/${res.body.id}`, { dueAt: inMinutes(5) });
    expect(await sendReminders(t.ctx.db)).toBe(1);
    await me.client.patch(`/api/v1/activities/${res.body.id}`, {
      dueAt: inMinutes(6),
      status: 'done',
    });
    expect(await sendReminders(t.ctx.db)).toBe(0);
  });

  it('a personal iCalendar feed: secret URL, my tasks and meetings, valid RFC 5545, revocable', async () => {
    const status = await me.client.get('/api/v1/calendar-feed');
    expect(status.body).toEqual({ active: false, createdAt: null });
    const created = await me.client.post('/api/v1/calendar-feed', {});
    expect(created.status).toBe(201);
    const path = new URL(created.body.url).pathname;
    expect(path).toMatch(/^\/ical\/[A-Za-z0-9_-]{43}\.ics$/);
    expect((await me.client.get('/api/v1/calendar-feed')).body.active).toBe(true);

    const long = 'Họp; tổng kết, quý 4 \\ với khách hàng Hoa Sen — '.repeat(4).trim();
    await colleague.client.post('/api/v1/activities', {
      kind: 'meeting',
      title: long,
      dueAt: '2027-01-05T09:00:00+07:00',
      endAt: '2027-01-05T10:30:00+07:00',
      location: 'Tầng 3, 12 Lê Lợi, Q.1',
      onlineUrl: 'https://meet.example.vn/xyz',
      attendeeIds: [me.userId],
      description: 'Dòng 1\nDòng 2',
    });
    await colleague.client.post('/api/v1/activities', {
      title: 'Việc riêng của Nam',
      dueAt: '2027-01-06T09:00:00+07:00',
    });

    const res = await t.app.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const text = res.body;
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const cal = new ICAL.Component(ICAL.parse(text));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const summaries = events.map((e) => e.summary);
    expect(summaries).toContain(long);
    expect(summaries).not.toContain('Việc riêng của Nam');
    expect(summaries).toContain('Gọi xác nhận');
    const meeting = events.find((e) => e.summary === long)!;
    expect(meeting.startDate.toJSDate().toISOString()).toBe('2027-01-05T02:00:00.000Z');
    expect(meeting.endDate.toJSDate().toISOString()).toBe('2027-01-05T03:30:00.000Z');
    expect(meeting.location).toBe('Tầng 3, 12 Lê Lợi, Q.1');
    expect(meeting.description).toMatch(/^Dòng 1\nDòng 2\n\n/);
    const task = events.find((e) => e.summary === 'Gọi xác nhận')!;
    expect(task.endDate.toJSDate().getTime() - task.startDate.toJSDate().getTime()).toBe(
      30 * 60_000,
    );
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);

    // A new address replaces the old one; revoking ends it.
    const again = await me.client.post('/api/v1/calendar-feed', {});
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    const path2 = new URL(again.body.url).pathname;
    expect((await t.app.inject({ method: 'GET', url: path2 })).statusCode).toBe(200);
    expect((await me.client.delete('/api/v1/calendar-feed')).status).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: path2 })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/ical/short.ics' })).statusCode).toBe(404);
  });
});
