/**
 * The kanban first-paint benchmark (issue #17, section 6), part of `npm run bench` (or alone:
 * `npm run bench -- kanban`).
 *
 * Measures the built app (dist/server + dist/web: run `npm run build` first) as a person uses it:
 * `sen setup` and `sen demo` (2,000 contacts, 300 companies, notes) on a fresh embedded database
 * in a temporary data dir, then `sen start` on a free port (the same flags as `npm start`), and
 * Debian's Chromium driven by playwright-core. The admin signs in through the sign-in page once;
 * every run then opens a new page with that session:
 *   - cold: a fresh browser context (empty HTTP cache) loads /contacts?view=kanban
 *   - warm: the contacts list (table) is loaded and shown, then the layout switch is clicked
 *           ("Kanban"); timed from the click
 * up to the first kanban card visible: a MutationObserver in the page notes the first card
 * (`section[data-column] [data-record-id]`, checkVisibility()) and the next animation frame (the
 * frame that paints it) gives the time. Cold times are from navigation start (the page's time
 * origin). One untimed cold load first warms the server.
 *
 * Printed: every run, the median per mode against the goal (first card ≤ 1,000 ms), and the
 * request waterfall of each mode's median run (Resource Timing: every script, style and API
 * request with its start and end relative to navigation start / the click), so the order in which
 * requests wait for each other is visible.
 *
 * Environment (all optional):
 *   BENCH_KANBAN_RUNS       timed runs per mode (default 3; the median is reported)
 *   BENCH_KANBAN_CONTACTS   demo contacts (default 2000, the `sen demo` default)
 *   BENCH_CHROMIUM          Chromium binary (default /usr/bin/chromium)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { fmt, formatTable } from './stats.js';

export const GOAL_MS = 1000;

const root = path.resolve(import.meta.dirname, '..');
const KANBAN_PATH = '/contacts?view=kanban';
const LIST_PATH = '/contacts';
const ADMIN = {
  workspace: 'Công ty TNHH Hoa Sen',
  name: 'Nguyễn Văn An',
  email: 'an@hoasen.vn',
  password: 'Hoa-sen-2024!an',
};
const VIEWPORT = { width: 1280, height: 860 };

class KanbanBenchError extends Error {}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new KanbanBenchError(`${name} must be an integer ≥ 1`);
  return n;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Files under a folder modified after `since` (ms), relative to the repository. */
function newerThan(dir: string, since: number): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && fs.statSync(p).mtimeMs > since) found.push(path.relative(root, p));
  }
  return found;
}

/** Runs `sen <args>` on the bench's data dir to its end. */
function sen(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/sen.js'), ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(out.trim())
        : reject(new KanbanBenchError(`sen ${args[0]} exited with ${code}:\n${out}`)),
    );
  });
}

// ---------------------------------------------------------------- in the page

/**
 * Installed before any page script: notes when the first kanban card is in the page and visible
 * (`__kanban.card`: the time of the animation frame after it appeared, i.e. the frame that paints
 * it) and the time of the last click (`__kanban.click`, capture phase: before React sees it).
 * Plain JavaScript: it runs in the browser.
 */
const PROBE = `
(() => {
  const k = { card: null, click: null, seen: false };
  window.__kanban = k;
  window.__kanbanReset = () => { k.card = null; k.click = null; k.seen = false; };
  const check = () => {
    if (k.seen) return;
    const el = document.querySelector('section[data-column] [data-record-id]');
    if (!el || (el.checkVisibility && !el.checkVisibility())) return;
    k.seen = true;
    requestAnimationFrame((t) => { k.card = t; });
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  document.addEventListener('click', () => { k.click = performance.now(); }, true);
})();
`;

interface Entry {
  name: string;
  type: string;
  start: number;
  end: number;
}

interface Run {
  /** ms from the origin (navigation start, or the click) to the first card painted. */
  firstCard: number;
  /** Requests relative to the same origin. */
  entries: Entry[];
}

