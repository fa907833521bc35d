/**
 * The export benchmark (issue #18), `npm run bench -- export`: the CSV export of every contact
 * (GET /api/v1/contacts/export, the default columns and sort, no filter) from 1,000,000
 * contacts, through HTTP with an API key, read to the end by the benchmark. Reported: rows/s,
 * MB/s, time to the first byte, and the server's peak RSS (process.memoryUsage().rss sampled
 * every 100 ms in the server's own process, bench/export-server.ts) beside its RSS just before.
 *
 * Set-up (native PostgreSQL): a fresh database migrated by starting the server, a workspace
 * and an API key through the API, then the demo generator's contacts and companies (with their
 * company links) bulk-loaded with COPY (bench/records-load.ts, as the records benchmark does).
 *
 * Goal: bounded memory: the peak RSS during the export at most BENCH_EXPORT_RSS_MB (default
 * 150) MB above the RSS before it, whatever the number of rows.
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL        server URL (default postgres://postgres@127.0.0.1:5432/)
 *   BENCH_EXPORT_CONTACTS     contacts to load (default 1000000); BENCH_EXPORT_COMPANIES (100000)
 *   BENCH_EXPORT_FORMATS      formats to export, in order (default csv; csv,xlsx,vcf)
 *   BENCH_EXPORT_RSS_MB       the goal's allowance (default 150)
 *   BENCH_EXPORT_KEEP=1       keep the sen_bench_export database (and its fixture) afterwards
 *   BENCH_EXPORT_REUSE=1      measure a database kept by an earlier KEEP run instead of loading
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DemoGenerator } from '../src/modules/demo/generate.js';
import type { ServerMessage } from './export-server.js';
import { loadRecords, postgresTarget } from './records-load.js';
import { fmt, formatTable } from './stats.js';

const BENCH_DB = 'sen_bench_export';
const PASSWORD = 'correct horse battery staple';
const SEED = 20250701;
const FIXTURE_FILE = path.join(os.tmpdir(), `${BENCH_DB}.fixture.json`);

class ExportBenchError extends Error {}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ExportBenchError(`${name} must be an integer ≥ 0`);
  return n;
}

const settings = {
  baseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/',
  contacts: intEnv('BENCH_EXPORT_CONTACTS', 1_000_000),
  companies: intEnv('BENCH_EXPORT_COMPANIES', 100_000),
  formats: (process.env.BENCH_EXPORT_FORMATS || 'csv').split(',').map((f) => f.trim()),
  rssGoalMb: intEnv('BENCH_EXPORT_RSS_MB', 150),
  keep: process.env.BENCH_EXPORT_KEEP === '1' || process.env.BENCH_EXPORT_REUSE === '1',
  reuse: process.env.BENCH_EXPORT_REUSE === '1',
};

function databaseUrl(name: string): string {
  const url = new URL(settings.baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---------------------------------------------------------------- the server process

class ServerProcess {
  private readonly child: ChildProcess;
  private samples: { rss: number; at: number }[] = [];
  readonly url: Promise<string>;

  constructor(env: Record<string, string>) {
    this.child = fork(new URL('./export-server.ts', import.meta.url), {
      execArgv: ['--max-semi-space-size=64', '--max-old-space-size=256', '--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.url = new Promise((resolve, reject) => {
      this.child.on('message', (m: ServerMessage) => {
        if (m.type === 'ready' && m.url) resolve(m.url);
        if (m.type === 'rss' && m.rss !== undefined && m.at !== undefined) {
          this.samples.push({ rss: m.rss, at: m.at });
          if (this.samples.length > 100_000) this.samples.splice(0, 50_000);
        }
      });
      this.child.on('exit', (code) =>
        reject(new ExportBenchError(`the server exited (${code}) before it listened`)),
      );
    });
  }

  /** The samples taken since `from` (ms since the epoch). */
  since(from: number): number[] {
    return this.samples.filter((s) => s.at >= from).map((s) => s.rss);
  }

  latest(): number {
    return this.samples.at(-1)?.rss ?? Number.NaN;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('stop');
    const timeout = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timeout);
  }
}

