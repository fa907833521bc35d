/**
 * GETs that opt in (config.cachedPrincipal) start on this node's cached principal, which the
 * database confirms with their first read in the same round trip (PostgreSQL; PGlite always
 * authenticates first). Whatever the cache holds, every change to a principal takes effect on
 * the very next request: sign-out, deactivation, a role change, a revoked key.
 */
import { sql } from 'drizzle-orm';
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

  it('a repeated GET authenticates in the same round trip as its read (PostgreSQL)', async () => {
    expect((await admin.get('/api/v1/contacts')).status).toBe(200);
    const calls = await authCalls(async () => {
      const res = await admin.get('/api/v1/contacts');
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(2);
    });
    expect(calls).toBe(t.ctx.db.kind === 'postgres' ? 0 : 1);
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
});
