import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

/**
 * The last used view of each object's list, per user, kept on the server (last_used_views): a
 * reload or another device opens the list with it. GET /views says which one it is.
 */
describe('last used view', () => {
  let t: TestApp;
  let admin: Client;
  let manager: Awaited<ReturnType<typeof addMember>>;
  const view: Record<string, string> = {};

  const lastUsed = async (client: Client, object = 'contacts') => {
    const res = await client.get(`/api/v1/views?object=${object}`);
    expect(res.status).toBe(200);
    return res.body.lastUsedId as string | null;
  };
  const use = (client: Client, object: string, viewId: string | null) =>
    client.request('PUT', '/api/v1/views/last-used', { object, viewId });

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    manager = await addMember(t.app, admin, 'manager', 'Lê Thị Quản');
    const definition = { kind: 'table', filter: null };
    for (const [key, object, shared] of [
      ['mine', 'contacts', false],
      ['shared', 'contacts', true],
      ['companies', 'companies', false],
    ] as const) {
      const res = await admin.post('/api/v1/views', { object, name: key, shared, definition });
      expect(res.status).toBe(201);
      view[key] = res.body.id;
    }
  });
  afterAll(() => t?.close());

  it('is null until a view is opened, then follows the user, per object', async () => {
    expect(await lastUsed(admin)).toBeNull();
    expect((await use(admin, 'contacts', view.mine!)).status).toBe(204);
    expect(await lastUsed(admin)).toBe(view.mine);
    // Another object keeps its own; another user their own.
    expect(await lastUsed(admin, 'companies')).toBeNull();
    expect((await use(admin, 'companies', view.companies!)).status).toBe(204);
    expect(await lastUsed(admin, 'companies')).toBe(view.companies);
    expect(await lastUsed(admin)).toBe(view.mine);
    expect(await lastUsed(manager.client)).toBeNull();
    expect((await use(manager.client, 'contacts', view.shared!)).status).toBe(204);
    expect(await lastUsed(manager.client)).toBe(view.shared);
    expect(await lastUsed(admin)).toBe(view.mine);
    // Back to every record.
    expect((await use(admin, 'contacts', null)).status).toBe(204);
    expect(await lastUsed(admin)).toBeNull();
  });

  it('accepts only a view of that object the user sees', async () => {
    // Someone else's private view (RLS hides it), a view of another object, no such view.
    expect((await use(manager.client, 'contacts', view.mine!)).status).toBe(404);
    expect((await use(admin, 'contacts', view.companies!)).status).toBe(404);
    expect((await use(admin, 'contacts', '01900000-0000-7000-8000-000000000000')).status).toBe(404);
    const bad = await use(admin, 'contacts', 'tất cả');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect((await use(admin, 'khong-co', null)).status).toBe(400);
    expect(
      (await admin.request('PUT', '/api/v1/views/last-used', { object: 'contacts' })).status,
    ).toBe(400);
    expect(await lastUsed(manager.client)).toBe(view.shared);
  });

  it('falls back to every record when the view is gone or no longer visible', async () => {
    expect((await use(admin, 'contacts', view.mine!)).status).toBe(204);
    expect((await admin.delete(`/api/v1/views/${view.mine}`)).status).toBe(204);
    expect(await lastUsed(admin)).toBeNull();
    // The shared view the manager uses goes private: the manager no longer sees it.
    expect(await lastUsed(manager.client)).toBe(view.shared);
    expect((await admin.patch(`/api/v1/views/${view.shared}`, { shared: false })).status).toBe(200);
    expect(await lastUsed(manager.client)).toBeNull();
  });
});