// ---------------------------------------------------------------- set-up through the API

interface Fixture {
  workspaceId: string;
  adminId: string;
  apiKey: string;
}

async function call(base: string, p: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(`${base}${p}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 300) throw new ExportBenchError(`${p} → ${res.status}: ${text}`);
  return { body: JSON.parse(text) as Record<string, never>, headers: res.headers };
}

async function setUp(base: string): Promise<Fixture> {
  const setup = await call(
    base,
    '/api/v1/setup',
    {
      workspaceName: 'Công ty TNHH Bench',
      name: 'Nguyễn Văn Quản',
      email: 'bench@example.com',
      password: PASSWORD,
      locale: 'vi',
    },
    {},
  );
  const cookie = setup.headers.getSetCookie().find((c) => c.startsWith('sen_session='));
  const session = { cookie: (cookie ?? '').split(';')[0] ?? '' };
  const me = await call(base, '/api/v1/auth/session', undefined, session);
  const { csrfToken, user, workspace } = me.body as unknown as {
    csrfToken: string;
    user: { id: string };
    workspace: { id: string };
  };
  const key = await call(
    base,
    '/api/v1/api-keys',
    { name: 'bench', scopes: ['contacts:read', 'contacts:export', 'companies:read'] },
    { ...session, 'x-csrf-token': csrfToken },
  );
  return {
    workspaceId: workspace.id,
    adminId: user.id,
    apiKey: (key.body as unknown as { secret: string }).secret,
  };
}

// ---------------------------------------------------------------- one export

interface ExportRun {
  format: string;
  rows: number;
  bytes: number;
  seconds: number;
  firstByteMs: number;
  rssBefore: number;
  rssPeak: number;
}

async function measureExport(
  server: ServerProcess,
  base: string,
  fixture: Fixture,
  format: string,
  query = '',
): Promise<ExportRun> {
  // Let the samples settle after the previous run, and take the RSS just before this one.
  await new Promise((r) => setTimeout(r, 1000));
  const rssBefore = server.latest();
  const startedAt = Date.now();
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/contacts/export?format=${format}${query}`, {
    headers: { authorization: `Bearer ${fixture.apiKey}` },
  });
  if (res.status !== 200 || !res.body) {
    throw new ExportBenchError(`export ${format} → ${res.status}: ${await res.text()}`);
  }
  let firstByteMs = Number.NaN;
  let bytes = 0;
  let lines = 0;
  let cards = 0;
  // A card's end may straddle two chunks: the last 8 characters are looked at again.
  let carry = '';
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - t0;
    bytes += chunk.length;
    if (format === 'csv') for (const b of chunk) if (b === 0x0a) lines++;
    if (format === 'vcf') {
      const text = carry + Buffer.from(chunk).toString('latin1');
      cards += text.split('END:VCARD').length - 1;
      carry = text.slice(-8);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 300));
  const during = server.since(startedAt);
  const rows = format === 'csv' ? lines - 1 : format === 'vcf' ? cards : Number.NaN;
  return {
    format,
    rows,
    bytes,
    seconds,
    firstByteMs,
    rssBefore,
    rssPeak: Math.max(rssBefore, ...during),
  };
}

// ---------------------------------------------------------------- the suite

const mb = (bytes: number) => bytes / 2 ** 20;

