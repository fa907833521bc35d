/**
 * `npm run bench -- notifications` (issue #21): notification fan-out to connected clients, on
 * native PostgreSQL.
 *
 * A server started as `npm start` starts it (jobs off) on a fresh database, set up through the
 * API: an admin and BENCH_NOTIFY_CLIENTS − 1 members (default 200 clients in all), each signed in
 * and holding the bell's stream open (GET /api/v1/notifications/stream, server-sent events, read
 * by fetch in this process). Each round, one statement on a connection of its own (as a job on
 * any node would) inserts one notification for every member; the latency of a client is from the
 * start of that statement to the arrival of its new `unread` event, which the server sends after
 * hearing the NOTIFY at commit and re-reading that member's count through RLS. BENCH_NOTIFY_ROUNDS
 * rounds (default 20) after 3 warm-up rounds.
 *
 * Baseline: a plain pg client LISTENing on the same channel, timed from the same statement's start
 * to its NOTIFY: the database's own delivery, below which no server can go.
 *
 * Goal: p95 ≤ 200 ms from the event to the client.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { loadConfig } from '../src/config/env.js';
import { createLogger } from '../src/lib/logger.js';
import { startServer, type RunningServer } from '../src/server.js';
import { fmt, formatTable, percentile } from './stats.js';

const GOAL_MS = 200;
const BENCH_DB = 'sen_bench_notify';
const PASSWORD = 'correct horse battery staple';

class BenchError extends Error {}

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new BenchError(`${name} must be an integer ≥ ${min}`);
  return n;
}

const settings = {
  baseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/',
  clients: intEnv('BENCH_NOTIFY_CLIENTS', 200, 2),
  rounds: intEnv('BENCH_NOTIFY_ROUNDS', 20, 5),
};

function databaseUrl(name: string): string {
  const url = new URL(settings.baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function call(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  opts: { body?: unknown; cookie?: string; csrf?: string; expect: number },
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.cookie ? { cookie: `sen_session=${opts.cookie}` } : {}),
      ...(opts.csrf ? { 'x-csrf-token': opts.csrf } : {}),
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  if (res.status !== opts.expect) {
    throw new BenchError(`${method} ${path} → ${res.status} (expected ${opts.expect}): ${text}`);
  }
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('sen_session='))
    ?.split(';')[0]
    ?.slice('sen_session='.length);
  // The bench reads a few known keys of Sen's answers.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { body: JSON.parse(text) as Record<string, any>, cookie };
}

/** One member's open stream: the arrival time of each `unread` event. */
class Listener {
  arrivals: number[] = [];
  private readonly controller = new AbortController();
  private waiter: { n: number; resolve: () => void } | null = null;

  constructor(readonly userId: string) {}

