/**
 * The records benchmark (issue #3), part of `npm run bench` (or alone: `npm run bench -- records`).
 *
 * On each backend — native PostgreSQL, then PGlite — a fresh database is migrated by starting
 * the real server, a workspace, four sales members and an API key are created through the HTTP
 * API, then 1,000,000 contacts + 100,000 companies (+ their company links) from the demo
 * generator are bulk-loaded with COPY (bench/records-load.ts) and VACUUM ANALYZEd. Measured,
 * serially (one request at a time: latency, not throughput), through HTTP with the API key:
 *   - list:   GET /api/v1/contacts?filter=<provinceCode is 79>&sort=-updatedAt&limit=50
 *   - search: GET /api/v1/search?q=…&limit=20 over 20 different queries (names with and without
 *             diacritics, emails, phone numbers and fragments, company names)
 * each beside the raw SQL of the same query in the same run (list: the page statement with the
 * contacts kind's own columns; search: the providers' own statements, built by the same code),
 * run directly on the database as the connecting user (no HTTP, no auth, no RLS). The list is
 * also shown beside a minimal `SELECT *` of the same 51 rows (no owner name, no companies).
 * The products list (GET /api/v1/products?sort=-updatedAt&limit=50 over 100,000 products,
 * bench/products.ts) is measured the same way, with the same goals as the contacts list.
 *
 * Goals: list p95 ≤ 25 ms and ≤ 2× its raw SQL; search p95 ≤ 30 ms; PGlite p95 within 2.5× the
 * native one.
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL         server URL (default postgres://postgres@127.0.0.1:5432/)
 *   BENCH_RECORDS_BACKENDS     postgres,pglite (default both)
 *   BENCH_RECORDS_CONTACTS     contacts to load (default 1000000); BENCH_RECORDS_COMPANIES (100000)
 *   BENCH_RECORDS_PRODUCTS     products to load (default 100000; bench/products.ts)
 *   BENCH_PGLITE_CONTACTS      contacts on PGlite (default: the same); BENCH_PGLITE_COMPANIES
 *   BENCH_RECORDS_ROUNDS       measured passes over the 20 queries (default 10; 1 warm-up pass)
 *   BENCH_RECORDS_LIST_SAMPLES measured list pages, each beside its raw SQL (default 1000)
 *   BENCH_RECORDS_EXPLAIN=1    print EXPLAIN ANALYZE of every search statement (PostgreSQL)
 *   BENCH_RECORDS_KEEP=1       keep the sen_bench_records database afterwards (for EXPLAIN work)
 *   BENCH_RECORDS_REUSE=1      measure a database kept by an earlier KEEP run instead of loading
 *                              a new one (PostgreSQL; its fixture is kept in the temp folder)
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { performance } from 'node:perf_hooks';
import { PgDialect } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from '../src/config/env.js';
import type { Actor } from '../src/core/permissions.js';
import { callbackQuery, PgliteDatabase } from '../src/db/database.js';
import { createLogger } from '../src/lib/logger.js';
import { DemoGenerator } from '../src/modules/demo/generate.js';
import { productKind } from '../src/modules/products/products.service.js';
import { contactKind } from '../src/modules/contacts/contacts.service.js';
import {
  companiesCandidatesSql,
  companiesPresentSql,
} from '../src/modules/companies/companies.search.js';
import {
  contactsCandidatesSql,
  contactsPresentSql,
} from '../src/modules/contacts/contacts.search.js';
import { parseSearchQuery } from '../src/modules/search/search.service.js';
import { startServer, type RunningServer } from '../src/server.js';
import { loadProducts, PRODUCTS_LIST_PATH, productsListSql } from './products.js';
import { loadRecords, pgliteTarget, postgresTarget, type BulkTarget } from './records-load.js';
import { fmt, formatTable, percentile } from './stats.js';

const BENCH_DB = 'sen_bench_records';
const PASSWORD = 'correct horse battery staple';
/** The demo generator's seed for the loaded rows (bench/imports.ts loads the same ones). */
export const SEED = 20250701;
/** The end of the generator's two-year window. */
export const DEMO_NOW = new Date('2026-06-30T00:00:00Z');

