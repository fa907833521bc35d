/**
 * The deals benchmark (issue #19, "Benchmark"), part of `npm run bench` (alone: `npm run bench
 * -- deals`).
 *
 * On each backend — native PostgreSQL, then PGlite — a fresh database is migrated by starting
 * the real server; a workspace, four sales members (five owners with the admin) and an API key
 * are created through the HTTP API, and the workspace's two pipelines are set up through it too
 * (the default pipeline reshaped into "Bán lẻ" — pipeline A — and a new "Đại lý", six stages
 * each). Then, with COPY: 20,000 companies (the demo generator's), and 1,000,000 deals over the
 * three years up to 2026-06-30 — pipeline A holds 10,000 OPEN deals spread over its six stages,
 * pipeline B as many, the rest won (35 %) or lost, 40 % of them in A — with amounts in đồng,
 * their stage's probability (100 won, 0 lost), closed_at for the closed ones,
 * expected_close_date for the open ones, and their stage history (deal_stage_history: the
 * stages each deal went through, and its closing row: 1–4 rows a deal, 3 on average), written
 * by the loader, consistent with the deals. The deals' row triggers (version, stage probability,
 * stage history, the report's daily figures) and the foreign-key triggers are NOT fired by the
 * load: it runs with session_replication_role = replica (the usual bulk-load recipe,
 * bench/records-load.ts) and writes what the triggers would have written itself (the history
 * rows; deal_rollups by sen_deal_rollups_rebuild, as migration 0038 fills it for existing
 * deals); secondary indexes are dropped before the load and rebuilt after it; VACUUM ANALYZE
 * at the end.
 *
 * Measured, serially (one request at a time: latency), through HTTP with the API key, each
 * beside raw SQL of the same data in the same run (as the connecting user: no HTTP, auth or
 * RLS):
 *   (a) board:  GET /api/v1/deals/board?groupBy=stageId&scope=<A>&limit=20 — pipeline A's
 *               kanban: every column's count, amount and weighted sums, and its first 20 open
 *               deals with their presented columns. Raw: the counts and sums GROUP BY stage and
 *               the first 20 open deals of each stage (LATERAL … LIMIT 20) with the same
 *               presented columns. Goal: p95 ≤ 150 ms and ≤ 2× raw.
 *   (b) report: GET /api/v1/reports/sales?period=quarter&date=2026-05-15 — the forecast and
 *               sales report of Q2 2026 over all 1,000,000 deals (totals, by owner, over time,
 *               funnel, leads by source, snapshots). Raw, for scale: the plain aggregate of
 *               the quarter (won / lost closed in it and open expected in it, by owner and
 *               status). Goal: p95 ≤ 300 ms.
 *   (c) PGlite: each p95 within 2.5× the native one.
 * The answers are checked against the raw ones (column counts and sums, the first cards, the
 * report's won and open totals).
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL         server URL (default postgres://postgres@127.0.0.1:5432/)
 *   BENCH_DEALS_BACKENDS       postgres,pglite (default both)
 *   BENCH_DEALS_TOTAL          deals to load (default 1000000)
 *   BENCH_DEALS_OPEN           open deals in pipeline A (default 10000; as many in B)
 *   BENCH_DEALS_COMPANIES      companies (default 20000)
 *   BENCH_PGLITE_DEALS_TOTAL   deals on PGlite (default: the same as BENCH_DEALS_TOTAL)
 *   BENCH_DEALS_BOARD_SAMPLES  measured board requests (default 300, after 5 warm-up ones)
 *   BENCH_DEALS_REPORT_SAMPLES measured report requests (default 100, after 3 warm-up ones)
 *   BENCH_DEALS_EXPLAIN=1      print EXPLAIN ANALYZE of every statement of one board and one
 *                              report request, as sen_app under RLS (PostgreSQL)
 *   BENCH_DEALS_KEEP=1         keep the sen_bench_deals database afterwards
 *   BENCH_DEALS_REUSE=1        measure a database kept by an earlier KEEP run (PostgreSQL)
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
import { foldForSearch } from '../src/lib/vn/names.js';
import { DemoGenerator } from '../src/modules/demo/generate.js';
import { dealKind } from '../src/modules/deals/deals.service.js';
import { dealStageHistory, deals } from '../src/modules/deals/deals.table.js';
import { searchText } from '../src/modules/records/normalize.js';
import { startServer, type RunningServer } from '../src/server.js';
import { setUp, type Fixture } from './records.js';
import {
  copyColumns,
  copyLine,
  loadRecords,
  pgliteTarget,
  postgresTarget,
  type BulkTarget,
} from './records-load.js';
import { fmt, formatTable, percentile } from './stats.js';

const BENCH_DB = 'sen_bench_deals';
const SEED = 20261207;
/** The end of the data's three years ("now" of the loaded deals). */
const DATA_END = Date.parse('2026-06-30T00:00:00Z');
const DAY = 86_400_000;
const DATA_START = DATA_END - 3 * 365 * DAY;
/** The report's anchor date: Q2 2026, the last full quarter of the data. */
const REPORT_DATE = '2026-05-15';
const BOARD_LIMIT = 20;