  async open(base: string, cookie: string): Promise<void> {
    const res = await fetch(`${base}/api/v1/notifications/stream`, {
      headers: { cookie: `sen_session=${cookie}` },
      signal: this.controller.signal,
    });
    if (!res.ok || !res.body) throw new BenchError(`stream → ${res.status}`);
    void this.pump(res.body);
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        const at = performance.now();
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!block.startsWith('event: unread')) continue;
          this.arrivals.push(at);
          if (this.waiter && this.arrivals.length >= this.waiter.n) {
            this.waiter.resolve();
            this.waiter = null;
          }
        }
      }
    } catch {
      // closed
    }
  }

  /** Wait for the n-th `unread` event. */
  until(n: number, timeoutMs = 10_000): Promise<void> {
    if (this.arrivals.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new BenchError(`member ${this.userId}: no event #${n} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiter = {
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }

  close(): void {
    this.controller.abort();
  }
}

export async function runNotificationsBench(): Promise<void> {
  console.log(
    `Notification fan-out (#21): ${settings.clients} clients with the bell's stream open, ${settings.rounds} rounds, native PostgreSQL`,
  );
  const admin = new pg.Client({ connectionString: settings.baseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${BENCH_DB}`);
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: '0',
    SEN_JOBS: 'false',
    DATABASE_URL: databaseUrl(BENCH_DB),
  };
  const config = loadConfig(env);
  let server: RunningServer | null = null;
  const listeners: Listener[] = [];
  const writer = new pg.Client({ connectionString: databaseUrl(BENCH_DB) });
  const raw = new pg.Client({ connectionString: databaseUrl(BENCH_DB) });
  try {
    server = await startServer(config, createLogger(config.logLevel));
    const base = server.url;
    const setup = await call(base, 'POST', '/api/v1/setup', {
      body: {
        workspaceName: 'Bench',
        name: 'Quản trị',
        email: 'notify-admin@example.vn',
        password: PASSWORD,
        locale: 'vi',
      },
      expect: 201,
    });
    const adminCookie = setup.cookie!;
    const csrf = setup.body.csrfToken as string;
    const workspaceId = setup.body.workspace.id as string;
    const roles = await call(base, 'GET', '/api/v1/roles', { cookie: adminCookie, expect: 200 });
    const sales = (roles.body.items as { id: string; key: string | null }[]).find(
      (r) => r.key === 'sales',
    )!;
    const members: { userId: string; cookie: string }[] = [
      { userId: setup.body.user.id as string, cookie: adminCookie },
    ];
    const started = performance.now();
    for (let i = 1; i < settings.clients; i++) {
      const inv = await call(base, 'POST', '/api/v1/invitations', {
        body: { email: `nv${i}@example.vn`, roleId: sales.id },
        cookie: adminCookie,
        csrf,
        expect: 201,
      });
      const token = (inv.body.url as string).split('/invite/')[1];
      const accepted = await call(base, 'POST', '/api/v1/invitations/accept', {
        body: { token, name: `Nhân viên ${i}`, password: PASSWORD },
        expect: 200,
      });
      members.push({ userId: accepted.body.user.id as string, cookie: accepted.cookie! });
    }
    console.log(
      `  set up ${members.length} members in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    for (const m of members) {
      const l = new Listener(m.userId);
      await l.open(base, m.cookie);
      listeners.push(l);
    }
    await Promise.all(listeners.map((l) => l.until(1)));

    await writer.connect();
    await raw.connect();
    const rawArrivals: number[] = [];
    raw.on('notification', () => rawArrivals.push(performance.now()));
    await raw.query('LISTEN sen_notifications');

    const ids = members.map((m) => m.userId);
    const senLatencies: number[] = [];
    const rawLatencies: number[] = [];
    const warmup = 3;
    for (let round = 1; round <= warmup + settings.rounds; round++) {
      const rawBefore = rawArrivals.length;
      const t0 = performance.now();
      await writer.query(
        `INSERT INTO notifications (workspace_id, user_id, kind, params)
         SELECT $1, u, 'record_assigned', '{}'::jsonb FROM unnest($2::uuid[]) AS u`,
        [workspaceId, ids],
      );
      await Promise.all(listeners.map((l) => l.until(round + 1)));
      // The raw listener hears one NOTIFY per member (distinct payloads).
      while (rawArrivals.length < rawBefore + ids.length) await sleep(1);
      if (round > warmup) {
        for (const l of listeners) senLatencies.push(l.arrivals[round]! - t0);
        for (const at of rawArrivals.slice(rawBefore)) rawLatencies.push(at - t0);
      }
      await sleep(100);
    }
    senLatencies.sort((a, b) => a - b);
    rawLatencies.sort((a, b) => a - b);
    const row = (label: string, xs: number[]) => [
      label,
      String(xs.length),
      fmt(percentile(xs, 50), 0),
      fmt(percentile(xs, 95), 0),
      fmt(xs[xs.length - 1]!, 0),
    ];
    console.log(
      formatTable(
        ['target', 'deliveries', 'p50 ms', 'p95 ms', 'max ms'],
        [
          row(`Sen: event → ${settings.clients} bells (SSE)`, senLatencies),
          row('raw SQL: event → LISTEN client', rawLatencies),
        ],
      ),
    );
    const p95 = percentile(senLatencies, 95);
    console.log(
      `  goal: p95 ≤ ${GOAL_MS} ms → ${p95 <= GOAL_MS ? 'met' : 'NOT met'} (${fmt(p95, 0)} ms)`,
    );
  } finally {
    for (const l of listeners) l.close();
    await writer.end().catch(() => {});
    await raw.end().catch(() => {});
    await server?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}