export const SEARCH_QUERIES = [
  'nguyen',
  'Nguyễn Văn',
  'nguyen van anh',
  'NGUYỄN THỊ HỒNG',
  'tran thi thu',
  'Lê Minh',
  'pham duc',
  'hoàng',
  'duc',
  'Thảo',
  'van anh',
  'khanh linh',
  'nhung',
  'linh.nguyen@',
  'Công ty TNHH',
  'hoang long',
  '0912 345 678',
  '+84 983',
  '345678',
  '0903 12',
] as const;

const LIST_FILTER = { and: [{ field: 'provinceCode', op: 'is', value: '79' }] };
const LIST_PATH = `/api/v1/contacts?filter=${encodeURIComponent(JSON.stringify(LIST_FILTER))}&sort=-updatedAt&limit=50`;
/**
 * The list page's statement as the records module runs it (records/list.ts listPage: the
 * contacts kind's presented columns — owner name, visible companies, ISO timestamps — the
 * filter, the keyset order and LIMIT 51), with the workspace condition RLS would add written
 * out, since the raw runs as the connecting user without RLS.
 */
function listSql(f: Fixture) {
  return toQuery(sql`SELECT ${contactKind.columns(adminActor(f))},
      to_char((r.updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "sortValue"
    FROM contacts r
    WHERE r.workspace_id = ${f.workspaceId} AND r.deleted_at IS NULL AND r.province_code = '79'
    ORDER BY r.updated_at DESC NULLS LAST, r.id DESC NULLS LAST LIMIT 51`);
}
/** The least any list page has to read: the same rows, their own columns only. */
const LIST_MINIMAL_SQL = `SELECT * FROM contacts
  WHERE workspace_id = $1 AND deleted_at IS NULL AND province_code = '79'
  ORDER BY updated_at DESC NULLS LAST, id DESC NULLS LAST LIMIT 51`;

class RecordsBenchError extends Error {}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new RecordsBenchError(`${name} must be an integer ≥ 0`);
  return n;
}

const settings = {
  baseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/',
  backends: (process.env.BENCH_RECORDS_BACKENDS || 'postgres,pglite').split(','),
  contacts: intEnv('BENCH_RECORDS_CONTACTS', 1_000_000),
  companies: intEnv('BENCH_RECORDS_COMPANIES', 100_000),
  products: intEnv('BENCH_RECORDS_PRODUCTS', 100_000),
  rounds: Math.max(1, intEnv('BENCH_RECORDS_ROUNDS', 10)),
  listSamples: Math.max(20, intEnv('BENCH_RECORDS_LIST_SAMPLES', 1000)),
  explain: process.env.BENCH_RECORDS_EXPLAIN === '1',
  // A reused database is kept again.
  keep: process.env.BENCH_RECORDS_KEEP === '1' || process.env.BENCH_RECORDS_REUSE === '1',
  reuse: process.env.BENCH_RECORDS_REUSE === '1',
};
const FIXTURE_FILE = path.join(os.tmpdir(), `${BENCH_DB}.fixture.json`);
const pgliteContacts = intEnv('BENCH_PGLITE_CONTACTS', settings.contacts);
const pgliteCompanies = intEnv('BENCH_PGLITE_COMPANIES', settings.companies);

