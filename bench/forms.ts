/**
 * `npm run bench -- forms` (issue #19): public lead form submissions over HTTP against a started
 * server, on native PostgreSQL and on PGlite, beside the raw SQL INSERT of the same lead rows.
 *
 * Each backend gets a fresh database and a server started as `npm start` starts it (jobs off),
 * set up through the API: an admin and two sales reps in a team, an assignment rule giving
 * website leads to the team in turn (round robin: the rule row is locked per assignment), two
 * scoring rules (the form_submitted event +10, source website +5) and a form asking name, email,
 * phone and company. The form's rate limits are raised for the bench (1,000,000 a minute per IP
 * and per form): the bench's clients all come from 127.0.0.1, and the limits are not what is
 * measured (their cost is: every submission still counts into form_rate_windows).
 *
 * BENCH_FORMS_CONNECTIONS clients (default 50) on a load thread post submissions one after
 * another, every one a new person (name, email, phone, UTM), so every submission creates a lead:
 * the form's lookup and rate-limit count, the match against contacts and open leads, the lead
 * through the leads' writer (normalisation, option lists, audit), the score, the assignment with
 * its notification, the score event and the stored submission. After the runs the bench checks
 * that every 200 made a lead that is scored and owned by a rep.
 *
 * Baseline: the raw SQL INSERT of the same lead rows (already normalised and scored, owner
 * given), one row a statement, from the same number of concurrent clients over a pool the
 * server's size (PostgreSQL), or one after another on the server's own PGlite (one connection).
 *
 * Goals: ≥ 500 submissions/s on PostgreSQL; PGlite within 2.5× of native (≥ native / 2.5).
 *
 * Environment (optional): BENCH_DATABASE_URL, BENCH_FORMS_DURATION (s, default 10),
 * BENCH_FORMS_WARMUP (s, default 2), BENCH_FORMS_CONNECTIONS (default 50), BENCH_FORMS_ROUNDS
 * (default 2), BENCH_FORMS_PGLITE (0 skips PGlite).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from '../src/config/env.js';
import type { PgliteDatabase } from '../src/db/database.js';
import { queryRows } from '../src/db/sql.js';
import { createLogger } from '../src/lib/logger.js';
import { startServer, type RunningServer } from '../src/server.js';
import type { FormLoadRequest, FormLoadResult } from './forms-load.js';
import { fmt, fmtInt, formatTable } from './stats.js';

const GOAL_PER_SECOND = 500;
const PGLITE_FACTOR = 2.5;
const BENCH_DB = 'sen_bench_forms';
const PASSWORD = 'correct horse battery staple';

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
  duration: intEnv('BENCH_FORMS_DURATION', 10),
  warmup: intEnv('BENCH_FORMS_WARMUP', 2, 0),
  connections: intEnv('BENCH_FORMS_CONNECTIONS', 50),
  rounds: intEnv('BENCH_FORMS_ROUNDS', 2),
  pglite: process.env.BENCH_FORMS_PGLITE !== '0',
};

function databaseUrl(name: string): string {
  const url = new URL(settings.baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---------------------------------------------------------------- load thread

class LoadThread {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: FormLoadResult) => void; reject: (e: Error) => void }
  >();

  constructor() {
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./forms-load.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    this.worker = new Worker(boot, { eval: true });
    this.worker.on('message', (msg: FormLoadResult) => {
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.error) waiter.reject(new BenchError(`load generator failed:\n${msg.error}`));
      else waiter.resolve(msg);
    });
    this.worker.on('error', (err) => {
      for (const w of this.pending.values()) w.reject(err);
      this.pending.clear();
    });
  }

  run(req: Omit<FormLoadRequest, 'id'>): Promise<FormLoadResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id } satisfies FormLoadRequest);
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

// ---------------------------------------------------------------- set-up through the API

class Api {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}

  async call<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PUT',
    p: string,
    body?: unknown,
    expectStatus = 200,
  ): Promise<T> {
    const res = await fetch(`${this.base}${p}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status !== expectStatus) {
      throw new BenchError(`${method} ${p}: ${res.status} ${text.slice(0, 500)}`);
    }
    const cookie = res.headers.get('set-cookie');
    if (cookie) this.cookie = cookie.split(';')[0]!;
    const json: unknown = text ? JSON.parse(text) : {};
    const csrf = (json as { csrfToken?: unknown }).csrfToken;
    if (typeof csrf === 'string') this.csrf = csrf;
    return json as T;
  }
}

interface Fixture {
  publicKey: string;
  repIds: string[];
  workspaceId: string;
}

async function setUp(base: string): Promise<Fixture> {
  const admin = new Api(base);
  const setup = await admin.call<{ workspace: { id: string } }>(
    'POST',
    '/api/v1/setup',
    {
      workspaceName: 'Công ty TNHH Sen',
      name: 'Nguyễn Văn An',
      email: 'admin@bench.example.vn',
      password: PASSWORD,
      locale: 'vi',
    },
    201,
  );
  const roles = await admin.call<{ items: { id: string; key: string | null }[] }>(
    'GET',
    '/api/v1/roles',
  );
  const salesRole = roles.items.find((r) => r.key === 'sales')!.id;
  const repIds: string[] = [];
  for (const [i, name] of ['Phạm Văn Bình', 'Lê Thị Cúc'].entries()) {
    const inv = await admin.call<{ url: string }>(
      'POST',
      '/api/v1/invitations',
      { email: `rep${i}@bench.example.vn`, roleId: salesRole },
      201,
    );
    const rep = new Api(base);
    const accepted = await rep.call<{ user: { id: string } }>(
      'POST',
      '/api/v1/invitations/accept',
      { token: inv.url.split('/invite/')[1], name, password: PASSWORD },
    );
    repIds.push(accepted.user.id);
  }
  const team = await admin.call<{ id: string }>(
    'POST',
    '/api/v1/teams',
    { name: 'Tele-sale', memberIds: repIds },
    201,
  );
  await admin.call(
    'POST',
    '/api/v1/settings/assignment/leads/rules',
    {
      name: 'Website',
      condition: { field: 'source', op: 'is', value: 'website' },
      targetType: 'team',
      teamId: team.id,
      method: 'round_robin',
    },
    201,
  );
  await admin.call(
    'POST',
    '/api/v1/settings/scoring/leads/rules',
    { kind: 'event', eventKey: 'form_submitted', points: 10 },
    201,
  );
  await admin.call(
    'POST',
    '/api/v1/settings/scoring/leads/rules',
    { kind: 'field', condition: { field: 'source', op: 'is', value: 'website' }, points: 5 },
    201,
  );
  const form = await admin.call<{ publicKey: string }>(
    'POST',
    '/api/v1/lead-forms',
    {
      name: 'Đăng ký tư vấn',
      fields: [
        { key: 'fullName', label: { vi: 'Họ và tên', en: 'Name' }, required: true },
        { key: 'email', label: { vi: 'Email', en: 'Email' } },
        { key: 'phone', label: { vi: 'Số điện thoại', en: 'Phone' } },
        { key: 'companyName', label: { vi: 'Cửa hàng', en: 'Shop' } },
      ],
      campaign: 'Tết 2027',
      ratePerIp: 1_000_000,
      ratePerForm: 1_000_000,
    },
    201,
  );
  return { publicKey: form.publicKey, repIds, workspaceId: setup.workspace.id };
}

// ---------------------------------------------------------------- raw SQL baseline

/** The INSERT of one lead row as the form's submissions make it (normalised, scored, owned). */
function rawInsert(workspaceId: string, ownerId: string, run: number, n: number) {
  const email = `raw.${run}.${n}@example.vn`;
  const phone = `+8490${String(run % 10)}${String(n).padStart(7, '0')}`;
  return {
    text: `INSERT INTO leads (workspace_id, owner_id, family_name, middle_name, given_name,
             display_name, emails, phones, primary_email, primary_phone, company_name, source,
             campaign, utm_source, utm_medium, utm_campaign, referrer, landing_page, status,
             score, grade, score_reasons, search_name, sort_name, search_text)
           VALUES ($1, $2, 'Nguyễn', 'Thị', 'Lan', 'Nguyễn Thị Lan',
             jsonb_build_array(jsonb_build_object('value', $3::text, 'label', null, 'primary', true)),
             jsonb_build_array(jsonb_build_object('value', $4::text, 'label', null, 'primary', true)),
             $3, $4, 'Cửa hàng Lan', 'website', 'Tết 2027', 'facebook', 'cpc', 'tet-2027',
             'https://www.facebook.com/', 'https://shop.example.vn/khuyen-mai', 'new', 15, 'C',
             '[{"label":{"vi":"Gửi biểu mẫu","en":"Form submitted"},"points":10}]'::jsonb,
             'nguyen thi lan', 'lan nguyen thi', 'nguyen thi lan ' || $3 || ' ' || $4)`,
    values: [workspaceId, ownerId, email, phone],
  };
}