/** What PROBE keeps on `window`. */
interface Probe {
  card: number | null;
  click: number | null;
}
type ProbeWindow = { __kanban?: Probe; __kanbanReset?: () => void };

async function readRun(page: Page, from: 'navigation' | 'click'): Promise<Run> {
  // Functions, not strings: the app's CSP (script-src 'self') forbids evaluating strings.
  await page.waitForFunction(
    () => (globalThis as unknown as ProbeWindow).__kanban?.card != null,
    undefined,
    { timeout: 60_000 },
  );
  // Resource Timing of the page and its navigation, read in the page.
  // No named functions inside: tsx would wrap them in a helper (__name) the page does not have.
  const raw = await page.evaluate(() => {
    // The browser's Performance API (this file is typed for Node, which lacks its entry types).
    type Timed = { name: string; startTime: number; initiatorType?: string; responseEnd: number };
    const perf = performance as unknown as { getEntriesByType(type: string): Timed[] };
    // Entries are read field by field: their values are getters, which a spread would not copy.
    const entries = [
      ...perf.getEntriesByType('navigation').map((e) => [e, 'document'] as const),
      ...perf.getEntriesByType('resource').map((e) => [e, e.initiatorType ?? ''] as const),
    ].map(([e, type]) => ({ name: e.name, type, start: e.startTime, end: e.responseEnd }));
    const probe = (globalThis as unknown as ProbeWindow).__kanban;
    return { entries, card: probe?.card ?? null, click: probe?.click ?? null };
  });
  const origin = from === 'navigation' ? 0 : raw.click;
  if (origin === null) throw new KanbanBenchError('the click on the layout switch was not seen');
  if (raw.card === null) throw new KanbanBenchError('no kanban card was seen');
  return {
    firstCard: raw.card - origin,
    entries: raw.entries
      .filter((e) => e.start >= origin - 1)
      .map((e) => ({ ...e, start: e.start - origin, end: e.end - origin }))
      .sort((a, b) => a.start - b.start),
  };
}

/**
 * Cold: a page load of the kanban's address in a new browser context (the session cookie only):
 * with an empty HTTP cache (a first visit), or after one untimed load of the same address (the
 * app's files cached, as for a person who used Sen before: they are immutable, hashed names).
 */
async function coldRun(
  browser: Browser,
  baseUrl: string,
  state: string,
  cache: 'empty' | 'primed',
): Promise<Run> {
  const context = await newContext(browser, baseUrl, state);
  try {
    const page = await context.newPage();
    if (cache === 'primed') {
      await page.goto(KANBAN_PATH);
      await readRun(page, 'navigation');
      await page.goto('about:blank');
    }
    await page.goto(KANBAN_PATH, { waitUntil: 'commit' });
    return await readRun(page, 'navigation');
  } finally {
    await context.close();
  }
}

/** Warm: the contacts list is on screen; the person switches it to the kanban. */
async function warmRun(browser: Browser, baseUrl: string, state: string): Promise<Run> {
  const context = await newContext(browser, baseUrl, state);
  try {
    const page = await context.newPage();
    await page.goto(LIST_PATH);
    await page.locator('table tbody tr').first().waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => (globalThis as unknown as ProbeWindow).__kanbanReset?.());
    await page.getByText('Kanban', { exact: true }).click();
    return await readRun(page, 'click');
  } finally {
    await context.close();
  }
}

async function newContext(
  browser: Browser,
  baseUrl: string,
  storageState?: string,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: 'vi-VN',
    viewport: VIEWPORT,
    baseURL: baseUrl,
    ...(storageState ? { storageState } : {}),
  });
  await context.addInitScript({ content: PROBE });
  return context;
}

// ---------------------------------------------------------------- report

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** The run whose time is the median (the lower middle one for an even count). */
const medianRun = (runs: Run[]): Run =>
  [...runs].sort((a, b) => a.firstCard - b.firstCard)[Math.floor((runs.length - 1) / 2)]!;