class DealsBenchError extends Error {}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new DealsBenchError(`${name} must be an integer ≥ 0`);
  return n;
}

const settings = {
  baseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/',
  backends: (process.env.BENCH_DEALS_BACKENDS || 'postgres,pglite').split(','),
  total: intEnv('BENCH_DEALS_TOTAL', 1_000_000),
  open: Math.max(1, intEnv('BENCH_DEALS_OPEN', 10_000)),
  companies: Math.max(1, intEnv('BENCH_DEALS_COMPANIES', 20_000)),
  boardSamples: Math.max(20, intEnv('BENCH_DEALS_BOARD_SAMPLES', 300)),
  reportSamples: Math.max(20, intEnv('BENCH_DEALS_REPORT_SAMPLES', 100)),
  explain: process.env.BENCH_DEALS_EXPLAIN === '1',
  keep: process.env.BENCH_DEALS_KEEP === '1' || process.env.BENCH_DEALS_REUSE === '1',
  reuse: process.env.BENCH_DEALS_REUSE === '1',
};
const pgliteTotal = intEnv('BENCH_PGLITE_DEALS_TOTAL', settings.total);
const FIXTURE_FILE = path.join(os.tmpdir(), `${BENCH_DB}.fixture.json`);

function databaseUrl(name: string): string {
  const url = new URL(settings.baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---------------------------------------------------------------- set-up through the API

interface Stage {
  id: string;
  name: string;
  probability: number;
}
interface Pipeline {
  id: string;
  name: string;
  stages: Stage[];
}
interface DealsFixture extends Fixture {
  dealsKey: string;
  pipelines: [Pipeline, Pipeline];
}

async function call(
  base: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  p: string,
  body: unknown,
  headers: Record<string, string>,
  expect: number,
): Promise<unknown> {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status !== expect) {
    throw new DealsBenchError(`${method} ${p} → ${res.status} (expected ${expect}): ${text}`);
  }
  return text ? (JSON.parse(text) as unknown) : {};
}

const STAGES_A: [string, number][] = [
  ['Tiếp cận', 10],
  ['Tìm hiểu nhu cầu', 20],
  ['Khảo sát, demo', 40],
  ['Gửi báo giá', 60],
  ['Đàm phán', 75],
  ['Chốt hợp đồng', 90],
];
const STAGES_B: [string, number][] = [
  ['Liên hệ đại lý', 10],
  ['Gửi chính sách', 25],
  ['Đặt hàng thử', 40],
  ['Thương lượng chiết khấu', 60],
  ['Ký hợp đồng', 80],
  ['Nhập hàng lần đầu', 95],
];

/**
 * The records bench's workspace (an admin and four sales members), an API key that reads
 * deals (and what a deal shows: companies, contacts; leads for the report's acquisition part),
 * and the two pipelines: the default one reshaped into A, B created.
 */
async function setUpDeals(base: string): Promise<DealsFixture> {
  const f = await setUp(base);
  const key = (await call(
    base,
    'POST',
    '/api/v1/api-keys',
    {
      name: 'deals bench',
      scopes: ['deals:read', 'companies:read', 'contacts:read', 'leads:read', 'pipelines:read'],
    },
    f.session,
    201,
  )) as { secret: string };
  const list = (await call(base, 'GET', '/api/v1/pipelines', undefined, f.session, 200)) as {
    items: { id: string; stages: { id: string }[] }[];
  };
  const first = list.items[0];
  if (!first || list.items.length !== 1) throw new DealsBenchError('expected one default pipeline');
  await call(
    base,
    'PATCH',
    `/api/v1/pipelines/${first.id}`,
    { name: 'Bán lẻ', rottingDays: 14 },
    f.session,
    200,
  );
  const a = (await call(
    base,
    'PUT',
    `/api/v1/pipelines/${first.id}/stages`,
    {
      stages: STAGES_A.map(([name, probability], i) => ({
        ...(first.stages[i] ? { id: first.stages[i].id } : {}),
        name,
        probability,
      })),
    },
    f.session,
    200,
  )) as Pipeline;
  const b = (await call(
    base,
    'POST',
    '/api/v1/pipelines',
    {
      name: 'Đại lý',
      rottingDays: 21,
      stages: STAGES_B.map(([name, probability]) => ({ name, probability })),
    },
    f.session,
    201,
  )) as Pipeline;
  const shape = (p: Pipeline): Pipeline => ({
    id: p.id,
    name: p.name,
    stages: p.stages.map((s) => ({ id: s.id, name: s.name, probability: s.probability })),
  });
  if (a.stages.length !== 6 || b.stages.length !== 6) {
    throw new DealsBenchError('the pipelines do not have six stages each');
  }
  return { ...f, dealsKey: key.secret, pipelines: [shape(a), shape(b)] };
}

// ---------------------------------------------------------------- the generated deals

/** A 32-bit integer hash (a bijection of 32-bit integers: distinct inputs, distinct outputs). */
function h32(x: number): number {
  let a = x | 0;
  a = Math.imul(a ^ (a >>> 16), 0x21f0aaad);
  a = Math.imul(a ^ (a >>> 15), 0x735a2d97);
  return (a ^ (a >>> 15)) >>> 0;
}
/** A number in [0, 1) for deal i and a purpose `salt`. */
const rand = (i: number, salt: number): number =>
  h32(Math.imul(i, 0x9e3779b1) ^ h32(salt * 7919 + SEED)) / 2 ** 32;

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
/**
 * Deal i's id: a UUIDv7 of its creation time, as Sen's own ids are (sen_uuid_v7(), so a table's
 * ids, and the history index by deal id, follow creation order), with the rest from hashes of
 * i (the last part alone is unique).
 */
function dealId(i: number, createdAt: number): string {
  const ms = createdAt.toString(16).padStart(12, '0');
  const a = hex8(h32(i + 0x3c6ef372));
  const b = hex8(h32(i ^ 0x5bd1e995));
  const c = hex8(h32(i + 0x1b873593));
  const variant = ((h32(i ^ 0x27d4eb2f) & 0x3) | 0x8).toString(16);
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${a.slice(0, 3)}-${variant}${a.slice(3, 6)}-${b}${c.slice(0, 4)}`;
}

const PRODUCTS = [
  'Hợp đồng phân phối sữa',
  'Đơn hàng bánh kẹo Tết',
  'Cung cấp nước giải khát',
  'Gói gia vị cho bếp ăn',
  'Đơn hàng hoá mỹ phẩm',
  'Văn phòng phẩm cả năm',
  'Gạo ST25 cho siêu thị',
  'Thiết bị quầy kệ',
];
/** Open deals of a pipeline over its six stages (early stages hold more). */
const OPEN_SPREAD = [0.28, 0.22, 0.18, 0.14, 0.1, 0.08];
const WON_REASONS = ['price', 'quality', 'relationship', 'service', 'other'];
const LOST_REASONS = ['price', 'competitor', 'no_budget', 'no_decision', 'unreachable', 'other'];

function pick<T>(list: readonly T[], u: number): T {
  return list[Math.min(list.length - 1, Math.floor(u * list.length))] as T;
}
function spread(weights: readonly number[], u: number): number {
  let acc = 0;
  for (let s = 0; s < weights.length; s++) {
    acc += weights[s] as number;
    if (u < acc) return s;
  }
  return weights.length - 1;
}

interface DealPlan {
  id: string;
  pipeline: 0 | 1;
  stage: number;
  status: 'open' | 'won' | 'lost';
  owner: string;
  company: number;
  amount: number;
  createdAt: number;
  /** Closed: when; open: the last change. */
  lastAt: number;
  /** The stages it went through, in order, ending with `stage`. */
  path: number[];
  /** When it entered each stage of `path`. */
  entered: number[];
  expectedClose: string | null;
}

/** Deal i of `total` (the same on every run and backend). */
function planDeal(i: number, total: number, open: number, f: DealsFixture): DealPlan {
  const stride = Math.max(1, Math.floor(total / (2 * open)));
  const slot = i % (2 * stride);
  const n = Math.floor(i / (2 * stride));
  const openA = slot === 0 && n < open;
  const openB = slot === stride && n < open && stride > 0;
  const owner = pick(f.ownerIds, rand(i, 1));
  const company = Math.floor(rand(i, 2) * settings.companies);
  const amount = Math.round((5_000_000 * 400 ** rand(i, 3)) / 100_000) * 100_000;
  if (openA || openB) {
    const stage = spread(OPEN_SPREAD, rand(i, 4));
    const createdAt = DATA_END - Math.floor(rand(i, 5) * 270 * DAY);
    const lastAt = createdAt + Math.floor(rand(i, 6) * (DATA_END - createdAt));
    const path = stagePath(i, stage);
    const expected = new Date(DATA_END + Math.floor((rand(i, 7) * 225 - 45) * DAY));
    return {
      id: dealId(i, createdAt),
      pipeline: openA ? 0 : 1,
      stage,
      status: 'open',
      owner,
      company,
      amount,
      createdAt,
      lastAt,
      path,
      entered: enteredTimes(i, path, createdAt, lastAt),
      expectedClose: expected.toISOString().slice(0, 10),
    };
  }
  // Closed deals, created through the three years in load order (the table is in creation
  // order, as a table filled over time is), closed 7–120 days later.
  const createdAt =
    DATA_START + Math.floor(((i + rand(i, 8)) / total) * (DATA_END - DATA_START - 7 * DAY));
  const won = rand(i, 9) < 0.35;
  const stage = won ? (rand(i, 10) < 0.8 ? 5 : 4) : Math.floor(rand(i, 10) ** 1.5 * 6);
  const lastAt = Math.min(DATA_END - 1000, createdAt + Math.floor((7 + rand(i, 11) * 113) * DAY));
  const path = stagePath(i, stage);
  return {
    id: dealId(i, createdAt),
    pipeline: rand(i, 12) < 0.4 ? 0 : 1,
    stage,
    status: won ? 'won' : 'lost',
    owner,
    company,
    amount,
    createdAt,
    lastAt,
    path,
    entered: enteredTimes(i, path, createdAt, lastAt),
    expectedClose: new Date(createdAt + 45 * DAY).toISOString().slice(0, 10),
  };
}

/** 1–3 stages ending at `stage`: the first stage, maybe one in between, then `stage`. */
function stagePath(i: number, stage: number): number[] {
  if (stage === 0) return [0];
  if (stage === 1 || rand(i, 13) < 0.4) return [0, stage];
  return [0, 1 + Math.floor(rand(i, 14) * (stage - 1)), stage];
}

function enteredTimes(i: number, p: number[], from: number, to: number): number[] {
  return p.map((_, k) =>
    k === 0 ? from : from + Math.floor(((to - from) * (k + rand(i, 20 + k) * 0.5)) / p.length),
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

function dealRow(d: DealPlan, f: DealsFixture, companyNames: string[], companyIds: string[]) {
  const pipeline = f.pipelines[d.pipeline];
  const stage = pipeline.stages[d.stage] as Stage;
  const name = `${pick(PRODUCTS, rand(h32(d.createdAt), 30))} – ${companyNames[d.company] ?? ''}`;
  const folded = foldForSearch(name);
  const enteredLast = d.entered[d.entered.length - 1] as number;
  return {
    id: d.id,
    workspaceId: f.workspaceId,
    ownerId: d.owner,
    tags: [],
    custom: {},
    sortName: folded,
    searchName: folded,
    searchText: searchText([name]),
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.lastAt),
    createdBy: d.owner,
    updatedBy: d.owner,
    version: d.path.length + (d.status === 'open' ? 0 : 1),
    name,
    pipelineId: pipeline.id,
    stageId: stage.id,
    status: d.status,
    amount: d.amount,
    probability: d.status === 'won' ? 100 : d.status === 'lost' ? 0 : stage.probability,
    expectedCloseDate: d.expectedClose,
    closedAt: d.status === 'open' ? null : iso(d.lastAt),
    wonReason: d.status === 'won' ? pick(WON_REASONS, rand(d.createdAt, 31)) : null,
    lostReason: d.status === 'lost' ? pick(LOST_REASONS, rand(d.createdAt, 32)) : null,
    companyId: companyIds[d.company] ?? null,
    stageEnteredAt: iso(enteredLast),
    lastActivityAt: iso(d.lastAt),
  };
}

/** The rows the stage-history trigger would have written for the deal's moves. */
function historyRows(d: DealPlan, f: DealsFixture) {
  const pipeline = f.pipelines[d.pipeline];
  const rows = d.path.map((s, k) => {
    const stage = pipeline.stages[s] as Stage;
    const left = k + 1 < d.path.length ? d.entered[k + 1] : d.status === 'open' ? null : d.lastAt;
    return {
      workspaceId: f.workspaceId,
      dealId: d.id,
      pipelineId: pipeline.id,
      stageId: stage.id,
      stageName: stage.name,
      status: 'open' as string,
      enteredAt: iso(d.entered[k] as number),
      leftAt: left === null || left === undefined ? null : iso(left),
      enteredBy: d.owner,
      updatedAt: iso(left ?? (d.entered[k] as number)),
    };
  });
  if (d.status !== 'open') {
    const stage = pipeline.stages[d.stage] as Stage;
    rows.push({
      workspaceId: f.workspaceId,
      dealId: d.id,
      pipelineId: pipeline.id,
      stageId: stage.id,
      stageName: stage.name,
      status: d.status,
      enteredAt: iso(d.lastAt),
      leftAt: null,
      enteredBy: d.owner,
      updatedAt: iso(d.lastAt),
    });
  }
  return rows;
}

// ---------------------------------------------------------------- the load

/** Rows per chunk handed to COPY (pgliteTarget counts chunks as 1,000 rows each). */
const CHUNK = 1000;
const DEAL_TABLES = ['deals', 'deal_stage_history'];

async function loadDeals(
  target: BulkTarget,
  f: DealsFixture,
  total: number,
  log: (s: string) => void,
): Promise<{ seconds: number; history: number }> {
  const started = performance.now();
  // Companies: the demo generator's (their indexes dropped and rebuilt by loadRecords).
  const gen = new DemoGenerator({
    workspaceId: f.workspaceId,
    ownerIds: f.ownerIds,
    contacts: 0,
    companies: settings.companies,
    seed: SEED,
    now: new Date(DATA_END),
    tagDemo: false,
  });
  await loadRecords(target, gen, log);
  const companyIds: string[] = [];
  const companyNames: string[] = [];
  for (let c = 0; c < settings.companies; c++) {
    companyIds.push(gen.company(c).id as string);
    companyNames.push(gen.companyCore(c).name);
  }

  await target.configure(
    `SET session_replication_role = replica; SET maintenance_work_mem = '${target.kind === 'pglite' ? '256MB' : '512MB'}'`,
  );
  let history = 0;
  try {
    const indexes = await target.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                         WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
      [DEAL_TABLES],
    );
    for (const ix of indexes) await target.exec(`DROP INDEX "${ix.name}"`);
    const t0 = performance.now();

    const plan0 = planDeal(0, total, settings.open, f);
    const dealCols = copyColumns(deals, dealRow(plan0, f, companyNames, companyIds));
    const historyCols = copyColumns(dealStageHistory, (historyRows(plan0, f)[0] ?? {}) as never);
    function* chunks(kind: 'deals' | 'history'): Generator<string> {
      for (let from = 0; from < total; from += CHUNK) {
        let s = '';
        const to = Math.min(total, from + CHUNK);
        for (let i = from; i < to; i++) {
          const plan = planDeal(i, total, settings.open, f);
          if (kind === 'deals') {
            s += copyLine(dealRow(plan, f, companyNames, companyIds), dealCols);
          } else {
            for (const h of historyRows(plan, f)) {
              s += copyLine(h, historyCols);
              history++;
            }
          }
        }
        yield s;
      }
    }
    await target.copy(
      'deals',
      dealCols.map((c) => c.name),
      chunks('deals'),
    );
    log(`    deals      ${total.toLocaleString('en-US')} rows`);
    await target.copy(
      'deal_stage_history',
      historyCols.map((c) => c.name),
      chunks('history'),
    );
    log(`    history    ${history.toLocaleString('en-US')} rows`);
    const t1 = performance.now();
    await target.runAll(indexes.map((ix) => ix.def));
    const t2 = performance.now();
    log(
      `    COPY ${((t1 - t0) / 1000).toFixed(0)} s, ${indexes.length} indexes rebuilt in ${((t2 - t1) / 1000).toFixed(0)} s`,
    );
  } finally {
    await target.configure('SET session_replication_role = origin');
  }
  // The report's daily figures, which the skipped triggers would have kept: computed once from
  // the loaded deals, as migration 0038 does for existing ones.
  const r0 = performance.now();
  await target.query('SELECT sen_deal_rollups_rebuild($1)', [f.workspaceId]);
  log(`    deal_rollups rebuilt in ${((performance.now() - r0) / 1000).toFixed(1)} s`);
  await target.runAll([...DEAL_TABLES, 'deal_rollups'].map((t) => `VACUUM ANALYZE ${t}`));
  return { seconds: (performance.now() - started) / 1000, history };
}

// ---------------------------------------------------------------- timing and raw SQL

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

/** node:http on one keep-alive connection, timed to the last byte (as records.ts does). */
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

async function httpGet(base: string, p: string, apiKey: string): Promise<Buffer> {
  const res = await httpGetOnce(`${base}${p}`, apiKey).catch(() =>
    httpGetOnce(`${base}${p}`, apiKey),
  );
  if (res.status !== 200) {
    throw new DealsBenchError(`GET ${p} → ${res.status}: ${res.body.toString('utf8')}`);
  }
  return res.body;
}

interface RawRunner {
  /** The statements one after another (PostgreSQL: pipelined on one connection). */
  all(statements: { text: string; params: unknown[] }[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

async function pgRaw(url: string): Promise<RawRunner> {
  const client = new pg.Client({ connectionString: url, pipeline: true } as pg.ClientConfig);
  await client.connect();
  return {
    all: async (statements) =>
      (
        await Promise.all(statements.map((s) => callbackQuery(client, { text: s.text }, s.params)))
      ).map((r) => r.rows),
    close: () => client.end(),
  };
}

function pgliteRaw(db: PgliteDatabase): RawRunner {
  return {
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
 * Pipeline A's board by plain SQL: the counts and sums of its open deals by stage, and each
 * stage's first 20 open deals (newest change first) with the deals' presented columns.
 */
function rawBoard(f: DealsFixture) {
  const a = f.pipelines[0];
  const counts = toQuery(sql`SELECT stage_id::text AS value, count(*)::int AS count,
        sum(amount)::text AS amount, sum(amount * probability / 100)::text AS weighted
      FROM deals
     WHERE workspace_id = ${f.workspaceId} AND pipeline_id = ${a.id} AND status = 'open'
       AND deleted_at IS NULL
     GROUP BY stage_id`);
  const stageIds = `{${a.stages.map((s) => s.id).join(',')}}`;
  const cards = toQuery(sql`SELECT s.n AS "column", ${dealKind.columns(adminActor(f))}
      FROM unnest(${stageIds}::uuid[]) WITH ORDINALITY s(id, n)
     CROSS JOIN LATERAL (
       SELECT d.id FROM deals d
        WHERE d.workspace_id = ${f.workspaceId} AND d.stage_id = s.id AND d.status = 'open'
          AND d.deleted_at IS NULL
        ORDER BY d.updated_at DESC NULLS LAST, d.id DESC NULLS LAST LIMIT ${BOARD_LIMIT}) b
      JOIN deals r ON r.id = b.id
     ORDER BY s.n, r.updated_at DESC NULLS LAST, r.id DESC NULLS LAST`);
  return [counts, cards];
}

/** The quarter's plain aggregate: won / lost closed in it, open expected in it, by owner. */
function rawReport(f: DealsFixture, tz: string) {
  return [
    toQuery(sql`SELECT owner_id, status, count(*)::int AS count, sum(amount)::text AS amount,
          sum(amount * probability / 100.0)::text AS weighted
        FROM deals
       WHERE workspace_id = ${f.workspaceId} AND deleted_at IS NULL
         AND ((status IN ('won', 'lost')
               AND closed_at >= ('2026-04-01'::date::timestamp AT TIME ZONE ${tz})
               AND closed_at < ('2026-07-01'::date::timestamp AT TIME ZONE ${tz}))
           OR (status = 'open' AND expected_close_date >= '2026-04-01'
               AND expected_close_date < '2026-07-01'))
       GROUP BY owner_id, status`),
  ];
}

interface BoardBody {
  total: number;
  columns: {
    value: string | null;
    count: number;
    sums: Record<string, number>;
    items: { id: string }[];
  }[];
}
interface ReportBody {
  totals: { wonAmount: number; wonCount: number; lostCount: number; openCount: number };
  funnel: { stages: { reached: number }[] } | null;
}

/** The board's answer against the raw one: columns, counts, sums, first cards. */
function checkBoard(body: Buffer, raw: unknown[][]): void {
  const board = JSON.parse(body.toString('utf8')) as BoardBody;
  const counts = (raw[0] ?? []) as {
    value: string;
    count: number;
    amount: string;
    weighted: string;
  }[];
  const cards = (raw[1] ?? []) as { column: string | number; id: string }[];
  for (const c of counts) {
    const col = board.columns.find((x) => x.value === c.value);
    if (!col || col.count !== c.count || col.sums.amount !== Number(c.amount)) {
      throw new DealsBenchError(
        `board column ${c.value}: ${JSON.stringify(col && { count: col.count, sums: col.sums })} ≠ raw ${JSON.stringify(c)}`,
      );
    }
    if (Math.abs((col.sums.weighted ?? 0) - Number(c.weighted)) > 1) {
      throw new DealsBenchError(
        `board column ${c.value}: weighted ${col.sums.weighted} ≠ ${c.weighted}`,
      );
    }
  }
  const shown = board.columns.filter((c) => c.count > 0);
  if (shown.length !== counts.length) throw new DealsBenchError('board and raw columns differ');
  shown.forEach((c, k) => {
    const rawIds = cards.filter((x) => Number(x.column) === k + 1).map((x) => x.id);
    const ids = c.items.map((x) => x.id);
    if (ids.length !== Math.min(BOARD_LIMIT, c.count) || ids.join() !== rawIds.join()) {
      throw new DealsBenchError(`board column ${c.value}: cards differ from the raw first 20`);
    }
  });
}

function checkReport(body: Buffer, raw: unknown[][]): ReportBody {
  const report = JSON.parse(body.toString('utf8')) as ReportBody;
  const rows = (raw[0] ?? []) as { status: string; count: number; amount: string }[];
  const sum = (status: string, k: 'count' | 'amount') =>
    rows.filter((r) => r.status === status).reduce((a, r) => a + Number(r[k]), 0);
  const t = report.totals;
  if (
    t.wonCount !== sum('won', 'count') ||
    t.wonAmount !== sum('won', 'amount') ||
    t.lostCount !== sum('lost', 'count') ||
    t.openCount !== sum('open', 'count')
  ) {
    throw new DealsBenchError(
      `report totals ${JSON.stringify(t)} ≠ raw won ${sum('won', 'count')}/${sum('won', 'amount')}, lost ${sum('lost', 'count')}, open ${sum('open', 'count')}`,
    );
  }
  return report;
}

// ---------------------------------------------------------------- EXPLAIN as sen_app

/**
 * The statements the server sends for one request (captured from pg's Parse and Bind
 * messages), each run again under EXPLAIN ANALYZE as sen_app in the workspace, under RLS.
 */
async function explainRequest(
  url: string,
  f: DealsFixture,
  what: string,
  request: () => Promise<unknown>,
): Promise<void> {
  type Method = (...args: unknown[]) => unknown;
  const connection = pg.Connection.prototype as unknown as { parse: Method; bind: Method };
  const original = { parse: connection.parse, bind: connection.bind };
  const named = new Map<string, string>();
  const lastText = new WeakMap<object, string>();
  const captured: { text: string; values: unknown[] }[] = [];
  connection.parse = function (this: object, ...args: unknown[]) {
    const q = args[0] as { text: string; name?: string };
    lastText.set(this, q.text);
    if (q.name) named.set(q.name, q.text);
    return original.parse.apply(this, args);
  };
  connection.bind = function (this: object, ...args: unknown[]) {
    const b = args[0] as { statement?: string; values?: unknown[] };
    const text = b.statement ? named.get(b.statement) : lastText.get(this);
    if (text) captured.push({ text, values: b.values ?? [] });
    return original.bind.apply(this, args);
  };
  try {
    await request();
  } finally {
    connection.parse = original.parse;
    connection.bind = original.bind;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of captured) {
      if (
        !/^\s*(select|with)\b/i.test(s.text) ||
        /set_config|sen_auth|api_key|sessions/i.test(s.text)
      ) {
        continue;
      }
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE sen_app');
      await client.query(
        `SELECT set_config('sen.workspace_id', $1, true), set_config('sen.user_id', $2, true)`,
        [f.workspaceId, f.adminId],
      );
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${s.text}`,
        s.values,
      );
      await client.query('ROLLBACK');
      console.log(`\n--- ${what}: ${s.text.replace(/\s+/g, ' ').slice(0, 160)}…`);
      console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- one backend

interface BackendResult {
  backend: 'postgres' | 'pglite';
  reused: boolean;
  total: number;
  history: number;
  loadSeconds: number;
  board: { http: Timing; raw: Timing };
  report: { http: Timing; raw: Timing };
  reportFigures: ReportBody['totals'];
}

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

async function runBackend(
  backend: 'postgres' | 'pglite',
  log: (s: string) => void,
): Promise<BackendResult> {
  const total = backend === 'pglite' ? pgliteTotal : settings.total;
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
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-bench-deals-'));
      env.SEN_DATA_DIR = dataDir;
    }
    const config = loadConfig(env);
    server = await startServer(config, createLogger(config.logLevel));
    let fixture: DealsFixture;
    let loadSeconds = 0;
    let history = 0;
    if (reuse) {
      if (!fs.existsSync(FIXTURE_FILE)) {
        throw new DealsBenchError(`no ${FIXTURE_FILE}: run once with BENCH_DEALS_KEEP=1`);
      }
      fixture = JSON.parse(fs.readFileSync(FIXTURE_FILE, 'utf8')) as DealsFixture;
      log(`  ${backend}: reusing the kept ${BENCH_DB} database`);
      const db = new pg.Client({ connectionString: databaseUrl(BENCH_DB) });
      await db.connect();
      try {
        const counted = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM deal_stage_history',
        );
        history = counted.rows[0]?.n ?? 0;
      } finally {
        await db.end();
      }
    } else {
      fixture = await setUpDeals(server.url);
      log(
        `  ${backend}: loading ${settings.companies.toLocaleString('en-US')} companies, ` +
          `${total.toLocaleString('en-US')} deals (${Math.min(settings.open, total).toLocaleString('en-US')} open in pipeline A)`,
      );
      const target: BulkTarget =
        backend === 'postgres'
          ? await postgresTarget(databaseUrl(BENCH_DB))
          : pgliteTarget((server.ctx.db as PgliteDatabase).client);
      try {
        ({ seconds: loadSeconds, history } = await loadDeals(target, fixture, total, log));
      } finally {
        await target.close();
      }
      log(`    loaded in ${loadSeconds.toFixed(0)} s`);
      collectGarbage();
      if (settings.keep && backend === 'postgres') {
        fs.writeFileSync(FIXTURE_FILE, JSON.stringify(fixture));
      }
    }
    raw =
      backend === 'postgres'
        ? await pgRaw(databaseUrl(BENCH_DB))
        : pgliteRaw(server.ctx.db as PgliteDatabase);

    const tz = 'Asia/Ho_Chi_Minh';
    const boardPath = `/api/v1/deals/board?groupBy=stageId&scope=${fixture.pipelines[0].id}&limit=${BOARD_LIMIT}`;
    const reportPath = `/api/v1/reports/sales?period=quarter&date=${REPORT_DATE}`;
    const boardRaw = rawBoard(fixture);
    const reportRaw = rawReport(fixture, tz);
    const url = server.url;

    if (settings.explain && backend === 'postgres') {
      await explainRequest(databaseUrl(BENCH_DB), fixture, 'board', () =>
        httpGet(url, boardPath, fixture.dealsKey),
      );
      await explainRequest(databaseUrl(BENCH_DB), fixture, 'report', () =>
        httpGet(url, reportPath, fixture.dealsKey),
      );
    }

    // (a) the board, each request beside its raw statements; checked after the clock.
    const boardHttp: number[] = [];
    const boardRawTimes: number[] = [];
    for (let i = -5; i < settings.boardSamples; i++) {
      let body: Buffer = Buffer.alloc(0);
      let rawRows: unknown[][] = [];
      const h = await timeIt(async () => {
        body = await httpGet(url, boardPath, fixture.dealsKey);
      });
      const r = await timeIt(async () => {
        rawRows = await raw!.all(boardRaw);
      });
      if (i === -5 || i % 100 === 0) checkBoard(body, rawRows);
      if (i < 0) continue;
      boardHttp.push(h);
      boardRawTimes.push(r);
    }
    log(`    board  p50/p95 ${fmt(timing(boardHttp).p50, 1)}/${fmt(timing(boardHttp).p95, 1)} ms`);

    // (b) the report.
    const reportHttp: number[] = [];
    const reportRawTimes: number[] = [];
    let figures: ReportBody['totals'] | null = null;
    for (let i = -3; i < settings.reportSamples; i++) {
      let body: Buffer = Buffer.alloc(0);
      let rawRows: unknown[][] = [];
      const h = await timeIt(async () => {
        body = await httpGet(url, reportPath, fixture.dealsKey);
      });
      const r = await timeIt(async () => {
        rawRows = await raw!.all(reportRaw);
      });
      if (i === -3 || i % 50 === 0) figures = checkReport(body, rawRows).totals;
      if (i < 0) continue;
      reportHttp.push(h);
      reportRawTimes.push(r);
    }
    log(
      `    report p50/p95 ${fmt(timing(reportHttp).p50, 1)}/${fmt(timing(reportHttp).p95, 1)} ms`,
    );
    return {
      backend,
      reused: reuse,
      total,
      history,
      loadSeconds,
      board: { http: timing(boardHttp), raw: timing(boardRawTimes) },
      report: { http: timing(reportHttp), raw: timing(reportRawTimes) },
      reportFigures: figures as ReportBody['totals'],
    };
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

