import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockDataDir } from '../src/db/lock.js';
import { packageRoot } from '../src/lib/paths.js';

/**
 * The `sen` command as users run it: the built CLI (bin/sen.js → dist) in a child process, on a
 * throwaway PGlite data directory.
 */

const bin = path.join(packageRoot, 'bin', 'sen.js');
const builtEntry = path.join(packageRoot, 'dist', 'server', 'cli', 'main.js');
const PASSWORD = 'correct horse battery staple';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a child: this data dir, PGlite (no DATABASE_URL), no stray password. */
function childEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SEN_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.SEN_PASSWORD;
  delete env.PORT;
  return { ...env, ...extra };
}

function sen(dataDir: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: packageRoot, env: childEnv(dataDir), timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('sen CLI', { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-cli-'));
    dirs.push(dir);
    return dir;
  };
  let dataDir: string;

  beforeAll(() => {
    if (!fs.existsSync(builtEntry)) {
      throw new Error(
        `The CLI is not built (${builtEntry} is missing). Run \`npm run build:server\` first.`,
      );
    }
    dataDir = tempDir();
  });
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints help listing every command', async () => {
    const r = await sen(dataDir, ['--help']);
    expect(r.code).toBe(0);
    for (const command of ['start', 'migrate', 'setup', 'user', 'workspace']) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  it('migrates a fresh data directory', async () => {
    const fresh = tempDir();
    const r = await sen(fresh, ['migrate']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Database is up to date (pglite)');
    expect(fs.existsSync(path.join(fresh, 'pglite'))).toBe(true);
    // The lock is released on exit.
    expect(fs.existsSync(path.join(fresh, 'sen.lock'))).toBe(false);
  });

  it('sets up the first workspace once, then refuses', async () => {
    const args = [
      'setup',
      '--workspace',
      'Công ty Sen',
      '--name',
      'Nguyễn Văn An',
      '--email',
      'an@example.vn',
      '--password',
      PASSWORD,
    ];
    const first = await sen(dataDir, args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Workspace \S+ created; admin an@example\.vn can sign in now/);

    const second = await sen(dataDir, args);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('ALREADY_SET_UP');
    expect(second.stderr).toContain('Sen is already set up.');
  });

  it('lists workspaces as JSON', async () => {
    const r = await sen(dataDir, ['workspace', 'list', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; name: string; members: number }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      name: 'Công ty Sen',
      members: 1,
      locale: 'vi',
      currency: 'VND',
    });
  });

  it('creates a user with a role', async () => {
    const r = await sen(dataDir, [
      'user',
      'create',
      '--email',
      'b@example.vn',
      '--name',
      'Trần Bình',
      '--password',
      PASSWORD,
      '--role',
      'sales',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('b@example.vn');
    expect(r.stdout).toContain('"Công ty Sen"');
    const list = await sen(dataDir, ['workspace', 'list', '--json']);
    expect((JSON.parse(list.stdout) as { members: number }[])[0]!.members).toBe(2);
  });

  it('imports a CSV file as the workspace admin: the counts, the reasons in Vietnamese', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'khach.csv');
    fs.writeFileSync(
      file,
      [
        'Họ và tên;SĐT;Email',
        'Nguyễn Thị Hồng Nhung;0912 345 678;nhung@example.vn',
        'Trần Văn Đức;0987.654.321;duc@example.vn',
        'Lê Văn Sai Số;12345;saiso@example.vn',
        'Nhung Trùng;0912345678;khac@example.vn',
      ].join('\r\n'),
    );
    const errors = path.join(dir, 'loi.csv');
    const r = await sen(dataDir, ['import', file, '--object', 'contacts', '--errors', errors]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SĐT → phones');
    expect(r.stdout).toMatch(/done: 2 created, 0 updated, 1 skipped, 1 failed \(4 rows\)/);
    const lines = fs
      .readFileSync(errors, 'utf8')
      .replace(/^\ufeff/, '')
      .split('\r\n');
    expect(lines[0]).toBe('Dòng,Họ và tên,SĐT,Email,Lý do');
    expect(lines[1]).toMatch(/^4,Lê Văn Sai Số,12345,saiso@example\.vn,SĐT: /);
    expect(lines[2]).toMatch(/^5,Nhung Trùng,.*Trùng với/);

    // An object that does not exist, a file that is not there: a message, exit 1, nothing written.
    const unknown = await sen(dataDir, ['import', file, '--object', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^Error \(NOT_FOUND\)/);
    const missing = await sen(dataDir, [
      'import',
      path.join(dir, 'none.csv'),
      '--object',
      'contacts',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error \(NOT_FOUND\)/);
  });

  it('rejects a bad email as a usage error (exit 2)', async () => {
    const r = await sen(dataDir, [
      'user',
      'create',
      '--email',
      'not-an-email',
      '--name',
      'Lê Cường',
      '--password',
      PASSWORD,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--email');
  });

  it('reports bad input before touching the data dir, even while a server holds it', async () => {
    const release = lockDataDir(dataDir);
    try {
      const r = await sen(dataDir, [
        'user',
        'create',
        '--email',
        'still-not-an-email',
        '--name',
        'Lê Cường',
        '--password',
        PASSWORD,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--email');
      expect(r.stderr).not.toMatch(/lock|in use/i);
    } finally {
      release();
    }
  });

  it('rejects a weak password with a message (exit 1)', async () => {
    const r = await sen(dataDir, [
      'user',
      'create',
      '--email',
      'c@example.vn',
      '--name',
      'Lê Cường',
      '--password',
      '12345678',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('VALIDATION_FAILED');
    expect(r.stderr).toMatch(/password: .*too common/);
    const list = await sen(dataDir, ['workspace', 'list', '--json']);
    expect((JSON.parse(list.stdout) as { members: number }[])[0]!.members).toBe(2);
  });

  it('fails on an unknown command', async () => {
    const r = await sen(dataDir, ['frobnicate']);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  it('refuses to open a data directory a running server holds', async () => {
    const port = await freePort();
    const server = spawn(process.execPath, [bin, 'start'], {
      cwd: packageRoot,
      env: childEnv(dataDir, { PORT: String(port), HOST: '127.0.0.1', SEN_JOBS: 'false' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (server.exitCode !== null) {
          throw new Error(`server exited with ${server.exitCode}: ${output}`);
        }
        const live = await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null);
        if (live?.status === 200) break;
        if (Date.now() > deadline) throw new Error(`server did not come up: ${output}`);
        await sleep(200);
      }

      const r = await sen(dataDir, ['workspace', 'list']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`The data directory ${dataDir} is in use by another Sen process`);
      expect(r.stderr).toContain(`pid ${server.pid}`);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited(server)).toBe(0);
    expect(output).not.toMatch(/"level":(50|60)/);

    // Once the server has stopped, the directory is free again.
    const after = await sen(dataDir, ['workspace', 'list', '--json']);
    expect(after.code).toBe(0);
    expect((JSON.parse(after.stdout) as { name: string }[])[0]!.name).toBe('Công ty Sen');
  });
});
