import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JobRunner, defineJob, type JobDefinition } from '../src/core/jobs.js';
import { queryRows } from '../src/db/sql.js';
import { createLogger } from '../src/lib/logger.js';
import { expiredSessionCleanup } from '../src/modules/auth/auth.jobs.js';
import { hashToken, newToken } from '../src/modules/auth/tokens.js';
import { buildWorkspace } from '../src/modules/demo/factories.js';
import { createTestApp, type TestApp } from './support/harness.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Poll until check() is true, or fail with `what` after timeoutMs. */
async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** Background jobs (pg-boss) on the current backend: a real worker runs real jobs. */
describe('background jobs', () => {
  let t: TestApp;
  let userId: string;
  let workspaceId: string;
  let runner: JobRunner | null = null;

  const runnerFor = (jobs: JobDefinition<never>[]) =>
    new JobRunner({ db: t.ctx.db, logger: createLogger('silent'), config: t.ctx.config }, jobs, {
      work: true,
      pollingIntervalSeconds: 0.5,
    });

  async function insertSession(expiresAt: Date): Promise<string> {
    const rows = await t.ctx.db.system((tx) =>
      queryRows<{ id: string }>(
        tx,
        sql`INSERT INTO sessions (token_hash, csrf_token, user_id, workspace_id, expires_at)
            VALUES (${hashToken(newToken())}, ${newToken(24)}, ${userId}, ${workspaceId}, ${expiresAt.toISOString()})
            RETURNING id`,
      ),
    );
    return rows[0]!.id;
  }

  const sessionIds = () =>
    t.ctx.db
      .system((tx) => queryRows<{ id: string }>(tx, sql`SELECT id FROM sessions`))
      .then((rows) => rows.map((r) => r.id));

  beforeAll(async () => {
    t = await createTestApp();
    const workspace = await buildWorkspace(t.ctx.db);
    userId = workspace.admin.id;
    workspaceId = workspace.id;
  });
  afterEach(async () => {
    await runner?.stop();
    runner = null;
  });
  afterAll(() => t?.close());

  it('deletes expired sessions and keeps live ones', async () => {
    const expired = await insertSession(new Date(Date.now() - 60_000));
    const fresh = await insertSession(new Date(Date.now() + 24 * 3_600_000));
    expect(await sessionIds()).toEqual(expect.arrayContaining([expired, fresh]));

    runner = runnerFor([expiredSessionCleanup] as unknown as JobDefinition<never>[]);
    await runner.start();
    const jobId = await runner.send(expiredSessionCleanup, {});
    expect(jobId).toEqual(expect.any(String));

    await waitFor(
      'the expired session to be deleted',
      async () => !(await sessionIds()).includes(expired),
    );
    expect(await sessionIds()).toEqual([fresh]);
  });

  it('refuses to send a job with an invalid payload', async () => {
    runner = runnerFor([expiredSessionCleanup] as unknown as JobDefinition<never>[]);
    await runner.start();
    await expect(runner.send(expiredSessionCleanup, { idleMs: -5 })).rejects.toThrow();
  });

  it('lets a running job finish before stop() resolves', async () => {
    const events: string[] = [];
    // The handler runs until the test releases it: no sleeps, no clocks.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const heldJob = defineJob({
      name: 'test.held-job',
      payload: z.object({ label: z.string() }),
      retryLimit: 0,
      handler: async (payload) => {
        events.push(`started:${payload.label}`);
        await released;
        events.push(`finished:${payload.label}`);
      },
    });
    const r = runnerFor([heldJob] as unknown as JobDefinition<never>[]);
    runner = r;
    await r.start();
    await r.send(heldJob, { label: 'a' });
    await waitFor('the job to start', () => events.includes('started:a'));

    const stopping = r.stop().then(() => events.push('stopped'));
    // While the job is held, stop() keeps waiting: it does not abandon the running handler. (With
    // a stop() that did not wait, 'stopped' would land here; a slow machine cannot make it so.)
    const first = await Promise.race([
      stopping.then(() => 'stopped'),
      sleep(500).then(() => 'held'),
    ]);
    expect(first).toBe('held');
    expect(events).toEqual(['started:a']);
    events.push('released');
    release();
    await stopping;
    expect(events).toEqual(['started:a', 'released', 'finished:a', 'stopped']);

    // The job ends up completed, not failed ("pg-boss shut down while active") nor queued for a
    // retry. pg-boss 10 records the completion without awaiting it, so it may land just after
    // stop() resolves: poll briefly.
    const jobState = async () =>
      (
        (await t.ctx.db.executeSql(`SELECT state FROM pgboss.job WHERE name = 'test.held-job'`))
          .rows as { state: string }[]
      ).map((r) => r.state);
    await waitFor(
      'the job to be recorded as completed',
      async () => {
        const states = await jobState();
        return states.length === 1 && states[0] !== 'active';
      },
      5_000,
    );
    expect(await jobState()).toEqual(['completed']);
  });
});
