/**
 * The selling benchmark (issue #20, "Benchmark"), part of `npm run bench` (alone: `npm run bench
 * -- selling`). The PDF part of the same issue is bench/pdf.ts (`-- pdf`).
 *
 * On native PostgreSQL, a fresh database is migrated by starting the real server; a workspace,
 * four sales members and API keys are created through the HTTP API; 1,000,000 contacts and
 * 100,000 companies (with their company links) from the demo generator are loaded with COPY
 * (bench/records-load.ts, as the records benchmark loads them). Then, set-based in SQL (no
 * per-row round trips), 1,000,000 orders and 1,000,000 invoices, one invoice per order, over the
 * three years up to today (BENCH_SELLING_INVOICES): every company is a customer with 10
 * invoices on average; an invoice's contact is one of its company's linked contacts (none when
 * the company has no linked contact); issue dates uniform over the three years, due 30 days
 * later; about 94 % paid, 1 % void, the rest open — issued or partly paid when not yet due,
 * overdue past the due date (about 57,000 open invoices over about 44,000 customers). The
 * numbers follow the invoices' and orders' default formats (HD-2026-0001…) and the workspace's
 * number sequences continue after them.
 *
 * The customer figures (first / last order date, order count, total spent, open balance,
 * overdue amount on contacts and companies) are the database's: the triggers of migration 0046
 * keep them per document row. A bulk load does what a restore does instead: it writes the rows
 * with the triggers off (session_replication_role = replica, which also skips the foreign-key
 * triggers, as bench/records-load.ts does: the rows are valid by construction; secondary
 * indexes are dropped first and rebuilt after), then computes every customer's figures in one
 * set-based UPDATE per table with the same expressions as sen_customer_figures (the secondary
 * indexes of contacts and companies dropped for it too: an UPDATE of half the contacts through
 * their 20-odd indexes, trigram GIN included, takes longer than rebuilding them). A sample of
 * customers is then checked against sen_customer_figures itself. Invoice lines and payments are
 * not generated (the paid amounts are written on the invoices): the report reads neither, only
 * the unallocated credit of payments, which is 0 here.
 *
 * Measured, serially (one request at a time: latency), through HTTP with an API key, each beside
 * raw SQL in the same run (as the connecting user: no HTTP, auth or RLS):
 *   (a) receivables: GET /api/v1/receivables — the aging report of the web page
 *       /reports/receivables (totals by bucket, credit, and the top 500 customers with their
 *       buckets and owner) over the 1,000,000 invoices; raw, for scale: the plain aggregate (the
 *       open balance summed per aging bucket). Goal: p95 ≤ 300 ms. The overdue-only variant
 *       (?overdue=true, the page's toggle) is measured too.
 *   (b) contacts list on a computed field: GET /api/v1/contacts?filter=<lastOrderDate
 *       more_than_days_ago 90>&sort=-updatedAt&limit=50 ("no order for 90 days"); raw: the page
 *       statement with the contacts kind's presented columns. Goals as issue #3's list: p95 ≤
 *       25 ms and ≤ 2× its raw SQL.
 *   (c) issuing invoices: BENCH_SELLING_ISSUE (default 10,000) invoices created, given two
 *       lines and issued through HTTP (POST /api/v1/invoices, PUT …/line-items, POST …/issue),
 *       each issue updating its company's and contact's figures in its transaction;
 *       BENCH_SELLING_CONCURRENCY (default 4) clients at once. Raw beside it: the same number of
 *       issued invoices written in SQL by as many connections, one transaction per invoice
 *       (number from the sequence, the invoice and its two lines, the figure triggers firing),
 *       and once more as one INSERT … SELECT of as many rows. The figures of the customers
 *       touched are checked against their invoices afterwards; the issued invoices are deleted
 *       again at the end (their customers' figures follow by the triggers), so a kept database
 *       measures the same data next time.
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL          server URL (default postgres://postgres@127.0.0.1:5432/)
 *   BENCH_SELLING_CONTACTS      contacts (default 1000000); BENCH_SELLING_COMPANIES (100000)
 *   BENCH_SELLING_INVOICES      invoices, one order each (default 1000000)
 *   BENCH_SELLING_REPORT_SAMPLES measured report requests (default 100, after 3 warm-up ones)
 *   BENCH_SELLING_LIST_SAMPLES  measured list pages (default 500, after 5 warm-up ones)
 *   BENCH_SELLING_ISSUE         invoices issued in (c) (default 10000; 0 skips (c))
 *   BENCH_SELLING_CONCURRENCY   clients issuing at once in (c) (default 4)
 *   BENCH_SELLING_EXPLAIN=1     print EXPLAIN ANALYZE of the report's and the list's statements as
 *                               sen_app under RLS
 *   BENCH_SELLING_KEEP=1        keep the sen_bench_selling database afterwards
 *   BENCH_SELLING_REUSE=1       measure a database kept by an earlier KEEP run
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
import { callbackQuery } from '../src/db/database.js';
import { createLogger } from '../src/lib/logger.js';
import { contactKind } from '../src/modules/contacts/contacts.service.js';
import { startServer, type RunningServer } from '../src/server.js';
import { loadDemo, setUp, type Fixture } from './records.js';
import { postgresTarget } from './records-load.js';
import { fmt, fmtInt, formatTable, percentile } from './stats.js';

const BENCH_DB = 'sen_bench_selling';
const REPORT_GOAL_MS = 300;
const LIST_GOAL_MS = 25;
const LIST_RAW_RATIO = 2;
/** Random but repeatable data (setseed before the generating statement). */
const SEED = 0.2026;

