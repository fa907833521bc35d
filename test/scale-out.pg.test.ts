import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../src/core/jobs.js';
import { PostgresDatabase } from '../src/db/database.js';
import { packageRoot } from '../src/lib/paths.js';
import { createLogger } from '../src/lib/logger.js';
import { expiredSessionCleanup } from '../src/modules/auth/auth.jobs.js';
import { hashToken, newToken } from '../src/modules/auth/tokens.js';
import { PASSWORD, uniqueEmail } from './support/client.js';
import { createTestDatabase, testConfig, type TestDatabase } from './support/harness.js';

/**
 * Scale-out: two real server processes on one PostgreSQL database serve the same users. Nothing a
 * second node would need lives in process memory: sessions, sign-in throttling and jobs are all in
 * the database.
 */

const bin = path.join(packageRoot, 'bin', 'sen.js');
const builtEntry = path.join(packageRoot, 'dist', 'server', 'cli', 'main.js');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => net.createServer());
  return Promise.all(
    servers.map(
      (s) =>
        new Promise<number>((resolve, reject) => {
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port));
        }),
    ),
  ).finally(() => servers.forEach((s) => s.close()));
}

/** One `sen start` process. */
class Node {
  readonly child: ChildProcess;
  output = '';
  readonly exit: Promise<number | null>;

  constructor(
    readonly label: string,
    readonly port: number,
    databaseUrl: string,
  ) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEN_JOBS: 'true',
    };
    delete env.SEN_DATA_DIR;
    this.child = spawn(process.execPath, [bin, 'start'], {
      cwd: packageRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exit = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async waitReady(timeoutMs = 45_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) {
        throw new Error(`node ${this.label} exited (${this.child.exitCode}):\n${this.output}`);
      }
      const res = await fetch(`${this.url}/health/ready`).catch(() => null);
      if (res?.status === 200) {
        expect(await res.json()).toEqual({ status: 'ok', database: 'postgres' });
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`node ${this.label} not ready after ${timeoutMs} ms:\n${this.output}`);
      }
      await sleep(200);
    }
  }

  /** Lines the server logged at error or fatal level (pino JSON). */
  errors(): string[] {
    return this.output.split('\n').filter((l) => /"level":(50|60)/.test(l));
  }
}

interface Session {
  cookie: string;
  csrf: string;
}

interface Res {
  status: number;
  // Parsed JSON: its shape is what the assertions check.

  body: any;
  headers: Headers;
}