function databaseUrl(name: string): string {
  const url = new URL(settings.baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---------------------------------------------------------------- set-up through the API

export interface Fixture {
  workspaceId: string;
  adminId: string;
  ownerIds: string[];
  /** Read scopes on contacts, companies and products. */
  apiKey: string;
  /** The admin's session: cookie and CSRF token (every permission, writes included). */
  session: Record<string, string>;
}

async function call(
  base: string,
  method: 'GET' | 'POST',
  p: string,
  body: unknown,
  headers: Record<string, string>,
  expect: number,
) {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status !== expect) {
    throw new RecordsBenchError(`${method} ${p} → ${res.status} (expected ${expect}): ${text}`);
  }
  return { body: (text ? JSON.parse(text) : {}) as unknown, headers: res.headers };
}

/** A value inside a JSON response, as a string ("user", "id" → body.user.id). */
function get(body: unknown, ...keys: string[]): string {
  let v: unknown = body;
  for (const k of keys)
    v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  if (typeof v !== 'string') throw new RecordsBenchError(`response has no ${keys.join('.')}`);
  return v;
}

function sessionOf(headers: Headers): Record<string, string> {
  const cookie = headers.getSetCookie().find((c) => c.startsWith('sen_session='));
  const token = cookie?.slice('sen_session='.length).split(';')[0];
  if (!token) throw new RecordsBenchError('no sen_session cookie');
  return { cookie: `sen_session=${token}` };
}

/**
 * A workspace through the HTTP API (POST /setup), four sales members (owners of the loaded
 * rows) and a read-only API key.
 */
export async function setUp(base: string): Promise<Fixture> {
  const setup = await call(
    base,
    'POST',
    '/api/v1/setup',
    {
      workspaceName: 'Công ty TNHH Bench',
      name: 'Nguyễn Văn Quản',
      email: 'bench@example.com',
      password: PASSWORD,
      locale: 'vi',
    },
    {},
    201,
  );
  const session = sessionOf(setup.headers);
  const me = await call(base, 'GET', '/api/v1/auth/session', undefined, session, 200);
  const write = { ...session, 'x-csrf-token': get(me.body, 'csrfToken') };
  const adminId = get(me.body, 'user', 'id');
  const roles = await call(base, 'GET', '/api/v1/roles', undefined, session, 200);
  const sales = (roles.body as { items: { id: string; key: string | null }[] }).items.find(
    (r) => r.key === 'sales',
  );
  if (!sales) throw new RecordsBenchError('no sales role');
  const ownerIds = [adminId];
  for (let i = 1; i <= 4; i++) {
    const inv = await call(
      base,
      'POST',
      '/api/v1/invitations',
      { email: `sales${i}@example.com`, roleId: sales.id },
      write,
      201,
    );
    const token = get(inv.body, 'url').split('/invite/')[1];
    const accepted = await call(
      base,
      'POST',
      '/api/v1/invitations/accept',
      { token, name: `Nhân viên ${i}`, password: PASSWORD },
      {},
      200,
    );
    ownerIds.push(get(accepted.body, 'user', 'id'));
  }
  const key = await call(
    base,
    'POST',
    '/api/v1/api-keys',
    { name: 'bench', scopes: ['contacts:read', 'companies:read', 'products:read'] },
    write,
    201,
  );
  return {
    workspaceId: get(me.body, 'workspace', 'id'),
    adminId,
    ownerIds,
    apiKey: get(key.body, 'secret'),
    session: write,
  };
}

// ---------------------------------------------------------------- timing

interface Timing {
  p50: number;
  p95: number;
  count: number;
}

function timing(samples: number[]): Timing {
  const sorted = Float64Array.from(samples).sort();
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), count: sorted.length };
}

