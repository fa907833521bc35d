/**
 * `npm run bench`: the cost of Sen's request stack, measured in one run on native PostgreSQL.
 *
 * Targets, all reading the same team record by primary key from a fresh `sen_bench` database:
 *   - bare        plain Fastify + its own pg.Pool, one query as the connecting user (no auth, no RLS)
 *   - sen-cookie  GET /api/v1/teams/:id with a session cookie: the full Sen stack (the session
 *                 looked up in the database on every request, the permission check, the
 *                 RLS-scoped query; on a node that has seen the session, the lookup confirms its
 *                 cached principal in the same round trip as the query)
 *   - sen-apikey  the same with `Authorization: Bearer <api key>`
 *   - raw SQL     the bare route's query straight through `pg`, serially on one connection
 *
 * Both servers run in this process on the main thread with the same pool size; the load generator
 * (autocannon) runs on a worker thread so it does not share their event loop. The HTTP targets are
 * run alternately for BENCH_ROUNDS rounds, each run preceded by a warm-up; the table reports each
 * target's best run (highest req/s), since on a shared machine noise only ever slows a run down.
 * Every run is printed too, so the spread is visible.
 *
 * Columns: req/s and p50/p99 latency (ms, measured per response on the load thread); PostgreSQL
 * round trips and statements per request (counted in a separate serial probe); % of bare req/s.
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL     server URL to create `sen_bench` on (default postgres://postgres@127.0.0.1:5432/)
 *   BENCH_DURATION         seconds per measured run (default 10)
 *   BENCH_WARMUP           seconds of warm-up before each measured run (default 2)
 *   BENCH_CONNECTIONS      concurrent HTTP connections (default 20)
 *   BENCH_ROUNDS           measured runs per HTTP target (default 2)
 *   BENCH_POOL_SIZE        PostgreSQL pool size of both servers (default: Sen's default, 10)
 *   BENCH_SQL_ITERATIONS   raw SQL iterations (default 5000)
 *
 * Exits 1 if anything fails, including any non-2xx response, error or timeout under load.
 */
import net from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { loadConfig } from '../src/config/env.js';
import { callbackQuery } from '../src/db/database.js';
import { createLogger } from '../src/lib/logger.js';
import { startServer, type RunningServer } from '../src/server.js';
import { runDealsBench } from './deals.js';
import { runExportBench } from './export.js';
import { runFormsBench } from './forms.js';
import type { LoadRequest, LoadResult } from './load-worker.js';
import { runImportsBench } from './imports.js';
import { runNotificationsBench } from './notifications.js';
import { runPdfBench } from './pdf.js';
import { runSellingBench } from './selling.js';
import { runRecordsBench } from './records.js';
import { runWebBundleBench } from './web-bundle.js';
import { runKanbanBench } from './web-kanban.js';
import { fmt, fmtInt, formatTable, summarize, type Summary } from './stats.js';

const GOAL = 0.6;
const BENCH_DB = 'sen_bench';
const PASSWORD = 'correct horse battery staple';
/** The bare route's query, also timed directly through pg for the raw-SQL row. */
const TEAM_SQL =
  'SELECT id, name, ARRAY(SELECT user_id FROM team_members WHERE team_id = teams.id) AS member_ids FROM teams WHERE id = $1';

class BenchError extends Error {}

function intEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new BenchError(`${name} must be an integer ≥ ${min}`);
  return n;
}

const settings = {
  baseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/',
  duration: intEnv('BENCH_DURATION', 10),
  warmup: intEnv('BENCH_WARMUP', 2, 0),
  connections: intEnv('BENCH_CONNECTIONS', 20),
  rounds: intEnv('BENCH_ROUNDS', 2),
  poolSize: process.env.BENCH_POOL_SIZE ? intEnv('BENCH_POOL_SIZE', 10) : undefined,
  sqlIterations: intEnv('BENCH_SQL_ITERATIONS', 5000),
};

/** The URL of database `name` on the benchmark's server. */
function databaseUrl(name: string): string {
  const url = new URL(settings.baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---------------------------------------------------------------- load generator thread

class LoadThread {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: LoadResult) => void; reject: (e: Error) => void }
  >();

  constructor() {
    // The worker is TypeScript: register tsx inside it before importing it.
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./load-worker.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    this.worker = new Worker(boot, { eval: true });
    this.worker.on('message', (msg: LoadResult) => {
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.error) waiter.reject(new BenchError(`load generator failed:\n${msg.error}`));
      else waiter.resolve(msg);
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', (code) => this.failAll(new Error(`load thread exited (${code})`)));
  }

  private failAll(err: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
  }

  run(req: Omit<LoadRequest, 'id'>): Promise<LoadResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id } satisfies LoadRequest);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

