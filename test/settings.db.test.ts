import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, PASSWORD, addMember, setupAdmin, uniqueEmail } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

describe('members, roles, teams and the audit log', () => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
  });
  afterAll(() => t?.close());

  it('invites by link; the invitee creates an account and joins with the role', async () => {
    const roles = (await admin.get('/api/v1/roles')).body.items;
    expect(roles.map((r: { key: string }) => r.key)).toEqual([
      'admin',
      'manager',
      'sales',
      'marketing',
      'support',
      'viewer',
    ]);
    const sales = roles.find((r: { key: string }) => r.key === 'sales');
    const email = uniqueEmail('hoa');
    const inv = await admin.post('/api/v1/invitations', { email, roleId: sales.id });
    expect(inv.status).toBe(201);
    expect(inv.body.url).toMatch(/\/invite\/[\w-]{20,}$/);
    const token = inv.body.url.split('/invite/')[1];
    const guest = new Client(t.app);
    expect((await guest.get(`/api/v1/invitations/lookup/${token}`)).body).toMatchObject({
      email,
      existingUser: false,
    });
    const accepted = await guest.post('/api/v1/invitations/accept', {
      token,
      name: 'Vũ Thị Hoa',
      password: PASSWORD,
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.role.key).toBe('sales');
    // Used once only.
    expect(
      (
        await new Client(t.app).post('/api/v1/invitations/accept', {
          token,
          name: 'X',
          password: PASSWORD,
        })
      ).status,
    ).toBe(404);
    const users = (await admin.get('/api/v1/users')).body.items;
    expect(users.find((u: { email: string }) => u.email === email)).toMatchObject({
      roleName: sales.name,
      status: 'active',
    });
  });

  it('changes a role, and keeps at least one active admin', async () => {
    const m = await addMember(t.app, admin, 'viewer');
    const roles = (await admin.get('/api/v1/roles')).body.items;
    const manager = roles.find((r: { key: string }) => r.key === 'manager');
    const changed = await admin.patch(`/api/v1/users/${m.userId}`, { roleId: manager.id });
    expect(changed.body.roleId).toBe(manager.id);
    const me = (await admin.get('/api/v1/auth/session')).body.user.id;
    const viewer = roles.find((r: { key: string }) => r.key === 'viewer');
    const demote = await admin.patch(`/api/v1/users/${me}`, { roleId: viewer.id });
    expect(demote.status).toBe(409);
    expect((await admin.get('/api/v1/auth/session')).body.role.key).toBe('admin');
  });

  it('custom roles: a permission matrix that the one check enforces', async () => {
    const created = await admin.post('/api/v1/roles', {
      name: 'Trưởng nhóm',
      permissions: { teams: { read: true, create: true, scope: 'team' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.permissions.teams).toMatchObject({
      read: true,
      create: true,
      update: false,
      delete: false,
    });
    expect(created.body.permissions.audit_log.read).toBe(false);
    const unknown = await admin.post('/api/v1/roles', {
      name: 'X',
      permissions: { spaceships: { read: true } },
    });
    expect(unknown.status).toBe(400);
    const m = await addMember(t.app, admin, 'viewer', 'Ngô Quyền');
    await admin.patch(`/api/v1/users/${m.userId}`, { roleId: created.body.id });
    const team = await m.client.post('/api/v1/teams', { name: 'Nhóm Bắc' });
    expect(team.status).toBe(201);
    expect((await m.client.patch(`/api/v1/teams/${team.body.id}`, { name: 'Đổi' })).status).toBe(
      403,
    );
    expect((await admin.delete(`/api/v1/roles/${created.body.id}`)).status).toBe(409);
    const builtin = (await admin.get('/api/v1/roles')).body.items[0];
    expect((await admin.patch(`/api/v1/roles/${builtin.id}`, { name: 'Boss' })).status).toBe(403);
  });

  it('teams with members', async () => {
    const a = await addMember(t.app, admin, 'sales', 'Đặng Văn Lâm');
    const team = await admin.post('/api/v1/teams', { name: 'Miền Nam', memberIds: [a.userId] });
    expect(team.body.memberIds).toEqual([a.userId]);
    const bad = await admin.post('/api/v1/teams', {
      name: 'Ghost',
      memberIds: ['01900000-0000-7000-8000-000000000000'],
    });
    expect(bad.status).toBe(400);
    const emptied = await admin.patch(`/api/v1/teams/${team.body.id}`, { memberIds: [] });
    expect(emptied.body.memberIds).toEqual([]);
  });

  it('audits who changed which field from what to what, with cursor pagination', async () => {
    const team = await admin.post('/api/v1/teams', { name: 'Cũ' });
    await admin.patch(`/api/v1/teams/${team.body.id}`, { name: 'Mới' });
    await admin.delete(`/api/v1/teams/${team.body.id}`);
    const log = await admin.get(`/api/v1/audit-log?objectType=team&objectId=${team.body.id}`);
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual([
      'delete',
      'update',
      'create',
    ]);
    expect(log.body.items[1]).toMatchObject({
      channel: 'web',
      actor: { type: 'user', name: 'Nguyễn Văn An' },
      changes: { name: { from: 'Cũ', to: 'Mới' } },
    });
    const page1 = await admin.get('/api/v1/audit-log?limit=2');
    expect(page1.body.items).toHaveLength(2);
    const page2 = await admin.get(`/api/v1/audit-log?limit=2&cursor=${page1.body.nextCursor}`);
    expect(Number(page2.body.items[0].id)).toBeLessThan(Number(page1.body.items[1].id));
  });

  it('workspace settings', async () => {
    const res = await admin.patch('/api/v1/workspace', {
      name: 'Sen Việt',
      timezone: 'Asia/Bangkok',
    });
    expect(res.body).toMatchObject({ name: 'Sen Việt', timezone: 'Asia/Bangkok', currency: 'VND' });
    expect((await admin.patch('/api/v1/workspace', { timezone: 'Mars/Olympus' })).status).toBe(400);
  });
});
