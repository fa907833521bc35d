import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * The "team" visibility scope reads the same on every path that shows records (one helper,
 * src/core/scope.ts): lists, counts, search, export, related panels and the timeline. A
 * team-scoped user in no team sees exactly their own records everywhere; in a team, their
 * team mates' too.
 */
describe('team scope on every path', () => {
  let t: TestApp;
  let admin: Client;
  let member: Awaited<ReturnType<typeof addMember>>;
  let companyId: string;
  let own: string;
  let others: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    const role = await admin.post('/api/v1/roles', {
      name: 'Kinh doanh theo nhóm',
      permissions: {
        contacts: { read: true, create: true, update: true, export: true, scope: 'team' },
        companies: { read: true, scope: 'all' },
      },
    });
    expect(role.status).toBe(201);
    member = await addMember(t.app, admin, 'viewer', 'Đỗ Văn Tâm');
    expect(
      (await admin.patch(`/api/v1/users/${member.userId}`, { roleId: role.body.id })).status,
    ).toBe(200);
    const company = await admin.post('/api/v1/companies', { name: 'Công ty TNHH Hoa Sen' });
    companyId = company.body.id;
    const mine = await admin.post('/api/v1/contacts', {
      fullName: 'Trịnh Quang Minh',
      ownerId: member.userId,
    });
    const theirs = await admin.post('/api/v1/contacts', { fullName: 'Trịnh Văn Khải' });
    own = mine.body.id;
    others = theirs.body.id;
    for (const id of [own, others]) {
      expect((await admin.post(`/api/v1/contacts/${id}/companies`, { companyId })).status).toBe(
        200,
      );
      expect(
        (await admin.post(`/api/v1/contacts/${id}/notes`, { bodyHtml: `<p>ghi chú ${id}</p>` }))
          .status,
      ).toBe(201);
    }
  });
  afterAll(() => t?.close());

  async function visible(client: Client) {
    const list = await client.get('/api/v1/contacts');
    const count = await client.get('/api/v1/contacts/count');
    const search = await client.get('/api/v1/search?q=trinh');
    const exported = await client.get('/api/v1/contacts/export?columns=id');
    const panel = await client.get(`/api/v1/companies/${companyId}/contacts`);
    const timeline = await client.get(`/api/v1/companies/${companyId}/timeline?types=note`);
    return {
      list: list.body.items.map((c: { id: string }) => c.id).sort(),
      count: count.body.count,
      search: search.body.items
        .filter((h: { type: string }) => h.type === 'contacts')
        .map((h: { id: string }) => h.id)
        .sort(),
      exported: String(exported.body).split(/\r?\n/).slice(1).filter(Boolean).sort(),
      panel: panel.body.items.map((c: { id: string }) => c.id).sort(),
      timeline: [
        ...new Set(timeline.body.items.map((e: { recordId: string }) => e.recordId)),
      ].sort(),
    };
  }

  it('in no team: exactly their own records on every path', async () => {
    expect(await visible(member.client)).toEqual({
      list: [own],
      count: 1,
      search: [own],
      exported: [own],
      panel: [own],
      timeline: [own],
    });
  });

  it("in a team: their team mates' records too, on every path", async () => {
    const me = (await admin.get('/api/v1/auth/session')).body.user.id;
    const team = await admin.post('/api/v1/teams', {
      name: 'Miền Trung',
      memberIds: [me, member.userId],
    });
    expect(team.status).toBe(201);
    const both = [own, others].sort();
    expect(await visible(member.client)).toEqual({
      list: both,
      count: 2,
      search: both,
      exported: both,
      panel: both,
      timeline: both,
    });
  });
});