// ---------------------------------------------------------------- HTTP set-up through Sen's API

interface ApiReply {
  status: number;
  body: unknown;
  headers: Headers;
}

async function api(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  opts: { body?: unknown; headers?: Record<string, string>; expect: number },
): Promise<ApiReply> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the error message
  }
  if (res.status !== opts.expect) {
    throw new BenchError(
      `${method} ${path} → ${res.status} (expected ${opts.expect}):\n${typeof body === 'string' ? body : JSON.stringify(body, null, 2)}`,
    );
  }
  return { status: res.status, body, headers: res.headers };
}

function field<T>(body: unknown, ...path: string[]): T {
  let v: unknown = body;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || !(key in v)) {
      throw new BenchError(`response has no ${path.join('.')}: ${JSON.stringify(body)}`);
    }
    v = (v as Record<string, unknown>)[key];
  }
  return v as T;
}

interface Fixture {
  teamId: string;
  sessionToken: string;
  apiKeySecret: string;
}

async function setUpThroughApi(base: string): Promise<Fixture> {
  const setup = await api(base, 'POST', '/api/v1/setup', {
    body: {
      workspaceName: 'Bench workspace',
      name: 'Bench Admin',
      email: 'bench@example.com',
      password: PASSWORD,
      locale: 'vi',
    },
    expect: 201,
  });
  const cookie = setup.headers.getSetCookie().find((c) => c.startsWith('sen_session='));
  const sessionToken = cookie?.slice('sen_session='.length).split(';')[0];
  if (!sessionToken) throw new BenchError('POST /api/v1/setup set no sen_session cookie');
  const sessionHeaders = { cookie: `sen_session=${sessionToken}` };

  const session = await api(base, 'GET', '/api/v1/auth/session', {
    headers: sessionHeaders,
    expect: 200,
  });
  const csrfToken = field<string>(session.body, 'csrfToken');
  const userId = field<string>(session.body, 'user', 'id');
  const writeHeaders = { ...sessionHeaders, 'x-csrf-token': csrfToken };

  // One member, so the team's member list (a subquery in both routes) is not empty.
  const team = await api(base, 'POST', '/api/v1/teams', {
    body: { name: 'Bench team', memberIds: [userId] },
    headers: writeHeaders,
    expect: 201,
  });
  const key = await api(base, 'POST', '/api/v1/api-keys', {
    body: { name: 'bench', scopes: ['teams:read'] },
    headers: writeHeaders,
    expect: 201,
  });
  return {
    teamId: field<string>(team.body, 'id'),
    sessionToken,
    apiKeySecret: field<string>(key.body, 'secret'),
  };
}

// ---------------------------------------------------------------- the bare baseline

async function startBare(url: string, poolSize: number) {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {});
  const app: FastifyInstance = Fastify();
  app.get<{ Params: { id: string } }>('/teams/:id', async (request, reply) => {
    const { rows } = await callbackQuery<{ id: string; name: string; member_ids: string[] }>(
      pool,
      { text: TEAM_SQL },
      [request.params.id],
    );
    const row = rows[0];
    if (!row) return reply.status(404).send({ error: 'not found' });
    return { id: row.id, name: row.name, memberIds: row.member_ids };
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, pool, url: address };
}

// ---------------------------------------------------------------- measurements

interface Target {
  key: string;
  label: string;
  url: string;
  headers: Record<string, string>;
}

function assertClean(target: Target, phase: string, r: LoadResult): void {
  if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0 || r.requests === 0) {
    throw new BenchError(
      `${target.label} (${phase}): ${r.requests} responses, non2xx=${r.non2xx}, errors=${r.errors}, ` +
        `timeouts=${r.timeouts}, status codes ${JSON.stringify(r.statusCodes)}`,
    );
  }
}

async function measure(load: LoadThread, target: Target): Promise<LoadResult> {
  const base = { url: target.url, headers: target.headers, connections: settings.connections };
  if (settings.warmup > 0) {
    assertClean(target, 'warm-up', await load.run({ ...base, durationSeconds: settings.warmup }));
  }
  const result = await load.run({ ...base, durationSeconds: settings.duration });
  assertClean(target, 'measured run', result);
  return result;
}