async function call(
  node: Node,
  method: string,
  url: string,
  opts: { body?: unknown; session?: Session | null } = {},
): Promise<Res> {
  const headers: Record<string, string> = { 'accept-language': 'en' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.session) {
    headers.cookie = `sen_session=${opts.session.cookie}`;
    if (method !== 'GET') headers['x-csrf-token'] = opts.session.csrf;
  }
  const res = await fetch(`${node.url}${url}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  const body: unknown = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  return { status: res.status, body, headers: res.headers };
}

/** The sen_session value the response sets, if any ('' when it clears the cookie). */
function setSessionCookie(res: Res): string | undefined {
  return res.headers
    .getSetCookie()
    .map((c) => /^sen_session=([^;]*)/.exec(c)?.[1])
    .find((v) => v !== undefined);
}

function sessionCookie(res: Res): string {
  const cookie = setSessionCookie(res);
  if (!cookie)
    throw new Error(`no sen_session cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
  return cookie;
}

describe('two app nodes on one PostgreSQL database', { timeout: 60_000 }, () => {
  let database: TestDatabase;
  let url: string;
  let a: Node;
  let b: Node;
  let session: Session;
  let userId: string;
  let workspaceId: string;
  const email = uniqueEmail('scale');

  beforeAll(async () => {
    if (!fs.existsSync(builtEntry)) {
      throw new Error(
        `The server is not built (${builtEntry} is missing). Run \`npm run build:server\` first.`,
      );
    }
    database = await createTestDatabase();
    if (!database.url) throw new Error('scale-out tests need the postgres backend');
    url = database.url;
    const [portA, portB] = await freePorts(2);
    a = new Node('A', portA!, url);
    b = new Node('B', portB!, url);
    await Promise.all([a.waitReady(), b.waitReady()]);
  }, 90_000);

  afterAll(async () => {
    for (const node of [a, b]) {
      if (node?.running) {
        node.child.kill('SIGKILL');
        await node.exit;
      }
    }
    await database?.drop();
  });

  it('sets up on node A; the session works on node B', async () => {
    const setup = await call(a, 'POST', '/api/v1/setup', {
      body: {
        workspaceName: 'Công ty Sen',
        name: 'Nguyễn Văn An',
        email,
        password: PASSWORD,
        locale: 'vi',
      },
    });
    expect(setup.status).toBe(201);
    session = { cookie: sessionCookie(setup), csrf: setup.body.csrfToken };
    expect(session.csrf).toEqual(expect.any(String));
    userId = setup.body.user.id;
    workspaceId = setup.body.workspace.id;

    const onB = await call(b, 'GET', '/api/v1/auth/session', { session });
    expect(onB.status).toBe(200);
    expect(onB.body.user).toMatchObject({ id: userId, email });
    expect(onB.body.csrfToken).toBe(session.csrf);

    // A write on B with the CSRF token issued by A, read back on A.
    const team = await call(b, 'POST', '/api/v1/teams', { body: { name: 'Kinh doanh' }, session });
    expect(team.status).toBe(201);
    const teams = await call(a, 'GET', '/api/v1/teams', { session });
    expect(teams.status).toBe(200);
    expect(teams.body.items).toEqual([
      expect.objectContaining({ id: team.body.id, name: 'Kinh doanh' }),
    ]);
  });

  it('counts failed sign-ins across both nodes and locks the account on both', async () => {
    for (let i = 0; i < 5; i++) {
      const node = i % 2 === 0 ? a : b;
      const res = await call(node, 'POST', '/api/v1/auth/sign-in', {
        body: { email, password: `wrong password ${i}` },
      });
      expect(res.status, `failure ${i + 1} on node ${node.label}`).toBe(401);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    // Neither node saw 5 failures by itself (A: 3, B: 2), yet the account is locked on both.
    for (const node of [b, a]) {
      const res = await call(node, 'POST', '/api/v1/auth/sign-in', {
        body: { email, password: PASSWORD },
      });
      expect(res.status, `correct password on node ${node.label}`).toBe(429);
      expect(res.body.error.code).toBe('ACCOUNT_LOCKED');
      expect(setSessionCookie(res) ?? '').toBe('');
    }
    // The existing session is unaffected.
    expect((await call(a, 'GET', '/api/v1/auth/session', { session })).status).toBe(200);
  });

  it('runs a job sent from another process on one of the nodes', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const runnerDb = PostgresDatabase.open(url, 2);
    const runner = new JobRunner(
      { db: runnerDb, logger: createLogger('silent'), config: testConfig({ DATABASE_URL: url }) },
      [expiredSessionCleanup] as never[],
      { work: false },
    );
    try {
      const insert = async (expiresAt: Date) =>
        (
          await client.query<{ id: string }>(
            `INSERT INTO sessions (token_hash, csrf_token, user_id, workspace_id, expires_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id`,
            [hashToken(newToken()), newToken(24), userId, workspaceId, expiresAt],
          )
        ).rows[0]!.id;
      const expired = await insert(new Date(Date.now() - 60_000));
      const fresh = await insert(new Date(Date.now() + 3_600_000));
      const exists = async (id: string) =>
        (await client.query('SELECT 1 FROM sessions WHERE id = $1', [id])).rowCount === 1;
      expect(await exists(expired)).toBe(true);

      await runner.start();
      const jobId = await runner.send(expiredSessionCleanup, {});
      expect(jobId).toEqual(expect.any(String));

      const deadline = Date.now() + 20_000;
      while (await exists(expired)) {
        if (Date.now() > deadline) {
          throw new Error(`no node ran the job within 20 s:\nA: ${a.output}\nB: ${b.output}`);
        }
        await sleep(200);
      }
      expect(await exists(fresh)).toBe(true);

      // The job this test sent (not only the hourly cron) ran to completion on a node.
      const completed = Date.now() + 5_000;
      let state: string | undefined;
      while (Date.now() < completed) {
        state = (
          await client.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [
            jobId,
          ])
        ).rows[0]?.state;
        if (state === 'completed') break;
        await sleep(200);
      }
      expect(state).toBe('completed');
    } finally {
      await runner.stop();
      await runnerDb.close();
      await client.end();
    }
  });

  it('signs out on node B and the session is rejected on node A', async () => {
    const out = await call(b, 'POST', '/api/v1/auth/sign-out', { session });
    expect(out.status).toBe(204);
    for (const node of [a, b]) {
      const res = await call(node, 'GET', '/api/v1/auth/session', { session });
      expect(res.status, `session on node ${node.label}`).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('both nodes shut down gracefully on SIGTERM', async () => {
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    const codes = await Promise.all([a.exit, b.exit]);
    expect(codes, `A:\n${a.output}\nB:\n${b.output}`).toEqual([0, 0]);
    expect(a.errors()).toEqual([]);
    expect(b.errors()).toEqual([]);
  });
});
