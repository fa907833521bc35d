import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAccess } from '../src/http/access.js';
import {
  builtinRoleKeys,
  effectivePermissions,
  type Action,
  type BuiltinRoleKey,
} from '../src/core/permissions.js';
import { recordObjects } from '../src/modules/records/registry.js';
import { addMember, type Client, setupAdmin } from './support/client.js';
import { tableCounts } from './support/guard.js';
import { createTestApp, type TestApp } from './support/harness.js';

/**
 * Every route × every built-in role, derived from each route's declared access
 * (src/http/access.ts), so a new route is in the matrix the day it is added. A role without
 * the declared permission is refused (403) and nothing changes; a role with it is not refused
 * by the declaration (its probe is a harmless request: an empty body, an id that does not
 * exist). Routes open to the public or to every member are listed here by name: widening a
 * route shows up in this file's diff.
 */
const PUBLIC = [
  'GET /api/v1/setup',
  'POST /api/v1/setup',
  'POST /api/v1/auth/sign-in',
  'POST /api/v1/auth/sign-out',
  'GET /api/v1/auth/current-session',
  'GET /api/v1/invitations/lookup/:token',
  'POST /api/v1/invitations/accept',
  // A lead capture form's submissions (anyone, from any site) and their CORS preflight.
  'POST /api/v1/public/forms/:key/submissions',
  'OPTIONS /api/v1/public/forms/:key/submissions',
];
const MEMBER = [
  'GET /api/v1/auth/session',
  'GET /api/v1/objects',
  'POST /api/v1/auth/switch-workspace',
  'PATCH /api/v1/me',
  'POST /api/v1/me/password',
  'GET /api/v1/workspaces',
  'POST /api/v1/workspaces',
  'GET /api/v1/permission-objects',
  'GET /api/v1/search',
  'GET /api/v1/vn/provinces',
  'GET /api/v1/vn/wards',
  'GET /api/v1/views',
  'POST /api/v1/views',
  'PATCH /api/v1/views/:id',
  'DELETE /api/v1/views/:id',
  // A merge's undo: the service checks update and delete on the merge's object (and scope).
  'POST /api/v1/merges/:id/undo',
  // An import's own routes: the service checks `import` on the import's object.
  'GET /api/v1/imports/:id',
  'PUT /api/v1/imports/:id/sheet',
  'POST /api/v1/imports/:id/preview',
  'POST /api/v1/imports/:id/start',
  'POST /api/v1/imports/:id/undo',
  'GET /api/v1/imports/:id/errors',
  // An export job's own routes: its creator only, with `export` on its object (the service).
  'GET /api/v1/exports/:id',
  'GET /api/v1/exports/:id/download',
  // A bulk operation's own routes: its creator only; read, then the action's permission on
  // its object for the undo (the service).
  'GET /api/v1/bulk-operations/:id',
  'POST /api/v1/bulk-operations/:id/undo',
  'PUT /api/v1/views/last-used',
  // Each member's own notifications (row-level security: only the recipient's rows).
  'GET /api/v1/notifications',
  'GET /api/v1/notifications/unread-count',
  'GET /api/v1/notifications/stream',
  'POST /api/v1/notifications/:id/read',
  'POST /api/v1/notifications/read-all',
  // Each member's own calendar feed address (row-level security: only the member's row).
  'GET /api/v1/calendar-feed',
  'POST /api/v1/calendar-feed',
  'DELETE /api/v1/calendar-feed',
];

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

