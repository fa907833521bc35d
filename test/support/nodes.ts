import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'vitest';
import { packageRoot } from '../../src/lib/paths.js';

/** Real `sen start` processes for tests that need a server of its own (scale-out, crashes). */

export const bin = path.join(packageRoot, 'bin', 'sen.js');
export const builtEntry = path.join(packageRoot, 'dist', 'server', 'cli', 'main.js');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function freePorts(n: number): Promise<number[]> {
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
export class Node {
  readonly child: ChildProcess;
  output = '';
  readonly exit: Promise<number | null>;
  readonly backend: 'postgres' | 'pglite';

  /**
   * `target`: a PostgreSQL URL, or `{ dataDir }` for the embedded database (PGlite) in that
   * folder. `extra`: more environment (limits…).
   */
  constructor(
    readonly label: string,
    readonly port: number,
    target: string | { dataDir: string },
    extra: Record<string, string> = {},
  ) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEN_JOBS: 'true',
    };
    delete env.SEN_DATA_DIR;
    delete env.DATABASE_URL;
    if (typeof target === 'string') env.DATABASE_URL = target;
    else env.SEN_DATA_DIR = target.dataDir;
    Object.assign(env, extra);
    this.backend = typeof target === 'string' ? 'postgres' : 'pglite';
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
        expect(await res.json()).toEqual({ status: 'ok', database: this.backend });
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

export interface Session {
  cookie: string;
  csrf: string;
}

export interface Res {
  status: number;
  // Parsed JSON: its shape is what the assertions check.

  body: any;
  headers: Headers;
}

export async function call(
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
export function setSessionCookie(res: Res): string | undefined {
  return res.headers
    .getSetCookie()
    .map((c) => /^sen_session=([^;]*)/.exec(c)?.[1])
    .find((v) => v !== undefined);
}

export function sessionCookie(res: Res): string {
  const cookie = setSessionCookie(res);
  if (!cookie)
    throw new Error(`no sen_session cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
  return cookie;
}
