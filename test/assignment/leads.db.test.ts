import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/sql.js';
import { runImport } from '../../src/modules/imports/run.js';
import { addApiKey, addMember, setupAdmin, type Client } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import { put } from './support.js';

/**
 * Leads are assigned by the rules when they arrive without an owner: through an API key, the
 * web form left on "Tự động phân công" (no ownerId sent), or an import without an owner column
 * (500 rows in one batch); a lead created with an owner keeps it, and an update never
 * re-assigns. Both backends.
 */
describe('leads assigned by the rules', () => {
  let t: TestApp;
  let admin: Client;
  let adminId: string;
  let workspaceId: string;
  let dataDir: string;
  let a: string;
  let b: string;
  let c: string;
  let repA: Client;
  const url = '/api/v1/settings/assignment/leads';

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-assign-'));
    t = await createTestApp({ SEN_DATA_DIR: dataDir });
    const s = await setupAdmin(t.app);
    admin = s.admin;
    adminId = s.session.user.id;
    workspaceId = s.session.workspace.id;
    const reps = [];
    for (const name of ['Phạm Văn Bình', 'Lê Thị Cúc', 'Hoàng Minh Đức']) {
      reps.push(await addMember(t.app, admin, 'sales', name));
    }
    [a, b, c] = reps.map((r) => r.userId) as [string, string, string];
    repA = reps[0]!.client;
    const team = await admin.post('/api/v1/teams', { name: 'Tele-sale', memberIds: [b, c] });
    expect(
      (
        await admin.post(`${url}/rules`, {
          name: 'Facebook',
          condition: { field: 'source', op: 'is', value: 'facebook' },
          targetType: 'user',
          userId: a,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await admin.post(`${url}/rules`, {
          name: 'Tele-sale',
          targetType: 'team',
          teamId: team.body.id,
          method: 'round_robin',
        })
      ).status,
    ).toBe(201);
    expect((await put(admin, `${url}/fallback`, { fallbackUserId: adminId })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('assigns a lead from an API key, and from the web form left on automatic', async () => {
    const key = await addApiKey(admin, 'Website', ['leads:create', 'leads:read']);
    const fromKey = await key.client.post('/api/v1/leads', {
      fullName: 'Nguyễn Văn A',
      source: 'facebook',
    });
    expect(fromKey.status, JSON.stringify(fromKey.body)).toBe(201);
    expect(fromKey.body.ownerId).toBe(a);
    // The rep is told, with the lead's name.
    const told = await repA.get('/api/v1/notifications');
    expect(told.body.items[0].text).toBe(
      'Bạn được giao khách hàng tiềm năng Nguyễn Văn A (quy tắc "Facebook")',
    );
    expect(told.body.items[0].record).toMatchObject({
      object: 'leads',
      id: fromKey.body.id,
      available: true,
    });

    const fromWeb = await admin.post('/api/v1/leads', { fullName: 'Trần Thị B', source: 'zalo' });
    expect([b, c]).toContain(fromWeb.body.ownerId);
    // The audit log says who and by which rule.
    const audit = await admin.get(`/api/v1/audit-log?objectType=leads&objectId=${fromWeb.body.id}`);
    const assign = audit.body.items?.find((e: { action: string }) => e.action === 'assign');
    expect(assign?.changes.assignmentRule.to).toBe('Tele-sale');
  });

  it('keeps an owner the body names, and never re-assigns on update', async () => {
    const own = await admin.post('/api/v1/leads', {
      fullName: 'Lê Văn C',
      source: 'facebook',
      ownerId: c,
    });
    expect(own.body.ownerId).toBe(c);
    const updated = await admin.patch(`/api/v1/leads/${own.body.id}`, {
      source: 'facebook',
      fullName: 'Lê Văn Cường',
    });
    expect(updated.status).toBe(200);
    expect(updated.body.ownerId).toBe(c);
  });

  it('assigns an import of 500 leads without an owner column in one batch', async () => {
    const lines = ['Họ và tên,Nguồn'];
    for (let i = 1; i <= 500; i++) {
      lines.push(`Khách nhập ${i},${i % 4 === 0 ? 'Facebook' : 'Zalo'}`);
    }
    const boundary = '----senAssign';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="khach.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.from(lines.join('\r\n')),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/leads/imports',
      payload,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        cookie: `sen_session=${admin.cookie}`,
        'x-csrf-token': admin.csrf ?? '',
      },
    });
    expect(up.statusCode, up.body).toBe(201);
    const imp = up.json();
    const started = await admin.post(`/api/v1/imports/${imp.id}/start`, {
      mapping: ['fullName', 'source'],
      options: { duplicates: 'create' },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const t0 = performance.now();
    await runImport(t.ctx.db, t.ctx, { importId: imp.id, workspaceId });
    console.log(
      `import of 500 leads with assignment: ${(performance.now() - t0).toFixed(0)} ms (${t.ctx.db.kind})`,
    );
    const done = await admin.get(`/api/v1/imports/${imp.id}`);
    expect(done.body).toMatchObject({ status: 'done', created: 500, failed: 0 });
    const owners = await t.ctx.db.system((tx) =>
      queryRows<{ source: string; ownerId: string; n: number }>(
        tx,
        sql`SELECT source, owner_id AS "ownerId", count(*)::int AS n FROM leads
             WHERE display_name LIKE 'Khách nhập %' GROUP BY source, owner_id ORDER BY source, n`,
      ),
    );
    expect(owners.filter((o) => o.source === 'facebook')).toEqual([
      { source: 'facebook', ownerId: a, n: 125 },
    ]);
    const zalo = owners.filter((o) => o.source === 'zalo');
    expect(zalo.map((o) => o.ownerId).sort()).toEqual([b, c].sort());
    expect(zalo.map((o) => o.n).sort()).toEqual([187, 188]);
  });
});
