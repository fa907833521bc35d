import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, setupAdmin, type Client } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

/**
 * @mentions in notes (#21): the mentioned members who may read the record are notified; one who
 * may not is not (nothing about the record reaches them) and the writer is told; someone outside
 * the workspace is refused; editing notifies only those newly mentioned.
 */
describe('mentions in notes', () => {
  let t: TestApp;
  let admin: Client;
  let adminId: string;
  let rep: Awaited<ReturnType<typeof addMember>>;
  let otherRep: Awaited<ReturnType<typeof addMember>>;
  let manager: Awaited<ReturnType<typeof addMember>>;
  let outsiderId: string;
  let contactId: string;

  const mention = (id: string, name: string) => `<span data-mention="${id}">@${name}</span>`;
  const mentions = async (client: Client) =>
    ((await client.get('/api/v1/notifications')).body.items as { kind: string; text: string }[])
      .filter((n) => n.kind === 'mention')
      .map((n) => n.text);

  beforeAll(async () => {
    t = await createTestApp();
    const s = await setupAdmin(t.app);
    admin = s.admin;
    adminId = s.session.user.id;
    rep = await addMember(t.app, admin, 'sales', 'Phan Thị Ánh');
    otherRep = await addMember(t.app, admin, 'sales', 'Bùi Văn Bảo');
    manager = await addMember(t.app, admin, 'manager', 'Lê Minh Châu');
    contactId = (await rep.client.post('/api/v1/contacts', { fullName: 'Nguyễn Thị Nhung' })).body
      .id;
    // A user of another workspace.
    const other = await setupAdminElsewhere();
    outsiderId = other;
  });
  afterAll(() => t?.close());

  /** A second workspace made by the admin, with a member of its own; back home after. */
  async function setupAdminElsewhere(): Promise<string> {
    const home = (await admin.get('/api/v1/auth/session')).body.workspace.id;
    const created = await admin.post('/api/v1/workspaces', { name: 'Chi nhánh Sài Gòn' });
    await admin.post('/api/v1/auth/switch-workspace', { workspaceId: created.body.workspace.id });
    const member = await addMember(t.app, admin, 'sales', 'Võ Văn Ngoài');
    await admin.post('/api/v1/auth/switch-workspace', { workspaceId: home });
    return member.userId;
  }

  it('notifies who may read the record and tells the writer about who may not', async () => {
    const res = await rep.client.post(`/api/v1/contacts/${contactId}/notes`, {
      bodyHtml: `<p>${mention(manager.userId, 'Lê Minh Châu')} và ${mention(otherRep.userId, 'Bùi Văn Bảo')} xem giúp em, ${mention(rep.userId, 'Phan Thị Ánh')}</p>`,
    });
    expect(res.status).toBe(201);
    expect(res.body.bodyHtml).toContain(
      `<span data-mention="${manager.userId}">@Lê Minh Châu</span>`,
    );
    // The other rep sees only their own contacts: not notified, and the writer is told.
    expect(res.body.unreachableMentions).toEqual([{ id: otherRep.userId, name: 'Bùi Văn Bảo' }]);
    expect(await mentions(manager.client)).toEqual([
      'Phan Thị Ánh nhắc đến bạn trong ghi chú ở liên hệ Nguyễn Thị Nhung',
    ]);
    expect(await mentions(otherRep.client)).toEqual([]);
    // Mentioning oneself notifies nobody.
    expect(await mentions(rep.client)).toEqual([]);
  });

  it('notifies only the newly mentioned when a note is edited', async () => {
    const created = await rep.client.post(`/api/v1/contacts/${contactId}/notes`, {
      bodyHtml: `<p>Hỏi ${mention(manager.userId, 'Lê Minh Châu')}</p>`,
    });
    expect(await mentions(manager.client)).toHaveLength(2);
    const edited = await rep.client.patch(`/api/v1/notes/${created.body.id}`, {
      bodyHtml: `<p>Hỏi ${mention(manager.userId, 'Lê Minh Châu')} và ${mention(adminId, 'An')}</p>`,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.unreachableMentions).toEqual([]);
    expect(await mentions(manager.client)).toHaveLength(2);
    expect(await mentions(admin)).toHaveLength(1);
  });

  it('refuses a mention of someone outside the workspace, and writes nothing', async () => {
    const before = (await rep.client.get(`/api/v1/contacts/${contactId}/notes`)).body.items.length;
    const res = await rep.client.post(`/api/v1/contacts/${contactId}/notes`, {
      bodyHtml: `<p>${mention(outsiderId, 'Võ Văn Ngoài')}</p>`,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields[0].path).toBe('bodyHtml');
    const after = (await rep.client.get(`/api/v1/contacts/${contactId}/notes`)).body.items.length;
    expect(after).toBe(before);
  });

  it('keeps only a well-formed mention attribute', async () => {
    const res = await rep.client.post(`/api/v1/contacts/${contactId}/notes`, {
      bodyHtml: '<p><span data-mention="x" onclick="alert(1)" class="a">@ai</span> ok</p>',
    });
    expect(res.status).toBe(201);
    expect(res.body.bodyHtml).toBe('<p><span>@ai</span> ok</p>');
  });
});
