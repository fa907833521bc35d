import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from '../../src/db/schema/index.js';
import { queryRows } from '../../src/db/sql.js';
import { contactSearchKeys } from '../../src/modules/contacts/contacts.service.js';
import { insertRows } from '../../src/modules/demo/factories.js';
import { runBulk, undoBulk } from '../../src/modules/bulk/bulk.run.js';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Bulk changes on a filter (#18) through the real HTTP stack on both backends: the selection
 * (filter, q, scope) fixed at the start, permissions checked before anything is written, the
 * job (its handler called directly: the test app has no job runner) in batches that resume
 * after a crash without doing anything twice, per-record scope failures with their reason,
 * audit entries, counts that add up, and an undo that gives back exactly what was there.
 */
describe('bulk operations on a filter', { timeout: 180_000 }, () => {
  let t: TestApp;
  let admin: Client;
  let sales: Client;
  let viewer: Client;
  let workspaceId: string;
  let adminId: string;
  let salesId: string;
  let beforeAssign: { row: Record<string, unknown> }[] = [];
  const HN_ADMIN = 1000;
  const HCM_ADMIN = 700;
  const HN_SALES = 300;

  const hn = { field: 'tags', op: 'contains', value: ['hn'] };
  const hcm = { field: 'tags', op: 'contains', value: ['hcm'] };

  const run = (id: string, batchRows?: number, maxBatches?: number) =>
    runBulk(t.ctx.db, { operationId: id, workspaceId }, batchRows, maxBatches);
  const undo = (id: string) => undoBulk(t.ctx.db, { operationId: id, workspaceId });

  const system = <T>(query: ReturnType<typeof sql>) =>
    t.ctx.db.system((tx) => queryRows<T>(tx, query));
  const one = async (query: ReturnType<typeof sql>) =>
    Number((await system<{ n: number }>(query))[0]?.n ?? 0);

  /** Every contact as stored, without the bookkeeping a change and its undo both touch. */
  const snapshot = () =>
    system<{ row: Record<string, unknown> }>(
      sql`SELECT to_jsonb(c) - 'updated_at' - 'updated_by' - 'version' AS row FROM contacts c
           WHERE workspace_id = ${workspaceId} ORDER BY id`,
    );
  const auditCount = (action: string, since: number) =>
    one(
      sql`SELECT count(*)::int AS n FROM audit_log
           WHERE workspace_id = ${workspaceId} AND object_type = 'contacts'
             AND action = ${action} AND id > ${since}`,
    );
  const lastAudit = () => one(sql`SELECT coalesce(max(id), 0)::int AS n FROM audit_log`);

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    const s = await addMember(t.app, admin, 'sales', 'Lê Văn Bán');
    sales = s.client;
    salesId = s.userId;
    viewer = (await addMember(t.app, admin, 'viewer', 'Phạm Thị Xem')).client;
    const me = await admin.get('/api/v1/auth/session');
    workspaceId = me.body.workspace.id;
    adminId = me.body.user.id;
    const rows: (typeof contacts.$inferInsert)[] = [];
    const add = (i: number, ownerId: string, tag: string) => {
      const parts = { familyName: 'Nguyễn', middleName: 'Văn', givenName: `Khách ${i}` };
      const displayName = `Nguyễn Văn Khách ${i}`;
      rows.push({
        workspaceId,
        ownerId,
        tags: [tag],
        ...parts,
        displayName,
        phones: [],
        emails: [],
        createdBy: adminId,
        updatedBy: adminId,
        ...contactSearchKeys({ ...parts, displayName, phones: [], emails: [] }),
      });
    };
    let i = 0;
    for (let k = 0; k < HN_ADMIN; k++) add(++i, adminId, 'hn');
    for (let k = 0; k < HCM_ADMIN; k++) add(++i, adminId, 'hcm');
    for (let k = 0; k < HN_SALES; k++) add(++i, salesId, 'hn');
    await t.ctx.db.tenant({ workspaceId, userId: adminId }, (tx) => insertRows(tx, contacts, rows));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses before anything is written: the permission, then the parameters', async () => {
    const before = await snapshot();
    const refused = await viewer.post('/api/v1/contacts/bulk-operations', {
      action: 'delete',
      filter: hn,
    });
    expect(refused.status).toBe(403);
    const badValue = await admin.post('/api/v1/contacts/bulk-operations', {
      action: 'set_field',
      field: 'lifecycleStage',
      value: 'khong-co',
      filter: hn,
    });
    expect(badValue.status).toBe(400);
    expect(badValue.body.error.details.fields[0].path).toBe('value');
    const noField = await admin.post('/api/v1/contacts/bulk-operations', {
      action: 'set_field',
      field: 'khongCo',
      value: 'x',
    });
    expect(noField.status).toBe(400);
    expect(noField.body.error.details.fields[0].path).toBe('field');
    const noOwner = await admin.post('/api/v1/contacts/bulk-operations', {
      action: 'assign_owner',
      filter: hn,
    });
    expect(noOwner.status).toBe(400);
    const notMember = await admin.post('/api/v1/contacts/bulk-operations', {
      action: 'assign_owner',
      ownerId: '0190a000-0000-7000-8000-000000000000',
      filter: hn,
    });
    expect(notMember.status).toBe(400);
    expect(notMember.body.error.details.fields[0].path).toBe('ownerId');
    expect(await one(sql`SELECT count(*)::int AS n FROM bulk_operations`)).toBe(0);
    expect(await one(sql`SELECT count(*)::int AS n FROM bulk_operation_rows`)).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('assigns on a filter in batches; a crash mid-job resumes without doing anything twice', async () => {
    beforeAssign = await snapshot();
    const audit = await lastAudit();
    const started = await admin.post('/api/v1/contacts/bulk-operations', {
      action: 'assign_owner',
      ownerId: salesId,
      filter: hn,
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'queued', total: HN_ADMIN + HN_SALES, done: 0 });
    const id = started.body.id as string;

    // One batch, then the "crash": the job stops with the rest pending.
    await run(id, 500, 1);
    const mid = await admin.get(`/api/v1/bulk-operations/${id}`);
    expect(mid.body).toMatchObject({ status: 'running', done: 500, total: HN_ADMIN + HN_SALES });
    expect(mid.body.changed + mid.body.unchanged + mid.body.failed).toBe(500);

    await run(id, 500);
    await run(id, 500); // a second delivery of the job finds nothing to do
    const end = await admin.get(`/api/v1/bulk-operations/${id}`);
    expect(end.body).toMatchObject({
      status: 'done',
      total: HN_ADMIN + HN_SALES,
      done: HN_ADMIN + HN_SALES,
      changed: HN_ADMIN,
      unchanged: HN_SALES,
      failed: 0,
      canUndo: true,
    });
    expect(
      await one(sql`SELECT count(*)::int AS n FROM contacts
                     WHERE workspace_id = ${workspaceId} AND 'hn' = ANY(tags) AND owner_id = ${salesId}`),
    ).toBe(HN_ADMIN + HN_SALES);
    // Each changed record audited once, with the owner's change.
    expect(await auditCount('update', audit)).toBe(HN_ADMIN);
    const sample = await system<{ changes: Record<string, { from: unknown; to: unknown }> }>(
      sql`SELECT changes FROM audit_log WHERE id > ${audit} AND action = 'update' LIMIT 1`,
    );
    expect(sample[0]!.changes.ownerId).toEqual({ from: adminId, to: salesId });
    // The other records were not touched.
    expect(
      await one(sql`SELECT count(*)::int AS n FROM contacts
                     WHERE workspace_id = ${workspaceId} AND 'hcm' = ANY(tags) AND owner_id = ${adminId}`),
    ).toBe(HCM_ADMIN);
  });

  it('undoes exactly: every value as it was', async () => {
    const [op] = await system<{ id: string }>(
      sql`SELECT id FROM bulk_operations WHERE action = 'assign_owner'`,
    );
    const audit = await lastAudit();
    const undone = await admin.post(`/api/v1/bulk-operations/${op!.id}/undo`);
    expect(undone.status).toBe(200);
    expect(undone.body.status).toBe('undoing');
    await undo(op!.id);
    const after = await admin.get(`/api/v1/bulk-operations/${op!.id}`);
    expect(after.body).toMatchObject({
      status: 'undone',
      undone: HN_ADMIN,
      undoFailed: 0,
      canUndo: false,
    });
    expect(await auditCount('update', audit)).toBe(HN_ADMIN);
    expect(
      await one(sql`SELECT count(*)::int AS n FROM contacts
                     WHERE workspace_id = ${workspaceId} AND owner_id = ${salesId}`),
    ).toBe(HN_SALES);
    // Every column of every contact as before the assignment.
    expect(await snapshot()).toEqual(beforeAssign);
    // Undone twice: refused.
    const again = await admin.post(`/api/v1/bulk-operations/${op!.id}/undo`);
    expect(again.status).toBe(409);
  });

  it('set_field on a filter, then undo: every record back exactly, one changed since kept', async () => {
    const before = await snapshot();
    const started = await admin.post('/api/v1/contacts/bulk-operations', {
      action: 'set_field',
      field: 'lifecycleStage',
      value: 'customer',
      filter: hn,
      q: 'khách',
    });
    expect(started.status).toBe(201);
    expect(started.body.total).toBe(HN_ADMIN + HN_SALES);
    await run(started.body.id, 400);
    const done = await admin.get(`/api/v1/bulk-operations/${started.body.id}`);
    expect(done.body).toMatchObject({ status: 'done', changed: HN_ADMIN + HN_SALES, failed: 0 });
    expect(
      await one(sql`SELECT count(*)::int AS n FROM contacts
                     WHERE workspace_id = ${workspaceId} AND lifecycle_stage = 'customer'`),
    ).toBe(HN_ADMIN + HN_SALES);

    // Someone changes one of them afterwards: the undo keeps their newer value.
    const [edited] = await system<{ id: string }>(
      sql`SELECT id FROM contacts WHERE 'hn' = ANY(tags) ORDER BY id LIMIT 1`,
    );
    const patched = await admin.patch(`/api/v1/contacts/${edited!.id}`, {
      lifecycleStage: 'opportunity',
    });
    expect(patched.status).toBe(200);

    await admin.post(`/api/v1/bulk-operations/${started.body.id}/undo`);
    await undo(started.body.id);
    const undone = await admin.get(`/api/v1/bulk-operations/${started.body.id}`);
    expect(undone.body).toMatchObject({
      status: 'undone',
      undone: HN_ADMIN + HN_SALES - 1,
      undoFailed: 1,
    });
    expect(undone.body.failures).toEqual([
      {
        recordId: edited!.id,
        reason: expect.objectContaining({ en: expect.stringMatching(/changed after/) }),
      },
    ]);
    const after = await snapshot();
    const editedAfter = after.find((r) => r.row.id === edited!.id)!;
    expect(editedAfter.row.lifecycle_stage).toBe('opportunity');
    expect(after.filter((r) => r.row.id !== edited!.id)).toEqual(
      before.filter((r) => r.row.id !== edited!.id),
    );
  });

  it("a sales user's filter touches only their own records; one moved out of scope fails with its reason", async () => {
    const started = await sales.post('/api/v1/contacts/bulk-operations', {
      action: 'add_tag',
      tag: 'vip',
      filter: { and: [] },
    });
    expect(started.status).toBe(201);
    expect(started.body.total).toBe(HN_SALES);
    // Before the job runs, the admin gives one of them to someone else.
    const [moved] = await system<{ id: string }>(
      sql`SELECT id FROM contacts WHERE owner_id = ${salesId} ORDER BY id LIMIT 1`,
    );
    expect((await admin.patch(`/api/v1/contacts/${moved!.id}`, { ownerId: adminId })).status).toBe(
      200,
    );
    await run(started.body.id);
    const end = await sales.get(`/api/v1/bulk-operations/${started.body.id}`);
    expect(end.body).toMatchObject({
      status: 'done',
      total: HN_SALES,
      done: HN_SALES,
      changed: HN_SALES - 1,
      failed: 1,
    });
    expect(end.body.failures).toEqual([
      {
        recordId: moved!.id,
        reason: expect.objectContaining({ en: expect.stringMatching(/outside/) }),
      },
    ]);
    expect(await one(sql`SELECT count(*)::int AS n FROM contacts WHERE 'vip' = ANY(tags)`)).toBe(
      HN_SALES - 1,
    );
    expect(
      await one(sql`SELECT count(*)::int AS n FROM contacts
                     WHERE 'vip' = ANY(tags) AND owner_id <> ${salesId}`),
    ).toBe(0);
    // Another member cannot see or undo it.
    expect((await admin.get(`/api/v1/bulk-operations/${started.body.id}`)).status).toBe(403);
    expect((await admin.post(`/api/v1/bulk-operations/${started.body.id}/undo`)).status).toBe(403);
  });

  it('deletes on a filter, then the undo restores every one from the trash', async () => {
    const before = await snapshot();
    const audit = await lastAudit();
    const started = await admin.post('/api/v1/contacts/bulk-operations', {
      action: 'delete',
      filter: hcm,
    });
    expect(started.body.total).toBe(HCM_ADMIN);
    await run(started.body.id, 300);
    expect((await admin.get(`/api/v1/bulk-operations/${started.body.id}`)).body).toMatchObject({
      status: 'done',
      changed: HCM_ADMIN,
    });
    expect(await auditCount('delete', audit)).toBe(HCM_ADMIN);
    const list = await admin.get(
      `/api/v1/contacts/count?filter=${encodeURIComponent(JSON.stringify(hcm))}`,
    );
    expect(list.body.count).toBe(0);
    await admin.post(`/api/v1/bulk-operations/${started.body.id}/undo`);
    await undo(started.body.id);
    expect(await auditCount('restore', audit)).toBe(HCM_ADMIN);
    const after = await snapshot();
    // Restored: no trace of the trash left, every other value as it was.
    expect(after).toEqual(before);
  });

  it('restores on ids from the trash; an empty selection finishes at once', async () => {
    const [a, b] = await system<{ id: string }>(
      sql`SELECT id FROM contacts WHERE 'hcm' = ANY(tags) ORDER BY id LIMIT 2`,
    );
    for (const r of [a, b])
      expect((await admin.delete(`/api/v1/contacts/${r!.id}`)).status).toBe(204);
    const started = await admin.post('/api/v1/contacts/bulk-operations', {
      action: 'restore',
      ids: [a!.id, b!.id],
    });
    expect(started.body.total).toBe(2);
    await run(started.body.id);
    expect(
      await one(sql`SELECT count(*)::int AS n FROM contacts WHERE deleted_at IS NOT NULL`),
    ).toBe(0);
    const none = await admin.post('/api/v1/contacts/bulk-operations', {
      action: 'add_tag',
      tag: 'x',
      filter: { field: 'tags', op: 'contains', value: ['khong-co'] },
    });
    expect(none.body).toMatchObject({ status: 'done', total: 0, done: 0, canUndo: false });
  });
});