function shortName(url: string, baseUrl: string): string {
  let name = url.startsWith(baseUrl) ? url.slice(baseUrl.length) || '/' : url;
  name = decodeURIComponent(name).replace(/^\/api\/v1/, 'api ');
  return name.length > 64 ? `${name.slice(0, 61)}…` : name;
}

/** The waterfall as a table with a bar per request (one character per `scale` ms). */
function waterfall(run: Run, baseUrl: string): string {
  const span = Math.max(run.firstCard, ...run.entries.map((e) => e.end));
  const width = 48;
  const scale = Math.max(5, Math.ceil(span / width / 5) * 5);
  const bar = (start: number, end: number) => {
    const a = Math.max(0, Math.floor(start / scale));
    const b = Math.max(a + 1, Math.ceil(end / scale));
    return ' '.repeat(a) + '█'.repeat(b - a);
  };
  const rows = run.entries.map((e) => [
    fmt(e.start, 0),
    fmt(e.end, 0),
    fmt(e.end - e.start, 0),
    e.type === 'fetch' || e.type === 'xmlhttprequest' ? 'api' : e.type,
    shortName(e.name, baseUrl),
    bar(e.start, e.end),
  ]);
  rows.push([
    '',
    fmt(run.firstCard, 0),
    '',
    'paint',
    'first kanban card visible',
    `${' '.repeat(Math.floor(run.firstCard / scale))}▲`,
  ]);
  return (
    formatTable(['start ms', 'end ms', 'ms', 'type', 'request', `1 char = ${scale} ms`], rows) +
    '\n'
  );
}

// ---------------------------------------------------------------- main

