import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/core/permissions.js';
import { queryRows } from '../src/db/sql.js';
import { actorOf } from '../src/modules/imports/imports.repository.js';
import { registerNotificationKind } from '../src/modules/notifications/kinds.js';
import { notify } from '../src/modules/notifications/notify.js';
import { addMember, setupAdmin, type Client } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

registerNotificationKind({
  key: 'test_mention',
  render: ({ record, actorName, locale }) =>
    locale === 'en'
      ? `${actorName} mentioned you on ${record?.name}`
      : `${actorName} nhắc đến bạn ở ${record?.name}`,
});

/**
 * In-app notifications (issue #19, live push in #21): each member reads and marks only their own
 * — through the API and in the database (row-level security) — newest first, paged, written in
 * the reader's language with the record's name.
 */
describe('notifications', () => {
  let t: TestApp;
  let admin: Client;
  let actor: Actor;
  let a: Awaited<ReturnType<typeof addMember>>;
  let b: Awaited<ReturnType<typeof addMember>>;
  let contactId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const s = await setupAdmin(t.app);
    admin = s.admin;
    a = await addMember(t.app, admin, 'sales', 'Phan Thị Ánh');
    b = await addMember(t.app, admin, 'sales', 'Bùi Văn Bảo');
    const contact = await admin.post('/api/v1/contacts', {
      fullName: 'Nguyễn Văn Hùng',
      ownerId: a.userId,
    });
    contactId = contact.body.id;
    const made = await actorOf(t.ctx.db, {
      createdBy: s.session.user.id,
      workspaceId: s.session.workspace.id,
    });
    actor = made!;
    await t.ctx.db.tenant(actor, async (tx) => {
      for (let i = 0; i < 3; i++) {
        await notify(tx, actor, {
          userIds: [a.userId],
          kind: 'test_mention',
          params: { n: i },
          record: { object: 'contacts', id: contactId },
        });
      }
      await notify(tx, actor, {
        userIds: [b.userId, b.userId],
        kind: 'test_mention',
        record: { object: 'contacts', id: contactId },
      });
    });
  });
  afterAll(() => t?.close());

  it('lists the reader’s own, newest first, paged, in their language with the record’s name', async () => {
    const first = await a.client.get('/api/v1/notifications?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((n: { params: { n: number } }) => n.params.n)).toEqual([2, 1]);
    expect(first.body.unreadCount).toBe(3);
    expect(first.body.items[0].text).toBe('Nguyễn Văn An nhắc đến bạn ở Nguyễn Văn Hùng');
    expect(first.body.items[0].record).toEqual({
      object: 'contacts',
      id: contactId,
      name: 'Nguyễn Văn Hùng',
      available: true,
    });
    const second = await a.client.get(
      `/api/v1/notifications?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((n: { params: { n: number } }) => n.params.n)).toEqual([0]);
    expect(second.body.nextCursor).toBeNull();

    // b was named twice in one notification: one row. b cannot open a's contact (own scope):
    // the name it had, no link.
    const theirs = await b.client.get('/api/v1/notifications');
    expect(theirs.body.items).toHaveLength(1);
    expect(theirs.body.items[0].record.available).toBe(false);
    expect(theirs.body.items[0].record.name).toBe('Nguyễn Văn Hùng');

    // English, once the reader chooses it; a renamed record reads with its new name.
    expect((await a.client.patch('/api/v1/me', { locale: 'en' })).status).toBe(200);
    await admin.patch(`/api/v1/contacts/${contactId}`, { fullName: 'Nguyễn Văn Hưng' });
    const english = await a.client.get('/api/v1/notifications?limit=1');
    expect(english.body.items[0].text).toBe('Nguyễn Văn An mentioned you on Nguyễn Văn Hưng');
    expect((await a.client.patch('/api/v1/me', { locale: 'vi' })).status).toBe(200);
  });

  it('marks one or all read, and never another member’s', async () => {
    const mine = (await a.client.get('/api/v1/notifications')).body.items as { id: string }[];
    // b cannot mark a's: as if it did not exist.
    const foreign = await b.client.post(`/api/v1/notifications/${mine[0]!.id}/read`);
    expect(foreign.status).toBe(404);
    expect((await b.client.post('/api/v1/notifications/read-all')).body.unreadCount).toBe(0);
    expect((await a.client.get('/api/v1/notifications/unread-count')).body.unreadCount).toBe(3);

    const one = await a.client.post(`/api/v1/notifications/${mine[0]!.id}/read`);
    expect(one.status).toBe(200);
    expect(one.body.unreadCount).toBe(2);
    const unread = await a.client.get('/api/v1/notifications?unread=true');
    expect(unread.body.items.map((n: { id: string }) => n.id)).not.toContain(mine[0]!.id);
    expect((await a.client.post('/api/v1/notifications/read-all')).body.unreadCount).toBe(0);
    const all = await a.client.get('/api/v1/notifications');
    expect(all.body.items.every((n: { readAt: string | null }) => n.readAt !== null)).toBe(true);
  });

  it('hides other members’ rows in the database itself (row-level security)', async () => {
    const bActor = await actorOf(t.ctx.db, {
      createdBy: b.userId,
      workspaceId: actor.workspaceId,
    });
    const seen = await t.ctx.db.tenant(bActor!, async (tx) => {
      const rows = await queryRows<{ userId: string }>(
        tx,
        sql`SELECT user_id AS "userId" FROM notifications`,
      );
      const changed = await queryRows<{ id: string }>(
        tx,
        sql`UPDATE notifications SET read_at = NULL WHERE user_id = ${a.userId}::uuid RETURNING id`,
      );
      return { rows, changed };
    });
    expect(seen.rows.map((r) => r.userId)).toEqual([b.userId]);
    expect(seen.changed).toEqual([]);
  });
});