interface Rate {
  perSecond: number;
  rows: number;
  seconds: number;
}

async function rawPostgres(url: string, f: Fixture, poolSize: number): Promise<Rate> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  try {
    let next = 0;
    const started = performance.now();
    const until = started + settings.duration * 1000;
    const client = async () => {
      while (performance.now() < until) {
        const n = next++;
        const q = rawInsert(f.workspaceId, f.repIds[n % f.repIds.length]!, 7, n);
        await pool.query(q.text, q.values);
      }
    };
    await Promise.all(Array.from({ length: settings.connections }, client));
    const seconds = (performance.now() - started) / 1000;
    return { perSecond: next / seconds, rows: next, seconds };
  } finally {
    await pool.end();
  }
}

async function rawPglite(server: RunningServer, f: Fixture): Promise<Rate> {
  const client = (server.ctx.db as PgliteDatabase).client;
  let n = 0;
  const started = performance.now();
  const until = started + settings.duration * 1000;
  while (performance.now() < until) {
    const q = rawInsert(f.workspaceId, f.repIds[n % f.repIds.length]!, 8, n);
    await client.query(q.text, q.values);
    n++;
  }
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: n / seconds, rows: n, seconds };
}

// ---------------------------------------------------------------- one backend

interface BackendResult {
  backend: 'postgres' | 'pglite';
  best: FormLoadResult;
  runs: FormLoadResult[];
  raw: Rate;
  checked: { leads: number; scored: number; assigned: number; submissions: number };
}

