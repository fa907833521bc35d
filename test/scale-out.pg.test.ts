import fs from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../src/core/jobs.js';
import { PostgresDatabase } from '../src/db/database.js';
import { createLogger } from '../src/lib/logger.js';
import { expiredSessionCleanup } from '../src/modules/auth/auth.jobs.js';
import { hashToken, newToken } from '../src/modules/auth/tokens.js';
import { PASSWORD, uniqueEmail } from './support/client.js';
import {
  builtEntry,
  call,
  freePorts,
  Node,
  sessionCookie,
  setSessionCookie,
  sleep,
  type Session,
} from './support/nodes.js';
import { createTestDatabase, testConfig, type TestDatabase } from './support/harness.js';
import { SseReader } from './support/sse.js';

/**
 * Scale-out: two real server processes on one PostgreSQL database serve the same users. Nothing a
 * second node would need lives in process memory: sessions, sign-in throttling and jobs are all in
 * the database.
 */

describe('two app nodes on one PostgreSQL database', { timeout: 60_000 }, () => {
  let database: TestDatabase;
  let url: string;
  let a: Node;
  let b: Node;
  let session: Session;
  let userId: string;
  let workspaceId: string;
  /** A bell stream left open on node A through the shutdown: it must not hold the node up. */
  let live: SseReader | undefined;
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

  it('pushes the bell count on node A when a notification changes through node B', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      live = await SseReader.open(`${a.url}/api/v1/notifications/stream`, {
        cookie: `sen_session=${session.cookie}`,
      });
      expect(live.status).toBe(200);
      const unread = async (n: number) =>
        (JSON.parse((await live!.nth('unread', n)).data) as { unreadCount: number }).unreadCount;
      expect(await unread(1)).toBe(0);
      // Written by another connection (as a job on any node would): heard by node A.
      await client.query(
        `INSERT INTO notifications (workspace_id, user_id, kind) VALUES ($1, $2, 'record_assigned'), ($1, $2, 'record_assigned')`,
        [workspaceId, userId],
      );
      expect(await unread(2)).toBe(2);
      // Read through node B: node A's stream hears that too.
      const list = await call(b, 'GET', '/api/v1/notifications', { session });
      const read = await call(b, 'POST', `/api/v1/notifications/${list.body.items[0].id}/read`, {
        session,
      });
      expect(read.body.unreadCount).toBe(1);
      expect(await unread(3)).toBe(1);
    } finally {
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
    live?.close();
    expect(a.errors()).toEqual([]);
    expect(b.errors()).toEqual([]);
  });
});