/** Runs the suite and prints its table; true when the memory goal is met. */
export async function runExportBench(): Promise<boolean> {
  const log = (s: string) => console.log(s);
  const admin = new pg.Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  let server: ServerProcess | null = null;
  try {
    console.log('Sen benchmark: exports (issue #18)');
    if (!settings.reuse) {
      await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${BENCH_DB}`);
    }
    server = new ServerProcess({
      DATABASE_URL: databaseUrl(BENCH_DB),
      PORT: '0',
      HOST: '127.0.0.1',
      SEN_JOBS: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    });
    const base = await server.url;
    let fixture: Fixture;
    let contacts = settings.contacts;
    if (settings.reuse) {
      if (!fs.existsSync(FIXTURE_FILE)) {
        throw new ExportBenchError(`no ${FIXTURE_FILE}: run once with BENCH_EXPORT_KEEP=1`);
      }
      ({ fixture, contacts } = JSON.parse(fs.readFileSync(FIXTURE_FILE, 'utf8')) as {
        fixture: Fixture;
        contacts: number;
      });
      log(`  reusing the kept ${BENCH_DB} database (${contacts.toLocaleString('en-US')} contacts)`);
    } else {
      fixture = await setUp(base);
      log(
        `  loading ${contacts.toLocaleString('en-US')} contacts, ` +
          `${settings.companies.toLocaleString('en-US')} companies (demo generator, seed ${SEED})`,
      );
      const gen = new DemoGenerator({
        workspaceId: fixture.workspaceId,
        ownerIds: [fixture.adminId],
        contacts,
        companies: settings.companies,
        seed: SEED,
        now: new Date('2026-06-30T00:00:00Z'),
        tagDemo: false,
      });
      const t0 = performance.now();
      const target = await postgresTarget(databaseUrl(BENCH_DB));
      try {
        await loadRecords(target, gen, log);
      } finally {
        await target.close();
      }
      log(`  loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      if (settings.keep) fs.writeFileSync(FIXTURE_FILE, JSON.stringify({ fixture, contacts }));
    }

    // Warm-up: one province's contacts (the same code path, a fraction of the rows).
    const warm = encodeURIComponent(
      JSON.stringify({ field: 'provinceCode', op: 'is', value: '79' }),
    );
    await measureExport(server, base, fixture, 'csv', `&filter=${warm}`);

    const runs: ExportRun[] = [];
    for (const format of settings.formats) {
      if (!['csv', 'xlsx', 'vcf'].includes(format)) {
        throw new ExportBenchError(`unknown format ${format} (csv, xlsx, vcf)`);
      }
      const run = await measureExport(server, base, fixture, format);
      if (format !== 'xlsx' && run.rows !== contacts) {
        throw new ExportBenchError(`${format}: ${run.rows} rows exported, ${contacts} expected`);
      }
      runs.push(run);
      log(
        `  ${format}: ${fmt(run.seconds, 1)} s, ${fmt(mb(run.bytes), 0)} MB, ` +
          `peak RSS ${fmt(mb(run.rssPeak), 0)} MB (${fmt(mb(run.rssBefore), 0)} MB before)`,
      );
    }
    console.log('');
    let met = true;
    const rows = runs.map((r) => {
      const growth = mb(r.rssPeak - r.rssBefore);
      const ok = growth <= settings.rssGoalMb;
      met &&= ok;
      return [
        `${r.format}, ${(contacts / 1e6).toLocaleString('en-US')}M contacts (postgres)`,
        fmt(contacts / r.seconds, 0),
        fmt(mb(r.bytes) / r.seconds, 1),
        fmt(r.seconds, 1),
        fmt(r.firstByteMs, 0),
        fmt(mb(r.rssBefore), 0),
        fmt(mb(r.rssPeak), 0),
        `+${fmt(growth, 0)}`,
        ok ? 'met' : 'NOT met',
      ];
    });
    console.log(
      formatTable(
        [
          'export (all rows)',
          'rows/s',
          'MB/s',
          's',
          'first byte ms',
          'RSS before MB',
          'peak RSS MB',
          'growth MB',
          `≤ +${settings.rssGoalMb} MB`,
        ],
        rows,
      ),
    );
    console.log(
      '  RSS: the server process alone (process.memoryUsage().rss every 100 ms); rows/s over the whole download.',
    );
    console.log(
      `Goal (peak RSS ≤ RSS before + ${settings.rssGoalMb} MB): ${met ? 'met' : 'NOT met'}`,
    );
    return met;
  } finally {
    await server?.stop().catch((err: unknown) => console.error('stopping Sen failed:', err));
    if (!settings.keep) {
      await admin
        .query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`)
        .catch((err: unknown) => console.error(`dropping ${BENCH_DB} failed:`, err));
    }
    await admin.end().catch(() => {});
  }
}