async function count(server: RunningServer, q: string): Promise<number> {
  const rows = await server.ctx.db.system((tx) =>
    queryRows<{ n: number | string }>(tx, sql.raw(q)),
  );
  return Number(rows[0]?.n ?? 0);
}

async function runBackend(
  backend: 'postgres' | 'pglite',
  load: LoadThread,
): Promise<BackendResult> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: '0',
    SEN_JOBS: 'false',
  };
  let admin: pg.Client | null = null;
  let dataDir: string | null = null;
  if (backend === 'postgres') {
    admin = new pg.Client({ connectionString: settings.baseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${BENCH_DB}`);
    env.DATABASE_URL = databaseUrl(BENCH_DB);
  } else {
    delete env.DATABASE_URL;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-bench-forms-'));
    env.SEN_DATA_DIR = dataDir;
  }
  const config = loadConfig(env);
  let server: RunningServer | null = null;
  try {
    server = await startServer(config, createLogger(config.logLevel));
    const base = server.url;
    const fixture = await setUp(base);
    const url = `${base}/api/v1/public/forms/${fixture.publicKey}/submissions`;
    let run = 1;
    if (settings.warmup > 0) {
      await load.run({
        url,
        connections: settings.connections,
        durationSeconds: settings.warmup,
        run: run++,
      });
    }
    const runs: FormLoadResult[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      const r = await load.run({
        url,
        connections: settings.connections,
        durationSeconds: settings.duration,
        run: run++,
      });
      runs.push(r);
      const bad = Object.entries(r.statusCodes).filter(([s]) => s !== '200');
      console.log(
        `  ${backend.padEnd(8)} round ${round}  ${fmtInt(r.perSecond).padStart(6)} submissions/s  ` +
          `p50 ${fmt(r.latency.p50, 1)} ms  p95 ${fmt(r.p95, 1)} ms  p99 ${fmt(r.latency.p99, 1)} ms` +
          (bad.length > 0 || r.errors > 0
            ? `  (non-200: ${JSON.stringify(bad)}, errors ${r.errors})`
            : ''),
      );
      if (bad.length > 0 || r.errors > 0) {
        throw new BenchError(`${backend}: responses other than 200 under load`);
      }
    }
    const ok = runs.reduce((s, r) => s + (r.statusCodes['200'] ?? 0), 0);
    const checked = {
      leads: await count(server, `SELECT count(*) AS n FROM leads`),
      scored: await count(server, `SELECT count(*) AS n FROM leads WHERE score = 15`),
      assigned: await count(server, `SELECT count(*) AS n FROM leads WHERE owner_id IS NOT NULL`),
      submissions: await count(
        server,
        `SELECT count(*) AS n FROM form_submissions WHERE outcome = 'lead_created'`,
      ),
    };
    // Warm-up submissions made leads too: every measured 200 is one more lead, scored, owned.
    if (
      checked.leads < ok ||
      checked.scored !== checked.leads ||
      checked.assigned !== checked.leads
    ) {
      throw new BenchError(
        `${backend}: leads do not match the submissions: ${JSON.stringify({ ok, ...checked })}`,
      );
    }
    if (checked.submissions !== checked.leads) {
      throw new BenchError(
        `${backend}: ${checked.submissions} submissions stored for ${checked.leads} leads`,
      );
    }
    const raw =
      backend === 'postgres'
        ? await rawPostgres(env.DATABASE_URL!, fixture, config.poolSize)
        : await rawPglite(server, fixture);
    const best = runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    return { backend, best, runs, raw, checked };
  } finally {
    if (server) {
      await sleep(200);
      await server.close().catch((err: unknown) => console.error('closing Sen failed:', err));
    }
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`).catch(() => {});
      await admin.end().catch(() => {});
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runFormsBench(): Promise<void> {
  console.log(
    `Public form submissions (issue #19): ${settings.connections} clients, ${settings.rounds} × ${settings.duration} s ` +
      `after ${settings.warmup} s of warm-up, on ${os.cpus().length} CPUs (load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')})`,
  );
  const load = new LoadThread();
  const results: BackendResult[] = [];
  try {
    results.push(await runBackend('postgres', load));
    if (settings.pglite) results.push(await runBackend('pglite', load));
  } finally {
    await load.close();
  }
  console.log('');
  console.log(
    formatTable(
      ['backend', 'submissions/s', 'p50 ms', 'p95 ms', 'p99 ms', 'raw INSERT rows/s', 'raw ÷ Sen'],
      results.map((r) => [
        r.backend,
        fmtInt(r.best.perSecond),
        fmt(r.best.latency.p50, 1),
        fmt(r.best.p95, 1),
        fmt(r.best.latency.p99, 1),
        fmtInt(r.raw.perSecond),
        `${fmt(r.raw.perSecond / r.best.perSecond, 1)}×`,
      ]),
    ),
  );
  console.log(
    '  Sen: best round, each submission a new lead (scored, assigned round robin, audited, notified, stored);',
  );
  console.log(
    `  raw: the same lead rows, one INSERT each (${settings.connections} clients over the server's pool on PostgreSQL; one after another on PGlite).`,
  );
  const native = results.find((r) => r.backend === 'postgres')!;
  const pglite = results.find((r) => r.backend === 'pglite');
  const nativeMet = native.best.perSecond >= GOAL_PER_SECOND;
  console.log(
    `Goal (≥ ${GOAL_PER_SECOND} submissions/s on PostgreSQL): ${nativeMet ? 'met' : 'NOT met'} (${fmtInt(native.best.perSecond)}/s)`,
  );
  if (pglite) {
    const factor = native.best.perSecond / pglite.best.perSecond;
    console.log(
      `Goal (PGlite within ${PGLITE_FACTOR}× of native): ${factor <= PGLITE_FACTOR ? 'met' : 'NOT met'} (${fmt(factor, 2)}× slower)`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runFormsBench().catch((err: unknown) => {
    console.error(`\nBenchmark FAILED: ${err instanceof Error ? err.message : String(err)}`);
    if (!(err instanceof BenchError)) console.error(err);
    process.exitCode = 1;
  });
}
