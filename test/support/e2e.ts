/**
 * A browser journey against the real, built server: each e2e file calls browserJourney() once
 * at the top. It starts `sen start` on a fresh data dir (its own embedded database, whatever
 * DATABASE_URL says) and a free port, launches Debian's Chromium, and stops both afterwards.
 *
 * Needs `npm run build` (dist/server and dist/web) and Chromium at /usr/bin/chromium (or
 * SEN_E2E_CHROMIUM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** The people of every journey: the admin who sets up the workspace, and a colleague. */
export const admin = {
  workspace: 'Công ty TNHH Hoa Sen',
  name: 'Nguyễn Văn An',
  email: 'an@hoasen.vn',
  password: 'Hoa-sen-2024!an',
};
export const colleague = {
  name: 'Trần Thị Bình',
  email: 'binh@hoasen.vn',
  password: 'Hoa-sen-2024!binh',
};

const root = path.resolve(import.meta.dirname, '../..');
const chromiumPath = process.env.SEN_E2E_CHROMIUM ?? '/usr/bin/chromium';

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

export interface BrowserJourney {
  /** The server's URL (set once beforeAll has run). */
  readonly baseUrl: string;
  /** Uncaught errors of every page opened through newContext(). */
  readonly pageErrors: string[];
  /** A Vietnamese browser context (the UI must start in Vietnamese) on the server. */
  newContext(viewport?: { width: number; height: number }): Promise<BrowserContext>;
  /** A numbered full-page screenshot in test-output/e2e/<shots>/. */
  shot(page: Page, name: string): Promise<void>;
  /** Fills a text field found by its accessible name (label). */
  fill(page: Page, name: string, value: string): Promise<void>;
  /**
   * First-time setup by `admin` through the API in this context (its cookie jar is then signed
   * in): the session's answer (csrfToken, user, workspace).
   */
  setUpWorkspace(context: BrowserContext): Promise<SetupSession>;
}

export type SetupSession = { csrfToken: string; user: { id: string }; [key: string]: any };

export function browserJourney(opts: { shots: string }): BrowserJourney {
  const shotsDir = path.join(root, 'test-output', 'e2e', opts.shots);
  let dataDir = '';
  let server: ChildProcess | null = null;
  let serverLog = '';
  let browser: Browser | null = null;
  let step = 0;

  const journey = {
    baseUrl: '',
    pageErrors: [] as string[],
    async newContext(viewport = { width: 1280, height: 860 }): Promise<BrowserContext> {
      if (!browser) throw new Error('no browser');
      const context = await browser.newContext({
        locale: 'vi-VN',
        viewport,
        baseURL: journey.baseUrl,
      });
      context.on('page', (page) =>
        page.on('pageerror', (err) => journey.pageErrors.push(`${page.url()}: ${err.message}`)),
      );
      return context;
    },
    async shot(page: Page, name: string): Promise<void> {
      step += 1;
      const file = path.join(shotsDir, `${String(step).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    },
    async fill(page: Page, name: string, value: string): Promise<void> {
      await page.getByRole('textbox', { name, exact: true }).fill(value);
    },
    async setUpWorkspace(context: BrowserContext): Promise<SetupSession> {
      const setup = await context.request.post('/api/v1/setup', {
        data: {
          workspaceName: admin.workspace,
          name: admin.name,
          email: admin.email,
          password: admin.password,
          locale: 'vi',
        },
      });
      if (setup.status() !== 201) {
        throw new Error(`setup: ${setup.status()} ${await setup.text()}`);
      }
      return (await setup.json()) as SetupSession;
    },
  };

  async function waitForServer(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (server?.exitCode !== null) {
        throw new Error(`The server exited early (code ${server?.exitCode}):\n${serverLog}`);
      }
      try {
        const res = await fetch(`${url}/api/v1/setup`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`The server did not answer within ${timeoutMs} ms:\n${serverLog}`);
  }

  beforeAll(async () => {
    for (const file of ['dist/server/cli/main.js', 'dist/web/index.html']) {
      if (!fs.existsSync(path.join(root, file))) {
        throw new Error(`${file} is missing: run \`npm run build\` before the e2e tests.`);
      }
    }
    if (!fs.existsSync(chromiumPath)) {
      throw new Error(`Chromium not found at ${chromiumPath} (apt-get install -y chromium).`);
    }
    fs.rmSync(shotsDir, { recursive: true, force: true });
    fs.mkdirSync(shotsDir, { recursive: true });

    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-e2e-'));
    const port = await freePort();
    journey.baseUrl = `http://127.0.0.1:${port}`;
    // The server runs on its own embedded database in dataDir: a DATABASE_URL in the developer's
    // environment (their own PostgreSQL) must never reach it.
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DATABASE_URL;
    server = spawn(process.execPath, [path.join(root, 'bin/sen.js'), 'start'], {
      cwd: root,
      env: {
        ...env,
        SEN_DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (d: Buffer) => (serverLog += d.toString()));
    server.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
    await waitForServer(journey.baseUrl, 90_000);

    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  return journey;
}
