import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerModules } from '../../src/modules/index.js';
import { recordObjectDefinitions } from '../../src/modules/records/define.js';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * No lost updates (issue #19): every record carries a version the database bumps on every
 * update; a PATCH that names the version it read (If-Match) and finds another is refused with
 * 409 VERSION_CONFLICT and the current record, for every record object.
 */
describe('record versions and If-Match', () => {
  let t: TestApp;
  let admin: Client;
  let manager: Client;

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    manager = (await addMember(t.app, admin, 'manager')).client;
  });
  afterAll(() => t?.close());

  it('every record table has the version trigger', async () => {
    registerModules();
    const tables = recordObjectDefinitions().map((d) => d.key);
    expect(tables.length).toBeGreaterThanOrEqual(3);
    const { rows } = await t.database.db.executeSql(
      `SELECT c.relname AS "table" FROM pg_trigger g
         JOIN pg_class c ON c.oid = g.tgrelid
         JOIN pg_proc p ON p.oid = g.tgfoid
        WHERE p.proname = 'sen_bump_version' AND NOT g.tgisinternal`,
    );
    const withTrigger = new Set((rows as { table: string }[]).map((r) => r.table));
    // A new record object's migration must create `<table>_version` (see migration 0030).
    expect(tables.filter((k) => !withTrigger.has(k))).toEqual([]);
  });

  it('presents the version and ETag, bumps it, and refuses a stale If-Match with the current record', async () => {
    const created = await manager.post('/api/v1/products', {
      sku: 'V-1',
      name: 'Bánh đậu xanh',
      unitPrice: 30_000,
    });
    expect(created.status).toBe(201);
    expect(created.body.version).toBe(1);
    const id = created.body.id as string;
    const got = await manager.get(`/api/v1/products/${id}`);
    expect(got.headers.etag).toBe('"1"');

    const first = await manager.request(
      'PATCH',
      `/api/v1/products/${id}`,
      { unitPrice: 32_000 },
      {
        'if-match': '"1"',
      },
    );
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    expect(first.headers.etag).toBe('"2"');

    // A second user still holding version 1 does not overwrite the price.
    const stale = await admin.request(
      'PATCH',
      `/api/v1/products/${id}`,
      { unitPrice: 1 },
      {
        'if-match': 'W/"1"',
      },
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    expect(stale.body.error.message).toMatch(/vừa được người khác thay đổi/);
    expect(stale.body.error.details.version).toBe(2);
    expect(stale.body.error.details.current).toMatchObject({ id, unitPrice: 32_000, version: 2 });
    const after = await manager.get(`/api/v1/products/${id}`);
    expect(after.body.unitPrice).toBe(32_000);

    // Without If-Match a write is accepted as before (API clients that do not send it).
    const plain = await admin.patch(`/api/v1/products/${id}`, { unitPrice: 33_000 });
    expect(plain.status).toBe(200);
    expect(plain.body.version).toBe(3);
  });

  it('bumps contacts and companies too, and lists carry the version', async () => {
    const contact = await manager.post('/api/v1/contacts', { fullName: 'Trần Thị Bích' });
    expect(contact.body.version).toBe(1);
    const renamed = await manager.request(
      'PATCH',
      `/api/v1/contacts/${contact.body.id}`,
      { fullName: 'Trần Thị Bích Ngọc' },
      { 'if-match': '1' },
    );
    expect(renamed.status).toBe(200);
    expect(renamed.body.version).toBe(2);
    const list = await manager.get('/api/v1/contacts');
    expect(list.body.items.find((c: { id: string }) => c.id === contact.body.id).version).toBe(2);
    const company = await manager.post('/api/v1/companies', { name: 'Công ty Sông Hồng' });
    const conflict = await manager.request(
      'PATCH',
      `/api/v1/companies/${company.body.id}`,
      { name: 'Công ty Sông Hồng 2' },
      { 'if-match': '"7"' },
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.details.current.name).toBe('Công ty Sông Hồng');
  });

  it('two writers of the same version at once: one wins, the other gets 409', async () => {
    const created = await manager.post('/api/v1/products', { sku: 'V-2', name: 'Chè Thái' });
    const id = created.body.id as string;
    const results = await Promise.all(
      [50_000, 60_000].map((unitPrice, i) =>
        (i === 0 ? manager : admin).request(
          'PATCH',
          `/api/v1/products/${id}`,
          { unitPrice },
          { 'if-match': '"1"' },
        ),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const now = await manager.get(`/api/v1/products/${id}`);
    expect(now.body.unitPrice).toBe(winner.body.unitPrice);
    expect(now.body.version).toBe(2);
  });

  it('a malformed If-Match is a 400 in the standard error shape', async () => {
    const created = await manager.post('/api/v1/products', { sku: 'V-3', name: 'Trà sen' });
    const bad = await manager.request(
      'PATCH',
      `/api/v1/products/${created.body.id}`,
      { unitPrice: 1 },
      { 'if-match': 'abc\u0000' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.requestId).toBeTruthy();
  });
});