const BOARD_GOAL_MS = 150;
const BOARD_RAW_RATIO = 2;
const REPORT_GOAL_MS = 300;
const PGLITE_RATIO = 2.5;

const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');

/** Runs the suite, prints the table; true when every goal is met. */
export async function runDealsBench(): Promise<boolean> {
  const log = (s: string) => console.log(s);
  const cpus = os.cpus();
  console.log('Sen benchmark: deals — the kanban board and the sales report (issue #19)');
  console.log(
    `  machine     ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; load avg ${loadAverage()} (1, 5, 15 min) before`,
  );
  console.log(
    `  data        ${settings.total.toLocaleString('en-US')} deals over 3 years to 2026-06-30 ` +
      `(PGlite: ${pgliteTotal.toLocaleString('en-US')}), ${settings.open.toLocaleString('en-US')} open in pipeline A, ` +
      `${settings.companies.toLocaleString('en-US')} companies; serial requests with an API key; ` +
      `${settings.boardSamples} board and ${settings.reportSamples} report requests measured`,
  );
  const results: BackendResult[] = [];
  try {
    for (const b of settings.backends) {
      if (b !== 'postgres' && b !== 'pglite') throw new DealsBenchError(`unknown backend ${b}`);
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
    const size = `${r.total >= 1e6 ? `${r.total / 1e6}M` : `${r.total / 1000}k`} deals`;
    const row = (
      what: string,
      t: { http: Timing; raw: Timing },
      ratio: string,
      goal: string,
      ok: boolean,
    ) =>
      rows.push([
        `${what} (${r.backend}, ${size})`,
        fmt(t.http.p50, 1),
        fmt(t.http.p95, 1),
        fmt(t.raw.p50, 1),
        fmt(t.raw.p95, 1),
        ratio,
        goal,
        verdict(ok),
      ]);
    const boardRatio = r.board.http.p95 / r.board.raw.p95;
    if (r.backend === 'postgres') {
      row(
        'board, pipeline A',
        r.board,
        `${fmt(boardRatio, 2)}× raw`,
        `p95 ≤ ${BOARD_GOAL_MS} ms, ≤ ${BOARD_RAW_RATIO}× raw`,
        r.board.http.p95 <= BOARD_GOAL_MS && boardRatio <= BOARD_RAW_RATIO,
      );
      row(
        'sales report, quarter',
        r.report,
        `${fmt(r.report.http.p95 / r.report.raw.p95, 2)}× raw ¹`,
        `p95 ≤ ${REPORT_GOAL_MS} ms`,
        r.report.http.p95 <= REPORT_GOAL_MS,
      );
    } else {
      for (const [what, t, base] of [
        ['board, pipeline A', r.board, native?.board.http.p95],
        ['sales report, quarter', r.report, native?.report.http.p95],
      ] as const) {
        const ratio = t.http.p95 / (base ?? Number.NaN);
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
    '  raw = plain SQL of the same data straight on the database as the connecting user (no HTTP, auth or RLS):',
  );
  console.log(
    '    board: counts and sums GROUP BY stage + the first 20 open deals of each stage with the presented columns;',
  );
  console.log(
    '    ¹ report: the plain aggregate of the quarter by owner and status only (the report also has the funnel,',
  );
  console.log('      by period, targets, leads by source, snapshots), printed for scale.');
  console.log('  ratio = p95 / raw p95 on PostgreSQL, PGlite p95 / PostgreSQL p95 on PGlite.');
  for (const r of results) {
    const f = r.reportFigures;
    console.log(
      `  ${r.backend}: ${r.total.toLocaleString('en-US')} deals, ${r.history.toLocaleString('en-US')} stage-history rows, ` +
        `${r.reused ? 'loaded by an earlier run (BENCH_DEALS_REUSE)' : `loaded in ${r.loadSeconds.toFixed(0)} s`}; ` +
        `Q2 2026: ${f.wonCount.toLocaleString('en-US')} won ` +
        `(${(f.wonAmount / 1e9).toFixed(1)} tỷ đồng), ${f.lostCount.toLocaleString('en-US')} lost, ` +
        `${f.openCount.toLocaleString('en-US')} open expected`,
    );
  }
  if (results.some((r) => r.backend === 'pglite') && pgliteTotal !== settings.total) {
    console.log(
      `  PGlite holds ${pgliteTotal.toLocaleString('en-US')} deals, not ${settings.total.toLocaleString('en-US')}: its ratios compare unequal data.`,
    );
  }
  console.log(`  load avg after: ${loadAverage()}`);
  console.log('');
  console.log(`Deals goals: ${met ? 'met' : 'NOT met'}`);
  return met;
}