class SellingBenchError extends Error {}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new SellingBenchError(`${name} must be an integer ≥ 0`);
  return n;
}

const settings = {
  baseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/',
  contacts: intEnv('BENCH_SELLING_CONTACTS', 1_000_000),
  companies: Math.max(1, intEnv('BENCH_SELLING_COMPANIES', 100_000)),
  invoices: Math.max(1, intEnv('BENCH_SELLING_INVOICES', 1_000_000)),
  reportSamples: Math.max(20, intEnv('BENCH_SELLING_REPORT_SAMPLES', 100)),
  listSamples: Math.max(20, intEnv('BENCH_SELLING_LIST_SAMPLES', 500)),
  issue: intEnv('BENCH_SELLING_ISSUE', 10_000),
  concurrency: Math.max(1, intEnv('BENCH_SELLING_CONCURRENCY', 4)),
  explain: process.env.BENCH_SELLING_EXPLAIN === '1',
  keep: process.env.BENCH_SELLING_KEEP === '1' || process.env.BENCH_SELLING_REUSE === '1',
  reuse: process.env.BENCH_SELLING_REUSE === '1',
};
const FIXTURE_FILE = path.join(os.tmpdir(), `${BENCH_DB}.fixture.json`);

function databaseUrl(name: string): string {
  const url = new URL(settings.baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

interface SellingFixture extends Fixture {
  /** invoices: read, create, update, approve; contacts and companies: read. */
  sellingKey: string;
}

// ---------------------------------------------------------------- HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(
  base: string,
  method: 'GET' | 'POST' | 'PUT',
  p: string,
  apiKey: string,
  body?: unknown,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      `${base}${p}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': String(payload.length) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The request's body once it has fully arrived, its status checked (timed to the last byte). */
async function call(
  base: string,
  method: 'GET' | 'POST' | 'PUT',
  p: string,
  apiKey: string,
  expect: number,
  body?: unknown,
): Promise<Buffer> {
  const res = await request(base, method, p, apiKey, body);
  if (res.status !== expect) {
    throw new SellingBenchError(
      `${method} ${p} → ${res.status} (expected ${expect}): ${res.body.toString('utf8').slice(0, 500)}`,
    );
  }
  return res.body;
}

async function createKey(base: string, f: Fixture): Promise<string> {
  const res = await fetch(`${base}/api/v1/api-keys`, {
    method: 'POST',
    headers: { ...f.session, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'bench selling',
      scopes: [
        'contacts:read',
        'companies:read',
        'invoices:read',
        'invoices:create',
        'invoices:update',
        'invoices:approve',
      ],
    }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new SellingBenchError(`POST /api-keys → ${res.status}: ${text}`);
  return (JSON.parse(text) as { secret: string }).secret;
}

// ---------------------------------------------------------------- data

async function exec(client: pg.Client, text: string, params: unknown[] = []) {
  return callbackQuery(client, { text }, params);
}

/**
 * Orders and invoices, set-based, with the triggers off; then every customer's figures in one
 * UPDATE per table, as sen_customer_figures computes them.
 */
async function generateDocuments(
  client: pg.Client,
  url: string,
  f: Fixture,
  log: (s: string) => void,
): Promise<{ seconds: number; open: number; customers: number }> {
  const t0 = performance.now();
  await exec(client, `SET session_replication_role = replica`);
  await exec(client, `SET maintenance_work_mem = '512MB'`);
  const { rows: indexes } = await exec(
    client,
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename IN ('orders', 'invoices', 'contacts', 'companies')
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                         WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
  );
  for (const ix of indexes as { name: string }[]) await exec(client, `DROP INDEX "${ix.name}"`);

  // The customers (companies, numbered) and their linked contacts (numbered per company).
  await exec(
    client,
    `CREATE TEMP TABLE bench_customers AS
       SELECT row_number() OVER (ORDER BY c.id) AS n, c.id, c.owner_id, l.cnt FROM companies c
         LEFT JOIN (SELECT company_id, count(*) AS cnt FROM contact_companies GROUP BY 1) l
           ON l.company_id = c.id
        WHERE c.workspace_id = $1 AND c.deleted_at IS NULL`,
    [f.workspaceId],
  );
  await exec(client, `CREATE UNIQUE INDEX ON bench_customers (n)`);
  await exec(
    client,
    `CREATE TEMP TABLE bench_buyers AS
       SELECT company_id, contact_id,
              row_number() OVER (PARTITION BY company_id ORDER BY contact_id) - 1 AS k
         FROM contact_companies WHERE workspace_id = $1`,
    [f.workspaceId],
  );
  await exec(client, `CREATE UNIQUE INDEX ON bench_buyers (company_id, k)`);
  await exec(client, `ANALYZE bench_customers; ANALYZE bench_buyers`);
  const nCustomers = Number(
    (await exec(client, `SELECT count(*) AS n FROM bench_customers`)).rows[0]?.n,
  );

  // One row per invoice: its customer, dates, amounts and status, drawn from two randoms.
  await exec(client, `SELECT setseed(${SEED})`);
  await exec(
    client,
    `CREATE TEMP TABLE bench_docs AS
     WITH g AS (
       SELECT g, random() AS r1, random() AS r2, random() AS r3,
              floor(random() * 1095)::int AS days
         FROM generate_series(1, $1::int) g
     ), d AS (
       SELECT g.*, (current_date - g.days) AS issue_date,
              ((1 + floor(g.r3 * 9000)) * 5000)::bigint AS subtotal,
              CASE
                WHEN g.r1 < 0.01 THEN 'void'
                WHEN g.days < 30 THEN CASE WHEN g.r2 < 0.6 THEN 'issued' WHEN g.r2 < 0.7 THEN 'partly_paid' ELSE 'paid' END
                WHEN g.days < 120 THEN CASE WHEN g.r2 < 0.75 THEN 'paid' ELSE 'overdue' END
                ELSE CASE WHEN g.r2 < 0.98 THEN 'paid' ELSE 'overdue' END
              END AS status
         FROM g
     )
     SELECT d.g, d.issue_date, d.issue_date + 30 AS due_date, d.status,
            d.subtotal, d.subtotal / 10 AS vat, d.subtotal + d.subtotal / 10 AS total,
            CASE WHEN d.status = 'paid' THEN d.subtotal + d.subtotal / 10
                 WHEN d.status = 'partly_paid' OR (d.status = 'overdue' AND d.r2 > 0.95)
                   THEN (d.subtotal + d.subtotal / 10) / 2
                 ELSE 0 END AS paid,
            d.issue_date - floor(d.r2 * 5)::int AS order_date,
            c.id AS company_id, c.owner_id, b.contact_id,
            sen_uuid_v7() AS order_id, sen_uuid_v7() AS invoice_id,
            row_number() OVER (PARTITION BY extract(year FROM d.issue_date) ORDER BY d.issue_date, d.g) AS seq
       FROM d
       JOIN bench_customers c ON c.n = 1 + (d.g - 1) % $2
       LEFT JOIN bench_buyers b ON b.company_id = c.id
        AND b.k = ((d.g - 1) / $2) % c.cnt`,
    [settings.invoices, nCustomers],
  );
  const t1 = performance.now();
  log(`    documents drawn in ${((t1 - t0) / 1000).toFixed(0)} s`);

  const number = (prefix: string, dateColumn: string) =>
    `'${prefix}-' || extract(year FROM ${dateColumn})::int || '-' ||
       CASE WHEN seq < 10000 THEN lpad(seq::text, 4, '0') ELSE seq::text END`;
  await exec(
    client,
    `INSERT INTO orders (id, workspace_id, owner_id, sort_name, search_name, search_text,
                         created_at, updated_at, created_by, updated_by, number, status,
                         delivery_status, company_id, contact_id, order_date, subtotal, vat_total,
                         total, vat_lines, confirmed_at)
     SELECT x.order_id, $1, x.owner_id, lower(x.num), lower(x.num), lower(x.num),
            x.order_date::timestamptz, x.order_date::timestamptz, $2, $2, x.num, 'completed',
            'delivered', x.company_id, x.contact_id, x.order_date, x.subtotal, x.vat, x.total,
            jsonb_build_array(jsonb_build_object('rate', '10', 'net', x.subtotal, 'vat', x.vat)),
            x.order_date::timestamptz
       FROM (SELECT d.*, ${number('DH', 'd.issue_date')} AS num FROM bench_docs d) x`,
    [f.workspaceId, f.adminId],
  );
  await exec(
    client,
    `INSERT INTO invoices (id, workspace_id, owner_id, sort_name, search_name, search_text,
                           created_at, updated_at, created_by, updated_by, number, status,
                           order_id, company_id, contact_id, issue_date, due_date,
                           payment_terms_days, subtotal, vat_total, total, vat_lines, paid_amount,
                           issued_at, voided_at, void_reason)
     SELECT x.invoice_id, $1, x.owner_id, lower(x.num), lower(x.num), lower(x.num),
            x.issue_date::timestamptz, x.issue_date::timestamptz, $2, $2, x.num, x.status,
            x.order_id, x.company_id, x.contact_id, x.issue_date, x.due_date, 30,
            x.subtotal, x.vat, x.total,
            jsonb_build_array(jsonb_build_object('rate', '10', 'net', x.subtotal, 'vat', x.vat)),
            x.paid, x.issue_date::timestamptz,
            CASE WHEN x.status = 'void' THEN x.issue_date::timestamptz END,
            CASE WHEN x.status = 'void' THEN 'Khách huỷ đơn' END
       FROM (SELECT d.*, ${number('HD', 'd.issue_date')} AS num FROM bench_docs d) x`,
    [f.workspaceId, f.adminId],
  );
  // The numbering continues after the loaded documents.
  await exec(
    client,
    `INSERT INTO document_sequences (workspace_id, doc_type, period, next_value)
     SELECT $1, t.doc_type, extract(year FROM d.issue_date)::int::text, max(d.seq) + 1
       FROM bench_docs d, (VALUES ('orders'), ('invoices')) t(doc_type)
      GROUP BY t.doc_type, extract(year FROM d.issue_date)
     ON CONFLICT (workspace_id, doc_type, period) DO UPDATE SET next_value = excluded.next_value`,
    [f.workspaceId],
  );
  const t2 = performance.now();
  log(
    `    orders + invoices  ${settings.invoices.toLocaleString('en-US')} rows each in ${((t2 - t1) / 1000).toFixed(0)} s`,
  );

  // Every customer's figures, as sen_customer_figures computes them for one.
  for (const [table, col] of [
    ['companies', 'company_id'],
    ['contacts', 'contact_id'],
  ] as const) {
    await exec(
      client,
      `WITH o AS (
         SELECT o.${col} AS id, min(o.order_date) AS first, max(o.order_date) AS last,
                count(*)::int AS n
           FROM orders o
          WHERE o.workspace_id = $1 AND o.${col} IS NOT NULL AND o.deleted_at IS NULL
            AND o.status IN ('confirmed', 'completed')
          GROUP BY 1
       ), i AS (
         SELECT i.${col} AS id, coalesce(sum(i.paid_amount), 0) AS spent,
                coalesce(sum(i.total - i.paid_amount) FILTER (WHERE i.status IN ('issued', 'partly_paid', 'overdue')), 0) AS open,
                coalesce(sum(i.total - i.paid_amount) FILTER (WHERE i.status = 'overdue'), 0) AS overdue
           FROM invoices i
          WHERE i.workspace_id = $1 AND i.${col} IS NOT NULL AND i.deleted_at IS NULL
            AND i.status NOT IN ('draft', 'void')
          GROUP BY 1
       )
       UPDATE ${table} r SET first_order_date = o.first, last_order_date = o.last,
              order_count = coalesce(o.n, 0), total_spent = coalesce(i.spent, 0),
              open_balance = coalesce(i.open, 0), overdue_amount = coalesce(i.overdue, 0),
              credit_balance = 0, last_activity_at = o.last::timestamptz
         FROM o FULL JOIN i USING (id)
        WHERE r.id = coalesce(o.id, i.id) AND r.workspace_id = $1`,
      [f.workspaceId],
    );
  }
  const t3 = performance.now();
  log(`    customer figures computed in ${((t3 - t2) / 1000).toFixed(0)} s`);

  // Rebuilt on two connections at once (the machine's two cores).
  const second = new pg.Client({ connectionString: url });
  await second.connect();
  try {
    await exec(second, `SET maintenance_work_mem = '512MB'`);
    const queue = [...(indexes as { def: string }[])];
    await Promise.all(
      [client, second].map(async (c) => {
        for (let ix = queue.shift(); ix; ix = queue.shift()) await exec(c, ix.def);
      }),
    );
  } finally {
    await second.end();
  }
  await exec(client, `SET session_replication_role = origin`);
  await exec(client, `DROP TABLE bench_docs, bench_customers, bench_buyers`);
  const t4 = performance.now();
  log(`    ${indexes.length} indexes rebuilt in ${((t4 - t3) / 1000).toFixed(0)} s`);
  for (const t of ['orders', 'invoices', 'companies', 'contacts']) {
    await exec(client, `VACUUM ANALYZE ${t}`);
  }
  const t5 = performance.now();
  log(`    VACUUM ANALYZE in ${((t5 - t4) / 1000).toFixed(0)} s`);
  const stats = (
    await exec(
      client,
      `SELECT count(*)::int AS open, count(DISTINCT company_id)::int AS customers FROM invoices
        WHERE workspace_id = $1 AND deleted_at IS NULL AND status IN ('issued', 'partly_paid', 'overdue')`,
      [f.workspaceId],
    )
  ).rows[0] as { open: number; customers: number };
  return { seconds: (t5 - t0) / 1000, ...stats };
}

const FIGURES = `first_order_date, last_order_date, order_count, total_spent, open_balance, overdue_amount, credit_balance`;

/**
 * The loaded figures of a sample of customers against sen_customer_figures (the triggers'
 * function), run in a transaction that is rolled back. As the app runs it: as sen_app, in the
 * workspace.
 */
async function checkFigures(client: pg.Client, f: Fixture, sample: number): Promise<void> {
  await exec(client, 'BEGIN');
  try {
    await exec(client, `SET LOCAL ROLE sen_app`);
    await exec(client, `SELECT set_config('sen.workspace_id', $1, true)`, [f.workspaceId]);
    for (const table of ['companies', 'contacts']) {
      const ids = (
        await exec(
          client,
          `SELECT id FROM ${table} WHERE order_count > 0 ORDER BY md5(id::text) LIMIT $1`,
          [sample],
        )
      ).rows.map((r) => (r as { id: string }).id);
      const before = await exec(
        client,
        `SELECT id, ${FIGURES} FROM ${table} WHERE id = ANY($1) ORDER BY id`,
        [ids],
      );
      await exec(client, `SELECT sen_customer_figures($1, id) FROM unnest($2::uuid[]) id`, [
        table,
        ids,
      ]);
      const after = await exec(
        client,
        `SELECT id, ${FIGURES} FROM ${table} WHERE id = ANY($1) ORDER BY id`,
        [ids],
      );
      if (ids.length === 0 || JSON.stringify(before.rows) !== JSON.stringify(after.rows)) {
        throw new SellingBenchError(
          `the loaded figures of ${table} differ from sen_customer_figures:\n` +
            `${JSON.stringify(before.rows.slice(0, 3))}\n${JSON.stringify(after.rows.slice(0, 3))}`,
        );
      }
    }
  } finally {
    await exec(client, 'ROLLBACK');
  }
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

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
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

/** The plain aggregate: the open balance summed per aging bucket (workspace's today). */
const AGING_RAW_SQL = `
  WITH t AS (SELECT (now() AT TIME ZONE w.timezone)::date AS d FROM workspaces w WHERE w.id = $1)
  SELECT CASE WHEN t.d - i.due_date <= 0 THEN 'notDue'
              WHEN t.d - i.due_date <= 30 THEN 'd1_30'
              WHEN t.d - i.due_date <= 60 THEN 'd31_60'
              WHEN t.d - i.due_date <= 90 THEN 'd61_90' ELSE 'over90' END AS bucket,
         sum(i.total - i.paid_amount)::text AS balance
    FROM invoices i, t
   WHERE i.workspace_id = $1 AND i.deleted_at IS NULL
     AND i.status IN ('issued', 'partly_paid', 'overdue')
   GROUP BY 1`;

const LIST_FILTER = {
  and: [{ field: 'lastOrderDate', op: 'more_than_days_ago', value: 90 }],
};
const LIST_PATH = `/api/v1/contacts?filter=${encodeURIComponent(JSON.stringify(LIST_FILTER))}&sort=-updatedAt&limit=50`;
/**
 * The list page's statement as the records module runs it (the contacts kind's presented
 * columns, the filter, the keyset order, LIMIT 51), with the workspace condition RLS would add
 * written out.
 */
function listSql(f: Fixture) {
  return toQuery(sql`SELECT ${contactKind.columns(adminActor(f))},
      to_char((r.updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "sortValue"
    FROM contacts r
    WHERE r.workspace_id = ${f.workspaceId} AND r.deleted_at IS NULL
      AND r.last_order_date < ((now() AT TIME ZONE (SELECT w.timezone FROM workspaces w WHERE w.id = ${f.workspaceId}))::date - 90)
    ORDER BY r.updated_at DESC NULLS LAST, r.id DESC NULLS LAST LIMIT 51`);
}

interface Measured {
  report: { http: Timing; raw: Timing; totalBalance: number; rows: number };
  overdue: { http: Timing };
  list: { http: Timing; raw: Timing; matching: number };
  issue: IssueResult | null;
}

interface IssueResult {
  count: number;
  httpSeconds: number;
  rawSeconds: number;
  setSeconds: number;
  perInvoice: Timing;
}

async function measureReads(
  server: RunningServer,
  f: SellingFixture,
  raw: pg.Client,
): Promise<Omit<Measured, 'issue'>> {
  // (a) the receivables report beside the plain aggregate.
  const reportHttp: number[] = [];
  const reportRaw: number[] = [];
  let body: Buffer = Buffer.alloc(0);
  let rawRows: { bucket: string; balance: string }[] = [];
  for (let i = -3; i < settings.reportSamples; i++) {
    const h = await timeIt(async () => {
      body = await call(server.url, 'GET', '/api/v1/receivables', f.sellingKey, 200);
    });
    const r = await timeIt(async () => {
      rawRows = (await exec(raw, AGING_RAW_SQL, [f.workspaceId])).rows as typeof rawRows;
    });
    if (i < 0) continue;
    reportHttp.push(h);
    reportRaw.push(r);
  }
  const report = JSON.parse(body.toString('utf8')) as {
    totals: { balance: number; buckets: Record<string, number> };
    customers: unknown[];
  };
  for (const row of rawRows) {
    if (report.totals.buckets[row.bucket] !== Number(row.balance)) {
      throw new SellingBenchError(
        `report bucket ${row.bucket} = ${report.totals.buckets[row.bucket]}, raw ${row.balance}`,
      );
    }
  }
  const overdueHttp: number[] = [];
  for (let i = -3; i < settings.reportSamples; i++) {
    const h = await timeIt(() =>
      call(server.url, 'GET', '/api/v1/receivables?overdue=true', f.sellingKey, 200),
    );
    if (i >= 0) overdueHttp.push(h);
  }

  // (b) the contacts list on lastOrderDate beside its raw statement.
  const listHttp: number[] = [];
  const listRaw: number[] = [];
  const statement = listSql(f);
  for (let i = -5; i < settings.listSamples; i++) {
    let page: Buffer = Buffer.alloc(0);
    const h = await timeIt(async () => {
      page = await call(server.url, 'GET', LIST_PATH, f.sellingKey, 200);
    });
    if (i % 100 === 0) {
      const n = (JSON.parse(page.toString('utf8')) as { items: unknown[] }).items.length;
      if (n !== 50) throw new SellingBenchError(`GET ${LIST_PATH} returned ${n} items, not 50`);
    }
    const r = await timeIt(() => exec(raw, statement.text, statement.params));
    if (i < 0) continue;
    listHttp.push(h);
    listRaw.push(r);
  }
  const matching = Number(
    (
      await exec(
        raw,
        `SELECT count(*) AS n FROM contacts WHERE workspace_id = $1 AND deleted_at IS NULL
            AND last_order_date < current_date - 90`,
        [f.workspaceId],
      )
    ).rows[0]?.n,
  );
  return {
    report: {
      http: timing(reportHttp),
      raw: timing(reportRaw),
      totalBalance: report.totals.balance,
      rows: report.customers.length,
    },
    overdue: { http: timing(overdueHttp) },
    list: { http: timing(listHttp), raw: timing(listRaw), matching },
  };
}

/** Runs `count` jobs on `workers` concurrent loops. */
async function inParallel(
  count: number,
  workers: number,
  job: (i: number, worker: number) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = next++; i < count; i = next++) await job(i, w);
    }),
  );
}

const BENCH_TAG = 'bench-issue';

/**
 * (c) Invoices created, given two lines and issued through HTTP; then raw SQL writing as many
 * issued invoices with their lines, one transaction each, and one INSERT … SELECT of as many.
 */
async function measureIssuing(
  server: RunningServer,
  f: SellingFixture,
  url: string,
): Promise<IssueResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const customers = (
      await exec(
        client,
        `SELECT c.id AS "companyId",
                (SELECT l.contact_id FROM contact_companies l WHERE l.company_id = c.id
                  ORDER BY l.contact_id LIMIT 1) AS "contactId"
           FROM companies c WHERE c.workspace_id = $1 AND c.deleted_at IS NULL
          ORDER BY md5(c.id::text) LIMIT 2000`,
        [f.workspaceId],
      )
    ).rows as { companyId: string; contactId: string | null }[];
    const customer = (i: number) => customers[i % customers.length] as (typeof customers)[number];
    const lines = [
      { name: 'Gạo ST25 túi 5 kg', unit: 'túi', quantity: 20, unitPrice: 185_000, vatRate: '5' },
      {
        name: 'Nước mắm Phú Quốc 500 ml',
        unit: 'chai',
        quantity: 48,
        unitPrice: 62_000,
        vatRate: '10',
      },
    ];
    const perInvoice: number[] = [];
    const t0 = performance.now();
    await inParallel(settings.issue, settings.concurrency, async (i) => {
      const c = customer(i);
      const started = performance.now();
      const created = JSON.parse(
        (
          await call(server.url, 'POST', '/api/v1/invoices', f.sellingKey, 201, {
            companyId: c.companyId,
            contactId: c.contactId,
            subject: `Giao hàng đợt ${i + 1}`,
            tags: [BENCH_TAG],
          })
        ).toString('utf8'),
      ) as { id: string };
      await call(
        server.url,
        'PUT',
        `/api/v1/invoices/${created.id}/line-items`,
        f.sellingKey,
        200,
        { items: lines },
      );
      const issued = JSON.parse(
        (
          await call(server.url, 'POST', `/api/v1/invoices/${created.id}/issue`, f.sellingKey, 200)
        ).toString('utf8'),
      ) as { status: string; total: number };
      if (issued.status !== 'issued' || issued.total <= 0) {
        throw new SellingBenchError(`issued invoice ${created.id}: ${JSON.stringify(issued)}`);
      }
      perInvoice.push(performance.now() - started);
    });
    const httpSeconds = (performance.now() - t0) / 1000;

    // Raw: one transaction per issued invoice on `concurrency` connections, as the connecting
    // user (the figure triggers fire).
    const raws = await Promise.all(
      Array.from({ length: settings.concurrency }, async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        return c;
      }),
    );
    const INSERT_ONE = `
      WITH n AS (
        UPDATE document_sequences SET next_value = next_value + 1, updated_at = now()
         WHERE workspace_id = $1 AND doc_type = 'invoices' AND period = extract(year FROM current_date)::text
        RETURNING next_value - 1 AS v
      ), inv AS (
        INSERT INTO invoices (workspace_id, owner_id, tags, sort_name, search_name, search_text,
                              created_by, updated_by, number, subject, status, company_id,
                              contact_id, issue_date, due_date, payment_terms_days, subtotal,
                              vat_total, total, vat_lines, issued_at)
        SELECT $1, $2, '{${BENCH_TAG}}', lower(x.num), lower(x.num), lower(x.num), $2, $2, x.num,
               $5, 'issued', $3, $4, current_date, current_date + 30, 30, 6676000, 390160,
               7066160, '[{"rate":"5","net":3700000,"vat":185000},{"rate":"10","net":2976000,"vat":297600}]',
               now()
          FROM (SELECT 'HD-' || extract(year FROM current_date)::int || '-' || v AS num FROM n) x
        RETURNING id
      )
      INSERT INTO invoice_lines (workspace_id, parent_id, position, name, unit, quantity,
                                 unit_price, vat_rate, gross_amount, net_amount, vat_amount)
      SELECT $1, inv.id, l.position, l.name, l.unit, l.quantity, l.price, l.rate, l.gross,
             l.gross, l.vat
        FROM inv, (VALUES (1, 'Gạo ST25 túi 5 kg', 'túi', 20, 185000, '5', 3700000, 185000),
                          (2, 'Nước mắm Phú Quốc 500 ml', 'chai', 48, 62000, '10', 2976000, 297600))
             l(position, name, unit, quantity, price, rate, gross, vat)`;
    const t1 = performance.now();
    try {
      await inParallel(settings.issue, settings.concurrency, async (i, w) => {
        const c = customer(i);
        const conn = raws[w] as pg.Client;
        await exec(conn, 'BEGIN');
        await exec(conn, INSERT_ONE, [
          f.workspaceId,
          f.adminId,
          c.companyId,
          c.contactId,
          `Giao hàng đợt ${i + 1}`,
        ]);
        await exec(conn, 'COMMIT');
      });
    } finally {
      await Promise.all(raws.map((c) => c.end()));
    }
    const rawSeconds = (performance.now() - t1) / 1000;

    // Raw, set-based: as many issued invoices in one INSERT … SELECT (triggers per row).
    const t2 = performance.now();
    await exec(
      client,
      `WITH c AS (SELECT row_number() OVER () - 1 AS k, x.* FROM unnest($3::uuid[], $4::uuid[]) x(company_id, contact_id))
       INSERT INTO invoices (workspace_id, owner_id, tags, sort_name, search_name, search_text,
                             number, status, company_id, contact_id, issue_date, due_date,
                             subtotal, vat_total, total, issued_at)
       SELECT $1, $2, '{${BENCH_TAG}}', 'hd-set-' || g, 'hd-set-' || g, 'hd-set-' || g,
              'HD-SET-' || g, 'issued', c.company_id, c.contact_id, current_date,
              current_date + 30, 6676000, 390160, 7066160, now()
         FROM generate_series(1, $5::int) g JOIN c ON c.k = g % $6`,
      [
        f.workspaceId,
        f.adminId,
        customers.map((c) => c.companyId),
        customers.map((c) => c.contactId),
        settings.issue,
        customers.length,
      ],
    );
    const setSeconds = (performance.now() - t2) / 1000;

    // The figures of the customers touched equal their documents.
    const { rows: wrong } = await exec(
      client,
      `SELECT c.id FROM companies c
        WHERE c.id = ANY($1) AND c.open_balance <> (
          SELECT coalesce(sum(i.total - i.paid_amount), 0) FROM invoices i
           WHERE i.company_id = c.id AND i.deleted_at IS NULL
             AND i.status IN ('issued', 'partly_paid', 'overdue'))`,
      [customers.map((c) => c.companyId)],
    );
    if (wrong.length > 0) {
      throw new SellingBenchError(`${wrong.length} companies' open balance is not their invoices'`);
    }
    return {
      count: settings.issue,
      httpSeconds,
      rawSeconds,
      setSeconds,
      perInvoice: timing(perInvoice),
    };
  } finally {
    await client.end();
  }
}

/** Deletes the invoices (c) wrote; their customers' figures follow by the triggers. */
async function removeIssued(url: string, f: Fixture): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await exec(client, 'BEGIN');
    await exec(
      client,
      `DELETE FROM invoice_lines l USING invoices i
        WHERE i.id = l.parent_id AND i.workspace_id = $1 AND '${BENCH_TAG}' = ANY(i.tags)`,
      [f.workspaceId],
    );
    await exec(
      client,
      `DELETE FROM invoices WHERE workspace_id = $1 AND '${BENCH_TAG}' = ANY(tags)`,
      [f.workspaceId],
    );
    await exec(client, 'COMMIT');
  } finally {
    await client.end();
  }
}

async function explain(url: string, f: SellingFixture): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await exec(client, 'BEGIN');
    await exec(client, 'SET LOCAL ROLE sen_app');
    await exec(client, `SELECT set_config('sen.workspace_id', $1, true)`, [f.workspaceId]);
    const { agingRows } = await import('../src/modules/receivables/receivables.service.js');
    // The report's per-customer statement, captured from the service through a stub Tx.
    const captured: { text: string; params: unknown[] }[] = [];
    const stub = {
      execute: (q: SQL) => {
        captured.push(toQuery(q));
        return Promise.resolve({ rows: [] });
      },
    };
    await agingRows(stub as never, adminActor(f)).catch(() => {});
    const list = listSql(f);
    for (const s of [...captured, list]) {
      const { rows } = await exec(client, `EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.params);
      console.log(`\n--- ${s.text.slice(0, 80).replace(/\s+/g, ' ')}…`);
      console.log(rows.map((r) => (r as { 'QUERY PLAN': string })['QUERY PLAN']).join('\n'));
    }
  } finally {
    await exec(client, 'ROLLBACK').catch(() => {});
    await client.end();
  }
}

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');