/** Starts the app on demo data, measures, prints the table; true when the goal is met. */
export async function runKanbanBench(): Promise<boolean> {
  const runs = intEnv('BENCH_KANBAN_RUNS', 3);
  const contacts = intEnv('BENCH_KANBAN_CONTACTS', 2000);
  const chromiumPath = process.env.BENCH_CHROMIUM || '/usr/bin/chromium';
  for (const file of ['dist/server/cli/main.js', 'dist/web/index.html']) {
    if (!fs.existsSync(path.join(root, file))) {
      throw new KanbanBenchError(`${file} is missing: run \`npm run build\` first.`);
    }
  }
  if (!fs.existsSync(chromiumPath)) {
    throw new KanbanBenchError(`Chromium not found at ${chromiumPath} (BENCH_CHROMIUM).`);
  }
  const builtAt = fs.statSync(path.join(root, 'dist/web/index.html')).mtimeMs;
  const stale = newerThan(path.join(root, 'web/src'), builtAt);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-bench-kanban-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Its own embedded database: a DATABASE_URL in the environment must never reach it.
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  Object.assign(env, {
    SEN_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    SEN_PASSWORD: ADMIN.password,
  });

  let server: ChildProcess | null = null;
  let serverLog = '';
  let browser: Browser | null = null;
  try {
    const seedStarted = performance.now();
    await sen(
      ['setup', '--workspace', ADMIN.workspace, '--name', ADMIN.name, '--email', ADMIN.email],
      env,
    );
    const demo = await sen(['demo', '--contacts', String(contacts)], env);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    server = spawn(
      process.execPath,
      [
        '--max-semi-space-size=64',
        '--max-old-space-size=256',
        path.join(root, 'bin/sen.js'),
        'start',
      ],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (d: Buffer) => (serverLog = (serverLog + d.toString()).slice(-20_000));
    server.stdout?.on('data', keep);
    server.stderr?.on('data', keep);
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (server.exitCode !== null) {
        throw new KanbanBenchError(`sen start exited (${server.exitCode}):\n${serverLog}`);
      }
      if (Date.now() > deadline) throw new KanbanBenchError(`sen start timed out:\n${serverLog}`);
      const ok = await fetch(`${baseUrl}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }

    const launched = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    browser = launched;

    // Sign in once through the sign-in page; every run reuses the session.
    const signInContext = await newContext(launched, baseUrl);
    const signIn = await signInContext.newPage();
    await signIn.goto('/sign-in');
    await signIn.getByRole('textbox', { name: 'Email', exact: true }).fill(ADMIN.email);
    await signIn.getByRole('textbox', { name: 'Mật khẩu', exact: true }).fill(ADMIN.password);
    await signIn.getByRole('button', { name: 'Đăng nhập' }).click();
    await signIn.waitForURL((url) => url.pathname === '/');
    const state = path.join(dataDir, 'browser-state.json');
    await signInContext.storageState({ path: state });
    await signInContext.close();

    const cpus = os.cpus();
    console.log('Sen benchmark: contacts kanban, first card on screen (issue #17, section 6)');
    console.log(
      `  machine     ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ` +
        `load avg ${os
          .loadavg()
          .map((n) => n.toFixed(2))
          .join(', ')} before the runs`,
    );
    console.log(
      `  browser     ${chromiumPath} ${launched.version()}, ${VIEWPORT.width}×${VIEWPORT.height}`,
    );
    console.log(
      `  app         built ${new Date(builtAt).toISOString()} (dist/), embedded database`,
    );
    console.log(`  data        ${demo.split('\n').pop() ?? ''} (${fmt(seedSeconds, 1)} s)`);
    if (stale.length > 0) {
      console.log(
        `  WARNING     newer than the build: ${stale.slice(0, 3).join(', ')}` +
          `${stale.length > 3 ? ` and ${stale.length - 3} more` : ''} (npm run build if they changed)`,
      );
    }
    console.log('');

    const modes = [
      {
        label: 'cold, empty cache: load /contacts?view=kanban',
        from: 'navigation start',
        run: () => coldRun(launched, baseUrl, state, 'empty'),
        runs: [] as Run[],
      },
      {
        label: 'cold, app files cached: load it again',
        from: 'navigation start',
        run: () => coldRun(launched, baseUrl, state, 'primed'),
        runs: [] as Run[],
      },
      {
        label: 'warm: list → Kanban switch',
        from: 'the click',
        run: () => warmRun(launched, baseUrl, state),
        runs: [] as Run[],
      },
    ];
    await modes[0]!.run(); // untimed: the server's first requests
    for (let i = 1; i <= runs; i++) {
      const times: string[] = [];
      for (const m of modes) {
        const r = await m.run();
        m.runs.push(r);
        times.push(`${fmt(r.firstCard, 0).padStart(5)} ms`);
      }
      console.log(
        `  run ${i}  ${times.join('  ')}  (${modes.map((_, j) => j + 1).join(', ')} below)`,
      );
    }
    console.log('');

    for (const [i, m] of modes.entries()) {
      const r = medianRun(m.runs);
      console.log(`Waterfall ${i + 1}, ${m.label} (median run; times from ${m.from}):`);
      console.log(waterfall(r, baseUrl));
    }

    let met = true;
    const rows = modes.map((m, i) => {
      const times = m.runs.map((r) => r.firstCard);
      const med = median(times);
      const ok = med <= GOAL_MS;
      met &&= ok;
      const apis = medianRun(m.runs).entries.filter((e) => e.type === 'fetch').length;
      return [
        `${i + 1}. ${m.label}`,
        fmt(med, 0),
        fmt(Math.min(...times), 0),
        fmt(Math.max(...times), 0),
        String(apis),
        ok ? 'met' : 'NOT met',
      ];
    });
    console.log(
      formatTable(
        ['first kanban card', 'median ms', 'min ms', 'max ms', 'API requests', 'goal'],
        rows,
      ),
    );
    console.log(`  ${runs} timed run(s) per mode after one untimed cold load.`);
    console.log('');
    console.log(`Goal (first kanban card ≤ ${GOAL_MS} ms, median): ${met ? 'met' : 'NOT met'}`);
    return met;
  } finally {
    await browser?.close().catch(() => {});
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
