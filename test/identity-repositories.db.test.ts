/**
 * The paths whose SQL moved from the services of roles, API keys, members, auth and workspaces
 * into their repositories, each through the real stack: what they answer and what they refuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUserFromCli } from '../src/modules/members/members.service.js';
import { listAllWorkspaces } from '../src/modules/workspaces/workspaces.service.js';
import { Client, PASSWORD, addMember, setupAdmin, uniqueEmail } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

describe('roles, API keys, members, sessions and workspaces through their repositories', () => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
  });
  afterAll(() => t.close());

  it('API keys: listed without their secret, revoked once, then gone', async () => {
    const created = await admin.post('/api/v1/api-keys', {
      name: 'Kế toán',
      scopes: ['contacts:read'],
    });
    expect(created.status).toBe(201);
    const id = created.body.apiKey.id as string;
    expect(created.body.apiKey).toMatchObject({ name: 'Kế toán', scopes: ['contacts:read'] });
    const listed = (await admin.get('/api/v1/api-keys')).body.items;
    expect(listed.map((k: { id: string }) => k.id)).toEqual([id]);
    expect(JSON.stringify(listed)).not.toContain(created.body.secret);
    expect((await admin.delete(`/api/v1/api-keys/${id}`)).status).toBe(204);
    expect((await admin.delete(`/api/v1/api-keys/${id}`)).status).toBe(404);
    expect((await admin.get('/api/v1/api-keys')).body.items).toEqual([]);
  });

  it('roles: built-in first, member counts, edits, and no deletion while in use', async () => {
    const roles = (await admin.get('/api/v1/roles')).body.items;
    expect(roles[0].key).toBe('admin');
    expect(roles[0].memberCount).toBe(1);
    expect((await admin.patch(`/api/v1/roles/${roles[0].id}`, { name: 'x' })).status).toBe(403);

    const created = await admin.post('/api/v1/roles', {
      name: 'Thực tập',
      permissions: { contacts: { read: true, scope: 'own' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ builtIn: false, memberCount: 0, description: '' });
    const id = created.body.id as string;
    const edited = await admin.patch(`/api/v1/roles/${id}`, { description: 'Ba tháng' });
    expect(edited.body).toMatchObject({ name: 'Thực tập', description: 'Ba tháng' });
    expect((await admin.get('/api/v1/roles')).body.items.at(-1).id).toBe(id);

    const m = await addMember(t.app, admin, 'viewer');
    expect((await admin.patch(`/api/v1/users/${m.userId}`, { roleId: id })).status).toBe(200);
    expect((await admin.get(`/api/v1/roles/${id}`)).body.memberCount).toBe(1);
    expect((await admin.delete(`/api/v1/roles/${id}`)).status).toBe(409);
    await admin.patch(`/api/v1/users/${m.userId}`, { roleId: m.roleId });
    expect((await admin.delete(`/api/v1/roles/${id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/roles/${id}`)).status).toBe(404);
  });

  it('members: an unknown role is a field error', async () => {
    const m = await addMember(t.app, admin, 'viewer');
    const res = await admin.patch(`/api/v1/users/${m.userId}`, {
      roleId: '01900000-0000-7000-8000-000000000000',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields[0].path).toBe('roleId');
  });

  it('an existing user accepts an invitation to another workspace with their own password', async () => {
    const m = await addMember(t.app, admin, 'viewer', 'Phạm Thị Dung');
    const home = (await admin.get('/api/v1/auth/session')).body.workspace.id as string;
    const branch = await admin.post('/api/v1/workspaces', { name: 'Chi nhánh Hà Nội' });
    expect(branch.status).toBe(201);
    try {
      const roles = (await admin.get('/api/v1/roles')).body.items;
      const sales = roles.find((r: { key: string | null }) => r.key === 'sales');
      const inv = await admin.post('/api/v1/invitations', { email: m.email, roleId: sales.id });
      expect(inv.status).toBe(201);
      const token = inv.body.url.split('/invite/')[1];
      const wrong = await new Client(t.app).post('/api/v1/invitations/accept', {
        token,
        name: 'ignored',
        password: 'not the password at all',
      });
      expect(wrong.status).toBe(401);
      const accepted = await new Client(t.app).post('/api/v1/invitations/accept', {
        token,
        name: 'ignored',
        password: PASSWORD,
      });
      expect(accepted.status).toBe(200);
      expect(accepted.body.user.name).toBe('Phạm Thị Dung'); // the account's, not the form's
      expect(accepted.body.role.key).toBe('sales');
      expect(accepted.body.workspace.id).toBe(branch.body.workspace.id);
    } finally {
      await admin.post('/api/v1/auth/switch-workspace', { workspaceId: home });
    }
  });

  it('a password change ends the other sessions and keeps this one', async () => {
    const m = await addMember(t.app, admin, 'viewer');
    const elsewhere = new Client(t.app);
    const signIn = await elsewhere.post('/api/v1/auth/sign-in', {
      email: m.email,
      password: PASSWORD,
    });
    expect(signIn.status).toBe(200);
    const newPassword = 'another horse battery staple';
    const changed = await m.client.post('/api/v1/me/password', {
      currentPassword: PASSWORD,
      newPassword,
    });
    expect(changed.status).toBe(204);
    expect((await m.client.get('/api/v1/auth/session')).status).toBe(200);
    expect((await elsewhere.get('/api/v1/auth/session')).status).toBe(401);
    const session = (await m.client.get('/api/v1/auth/session')).body;
    expect(session).toMatchObject({ role: { key: 'viewer' }, user: { email: m.email } });
  });

  it('the CLI adds a user with a built-in role; the workspace list counts active members', async () => {
    const before = await listAllWorkspaces(t.ctx);
    const email = uniqueEmail('cli');
    const added = await addUserFromCli(t.ctx, {
      email,
      name: 'Lê Văn Cường',
      password: PASSWORD,
      workspace: before[0]!.id,
      roleKey: 'manager',
    });
    expect(added.email).toBe(email);
    const after = await listAllWorkspaces(t.ctx);
    const count = (list: typeof before) => list.find((w) => w.id === before[0]!.id)?.members;
    expect(count(after)).toBe(count(before)! + 1);
    await expect(
      addUserFromCli(t.ctx, {
        email: uniqueEmail('cli'),
        name: 'x',
        password: PASSWORD,
        workspace: before[0]!.id,
        roleKey: 'no-such-role',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
