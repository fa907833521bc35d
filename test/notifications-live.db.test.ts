import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/core/permissions.js';
import { actorOf } from '../src/modules/imports/imports.repository.js';
import { registerNotificationKind } from '../src/modules/notifications/kinds.js';
import { MAX_STREAMS_PER_MEMBER } from '../src/modules/notifications/live.js';
import { notify } from '../src/modules/notifications/notify.js';
import { addMember, setupAdmin, type Client } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';
import { SseReader } from './support/sse.js';

registerNotificationKind({
  key: 'test_live',
  render: ({ locale }) => (locale === 'en' ? 'Something happened' : 'Có việc mới'),
});

/**
 * The bell's live count (#21): GET /notifications/stream pushes the member's unread count at once
 * and after every committed change to their notifications, and nothing for others' or for a
 * rolled-back write. (Two app nodes: test/scale-out.pg.test.ts.)
 */
describe('live notifications', () => {
  let t: TestApp;
  let base: string;
  let actor: Actor;
  let a: Awaited<ReturnType<typeof addMember>>;
  let b: Awaited<ReturnType<typeof addMember>>;
  const streams: SseReader[] = [];

  const open = async (client: Client) => {
    const s = await SseReader.open(`${base}/api/v1/notifications/stream`, {
      cookie: `sen_session=${client.cookie}`,
      'accept-language': 'vi',
    });
    streams.push(s);
    return s;
  };
  const unread = async (s: SseReader, n: number) =>
    (JSON.parse((await s.nth('unread', n)).data) as { unreadCount: number }).unreadCount;
  const ping = (userIds: string[]) =>
    t.ctx.db.tenant(actor, (tx) => notify(tx, actor, { userIds, kind: 'test_live' }));

  beforeAll(async () => {
    t = await createTestApp();
    const s = await setupAdmin(t.app);
    a = await addMember(t.app, s.admin, 'sales', 'Phan Thị Ánh');
    b = await addMember(t.app, s.admin, 'sales', 'Bùi Văn Bảo');
    actor = (await actorOf(t.ctx.db, {
      createdBy: s.session.user.id,
      workspaceId: s.session.workspace.id,
    }))!;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await t?.close();
  });

  it('pushes the count at once and after each committed change, only to its member', async () => {
    const sa = await open(a.client);
    const sb = await open(b.client);
    expect(sa.status).toBe(200);
    expect(await unread(sa, 1)).toBe(0);
    expect(await unread(sb, 1)).toBe(0);

    await ping([b.userId]);
    expect(await unread(sb, 2)).toBe(1);

    // A rolled-back write announces nothing; the next committed one counts only itself.
    await expect(
      t.ctx.db.tenant(actor, async (tx) => {
        await notify(tx, actor, { userIds: [b.userId], kind: 'test_live' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await ping([b.userId, a.userId]);
    expect(await unread(sb, 3)).toBe(2);
    expect(await unread(sa, 2)).toBe(1);
    expect(sb.count('unread')).toBe(3);

    // Reading them (another tab, the API) pushes the new count too.
    const page = await b.client.get('/api/v1/notifications');
    await b.client.post(`/api/v1/notifications/${page.body.items[0].id}/read`);
    expect(await unread(sb, 4)).toBe(1);
    await b.client.post('/api/v1/notifications/read-all');
    expect(await unread(sb, 5)).toBe(0);
    // A heard nothing of B's reading.
    expect(sa.count('unread')).toBe(2);
  });

  it('keeps at most five streams of a member on a node, closing the oldest', async () => {
    const mine: SseReader[] = [];
    for (let i = 0; i < MAX_STREAMS_PER_MEMBER + 1; i++) {
      const s = await open(a.client);
      await s.nth('unread', 1);
      mine.push(s);
    }
    await expect.poll(() => mine[0]!.ended).toBe(true);
    expect(mine.slice(1).every((s) => !s.ended)).toBe(true);
    for (const s of mine) s.close();
  });

  it('refuses a stream without a session with the usual error', async () => {
    const s = await SseReader.open(`${base}/api/v1/notifications/stream`, {
      'accept-language': 'vi',
    });
    expect(s.status).toBe(401);
    expect(JSON.parse(s.body).error).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