/**
 * PostgreSQL traffic per request of each target over PROBE_REQUESTS serial requests: statements
 * (Execute messages of the extended protocol, plus simple-protocol Query messages, each counted
 * once) and round trips (writes to a PostgreSQL socket: pg writes each statement, or a corked
 * batch of several, in one write and waits for the answer). Counted in a probe of its own,
 * before the load runs, so that the measured runs go through unpatched code.
 */
const PROBE_REQUESTS = 200;
async function databaseTraffic(
  target: Target,
): Promise<{ statements: number; roundTrips: number }> {
  type Method = (...args: unknown[]) => unknown;
  const connection = pg.Connection.prototype as unknown as { execute: Method; query: Method };
  const socket = net.Socket.prototype as unknown as { _writeGeneric: Method };
  const original = {
    execute: connection.execute,
    query: connection.query,
    write: socket._writeGeneric,
  };
  const pgSockets = new WeakSet<object>();
  let statements = 0;
  let roundTrips = 0;
  const counting = (method: Method) =>
    function (this: { stream: object }, ...args: unknown[]) {
      statements++;
      pgSockets.add(this.stream);
      return method.apply(this, args);
    };
  connection.execute = counting(original.execute);
  connection.query = counting(original.query);
  socket._writeGeneric = function (this: object, ...args: unknown[]) {
    if (pgSockets.has(this)) roundTrips++;
    return original.write.apply(this, args);
  };
  try {
    for (let i = 0; i < PROBE_REQUESTS; i++) {
      const res = await fetch(target.url, { headers: target.headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new BenchError(`${target.label}: probe got ${res.status}`);
    }
  } finally {
    connection.execute = original.execute;
    connection.query = original.query;
    socket._writeGeneric = original.write;
  }
  return { statements: statements / PROBE_REQUESTS, roundTrips: roundTrips / PROBE_REQUESTS };
}

async function timeRawSql(url: string, teamId: string): Promise<Summary & { perSecond: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < Math.min(500, settings.sqlIterations); i++) {
      await callbackQuery(client, { text: TEAM_SQL }, [teamId]);
    }
    const times = new Float64Array(settings.sqlIterations);
    const started = performance.now();
    for (let i = 0; i < settings.sqlIterations; i++) {
      const t0 = performance.now();
      const { rowCount } = await callbackQuery(client, { text: TEAM_SQL }, [teamId]);
      times[i] = performance.now() - t0;
      if (rowCount !== 1) throw new BenchError(`raw SQL returned ${rowCount} rows`);
    }
    const seconds = (performance.now() - started) / 1000;
    return { ...summarize(times), perSecond: settings.sqlIterations / seconds };
  } finally {
    await client.end();
  }
}

/** Every HTTP target must return the same record before it is measured. */
async function checkTargets(targets: Target[], teamId: string): Promise<void> {
  const bodies = new Map<string, string>();
  for (const t of targets) {
    const res = await fetch(t.url, { headers: t.headers });
    const text = await res.text();
    if (res.status !== 200)
      throw new BenchError(`${t.label}: GET ${t.url} → ${res.status}\n${text}`);
    const body = JSON.parse(text) as { id?: unknown; memberIds?: unknown };
    if (body.id !== teamId || !Array.isArray(body.memberIds) || body.memberIds.length !== 1) {
      throw new BenchError(`${t.label}: unexpected body ${text}`);
    }
    bodies.set(t.key, JSON.stringify(body));
  }
  if (new Set(bodies.values()).size !== 1) {
    throw new BenchError(
      `targets disagree:\n${[...bodies].map(([k, b]) => `  ${k}: ${b}`).join('\n')}`,
    );
  }
}

// ---------------------------------------------------------------- main

