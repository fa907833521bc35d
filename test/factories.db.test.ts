import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/sql.js';
import {
  buildCompany,
  buildContact,
  buildUser,
  buildWorkspace,
} from '../src/modules/demo/factories.js';
import { Client, signedIn } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

/** The factories shared by the tests and `sen demo` build rows the product itself can use. */
describe('factories', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('buildContact() alone makes a workspace and an owner who sees the contact', async () => {
    const contact = await buildContact(t.ctx.db, {
      familyName: 'Nguyễn',
      middleName: 'Thị',
      givenName: 'Hồng Nhung',
      phones: ['0912 345 678'],
      emails: ['Nhung.Nguyen@Sen.vn'],
    });
    expect(contact.displayName).toBe('Nguyễn Thị Hồng Nhung');
    expect(contact.primaryPhone).toBe('+84912345678');
    expect(contact.primaryEmail).toBe('nhung.nguyen@sen.vn');
    expect(contact.ownerId).toEqual(expect.any(String));

    // The owner is the admin of a workspace of its own, with the built-in roles.
    const members = await t.ctx.db.system((tx) =>
      queryRows<{ user_id: string; key: string }>(
        tx,
        sql`SELECT m.user_id, r.key FROM workspace_members m JOIN roles r ON r.id = m.role_id
            WHERE m.workspace_id = ${contact.workspaceId} AND m.status = 'active'`,
      ),
    );
    expect(members).toEqual([{ user_id: contact.ownerId, key: 'admin' }]);

    const owner = await signedIn(t.app, t.ctx.db, {
      id: contact.ownerId ?? '',
      workspaceId: contact.workspaceId,
    });
    const read = await owner.get(`/api/v1/contacts/${contact.id}`);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body).toMatchObject({
      displayName: 'Nguyễn Thị Hồng Nhung',
      ownerId: contact.ownerId,
    });
    // Stored with the search keys the records service writes: search finds it without diacritics.
    const hits = await owner.get(`/api/v1/search?q=${encodeURIComponent('hong nhung')}`);
    expect(hits.body.items.map((h: { id: string }) => h.id)).toEqual([contact.id]);
    expect((await owner.get('/api/v1/search?q=0912345678')).body.items).toHaveLength(1);

    // A second call makes a second workspace: its admin cannot see the first contact.
    const other = await buildContact(t.ctx.db);
    expect(other.workspaceId).not.toBe(contact.workspaceId);
    const stranger = await signedIn(t.app, t.ctx.db, {
      id: other.ownerId ?? '',
      workspaceId: other.workspaceId,
    });
    expect((await stranger.get(`/api/v1/contacts/${contact.id}`)).status).toBe(404);
  });

  it('buildUser() adds a member with a role; a record given only its owner lands in their workspace', async () => {
    const workspace = await buildWorkspace(t.ctx.db, { name: 'Công ty CP Sông Hồng' });
    const rep = await buildUser(t.ctx.db, { workspaceId: workspace.id, roleKey: 'sales' });
    expect(rep).toMatchObject({
      workspaceId: workspace.id,
      roleKey: 'sales',
      roleId: workspace.roleIds.sales,
    });

    const mine = await buildContact(t.ctx.db, { ownerId: rep.id, displayName: 'Lý Thị Mai' });
    const theirs = await buildContact(t.ctx.db, { workspaceId: workspace.id });
    const company = await buildCompany(t.ctx.db, {
      ownerId: rep.id,
      name: 'Công ty TNHH Mai Vàng',
    });
    expect(mine.workspaceId).toBe(workspace.id);
    expect(theirs.ownerId).toBe(workspace.admin.id);
    expect(company).toMatchObject({ workspaceId: workspace.id, ownerId: rep.id });

    // The sales role sees its own records only; the admin sees both contacts.
    const repClient = await signedIn(t.app, t.ctx.db, rep);
    const listed = await repClient.get('/api/v1/contacts');
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([mine.id]);
    expect(
      (await repClient.get('/api/v1/companies')).body.items.map((i: { id: string }) => i.id),
    ).toEqual([company.id]);
    const admin = await signedIn(t.app, t.ctx.db, workspace.admin);
    const all = await admin.get('/api/v1/contacts');
    expect(all.body.items.map((i: { id: string }) => i.id).sort()).toEqual(
      [mine.id, theirs.id].sort(),
    );
    // The membership was added by the admin, as the invitation flow records it.
    const audit = await t.ctx.db.system((tx) =>
      queryRows<{ actor_id: string }>(
        tx,
        sql`SELECT actor_id FROM audit_log WHERE workspace_id = ${workspace.id}
            AND object_type = 'member' AND object_id = ${rep.id}`,
      ),
    );
    expect(audit).toEqual([{ actor_id: workspace.admin.id }]);
  });

  it('a user built with a password signs in with it; one built without cannot', async () => {
    const password = 'Hoa-sen-2024!factory';
    const withPassword = await buildUser(t.ctx.db, { password, roleKey: 'viewer' });
    const c = new Client(t.app);
    const ok = await c.post('/api/v1/auth/sign-in', { email: withPassword.email, password });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);

    const without = await buildUser(t.ctx.db, { workspaceId: withPassword.workspaceId });
    const refused = await new Client(t.app).post('/api/v1/auth/sign-in', {
      email: without.email,
      password: '!no-password',
    });
    expect(refused.status).toBe(401);
  });
});
