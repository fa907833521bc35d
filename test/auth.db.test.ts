import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/sql.js';
import { hashToken } from '../src/modules/auth/tokens.js';
import { Client, PASSWORD, addApiKey, addMember, setupAdmin } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

describe('accounts and sessions', () => {
  let t: TestApp;
  let admin: Client;
  let adminEmail: string;

  beforeAll(async () => {
    t = await createTestApp({ SEN_SESSION_IDLE_MINUTES: '30' });
    const s = await setupAdmin(t.app);
    admin = s.admin;
    adminEmail = s.email;
  });
  afterAll(() => t?.close());

  it('reports setup as done and refuses a second setup', async () => {
    const c = new Client(t.app);
    expect((await c.get('/api/v1/setup')).body).toEqual({ needsSetup: false });
    const again = await c.post('/api/v1/setup', {
      workspaceName: 'Other',
      name: 'Eve',
      email: 'eve@example.vn',
      password: PASSWORD,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_SET_UP');
  });

  it('signs in with a new token each time, with an httpOnly SameSite cookie', async () => {
    const c = new Client(t.app);
    const first = await c.post('/api/v1/auth/sign-in', { email: adminEmail, password: PASSWORD });
    expect(first.status).toBe(200);
    const token1 = c.cookie;
    const cookieHeader = String(first.headers['set-cookie']);
    expect(cookieHeader).toMatch(/HttpOnly/i);
    expect(cookieHeader).toMatch(/SameSite=Lax/i);
    await c.post('/api/v1/auth/sign-in', { email: adminEmail.toUpperCase(), password: PASSWORD });
    expect(c.cookie).not.toBe(token1);
    // The stored value is a hash, never the token itself.
    const stored = await t.ctx.db.system((tx) =>
      queryRows<{ token_hash: string }>(tx, sql`SELECT token_hash FROM sessions`),
    );
    expect(stored.map((s) => s.token_hash)).not.toContain(token1);
  });

  it('rejects a forged session cookie', async () => {
    const c = new Client(t.app);
    c.cookie = 'forged-token-value';
    const res = await c.get('/api/v1/auth/session');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('answers the current session, or null without an error when not signed in', async () => {
    // No cookie, a forged one, a signed-out one: 200 with session null (the web app's first visit).
    const anon = new Client(t.app);
    const none = await anon.get('/api/v1/auth/current-session');
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ session: null });
    anon.cookie = 'forged-token-value';
    expect((await anon.get('/api/v1/auth/current-session')).body).toEqual({ session: null });

    const c = new Client(t.app);
    await c.post('/api/v1/auth/sign-in', { email: adminEmail, password: PASSWORD });
    const token = c.cookie;
    const signedIn = await c.get('/api/v1/auth/current-session');
    expect(signedIn.status).toBe(200);
    // The same session GET /auth/session answers, CSRF token included.
    expect(signedIn.body.session).toEqual((await c.get('/api/v1/auth/session')).body);
    expect(signedIn.body.session.user.email).toBe(adminEmail);
    expect(signedIn.body.session.csrfToken).toEqual(expect.any(String));

    await c.post('/api/v1/auth/sign-out');
    c.cookie = token;
    const after = await c.get('/api/v1/auth/current-session');
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ session: null });
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const noToken = await admin.request(
      'POST',
      '/api/v1/teams',
      { name: 'X' },
      { 'x-csrf-token': '' },
    );
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('CSRF_FAILED');
    const wrong = await admin.request(
      'POST',
      '/api/v1/teams',
      { name: 'X' },
      { 'x-csrf-token': 'nope' },
    );
    expect(wrong.status).toBe(403);
    expect((await admin.get('/api/v1/teams')).body.items).toEqual([]);
  });

  it('rejects weak and common passwords', async () => {
    const m = await addMember(t.app, admin, 'viewer');
    const short = await m.client.post('/api/v1/me/password', {
      currentPassword: PASSWORD,
      newPassword: 'abc',
    });
    expect(short.status).toBe(400);
    expect(short.body.error.details.fields[0].path).toBe('newPassword');
    const common = await m.client.post('/api/v1/me/password', {
      currentPassword: PASSWORD,
      newPassword: 'password123',
    });
    expect(common.status).toBe(400);
    expect(common.body.error.details.fields[0].message).toMatch(/phổ biến/);
  });

  it('locks an account after 5 failed sign-ins, even for the right password', async () => {
    const m = await addMember(t.app, admin, 'sales', 'Lê Văn Cường');
    const c = new Client(t.app);
    for (let i = 0; i < 5; i++) {
      const r = await c.post('/api/v1/auth/sign-in', {
        email: m.email,
        password: `wrong-${i}-password`,
      });
      expect(r.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    const locked = await c.post('/api/v1/auth/sign-in', { email: m.email, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Other accounts from elsewhere are unaffected.
    const other = await new Client(t.app).post('/api/v1/auth/sign-in', {
      email: adminEmail,
      password: PASSWORD,
    });
    expect(other.status).toBe(200);
  });

  it('throttles a client address that fails across many accounts', async () => {
    const c = new Client(t.app);
    let last = 0;
    for (let i = 0; i < 31; i++) {
      const r = await c.request(
        'POST',
        '/api/v1/auth/sign-in',
        {
          email: `nobody${i}@example.vn`,
          password: 'whatever-password',
        },
        { 'x-forwarded-for': '203.0.113.7' },
      );
      last = r.status;
      if (r.status === 429) {
        expect(r.body.error.code).toBe('RATE_LIMITED');
        break;
      }
    }
    expect(last).toBe(429);
    // The lock is shared by every test of this file (same client address): lift it.
    await t.ctx.db.system((tx) => tx.execute(sql`DELETE FROM rate_limits`));
  });

  it('ends the session on sign-out', async () => {
    const c = new Client(t.app);
    await c.post('/api/v1/auth/sign-in', { email: adminEmail, password: PASSWORD });
    const token = c.cookie;
    expect((await c.post('/api/v1/auth/sign-out')).status).toBe(204);
    c.cookie = token;
    expect((await c.get('/api/v1/auth/session')).status).toBe(401);
  });

  it('expires sessions after the idle and the absolute timeout', async () => {
    const idle = new Client(t.app);
    await idle.post('/api/v1/auth/sign-in', { email: adminEmail, password: PASSWORD });
    const absolute = new Client(t.app);
    await absolute.post('/api/v1/auth/sign-in', { email: adminEmail, password: PASSWORD });
    await t.ctx.db.system(async (tx) => {
      const abs = hashToken(absolute.cookie ?? '');
      const idl = hashToken(idle.cookie ?? '');
      await tx.execute(
        sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = ${abs}`,
      );
      await tx.execute(
        sql`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE token_hash = ${idl}`,
      );
    });
    for (const c of [idle, absolute]) {
      const r = await c.get('/api/v1/auth/session');
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('SESSION_EXPIRED');
    }
  });

  it('kills the sessions of a deactivated user, who can no longer sign in', async () => {
    const m = await addMember(t.app, admin, 'support', 'Phạm Thị Dung');
    expect((await m.client.get('/api/v1/auth/session')).status).toBe(200);
    const res = await admin.patch(`/api/v1/users/${m.userId}`, { status: 'deactivated' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('deactivated');
    expect((await m.client.get('/api/v1/auth/session')).status).toBe(401);
    const again = await new Client(t.app).post('/api/v1/auth/sign-in', {
      email: m.email,
      password: PASSWORD,
    });
    expect(again.status).toBe(401);
  });

  it('remembers the language per user and answers errors in it', async () => {
    const m = await addMember(t.app, admin, 'marketing', 'Đỗ Minh Đức');
    m.client.language = 'vi';
    const me = await m.client.patch('/api/v1/me', { locale: 'en' });
    expect(me.body.user.locale).toBe('en');
    const session = await m.client.get('/api/v1/auth/session');
    expect(session.body.user.locale).toBe('en');
    const denied = await m.client.post('/api/v1/teams', { name: 'Nope' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('You do not have permission to do this.');
    const anon = new Client(t.app);
    anon.language = 'vi';
    expect((await anon.get('/api/v1/auth/session')).body.error.message).toBe('Bạn cần đăng nhập.');
  });

  it('switches between workspaces the user belongs to', async () => {
    const before = await admin.get('/api/v1/auth/session');
    const created = await admin.post('/api/v1/workspaces', { name: 'Chi nhánh Sài Gòn' });
    expect(created.status).toBe(201);
    expect(created.body.workspace.name).toBe('Chi nhánh Sài Gòn');
    expect(created.body.workspaces).toHaveLength(2);
    const back = await admin.post('/api/v1/auth/switch-workspace', {
      workspaceId: before.body.workspace.id,
    });
    expect(back.status).toBe(200);
    expect(back.body.workspace.id).toBe(before.body.workspace.id);
    // The next sign-in opens the workspace used last, not the one joined last.
    const again = new Client(t.app);
    const signedIn = await again.post('/api/v1/auth/sign-in', {
      email: before.body.user.email,
      password: PASSWORD,
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.workspace.id).toBe(before.body.workspace.id);
    await admin.post('/api/v1/auth/switch-workspace', { workspaceId: created.body.workspace.id });
    const third = new Client(t.app);
    await third.post('/api/v1/auth/sign-in', { email: before.body.user.email, password: PASSWORD });
    expect((await third.get('/api/v1/auth/session')).body.workspace.id).toBe(
      created.body.workspace.id,
    );
    const stranger = await admin.post('/api/v1/auth/switch-workspace', {
      workspaceId: '01900000-0000-7000-8000-000000000000',
    });
    expect(stranger.status).toBe(404);
  });
});

describe('API keys', () => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
  });
  afterAll(() => t?.close());

  it('authenticates with Bearer, limited to its scopes, shown once and stored hashed', async () => {
    const created = await admin.post('/api/v1/api-keys', {
      name: 'Kế toán',
      scopes: ['teams:read'],
    });
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^sen_/);
    const list = await admin.get('/api/v1/api-keys');
    expect(JSON.stringify(list.body)).not.toContain(secret);
    const stored = await t.ctx.db.system((tx) =>
      queryRows<{ secret_hash: string }>(tx, sql`SELECT secret_hash FROM api_keys`),
    );
    expect(stored[0]?.secret_hash).not.toBe(secret);

    const key = new Client(t.app);
    key.bearer = secret;
    expect((await key.get('/api/v1/teams')).status).toBe(200);
    const write = await key.post('/api/v1/teams', { name: 'Via key' });
    expect(write.status).toBe(403);
    expect((await key.get('/api/v1/users')).status).toBe(403);

    expect((await admin.delete(`/api/v1/api-keys/${created.body.apiKey.id}`)).status).toBe(204);
    expect((await key.get('/api/v1/teams')).status).toBe(401);
  });

  it('records the channel of key writes in the audit log', async () => {
    const { client: key, id } = await addApiKey(admin, 'Sync', ['teams:create', 'teams:read']);
    const team = await key.post('/api/v1/teams', { name: 'Từ API' });
    expect(team.status).toBe(201);
    const audit = await admin.get(`/api/v1/audit-log?objectType=team&objectId=${team.body.id}`);
    expect(audit.body.items[0]).toMatchObject({
      channel: 'api',
      action: 'create',
      actor: { type: 'api_key', id },
      changes: { name: { from: null, to: 'Từ API' } },
    });
  });

  it('rejects unknown scopes and malformed Authorization headers', async () => {
    const bad = await admin.post('/api/v1/api-keys', { name: 'x', scopes: ['contacts:fly'] });
    expect(bad.status).toBe(400);
    const key = new Client(t.app);
    key.bearer = 'sen_notarealkey';
    expect((await key.get('/api/v1/teams')).status).toBe(401);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/teams',
      headers: { authorization: 'Basic abc' },
    });
    expect(res.statusCode).toBe(401);
  });
});