const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  let sen: RunningServer | undefined;
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  let load: LoadThread | undefined;
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${BENCH_DB}`);
    const benchUrl = databaseUrl(BENCH_DB);
    const pgVersion = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]
      ?.server_version;

    const config = loadConfig({
      DATABASE_URL: benchUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      SEN_JOBS: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...(settings.poolSize ? { DATABASE_POOL_SIZE: String(settings.poolSize) } : {}),
    });
    sen = await startServer(config, createLogger(config.logLevel));
    bare = await startBare(benchUrl, config.poolSize);
    const fixture = await setUpThroughApi(sen.url);

    const cpus = os.cpus();
    console.log('Sen benchmark: GET one team by primary key');
    console.log(
      `  machine     ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ` +
        `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}`,
    );
    console.log(`  load avg    ${loadAverage()} (1, 5, 15 min) before the runs`);
    console.log(`  node        ${process.version}`);
    console.log(`  postgresql  ${pgVersion ?? 'unknown'} (${new URL(benchUrl).host})`);
    console.log(
      `  load        autocannon on a worker thread, ${settings.connections} connections, ` +
        `${settings.warmup} s warm-up + ${settings.duration} s per run, ${settings.rounds} round(s); ` +
        `pool size ${config.poolSize} for both servers`,
    );
    console.log('');

    const targets: Target[] = [
      {
        key: 'bare',
        label: 'bare Fastify + pg',
        url: `${bare.url}/teams/${fixture.teamId}`,
        headers: {},
      },
      {
        key: 'sen-cookie',
        label: 'Sen, session cookie',
        url: `${sen.url}/api/v1/teams/${fixture.teamId}`,
        headers: { cookie: `sen_session=${fixture.sessionToken}` },
      },
      {
        key: 'sen-apikey',
        label: 'Sen, API key',
        url: `${sen.url}/api/v1/teams/${fixture.teamId}`,
        headers: { authorization: `Bearer ${fixture.apiKeySecret}` },
      },
    ];
    await checkTargets(targets, fixture.teamId);

    const traffic = new Map<string, { statements: number; roundTrips: number }>();
    for (const t of targets) traffic.set(t.key, await databaseTraffic(t));
    const raw = await timeRawSql(benchUrl, fixture.teamId);

    load = new LoadThread();
    const runs = new Map<string, LoadResult[]>(targets.map((t) => [t.key, []]));
    for (let round = 1; round <= settings.rounds; round++) {
      for (const target of targets) {
        const run = await measure(load, target);
        runs.get(target.key)?.push(run);
        console.log(
          `  round ${round}  ${target.label.padEnd(20)} ${fmtInt(run.requestsPerSecond).padStart(7)} req/s  ` +
            `p50 ${fmt(run.latency.p50, 2)} ms  p99 ${fmt(run.latency.p99, 2)} ms`,
        );
      }
    }
    console.log('');

    const best = (key: string): LoadResult => {
      const list = runs.get(key) ?? [];
      const top = list.reduce<LoadResult | undefined>(
        (a, b) => (!a || b.requestsPerSecond > a.requestsPerSecond ? b : a),
        undefined,
      );
      if (!top) throw new BenchError(`no runs for ${key}`);
      return top;
    };
    const bareRps = best('bare').requestsPerSecond;
    const rows = targets.map((t) => {
      const r = best(t.key);
      return [
        t.label,
        fmtInt(r.requestsPerSecond),
        fmt(r.latency.p50, 2),
        fmt(r.latency.p99, 2),
        fmt(traffic.get(t.key)?.roundTrips ?? Number.NaN, 2),
        fmt(traffic.get(t.key)?.statements ?? Number.NaN, 2),
        `${fmt((100 * r.requestsPerSecond) / bareRps, 1)} %`,
      ];
    });
    rows.push([
      'raw SQL (pg, serial) ¹',
      fmtInt(raw.perSecond),
      fmt(raw.p50, 3),
      fmt(raw.p99, 3),
      '1.00',
      '1.00',
      '—',
    ]);
    console.log(
      formatTable(
        [
          'target',
          'req/s',
          'p50 ms',
          'p99 ms',
          'db round trips/req',
          'statements/req',
          '% of bare',
        ],
        rows,
      ),
    );
    console.log(
      `¹ ${settings.sqlIterations} queries one after another on one connection, no HTTP: ` +
        'its rate is serial, not comparable with the concurrent HTTP rows.',
    );
    console.log('  HTTP rows: best of the rounds above (highest req/s), with that run’s p50/p99.');
    const noisy = targets.filter((t) => {
      const rates = (runs.get(t.key) ?? []).map((r) => r.requestsPerSecond);
      return rates.length > 1 && Math.min(...rates) < 0.85 * Math.max(...rates);
    });
    if (noisy.length > 0) {
      console.log(
        `  Warning: req/s varied by more than 15 % between rounds (${noisy.map((t) => t.label).join(', ')}): ` +
          'something else was using the machine; rerun on a quiet one.',
      );
    }
    console.log(`  Load average after: ${loadAverage()}`);
    console.log('');

    let met = true;
    const verdicts = targets
      .filter((t) => t.key !== 'bare')
      .map((t) => {
        const ratio = best(t.key).requestsPerSecond / bareRps;
        met &&= ratio >= GOAL;
        return `  ${t.label.padEnd(20)} ${fmt(100 * ratio, 1).padStart(5)} % of bare  ${ratio >= GOAL ? 'met' : 'NOT met'}`;
      });
    console.log(`Goal (Sen ≥ ${GOAL * 100} % of bare req/s): ${met ? 'met' : 'NOT met'}`);
    for (const v of verdicts) console.log(v);
  } finally {
    await load?.close().catch(() => {});
    // autocannon drops its connections mid-request when a run ends; Sen's close() does not wait
    // for handlers whose client has gone, so let those finish before the pool is ended.
    if (sen) await sleep(1000);
    await sen?.close().catch((err: unknown) => console.error('closing Sen failed:', err));
    await bare?.app.close().catch(() => {});
    await bare?.pool.end().catch(() => {});
    await admin
      .query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`)
      .catch((err: unknown) => console.error(`dropping ${BENCH_DB} failed:`, err));
    await admin.end().catch(() => {});
  }
}

