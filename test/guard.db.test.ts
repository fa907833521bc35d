import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from './support/client.js';
import {
  anyHostile,
  hostileFrom,
  hints,
  hostileString,
  nodesOf,
  replaceAt,
  sweepValues,
  validFrom,
  type JsonSchema,
} from './support/fuzz.js';
import { tableCounts } from './support/guard.js';
import { createTestApp, type TestApp } from './support/harness.js';

/**
 * The guard for every endpoint (issue #16): generated from /api/openapi.json, so a route is
 * covered the day it is added. As a signed-in admin and as a viewer:
 *
 * - the sweep: a valid request of every operation (every optional field filled, real ids in
 *   the path), then the same with ONE node replaced by each hostile class (sweepValues: NUL,
 *   a lone surrogate, RTL override, emoji, SQL, HTML, a 1 MB string, out-of-range numbers,
 *   wrong types, deep nesting), for every node of the body (strings, numbers, arrays,
 *   objects, the body itself), every query parameter and every path parameter;
 * - the property: fast-check requests, valid but for one place, with a fixed seed.
 *
 * Every answer is below 500; every error has the one shape with the request id; a refused
 * write changes no table (row counts, the audit log's included). `npm run fuzz` runs the
 * property much longer with a new seed (SEN_FUZZ_RUNS, SEN_FUZZ_SEED; the seed is printed).
 */
const RUNS = Number(process.env.SEN_FUZZ_RUNS ?? 4);
const SEED = Number(process.env.SEN_FUZZ_SEED ?? 20261207);

/** Operations the guard leaves out, and why. */
const SKIP = new Set([
  // Ends the caller's session: every later request would be a 401, testing nothing.
  'POST /api/v1/auth/sign-out',
  // Server-sent events: the answer never ends (test/notifications-live.db.test.ts reads it).
  'GET /api/v1/notifications/stream',
]);

interface Operation {
  method: string;
  path: string;
  pathParams: Record<string, JsonSchema>;
  query: Record<string, JsonSchema>;
  body: JsonSchema | null;
}