// ---------------------------------------------------------------- run

/** Runs the suite and prints its table; true when every goal is met. */
export async function runSellingBench(): Promise<boolean> {
  const log = (s: string) => console.log(s);
  const cpus = os.cpus();
  console.log(
    'Sen benchmark: selling — receivables, customer figures, issuing invoices (issue #20)',
  );
  console.log(
    `  machine     ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; load avg ${loadAverage()} before`,
  );
  const admin = new pg.Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  const url = databaseUrl(BENCH_DB);
  let server: RunningServer | null = null;
  let raw: pg.Client | null = null;
  let loadSeconds = 0;
  let result: Measured;
  let data: string;
  try {
    const pgVersion = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]
      ?.server_version;
    console.log(
      `  postgresql  ${pgVersion ?? 'unknown'} (${new URL(url).host}), node ${process.version}`,
    );
    if (!settings.reuse) {
      await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${BENCH_DB}`);
    }
    const config = loadConfig({
      DATABASE_URL: url,
      PORT: '0',
      HOST: '127.0.0.1',
      SEN_JOBS: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    });
    server = await startServer(config, createLogger(config.logLevel));
    let fixture: SellingFixture;
    raw = new pg.Client({ connectionString: url });
    await raw.connect();
    if (settings.reuse) {
      if (!fs.existsSync(FIXTURE_FILE)) {
        throw new SellingBenchError(`no ${FIXTURE_FILE}: run once with BENCH_SELLING_KEEP=1`);
      }
      fixture = JSON.parse(fs.readFileSync(FIXTURE_FILE, 'utf8')) as SellingFixture;
      log(`  reusing the kept ${BENCH_DB} database`);
    } else {
      const base = await setUp(server.url);
      fixture = { ...base, sellingKey: await createKey(server.url, base) };
      const target = await postgresTarget(url);
      try {
        loadSeconds += await loadDemo(
          target,
          fixture,
          { contacts: settings.contacts, companies: settings.companies, products: 0 },
          log,
        );
      } finally {
        await target.close();
      }
      collectGarbage();
      log(`  generating ${settings.invoices.toLocaleString('en-US')} orders and invoices in SQL`);
      const docs = await generateDocuments(raw, url, fixture, log);
      loadSeconds += docs.seconds;
      if (settings.keep) fs.writeFileSync(FIXTURE_FILE, JSON.stringify(fixture));
    }
    await checkFigures(raw, fixture, 20);
    const counts = (
      await exec(
        raw,
        `SELECT (SELECT count(*) FROM contacts)::int AS contacts,
                (SELECT count(*) FROM companies)::int AS companies,
                (SELECT count(*) FROM invoices)::int AS invoices,
                (SELECT count(*) FROM invoices WHERE status IN ('issued', 'partly_paid', 'overdue'))::int AS open,
                (SELECT count(DISTINCT company_id) FROM invoices WHERE status IN ('issued', 'partly_paid', 'overdue'))::int AS customers`,
      )
    ).rows[0] as Record<string, number>;
    const n = (k: string) => (counts[k] ?? 0).toLocaleString('en-US');
    data =
      `${n('contacts')} contacts, ${n('companies')} companies (the customers), ${n('invoices')} invoices ` +
      `(${n('open')} open, on ${n('customers')} customers), as many orders`;
    log(`  data        ${data}${loadSeconds > 0 ? `; loaded in ${loadSeconds.toFixed(0)} s` : ''}`);
    log('  sample of customers’ figures equal to sen_customer_figures: checked');
    if (settings.explain) await explain(url, fixture);

    const reads = await measureReads(server, fixture, raw);
    log(`    reads measured; load avg ${loadAverage()}`);
    let issue: IssueResult | null = null;
    if (settings.issue > 0) {
      try {
        issue = await measureIssuing(server, fixture, url);
      } finally {
        await removeIssued(url, fixture);
      }
    }
    result = { ...reads, issue };
  } finally {
    await raw?.end().catch(() => {});
    await server?.close().catch((err: unknown) => console.error('closing Sen failed:', err));
    agent.destroy();
    if (!settings.keep) {
      await admin
        .query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`)
        .catch((err: unknown) => console.error(`dropping ${BENCH_DB} failed:`, err));
    }
    await admin.end().catch(() => {});
  }
  console.log('');

  let met = true;
  const verdict = (ok: boolean) => {
    met &&= ok;
    return ok ? 'met' : 'NOT met';
  };
  const { report, overdue, list, issue } = result;
  const rows: string[][] = [
    [
      'receivables aging report (GET /receivables)',
      fmt(report.http.p50, 1),
      fmt(report.http.p95, 1),
      fmt(report.raw.p50, 1),
      fmt(report.raw.p95, 1),
      `${fmt(report.http.p95 / report.raw.p95, 1)}× raw`,
      `p95 ≤ ${REPORT_GOAL_MS} ms`,
      verdict(report.http.p95 <= REPORT_GOAL_MS),
    ],
    [
      '  overdue only (?overdue=true)',
      fmt(overdue.http.p50, 1),
      fmt(overdue.http.p95, 1),
      '—',
      '—',
      '—',
      `p95 ≤ ${REPORT_GOAL_MS} ms`,
      verdict(overdue.http.p95 <= REPORT_GOAL_MS),
    ],
    [
      'contacts list 50, lastOrderDate > 90 days ago',
      fmt(list.http.p50, 2),
      fmt(list.http.p95, 2),
      fmt(list.raw.p50, 2),
      fmt(list.raw.p95, 2),
      `${fmt(list.http.p95 / list.raw.p95, 2)}× raw`,
      `p95 ≤ ${LIST_GOAL_MS} ms, ≤ ${LIST_RAW_RATIO}× raw`,
      verdict(list.http.p95 <= LIST_GOAL_MS && list.http.p95 / list.raw.p95 <= LIST_RAW_RATIO),
    ],
  ];
  console.log(
    formatTable(
      ['measurement (ms)', 'p50', 'p95', 'raw p50', 'raw p95', 'ratio', 'goal', 'result'],
      rows,
    ),
  );
  console.log(`  data: ${data}`);
  console.log(
    `  report: ${report.rows} customers listed (the page's top 500 by balance), open balance ` +
      `${fmtInt(report.totalBalance)} đồng; raw = the plain aggregate (open balance per aging bucket), for scale.`,
  );
  console.log(
    `  list: ${fmtInt(list.matching)} contacts match; raw = the page's statement as the connecting ` +
      'user (no HTTP, auth or RLS).',
  );
  if (issue) {
    console.log('');
    console.log(
      formatTable(
        ['issuing invoices with their figures', 'invoices', 'seconds', 'invoices/s', 'note'],
        [
          [
            'Sen, HTTP: create + 2 lines + issue',
            fmtInt(issue.count),
            fmt(issue.httpSeconds, 1),
            fmt(issue.count / issue.httpSeconds, 1),
            `${settings.concurrency} clients; per invoice p50 ${fmt(issue.perInvoice.p50, 1)} / p95 ${fmt(issue.perInvoice.p95, 1)} ms`,
          ],
          [
            'raw SQL, one transaction per invoice',
            fmtInt(issue.count),
            fmt(issue.rawSeconds, 1),
            fmt(issue.count / issue.rawSeconds, 1),
            `${settings.concurrency} connections; number, invoice + 2 lines, triggers`,
          ],
          [
            'raw SQL, one INSERT … SELECT',
            fmtInt(issue.count),
            fmt(issue.setSeconds, 1),
            fmt(issue.count / issue.setSeconds, 1),
            'no lines; the figure triggers per row',
          ],
        ],
      ),
    );
    console.log(
      '  Every issued invoice updates its company’s and contact’s figures in its transaction ' +
        '(migration 0046’s triggers); checked against the invoices afterwards, then deleted again.',
    );
  }
  console.log(`  load avg after: ${loadAverage()}`);
  console.log('');
  console.log(`Selling goals: ${met ? 'met' : 'NOT met'}`);
  return met;
}