/**
 * Suites: `teams` (issue #2, above), `records` (issue #3, bench/records.ts), `web` (issue #17,
 * bench/web-bundle.ts), `kanban` (issue #17, bench/web-kanban.ts: the built app in Chromium),
 * `imports` (issue #18, bench/imports.ts), `export` (issue #18, bench/export.ts), `deals`
 * (issue #19, bench/deals.ts: the deal board and the sales report) and `forms` (issue #19,
 * bench/forms.ts: public form submissions under 50 clients), `pdf` (issue #20, bench/pdf.ts:
 * a 50-line quote PDF rendered) and `selling` (issue #20, bench/selling.ts: the receivables aging
 * report over 1,000,000 invoices, the contacts list on a computed field, issuing invoices). `npm run bench` runs them all; `npm run bench -- teams` (or
 * `records`, `web`, `kanban`, `imports`, `export`, `deals`, `forms`, `pdf`, `selling`, `notifications`, or BENCH_SUITE) runs
 * one.
 */
async function runSuites(): Promise<void> {
  const suite = process.argv[2] ?? process.env.BENCH_SUITE ?? 'all';
  const suites = [
    'all',
    'teams',
    'records',
    'web',
    'kanban',
    'imports',
    'export',
    'deals',
    'forms',
    'pdf',
    'selling',
    'notifications',
  ];
  if (!suites.includes(suite)) {
    throw new BenchError(`unknown suite "${suite}" (${suites.join(', ')})`);
  }
  if (suite === 'all' || suite === 'teams') await main();
  if (suite === 'all') console.log('');
  if (suite === 'all' || suite === 'records') await runRecordsBench();
  if (suite === 'all') console.log('');
  if (suite === 'all' || suite === 'web') await runWebBundleBench();
  if (suite === 'all') console.log('');
  if (suite === 'all' || suite === 'export') await runExportBench();
  if (suite === 'all') console.log('');
  if (suite === 'all' || suite === 'kanban') await runKanbanBench();
  if (suite === 'all') console.log('');
  if (suite === 'all' || suite === 'imports') await runImportsBench();
  if (suite === 'all') console.log('');
  if (suite === 'all' || suite === 'deals') await runDealsBench();
  if (suite === 'all') console.log('');
  if (suite === 'all' || suite === 'forms') await runFormsBench();
  if (suite === 'all') console.log('');
  if (suite === 'all' || suite === 'pdf') await runPdfBench();
  if (suite === 'all') console.log('');
  if (suite === 'all' || suite === 'selling') await runSellingBench();
  if (suite === 'all') console.log('');
  if (suite === 'all' || suite === 'notifications') await runNotificationsBench();
}

runSuites().catch((err: unknown) => {
  console.error(
    `\nBenchmark FAILED: ${err instanceof BenchError || err instanceof Error ? err.message : ''}`,
  );
  if (!(err instanceof BenchError)) console.error(err);
  process.exitCode = 1;
});