describe('permission matrix: every route × every built-in role', () => {
  let t: TestApp;
  const clients = {} as Record<BuiltinRoleKey, Client>;
  let noteId: string;
  let attachmentId: string;

  const allowed = (role: BuiltinRoleKey, object: string, action: Action) =>
    effectivePermissions({ key: role, isAdmin: role === 'admin', permissions: {} })[object]?.[
      action
    ] === true;

  beforeAll(async () => {
    t = await createTestApp();
    const { admin } = await setupAdmin(t.app);
    clients.admin = admin;
    for (const role of builtinRoleKeys) {
      if (role !== 'admin') clients[role] = (await addMember(t.app, admin, role)).client;
    }
    const contact = await admin.post('/api/v1/contacts', { fullName: 'Phạm Thị Dung' });
    const note = await admin.post(`/api/v1/contacts/${contact.body.id}/notes`, {
      bodyHtml: '<p>Gọi lại thứ Hai</p>',
    });
    noteId = note.body.id;
    const boundary = 'senMatrix';
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/${contact.body.id}/attachments`,
      headers: {
        cookie: `sen_session=${admin.cookie}`,
        'x-csrf-token': admin.csrf ?? '',
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bao-gia.txt"\r\n\r\nbáo giá\r\n--${boundary}--\r\n`,
    });
    attachmentId = upload.json().id;
    expect([note.status, upload.statusCode]).toEqual([201, 201]);
  });
  afterAll(() => t?.close());

  const routes = () =>
    t.app.senRoutes
      .filter((r) => r.url.startsWith('/api/v1/'))
      .map((r) => ({ ...r, key: `${r.method} ${r.url}` }));

  /** The route's URL with its path parameters filled in. */
  function urlOf(url: string, object: string | null, id: string): string {
    return url
      .replace(':object', object ?? 'contacts')
      .replace(':id', id)
      .replace(':companyId', randomUUID())
      .replace(':token', 'no-such-token');
  }

  async function probe(client: Client, method: Method, url: string) {
    return client.request(method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
  }

  it('every /api/v1 route declares its access, and the open ones are exactly the listed', () => {
    const all = routes();
    expect(all.length).toBeGreaterThan(50);
    expect(all.filter((r) => !r.access).map((r) => r.key)).toEqual([]);
    expect(
      all
        .filter((r) => r.access === 'public')
        .map((r) => r.key)
        .sort(),
    ).toEqual([...PUBLIC].sort());
    expect(
      all
        .filter((r) => r.access === 'member')
        .map((r) => r.key)
        .sort(),
    ).toEqual([...MEMBER].sort());
  });

  it('a role without the declared permission gets 403 and nothing changes; one with it is let through', async () => {
    const before = await tableCounts(t.ctx.db);
    const refused = Object.fromEntries(builtinRoleKeys.map((r) => [r, 0]));
    const through = Object.fromEntries(builtinRoleKeys.map((r) => [r, 0]));
    for (const route of routes()) {
      const access = route.access as RouteAccess;
      if (typeof access === 'string' || !('object' in access)) continue;
      const objects =
        access.object === ':object' ? recordObjects().map((o) => o.key) : [access.object];
      for (const object of objects) {
        for (const role of builtinRoleKeys) {
          const url = urlOf(route.url, object, randomUUID());
          const res = await probe(clients[role], route.method as Method, url);
          const where = `${role} ${route.method} ${url}`;
          if (allowed(role, object, access.action)) {
            expect(res.status, where).not.toBe(403);
            expect(res.status, where).toBeLessThan(500);
            through[role]!++;
          } else {
            expect({ where, status: res.status, code: res.body?.error?.code }).toEqual({
              where,
              status: 403,
              code: 'FORBIDDEN',
            });
            refused[role]!++;
          }
        }
      }
    }
    // A duplicates scan let through (read) records when it ran: computed data, not a change.
    const { duplicate_settings: _scanned, ...after } = await tableCounts(t.ctx.db);
    const { duplicate_settings: _before, ...unchanged } = before;
    expect(after).toEqual(unchanged);
    // Every role is let through something; every role but the admin is refused something.
    for (const role of builtinRoleKeys) {
      expect(through[role], role).toBeGreaterThan(0);
      if (role !== 'admin') expect(refused[role], role).toBeGreaterThan(0);
    }
    expect(Object.values(refused).reduce((a, b) => a + b)).toBeGreaterThan(50);
  });

  it("items that hang off a record need the declared permission on the item's record", async () => {
    const before = await tableCounts(t.ctx.db);
    for (const route of routes()) {
      const access = route.access as RouteAccess;
      if (typeof access === 'string' || !('recordOf' in access)) continue;
      const id = access.recordOf === 'notes' ? noteId : attachmentId;
      for (const role of builtinRoleKeys) {
        // The admin wrote the note and uploaded the file: its writes would succeed.
        if (role === 'admin' && route.method !== 'GET') continue;
        const res = await probe(clients[role], route.method as Method, urlOf(route.url, null, id));
        const where = `${role} ${route.method} ${route.url}`;
        if (allowed(role, 'contacts', access.action)) {
          expect(res.status, where).toBeLessThan(500);
        } else {
          expect({ where, status: res.status }).toEqual({ where, status: 403 });
        }
      }
    }
    expect(await tableCounts(t.ctx.db)).toEqual(before);
  });

  it('routes open to every member refuse no role and fail none', async () => {
    // The bell's stream never ends an answer (inject would wait for ever): notifications-live.
    const open = routes().filter((r) => r.access === 'member' && !r.url.endsWith('/stream'));
    for (const route of open) {
      for (const role of builtinRoleKeys) {
        const res = await probe(
          clients[role],
          route.method as Method,
          urlOf(route.url, null, randomUUID()),
        );
        const where = `${role} ${route.method} ${route.url}`;
        expect(res.status, where).not.toBe(403);
        expect(res.status, where).toBeLessThan(500);
      }
    }
  });

  it('an API key is held to its scopes by the same declaration', async () => {
    const key = await clients.admin.post('/api/v1/api-keys', {
      name: 'chỉ đọc khách hàng',
      scopes: ['contacts:read'],
    });
    const bearer = new (clients.admin.constructor as typeof Client)(t.app);
    bearer.bearer = key.body.secret;
    expect((await bearer.get('/api/v1/contacts')).status).toBe(200);
    expect((await bearer.get('/api/v1/companies')).status).toBe(403);
    expect((await bearer.post('/api/v1/contacts', {})).status).toBe(403);
    expect((await bearer.get('/api/v1/teams')).status).toBe(403);
  });
});