async function timeIt(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * The measured GETs go through node:http on one keep-alive connection: undici's fetch spends
 * about a millisecond more of this process's CPU per 57 KB response (web streams), time the
 * raw SQL beside it does not pay and that is not Sen's. A request is timed to the last byte of
 * its response, as HTTP load tools (wrk, autocannon, k6) time it: reading the JSON is the
 * client's work, done after the clock stops.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function httpGetOnce(url: string, apiKey: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${apiKey}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** GET p: its body once it has fully arrived (status 200 checked), not yet parsed. */
async function httpGet(base: string, p: string, apiKey: string): Promise<Buffer> {
  // A keep-alive connection left idle through a long load may be closed by the server just as
  // it is reused (PGlite blocks the event loop while it loads): retry such a request once.
  const res = await httpGetOnce(`${base}${p}`, apiKey).catch(() =>
    httpGetOnce(`${base}${p}`, apiKey),
  );
  if (res.status !== 200) {
    throw new RecordsBenchError(`GET ${p} → ${res.status}: ${res.body.toString('utf8')}`);
  }
  return res.body;
}

/** Runs raw SQL on the benchmark database as the connecting user. */
interface RawRunner {
  query(text: string, params: unknown[]): Promise<unknown[]>;
  /** Several statements at once (PostgreSQL: pipelined on one connection, like db.read()). */
  all(statements: { text: string; params: unknown[] }[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

async function pgRaw(url: string): Promise<RawRunner> {
  const client = new pg.Client({ connectionString: url, pipeline: true } as pg.ClientConfig);
  await client.connect();
  return {
    query: async (text, params) => (await callbackQuery(client, { text }, params)).rows,
    all: async (statements) =>
      (
        await Promise.all(statements.map((s) => callbackQuery(client, { text: s.text }, s.params)))
      ).map((r) => r.rows),
    close: () => client.end(),
  };
}

function pgliteRaw(db: PgliteDatabase): RawRunner {
  return {
    query: async (text, params) => (await db.client.query(text, params)).rows,
    all: async (statements) => {
      const out: unknown[][] = [];
      for (const s of statements) out.push((await db.client.query(s.text, s.params)).rows);
      return out;
    },
    close: async () => {},
  };
}

const dialect = new PgDialect();
const toQuery = (s: SQL) => {
  const q = dialect.sqlToQuery(s);
  return { text: q.sql, params: q.params };
};

function adminActor(f: Fixture): Actor {
  return {
    type: 'user',
    userId: f.adminId,
    apiKeyId: null,
    name: 'bench',
    workspaceId: f.workspaceId,
    role: { key: 'admin', isAdmin: true, permissions: {} },
    teamMateIds: [],
    keyScopes: null,
    channel: 'api',
    requestId: null,
  };
}

/**
 * The search's own statements, raw: both providers' candidate statements at once, then both
 * present statements for the ids found (what the service runs, minus HTTP, auth and RLS).
 */
async function rawSearch(raw: RawRunner, f: Fixture, q: string): Promise<void> {
  const query = parseSearchQuery(q, 20);
  const actor = adminActor(f);
  const kinds = [
    { candidates: contactsCandidatesSql(actor, query), present: contactsPresentSql },
    { candidates: companiesCandidatesSql(actor, query), present: companiesPresentSql },
  ].filter((k): k is { candidates: SQL; present: typeof contactsPresentSql } => !!k.candidates);
  const found = await raw.all(kinds.map((k) => toQuery(k.candidates)));
  const present = kinds.flatMap((k, i) => {
    const ids = ((found[i] ?? []) as { id: string }[]).map((r) => r.id);
    return ids.length > 0 ? [toQuery(k.present(actor, ids))] : [];
  });
  if (present.length > 0) await raw.all(present);
}

export interface BackendResult {
  backend: 'postgres' | 'pglite';
  contacts: number;
  companies: number;
  loadSeconds: number;
  list: { http: Timing; raw: Timing; minimal: Timing };
  products: { count: number; list: { http: Timing; raw: Timing } };
  search: { http: Timing; raw: Timing; perQuery: { q: string; http: Timing; hits: number }[] };
}

async function measure(
  server: RunningServer,
  f: Fixture,
  raw: RawRunner,
  backend: 'postgres' | 'pglite',
  log: (s: string) => void,
): Promise<Pick<BackendResult, 'list' | 'search' | 'products'>> {
  const rounds = settings.rounds;
  // Search: every query once as warm-up, then `rounds` passes; HTTP and raw interleaved.
  const httpByQuery = new Map<string, number[]>(SEARCH_QUERIES.map((q) => [q, []]));
  const hitsByQuery = new Map<string, number>();
  const searchRaw: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    for (const q of SEARCH_QUERIES) {
      const p = `/api/v1/search?q=${encodeURIComponent(q)}&limit=20`;
      let body: Buffer = Buffer.alloc(0);
      const httpMs = await timeIt(async () => {
        body = await httpGet(server.url, p, f.apiKey);
      });
      const rawMs = await timeIt(() => rawSearch(raw, f, q));
      if (round === 0) {
        hitsByQuery.set(
          q,
          (JSON.parse(body.toString('utf8')) as { items: unknown[] }).items.length,
        );
        continue;
      }
      httpByQuery.get(q)?.push(httpMs);
      searchRaw.push(rawMs);
    }
  }
  const perQuery = SEARCH_QUERIES.map((q) => ({
    q,
    http: timing(httpByQuery.get(q) ?? []),
    hits: hitsByQuery.get(q) ?? 0,
  }));
  const search = {
    http: timing([...httpByQuery.values()].flat()),
    raw: timing(searchRaw),
    perQuery,
  };

  // List: each page beside its raw statement and the minimal one; the pages are checked (50
  // items) after the clock, the first and every 100th.
  const pageItems = (body: Buffer) =>
    (JSON.parse(body.toString('utf8')) as { items: unknown[] }).items.length;
  const http: number[] = [];
  const rawTimes: number[] = [];
  const minimalTimes: number[] = [];
  const statement = listSql(f);
  for (let i = -5; i < settings.listSamples; i++) {
    let body: Buffer = Buffer.alloc(0);
    const h = await timeIt(async () => {
      body = await httpGet(server.url, LIST_PATH, f.apiKey);
    });
    if (i % 100 === 0 && pageItems(body) !== 50) {
      throw new RecordsBenchError(`GET ${LIST_PATH} returned ${pageItems(body)} items, not 50`);
    }
    const r = await timeIt(async () => {
      await raw.query(statement.text, statement.params);
    });
    const m = await timeIt(async () => {
      await raw.query(LIST_MINIMAL_SQL, [f.workspaceId]);
    });
    if (i < 0) continue;
    http.push(h);
    rawTimes.push(r);
    minimalTimes.push(m);
  }
  const list = { http: timing(http), raw: timing(rawTimes), minimal: timing(minimalTimes) };

  // The products list, the same way (the first page checked after the clock).
  const productHttp: number[] = [];
  const productRaw: number[] = [];
  const productStatement = toQuery(
    productsListSql(productKind.columns(adminActor(f)), f.workspaceId),
  );
  const productSamples = settings.products > 0 ? settings.listSamples : 0;
  for (let i = -5; i < productSamples; i++) {
    let body: Buffer = Buffer.alloc(0);
    const h = await timeIt(async () => {
      body = await httpGet(server.url, PRODUCTS_LIST_PATH, f.apiKey);
    });
    if (i % 100 === 0 && pageItems(body) !== Math.min(50, settings.products)) {
      throw new RecordsBenchError(`GET ${PRODUCTS_LIST_PATH} returned ${pageItems(body)} items`);
    }
    const r = await timeIt(async () => {
      await raw.query(productStatement.text, productStatement.params);
    });
    if (i < 0) continue;
    productHttp.push(h);
    productRaw.push(r);
  }
  const products = {
    count: settings.products,
    list: { http: timing(productHttp), raw: timing(productRaw) },
  };
  log(`    measured on ${backend}`);
  return { list, search, products };
}

async function explainSearches(raw: RawRunner, f: Fixture): Promise<void> {
  const actor = adminActor(f);
  for (const q of SEARCH_QUERIES) {
    const query = parseSearchQuery(q, 20);
    const statements = [contactsCandidatesSql(actor, query), companiesCandidatesSql(actor, query)]
      .filter((x): x is SQL => x !== null)
      .map(toQuery);
    for (const s of statements) {
      const rows = (await raw.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.params)) as {
        'QUERY PLAN': string;
      }[];
      console.log(`\n--- ${q}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
    }
  }
}

/** A full garbage collection of this process (the loader shares it with the server). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

export interface DemoCounts {
  contacts: number;
  companies: number;
  products: number;
}

/**
 * Bulk-loads the demo generator's contacts and companies (seed SEED) and `products` products
 * into the fixture's workspace through `target`; the seconds it took.
 */
export async function loadDemo(
  target: BulkTarget,
  fixture: Fixture,
  counts: DemoCounts,
  log: (s: string) => void,
): Promise<number> {
  log(
    `  ${target.kind}: loading ${counts.contacts.toLocaleString('en-US')} contacts, ${counts.companies.toLocaleString('en-US')} companies`,
  );
  const gen = demoGenerator(fixture, counts);
  const started = performance.now();
  const done = await loadRecords(target, gen, log);
  if (counts.products > 0) {
    await loadProducts(target, counts.products, fixture.workspaceId, fixture.ownerIds, DEMO_NOW);
    log(`    products   ${counts.products.toLocaleString('en-US')} rows`);
  }
  const seconds = (performance.now() - started) / 1000;
  log(
    `    loaded in ${seconds.toFixed(0)} s (COPY ${(done.copyMs / 1000).toFixed(0)} s, ` +
      `indexes ${(done.indexMs / 1000).toFixed(0)} s, VACUUM ANALYZE ${(done.analyzeMs / 1000).toFixed(0)} s)`,
  );
  return seconds;
}

/** The generator loadDemo loads from: the same rows for the same fixture and counts. */
export function demoGenerator(
  fixture: Fixture,
  counts: Pick<DemoCounts, 'contacts' | 'companies'>,
): DemoGenerator {
  return new DemoGenerator({
    workspaceId: fixture.workspaceId,
    ownerIds: fixture.ownerIds,
    contacts: counts.contacts,
    companies: counts.companies,
    seed: SEED,
    now: DEMO_NOW,
    tagDemo: false,
  });
}

/** Bulk-loads the demo generator's contacts and companies; the seconds it took. */
async function load(
  server: RunningServer,
  backend: 'postgres' | 'pglite',
  fixture: Fixture,
  contacts: number,
  companies: number,
  log: (s: string) => void,
): Promise<number> {
  const target: BulkTarget =
    backend === 'postgres'
      ? await postgresTarget(databaseUrl(BENCH_DB))
      : pgliteTarget((server.ctx.db as PgliteDatabase).client);
  try {
    return await loadDemo(
      target,
      fixture,
      { contacts, companies, products: settings.products },
      log,
    );
  } finally {
    await target.close();
  }
}

// ---------------------------------------------------------------- one backend

async function runBackend(
  backend: 'postgres' | 'pglite',
  log: (s: string) => void,
): Promise<BackendResult> {
  const contacts = backend === 'pglite' ? pgliteContacts : settings.contacts;
  const companies = backend === 'pglite' ? pgliteCompanies : settings.companies;
  let admin: pg.Client | null = null;
  let dataDir: string | null = null;
  let server: RunningServer | null = null;
  let raw: RawRunner | null = null;
  try {
    const env: Record<string, string> = {
      PORT: '0',
      HOST: '127.0.0.1',
      SEN_JOBS: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    };
    const reuse = backend === 'postgres' && settings.reuse;
    if (backend === 'postgres') {
      admin = new pg.Client({ connectionString: databaseUrl('postgres') });
      await admin.connect();
      if (!reuse) {
        await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${BENCH_DB}`);
      }
      env.DATABASE_URL = databaseUrl(BENCH_DB);
    } else {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-bench-pglite-'));
      env.SEN_DATA_DIR = dataDir;
    }
    const config = loadConfig(env);
    server = await startServer(config, createLogger(config.logLevel));
    let loadSeconds = 0;
    let fixture: Fixture;
    if (reuse) {
      if (!fs.existsSync(FIXTURE_FILE)) {
        throw new RecordsBenchError(`no ${FIXTURE_FILE}: run once with BENCH_RECORDS_KEEP=1`);
      }
      fixture = JSON.parse(fs.readFileSync(FIXTURE_FILE, 'utf8')) as Fixture;
      log(`  ${backend}: reusing the kept ${BENCH_DB} database`);
    } else {
      fixture = await setUp(server.url);
      loadSeconds = await load(server, backend, fixture, contacts, companies, log);
      // The loader's garbage (a million generated rows) is not the server's: collect it now
      // rather than in the middle of the measured requests.
      collectGarbage();
      if (settings.keep && backend === 'postgres') {
        fs.writeFileSync(FIXTURE_FILE, JSON.stringify(fixture));
      }
    }

    raw =
      backend === 'postgres'
        ? await pgRaw(databaseUrl(BENCH_DB))
        : pgliteRaw(server.ctx.db as PgliteDatabase);
    if (settings.explain && backend === 'postgres') await explainSearches(raw, fixture);
    const measured = await measure(server, fixture, raw, backend, log);
    const { list, search } = measured;
    log(
      `    search p50/p95 ${fmt(search.http.p50, 2)}/${fmt(search.http.p95, 2)} ms, ` +
        `list p50/p95 ${fmt(list.http.p50, 2)}/${fmt(list.http.p95, 2)} ms`,
    );
    return { backend, contacts, companies, loadSeconds, ...measured };
  } finally {
    await raw?.close().catch(() => {});
    await server?.close().catch((err: unknown) => console.error('closing Sen failed:', err));
    if (admin) {
      if (!settings.keep) {
        await admin
          .query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`)
          .catch((err: unknown) => console.error(`dropping ${BENCH_DB} failed:`, err));
      }
      await admin.end().catch(() => {});
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- report

const LIST_GOAL_MS = 25;
const LIST_RAW_RATIO = 2;
const SEARCH_GOAL_MS = 30;
const PGLITE_RATIO = 2.5;

/** Runs the suite, prints the table; true when every goal is met. */
export async function runRecordsBench(): Promise<boolean> {
  const log = (s: string) => console.log(s);
  console.log('Sen benchmark: customer records (issue #3)');
  console.log(
    `  data        demo generator, seed ${SEED}; ${settings.rounds} measured pass(es) over ` +
      `${SEARCH_QUERIES.length} search queries after one warm-up pass, serial requests, API key`,
  );
  const results: BackendResult[] = [];
  try {
    for (const b of settings.backends) {
      if (b !== 'postgres' && b !== 'pglite') throw new RecordsBenchError(`unknown backend ${b}`);
      results.push(await runBackend(b, log));
    }
  } finally {
    agent.destroy();
  }
  console.log('');

  const native = results.find((r) => r.backend === 'postgres');
  const rows: string[][] = [];
  let met = true;
  const verdict = (ok: boolean) => {
    met &&= ok;
    return ok ? 'met' : 'NOT met';
  };
  for (const r of results) {
    const size = `${(r.contacts / 1e6).toLocaleString('en-US')}M contacts`;
    const row = (
      what: string,
      t: { http: Timing; raw: Timing },
      ratio: string,
      goal: string,
      ok: boolean,
    ) =>
      rows.push([
        `${what} (${r.backend}, ${size})`,
        fmt(t.http.p50, 2),
        fmt(t.http.p95, 2),
        fmt(t.raw.p50, 2),
        fmt(t.raw.p95, 2),
        ratio,
        goal,
        verdict(ok),
      ]);
    const { list: l, search: s } = r;
    const p = r.products.list;
    if (r.backend === 'postgres') {
      const listRatio = l.http.p95 / l.raw.p95;
      row(
        'list 50, filter+sort',
        l,
        `${fmt(listRatio, 2)}× raw`,
        `p95 ≤ ${LIST_GOAL_MS} ms, ≤ ${LIST_RAW_RATIO}× raw`,
        l.http.p95 <= LIST_GOAL_MS && listRatio <= LIST_RAW_RATIO,
      );
      if (r.products.count > 0) {
        const productRatio = p.http.p95 / p.raw.p95;
        rows.push([
          `products list 50, newest first (${r.backend}, ${(r.products.count / 1000).toLocaleString('en-US')}k products)`,
          fmt(p.http.p50, 2),
          fmt(p.http.p95, 2),
          fmt(p.raw.p50, 2),
          fmt(p.raw.p95, 2),
          `${fmt(productRatio, 2)}× raw`,
          `p95 ≤ ${LIST_GOAL_MS} ms, ≤ ${LIST_RAW_RATIO}× raw`,
          verdict(p.http.p95 <= LIST_GOAL_MS && productRatio <= LIST_RAW_RATIO),
        ]);
      }
      row(
        'search, 20 queries',
        s,
        `${fmt(s.http.p95 / s.raw.p95, 2)}× raw`,
        `p95 ≤ ${SEARCH_GOAL_MS} ms`,
        s.http.p95 <= SEARCH_GOAL_MS,
      );
    } else {
      // PGlite against Sen on PostgreSQL (the native run of the same bench).
      for (const [what, t, base] of [
        ['list 50, filter+sort', l, native?.list.http.p95],
        ['search, 20 queries', s, native?.search.http.p95],
        ...(r.products.count > 0
          ? ([['products list 50', p, native?.products.list.http.p95]] as const)
          : []),
      ] as const) {
        const ratio = t.http.p95 / (base ?? NaN);
        row(
          what,
          t,
          `${fmt(ratio, 2)}× native`,
          `p95 ≤ ${PGLITE_RATIO}× native`,
          ratio <= PGLITE_RATIO,
        );
      }
    }
  }
  console.log(
    formatTable(
      ['measurement (ms)', 'p50', 'p95', 'raw p50', 'raw p95', 'ratio', 'goal', 'result'],
      rows,
    ),
  );
  console.log(
    '  raw = the same SQL straight on the database as the connecting user (no HTTP, auth or RLS);',
  );
  console.log('  ratio = p95 / raw p95 on PostgreSQL, PGlite p95 / PostgreSQL p95 on PGlite.');
  for (const r of results) {
    const m = r.list.minimal;
    console.log(
      `  list on ${r.backend} beside a minimal SELECT * of the same rows (no owner, no companies): ` +
        `p50 ${fmt(m.p50, 2)} / p95 ${fmt(m.p95, 2)} ms, list p95 = ${fmt(r.list.http.p95 / m.p95, 2)}× it`,
    );
  }
  for (const r of results) {
    console.log(`  load ${r.backend}: ${r.loadSeconds.toFixed(0)} s`);
  }
  console.log('');
  console.log('Search per query (HTTP p50 / p95 ms, hits):');
  console.log(
    formatTable(
      ['query', ...results.flatMap((r) => [`${r.backend} p50`, `${r.backend} p95`, 'hits'])],
      SEARCH_QUERIES.map((q, i) => [
        q,
        ...results.flatMap((r) => {
          const pq = r.search.perQuery[i];
          return [fmt(pq?.http.p50 ?? NaN, 2), fmt(pq?.http.p95 ?? NaN, 2), String(pq?.hits ?? 0)];
        }),
      ]),
    ),
  );
  console.log('');
  console.log(`Records goals: ${met ? 'met' : 'NOT met'}`);
  return met;
}
