import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/sql.js';
import { Client, addMember, setupAdmin } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

/** Every bad request gets the right status and the one error shape, and changes nothing. */
describe('bad input', () => {
  let t: TestApp;
  let admin: Client;
  let viewer: Client;
  let otherTeamId: string;

  const teamCount = async () =>
    (
      await t.ctx.db.system((tx) =>
        queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM teams`),
      )
    )[0]?.n;

  function expectError(
    res: { status: number; body: any; headers: Record<string, unknown> },
    status: number,
    code: string,
  ) {
    expect(res.status).toBe(status);
    expect(Object.keys(res.body)).toEqual(['error']);
    expect(res.body.error).toMatchObject({ code, requestId: res.headers['x-request-id'] });
    expect(typeof res.body.error.message).toBe('string');
    expect(res.body.error.message.length).toBeGreaterThan(0);
    expect('details' in res.body.error).toBe(true);
  }

  beforeAll(async () => {
    t = await createTestApp({ SEN_BODY_LIMIT_BYTES: '4096' });
    admin = (await setupAdmin(t.app)).admin;
    viewer = (await addMember(t.app, admin, 'viewer')).client;
    // A team in another workspace of the same install.
    await admin.post('/api/v1/workspaces', { name: 'Khác' });
    otherTeamId = (await admin.post('/api/v1/teams', { name: 'Other team' })).body.id;
    const sessions = await admin.get('/api/v1/workspaces');
    const first = sessions.body.items.find((w: { name: string }) => w.name !== 'Khác');
    await admin.post('/api/v1/auth/switch-workspace', { workspaceId: first.id });
  });
  afterAll(() => t?.close());

  it('malformed JSON → 400 BAD_REQUEST', async () => {
    const before = await teamCount();
    const res = await admin.request('POST', '/api/v1/teams', undefined, {
      'content-type': 'application/json',
    });
    const raw = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: {
        cookie: `sen_session=${admin.cookie}`,
        'x-csrf-token': admin.csrf ?? '',
        'content-type': 'application/json',
      },
      payload: '{"name": "x",',
    });
    expectError(
      { status: raw.statusCode, body: raw.json(), headers: raw.headers },
      400,
      'BAD_REQUEST',
    );
    expect(res.status).toBe(400);
    expect(await teamCount()).toBe(before);
  });

  it('an action whose options are optional takes a POST with no body at all', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${randomUUID()}/invoice`,
      headers: { cookie: `sen_session=${admin.cookie}`, 'x-csrf-token': admin.csrf ?? '' },
    });
    // Past validation to the handler: the order does not exist.
    expect(res.statusCode).toBe(404);
    const send = await t.app.inject({
      method: 'POST',
      url: `/api/v1/quotes/${randomUUID()}/send`,
      headers: { cookie: `sen_session=${admin.cookie}`, 'x-csrf-token': admin.csrf ?? '' },
    });
    expect(send.statusCode).toBe(404);
    // A route that needs a body still says so.
    const teams = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: { cookie: `sen_session=${admin.cookie}`, 'x-csrf-token': admin.csrf ?? '' },
    });
    expect(teams.statusCode).toBe(400);
    expect(teams.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('unknown fields → 400 naming the field (no mass assignment)', async () => {
    const before = await teamCount();
    const res = await admin.post('/api/v1/teams', {
      name: 'Ok',
      workspaceId: '01900000-0000-7000-8000-000000000000',
    });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.error.details.fields).toEqual([
      expect.objectContaining({ path: 'workspaceId' }),
    ]);
    expect(await teamCount()).toBe(before);
  });

  it('wrong types → 400 with a translated field message', async () => {
    const res = await admin.post('/api/v1/teams', { name: 42 });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.error.details.fields[0].path).toBe('name');
    const bad = await admin.request('GET', '/api/v1/teams/not-a-uuid');
    expectError(bad, 400, 'VALIDATION_FAILED');
  });

  it('oversized bodies → 413', async () => {
    const before = await teamCount();
    const res = await admin.post('/api/v1/teams', { name: 'x'.repeat(10_000) });
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(await teamCount()).toBe(before);
  });

  it('no, expired or forged credentials → 401', async () => {
    const anon = new Client(t.app);
    expectError(await anon.get('/api/v1/teams'), 401, 'UNAUTHENTICATED');
    expectError(await anon.post('/api/v1/teams', { name: 'x' }), 401, 'UNAUTHENTICATED');
    anon.cookie = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expectError(await anon.get('/api/v1/teams'), 401, 'UNAUTHENTICATED');
  });

  it('a role without the permission → 403, nothing written', async () => {
    const before = await teamCount();
    expectError(await viewer.post('/api/v1/teams', { name: 'Viewer team' }), 403, 'FORBIDDEN');
    expectError(await viewer.get('/api/v1/audit-log'), 403, 'FORBIDDEN');
    expect(await teamCount()).toBe(before);
  });

  it("another workspace's ids → 404, and it stays unchanged", async () => {
    expectError(await admin.get(`/api/v1/teams/${otherTeamId}`), 404, 'NOT_FOUND');
    expectError(
      await admin.patch(`/api/v1/teams/${otherTeamId}`, { name: 'Stolen' }),
      404,
      'NOT_FOUND',
    );
    expectError(await admin.delete(`/api/v1/teams/${otherTeamId}`), 404, 'NOT_FOUND');
    const rows = await t.ctx.db.system((tx) =>
      queryRows<{ name: string }>(tx, sql`SELECT name FROM teams WHERE id = ${otherTeamId}`),
    );
    expect(rows).toEqual([{ name: 'Other team' }]);
  });

  it('unknown API routes → 404 in the same shape; health endpoints answer', async () => {
    expectError(await admin.get('/api/v1/nothing-here'), 404, 'NOT_FOUND');
    expect((await admin.get('/health/live')).body).toEqual({ status: 'ok' });
    expect((await admin.get('/health/ready')).body).toMatchObject({ status: 'ok' });
  });

  it('sends security headers and an OpenAPI 3.1 document', async () => {
    const res = await admin.get('/api/v1/auth/session');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const doc = await admin.get('/api/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/teams/{id}');
  });
});
