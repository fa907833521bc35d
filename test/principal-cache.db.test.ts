/**
 * GETs that opt in (config.cachedPrincipal) start on this node's cached principal, which the
 * database confirms with their first read (in the same round trip on PostgreSQL, as the first
 * statement of the read's transaction on PGlite) by its stamp: the workspace's auth_version, bumped by triggers with every
 * change to a principal (migration 0012). Whatever the cache holds, every change takes effect on
 * the very next request: sign-out, deactivation, a role change or edit, a team change, a profile
 * change, a revoked key.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pgErrorCode, queryOne } from '../src/db/sql.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashToken } from '../src/modules/auth/tokens.js';
import { Client, addApiKey, addMember, setupAdmin } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

describe('cached principals', () => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    for (const name of ['Nguyễn Văn An', 'Trần Thị Bình']) {
      expect((await admin.post('/api/v1/contacts', { displayName: name })).status).toBe(201);
    }
  });
  afterAll(() => t.close());

  /** Authentication round trips (appQuery calls) made while fn runs. */
  async function authCalls(fn: () => Promise<unknown>): Promise<number> {
    const spy = vi.spyOn(t.ctx.db, 'appQuery');
    try {
      await fn();
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  }

  it('a repeated GET authenticates with its read (same round trip on PostgreSQL, same transaction on PGlite)', async () => {
    expect((await admin.get('/api/v1/contacts')).status).toBe(200);
    const calls = await authCalls(async () => {
      const res = await admin.get('/api/v1/contacts');
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(2);
    });
    expect(calls).toBe(0);
    // Writes always authenticate first.
    expect(
      await authCalls(() => admin.post('/api/v1/contacts', { displayName: 'Lê Văn Cường' })),
    ).toBeGreaterThan(0);
  });

  it('a signed-out session is refused on its next GET', async () => {
    const { admin: other } = await setupAdminLike();
    expect((await other.get('/api/v1/contacts')).status).toBe(200);
    const cookie = other.cookie;
    expect((await other.post('/api/v1/auth/sign-out')).status).toBe(204);
    const stale = new Client(t.app);
    stale.cookie = cookie;
    const res = await stale.get('/api/v1/contacts');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('an idle session expires on its next GET with SESSION_EXPIRED', async () => {
    const { admin: other } = await setupAdminLike();
    expect((await other.get('/api/v1/contacts')).status).toBe(200);
    await t.ctx.db.system((tx) =>
      tx.execute(
        sql`UPDATE sessions SET last_seen_at = now() - make_interval(secs => ${t.ctx.config.sessionIdleMs / 1000 + 60})
             WHERE token_hash = ${hashToken(other.cookie ?? '')}`,
      ),
    );
    const res = await other.get('/api/v1/contacts');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('SESSION_EXPIRED');
  });

  it('a role change applies to the next GET: scope and permission', async () => {
    const sales = await addMember(t.app, admin, 'sales', 'Phạm Thị Dung');
    expect(
      (await sales.client.post('/api/v1/contacts', { displayName: 'Khách của Dung' })).status,
    ).toBe(201);
    // Sales: own scope.
    expect((await sales.client.get('/api/v1/contacts')).body.items).toHaveLength(1);
    expect((await sales.client.get('/api/v1/contacts/count')).body.count).toBe(1);
    const roles = (await admin.get('/api/v1/roles')).body.items as { id: string; key: string }[];
    const byKey = (key: string) => roles.find((r) => r.key === key)?.id;
    // Manager: every contact.
    await admin.patch(`/api/v1/users/${sales.userId}`, { roleId: byKey('manager') });
    const all = await sales.client.get('/api/v1/contacts');
    expect(all.status).toBe(200);
    expect(all.body.items.length).toBeGreaterThan(1);
    // A role that may not read contacts: refused at once, then allowed again at once.
    const custom = await admin.post('/api/v1/roles', {
      name: 'Chỉ xem nhóm',
      permissions: { teams: { read: true, scope: 'all' } },
    });
    expect(custom.status).toBe(201);
    await admin.patch(`/api/v1/users/${sales.userId}`, { roleId: custom.body.id });
    expect((await sales.client.get('/api/v1/contacts')).status).toBe(403);
    await admin.patch(`/api/v1/users/${sales.userId}`, { roleId: byKey('manager') });
    expect((await sales.client.get('/api/v1/contacts')).status).toBe(200);
  });

  it('a deactivated member is signed out on the next GET', async () => {
    const m = await addMember(t.app, admin, 'manager', 'Hoàng Văn Em');
    expect((await m.client.get('/api/v1/contacts')).status).toBe(200);
    expect((await m.client.get('/api/v1/search?q=nguyen')).status).toBe(200);
    await admin.patch(`/api/v1/users/${m.userId}`, { status: 'deactivated' });
    expect((await m.client.get('/api/v1/contacts')).status).toBe(401);
    expect((await m.client.get('/api/v1/search?q=nguyen')).status).toBe(401);
  });

  it('a revoked API key is refused on its next GET', async () => {
    const { client: key, id } = await addApiKey(admin, 'tích hợp', ['contacts:read']);
    expect((await key.get('/api/v1/contacts')).status).toBe(200);
    expect((await key.get('/api/v1/contacts')).status).toBe(200);
    expect((await admin.delete(`/api/v1/api-keys/${id}`)).status).toBe(204);
    expect((await key.get('/api/v1/contacts')).status).toBe(401);
  });

  /** A second workspace with its own admin (sign-out must not touch the shared admin). */
  async function setupAdminLike() {
    const m = await addMember(t.app, admin, 'admin', 'Vũ Thị Giang');
    return { admin: m.client };
  }

  it('a role edited in place applies to the next GET', async () => {
    const custom = await admin.post('/api/v1/roles', {
      name: 'Đọc khách hàng',
      permissions: { contacts: { read: true, scope: 'all' } },
    });
    expect(custom.status).toBe(201);
    const m = await addMember(t.app, admin, 'viewer', 'Đặng Văn Hải');
    expect(
      (await admin.patch(`/api/v1/users/${m.userId}`, { roleId: custom.body.id })).status,
    ).toBe(200);
    expect((await m.client.get('/api/v1/contacts')).status).toBe(200);
    expect((await m.client.get('/api/v1/contacts')).status).toBe(200);
    const edited = await admin.patch(`/api/v1/roles/${custom.body.id}`, {
      permissions: { teams: { read: true, scope: 'all' } },
    });
    expect(edited.status).toBe(200);
    expect((await m.client.get('/api/v1/contacts')).status).toBe(403);
  });

  it('a team change applies to the next GET (team scope)', async () => {
    const teamRole = await admin.post('/api/v1/roles', {
      name: 'Bán hàng theo nhóm',
      permissions: { contacts: { read: true, create: true, scope: 'team' } },
    });
    expect(teamRole.status).toBe(201);
    const x = await addMember(t.app, admin, 'viewer', 'Lý Thị Ích');
    const y = await addMember(t.app, admin, 'viewer', 'Mai Văn Khoa');
    for (const u of [x, y]) {
      expect(
        (await admin.patch(`/api/v1/users/${u.userId}`, { roleId: teamRole.body.id })).status,
      ).toBe(200);
    }
    const theirs = await y.client.post('/api/v1/contacts', { displayName: 'Khách của Khoa' });
    expect(theirs.status).toBe(201);
    const visible = async () =>
      ((await x.client.get('/api/v1/contacts')).body.items as { id: string }[]).some(
        (c) => c.id === theirs.body.id,
      );
    expect(await visible()).toBe(false);
    expect(await visible()).toBe(false);
    const team = await admin.post('/api/v1/teams', {
      name: 'Nhóm Ích–Khoa',
      memberIds: [x.userId, y.userId],
    });
    expect(team.status).toBe(201);
    expect(await visible()).toBe(true);
    expect(
      (await admin.patch(`/api/v1/teams/${team.body.id}`, { memberIds: [x.userId] })).status,
    ).toBe(200);
    expect(await visible()).toBe(false);
  });

  it("a profile change applies to the next GET: the language of the user's errors", async () => {
    const m = await addMember(t.app, admin, 'manager', 'Ngô Thị Lan');
    const missing = `/api/v1/contacts/${randomUUID()}`;
    const before = await m.client.get(missing);
    expect(before.status).toBe(404);
    expect((await m.client.get(missing)).body.error.message).toBe(before.body.error.message);
    expect((await m.client.patch('/api/v1/me', { locale: 'en' })).status).toBe(200);
    const after = await m.client.get(missing);
    expect(after.status).toBe(404);
    expect(after.body.error.message).not.toBe(before.body.error.message);
    expect(after.body.error.message).toMatch(/not found/i);
  });

  it('bumps the auth stamp with every change to a principal, and only then', async () => {
    const m = await addMember(t.app, admin, 'sales', 'Phan Văn Minh');
    const key = await addApiKey(m.client, 'khóa của Minh', ['contacts:read']);
    expect((await key.client.get('/api/v1/contacts')).status).toBe(200);
    const ws = (await m.client.get('/api/v1/auth/session')).body.workspace.id as string;
    const team = await admin.post('/api/v1/teams', { name: 'Nhóm Minh' });
    expect(team.status).toBe(201);
    const version = async () =>
      (
        await t.ctx.db.system((tx) =>
          queryOne<{ v: number }>(
            tx,
            sql`SELECT auth_version::int AS v FROM workspaces WHERE id = ${ws}`,
          ),
        )
      )?.v;
    const member = sql`user_id = ${m.userId} AND workspace_id = ${ws}`;
    const changes: [string, ReturnType<typeof sql>, boolean][] = [
      ['member role', sql`UPDATE workspace_members SET role_id = role_id WHERE ${member}`, true],
      ['member status', sql`UPDATE workspace_members SET status = status WHERE ${member}`, true],
      [
        'member last used',
        sql`UPDATE workspace_members SET last_used_at = now() WHERE ${member}`,
        false,
      ],
      ['role edited', sql`UPDATE roles SET permissions = permissions WHERE id = ${m.roleId}`, true],
      [
        'team joined',
        sql`INSERT INTO team_members (workspace_id, team_id, user_id) VALUES (${ws}, ${team.body.id}, ${m.userId})`,
        true,
      ],
      ['team left', sql`DELETE FROM team_members WHERE team_id = ${team.body.id}`, true],
      ['user renamed', sql`UPDATE users SET name = name WHERE id = ${m.userId}`, true],
      ['user locale', sql`UPDATE users SET locale = locale WHERE id = ${m.userId}`, true],
      [
        'user signed in',
        sql`UPDATE users SET last_sign_in_at = now() WHERE id = ${m.userId}`,
        false,
      ],
      ['session touched', sql`UPDATE sessions SET last_seen_at = now() WHERE ${member}`, false],
      [
        'session started',
        sql`INSERT INTO sessions (token_hash, csrf_token, user_id, workspace_id, expires_at) VALUES (${randomUUID()}, 'x', ${m.userId}, ${ws}, now() + interval '1 day')`,
        false,
      ],
      ['session ended', sql`DELETE FROM sessions WHERE ${member}`, true],
      ['key used', sql`UPDATE api_keys SET last_used_at = now() WHERE id = ${key.id}`, false],
      ['key revoked', sql`UPDATE api_keys SET revoked_at = now() WHERE id = ${key.id}`, true],
      [
        'workspace renamed',
        sql`UPDATE workspaces SET name = name, updated_at = now() WHERE id = ${ws}`,
        false,
      ],
    ];
    const seen: Record<string, boolean> = {};
    for (const [what, statement] of changes) {
      const v0 = await version();
      await t.ctx.db.system((tx) => tx.execute(statement));
      seen[what] = (await version()) !== v0;
    }
    expect(seen).toEqual(Object.fromEntries(changes.map(([what, , bumps]) => [what, bumps])));
  });

  it('the app role cannot move a stamp; a stamp names its workspace', async () => {
    const s = await admin.get('/api/v1/auth/session');
    const ctx = { workspaceId: s.body.workspace.id as string, userId: s.body.user.id as string };
    const moved = await t.ctx.db
      .tenant(ctx, (tx) =>
        tx.execute(sql`UPDATE workspaces SET auth_version = 0 WHERE id = ${ctx.workspaceId}`),
      )
      .catch((e: unknown) => e);
    expect(pgErrorCode(moved)).toBe('42501'); // insufficient_privilege
    const token = hashToken(admin.cookie ?? '');
    const resume = (stamp: string) =>
      t.ctx.db.appQuery<{ stamp: string | null; ws: string }>(
        'test_resume',
        `SELECT stamp, current_setting('sen.workspace_id', true) AS ws
           FROM (SELECT sen_session_resume($1, 3600, 60, $2) AS stamp OFFSET 0) r`,
        [token, stamp],
      );
    const [wrong] = await resume('not the stamp');
    expect(wrong?.stamp).toMatch(new RegExp(`^${ctx.workspaceId}/\\d+$`));
    expect(wrong?.ws ?? '').toBe('');
    const [right] = await resume(wrong?.stamp ?? '');
    expect(right).toEqual({ stamp: wrong?.stamp, ws: ctx.workspaceId });
    const [unknown] = await t.ctx.db.appQuery<{ stamp: string | null }>(
      'test_resume_unknown',
      'SELECT sen_session_resume($1, 3600, 60, $2) AS stamp',
      ['no such token', wrong?.stamp],
    );
    expect(unknown?.stamp).toBeNull();
  });
});