function operations(doc: JsonSchema): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Record<string, JsonSchema>)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []) as JsonSchema[];
      const pick = (where: string) =>
        Object.fromEntries(params.filter((p) => p.in === where).map((p) => [p.name, p.schema]));
      out.push({
        method: method.toUpperCase(),
        path,
        pathParams: pick('path'),
        query: pick('query'),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return out;
}

/** encodeURIComponent, or its bytes for what it refuses (a lone surrogate). */
function encode(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  try {
    return encodeURIComponent(text);
  } catch {
    return text.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replace(/[^%\w]/gu, (c) => {
      try {
        return encodeURIComponent(c);
      } catch {
        return '%ED%A0%80';
      }
    });
  }
}

describe('the guard: hostile values into every operation of the OpenAPI document', () => {
  let t: TestApp;
  let ops: Operation[];
  const callers = {} as Record<'admin' | 'viewer', Client>;
  const home = {} as Record<'admin' | 'viewer', string>;
  const ids: string[] = [];
  const fixtures: Record<string, string> = {};
  const stats = { requests: 0, byStatus: {} as Record<number, number> };

  beforeAll(async () => {
    t = await createTestApp();
    callers.admin = (await setupAdmin(t.app)).admin;
    callers.viewer = (await addMember(t.app, callers.admin, 'viewer')).client;
    for (const who of ['admin', 'viewer'] as const) {
      home[who] = (await callers[who].get('/api/v1/auth/session')).body.workspace.id;
    }
    // Real ids for path parameters, so hostile bodies reach real records' writes.
    const admin = callers.admin;
    const contact = await admin.post('/api/v1/contacts', { fullName: 'Hoàng Văn Em' });
    const company = await admin.post('/api/v1/companies', { name: 'Công ty CP Thép Việt' });
    const made = [
      contact,
      company,
      await admin.post(`/api/v1/contacts/${contact.body.id}/notes`, { bodyHtml: '<p>Hẹn gặp</p>' }),
      await admin.post('/api/v1/teams', { name: 'Miền Bắc' }),
      await admin.post('/api/v1/views', {
        object: 'contacts',
        name: 'Khách Hà Nội',
        definition: { kind: 'table' },
      }),
      await admin.post('/api/v1/custom-fields', {
        object: 'contacts',
        label: 'Hạng',
        type: 'text',
      }),
      await admin.post('/api/v1/roles', { name: 'Kế toán', permissions: {} }),
    ];
    for (const r of made) expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids.push(...made.map((r) => r.body.id as string));
    const keys = ['contacts', 'companies', 'notes', 'teams', 'views', 'custom-fields', 'roles'];
    keys.forEach((key, i) => (fixtures[key] = made[i]!.body.id));
    // Values the services accept, by property name, so a hostile value elsewhere in the same
    // body reaches the database (test/support/fuzz.ts, hints).
    const me = (await admin.get('/api/v1/auth/session')).body.user.id as string;
    Object.assign(hints, {
      'phones.value': fc.constantFrom('0912 345 678', '+84 24 3825 1234', '0166 123 4567'),
      'emails.value': fc.constantFrom('an.nguyen@example.vn', 'BICH@EXAMPLE.COM'),
      email: fc.emailAddress(),
      taxCode: fc.constantFrom('0100109106', '0100109106-001'),
      website: fc.constant('https://sen.example.vn'),
      provinceCode: fc.constant('01'),
      wardCode: fc.constant('00070'),
      countryCode: fc.constant('VN'),
      object: fc.constant('contacts'),
      ownerId: fc.constant(me),
      userId: fc.constant(me),
      memberIds: fc.constant([me]),
      ids: fc.constant([contact.body.id]),
      companyId: fc.constant(company.body.id),
      workspaceId: fc.constant(home.admin),
      parentId: fc.constant(company.body.id),
      scopes: fc.constant(['contacts:read']),
      permissions: fc.constant({}),
      definition: fc.constantFrom(
        { kind: 'table', columns: ['displayName'] },
        { kind: 'kanban', groupBy: 'lifecycleStage' },
      ),
      filter: fc.constant(
        JSON.stringify({ and: [{ field: 'displayName', op: 'contains', value: 'a' }] }),
      ),
      sort: fc.constantFrom('-updatedAt', 'displayName'),
      columns: fc.constant('displayName,primaryPhone'),
      types: fc.constant('contacts'),
      cursor: fc.constant(undefined),
      trash: fc.constantFrom('true', 'false'),
      withTotal: fc.constantFrom('true', 'false'),
    });
    ops = operations((await admin.get('/api/openapi.json')).body).filter(
      (o) => !SKIP.has(`${o.method} ${o.path}`),
    );
  });
  afterAll(async () => {
    console.log(
      `guard: ${stats.requests} requests (seed ${SEED}, ${RUNS} property runs per operation and caller); by status ${JSON.stringify(stats.byStatus)}`,
    );
    await t?.close();
  });

  it('covers every operation of the document', () => {
    expect(ops.length).toBeGreaterThan(70);
  });

  type Who = 'admin' | 'viewer';
  interface Request {
    path: Record<string, unknown>;
    query: unknown;
    body: unknown;
    extraQuery?: [string, unknown] | undefined;
  }

  /** One request through the real stack, and the guard's assertions on its answer. */
  async function send(who: Who, op: Operation, r: Request): Promise<void> {
    const client = callers[who];
    let url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encode(r.path[name]));
    const query =
      r.query && typeof r.query === 'object' && !Array.isArray(r.query)
        ? Object.entries(r.query).map(([k, v]) => `${encode(k)}=${encode(v)}`)
        : [`q=${encode(r.query)}`];
    if (r.extraQuery) query.push(`${encode(r.extraQuery[0])}=${encode(r.extraQuery[1])}`);
    if (query.length > 0) url += `?${query.join('&')}`;
    const write = op.method !== 'GET';
    const before = write ? await tableCounts(t.ctx.db) : null;
    const res = await t.app.inject({
      method: op.method as 'GET',
      url,
      headers: {
        cookie: `sen_session=${client.cookie}`,
        'x-csrf-token': client.csrf ?? '',
        ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(r.body !== undefined ? { payload: JSON.stringify(r.body) } : {}),
    });
    stats.requests++;
    stats.byStatus[res.statusCode] = (stats.byStatus[res.statusCode] ?? 0) + 1;
    const where = `${who} ${op.method} ${url.slice(0, 200)} ${String(JSON.stringify(r.body)).slice(0, 200)}`;
    expect(res.statusCode, where).toBeLessThan(500);
    // Creating a workspace moves the session into it (as its admin): move back.
    if (op.path === '/api/v1/workspaces' && res.statusCode === 201) {
      const back = await client.post('/api/v1/auth/switch-workspace', { workspaceId: home[who] });
      expect(back.status).toBe(200);
    }
    if (res.statusCode >= 400) {
      const body = res.json();
      expect(Object.keys(body), where).toEqual(['error']);
      expect(typeof body.error.code, where).toBe('string');
      expect(body.error.message.length, where).toBeGreaterThan(0);
      expect('details' in body.error, where).toBe(true);
      expect(body.error.requestId, where).toBe(res.headers['x-request-id']);
      if (before) {
        const after = await tableCounts(t.ctx.db);
        const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
        expect(changed, where).toEqual([]);
      }
    }
  }

  /** A real id for the path (the fixture of the path's object); deletes get an unknown id. */
  function idFor(op: Operation): string {
    if (op.method === 'DELETE') return randomUUID();
    const segment = op.path.split('/')[3] ?? '';
    return fixtures[segment === '{object}' ? 'contacts' : segment] ?? randomUUID();
  }

  const validRequest = (op: Operation, seed: number): Request => {
    const sample = <T>(arb: fc.Arbitrary<T>) => fc.sample(arb, { seed, numRuns: 1 })[0] as T;
    return {
      path: Object.fromEntries(
        Object.keys(op.pathParams).map((n) => [n, n === 'object' ? 'contacts' : idFor(op)]),
      ),
      query: sample(validFrom({ type: 'object', properties: op.query }, [], true)),
      body: op.body ? sample(validFrom(op.body, [], true)) : undefined,
    };
  };

  for (const who of ['admin', 'viewer'] as const) {
    it(`sweep as ${who === 'admin' ? 'an admin' : 'a viewer'}: every node of every operation, each hostile class`, async () => {
      for (const op of ops) {
        const base = validRequest(op, SEED);
        await send(who, op, base);
        if (op.body !== null) {
          for (const [node, value] of nodesOf(base.body)) {
            for (const bad of sweepValues(value, node.length === 0, true)) {
              await send(who, op, { ...base, body: replaceAt(base.body, node, bad) });
            }
          }
        }
        for (const name of Object.keys(op.query)) {
          for (const bad of sweepValues('', false, false)) {
            await send(who, op, { ...base, query: { ...(base.query as object), [name]: bad } });
          }
        }
        for (const name of Object.keys(op.pathParams)) {
          for (const bad of sweepValues('', false, false)) {
            await send(who, op, { ...base, path: { ...base.path, [name]: bad } });
          }
        }
        await send(who, op, { ...base, extraQuery: ['\u0000', 'x'] });
      }
    }, 1_200_000);

    it(`property as ${who === 'admin' ? 'an admin' : 'a viewer'}: valid requests but for one hostile place`, async () => {
      for (const op of ops) {
        const validPath = fc.record(
          Object.fromEntries(
            Object.keys(op.pathParams).map((name) => [
              name,
              name === 'object'
                ? fc.constantFrom('contacts', 'companies')
                : fc.oneof(
                    { weight: 4, arbitrary: fc.constantFrom(...ids) },
                    { weight: 1, arbitrary: fc.uuid({ version: 7 }) },
                  ),
            ]),
          ),
        );
        const hostilePath = fc
          .tuple(validPath, fc.constantFrom(...Object.keys(op.pathParams), 'none'), anyHostile)
          .map(([path, name, bad]) => (name === 'none' ? path : { ...path, [name]: bad }));
        const queryShape = { type: 'object', properties: op.query };
        const places = [
          ...(Object.keys(op.pathParams).length > 0 ? ['path'] : []),
          ...(Object.keys(op.query).length > 0 ? ['query'] : []),
          ...(op.body ? ['body', 'body', 'body'] : []),
          'extraQuery',
        ];
        const request = fc.constantFrom(...places).chain((place) =>
          fc.record({
            path: place === 'path' ? hostilePath : validPath,
            query: place === 'query' ? hostileFrom(queryShape, false) : validFrom(queryShape),
            body: !op.body
              ? fc.constant(undefined)
              : place === 'body'
                ? hostileFrom(op.body, true)
                : validFrom(op.body),
            extraQuery:
              place === 'extraQuery' ? fc.tuple(hostileString, anyHostile) : fc.constant(undefined),
          }),
        );
        await fc.assert(
          fc.asyncProperty(request, (r) => send(who, op, r as Request)),
          { seed: SEED, numRuns: RUNS, endOnFailure: true },
        );
      }
    }, 1_200_000);
  }
});
