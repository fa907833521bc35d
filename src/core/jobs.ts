import PgBoss from 'pg-boss';
import type { z } from 'zod';
import type { Config } from '../config/env.js';
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/database.js';
import { queryRows } from '../db/sql.js';
import type { Logger } from '../lib/logger.js';

/**
 * The typed job pattern every module reuses: a name, a zod payload schema and a handler.
 * Jobs live in PostgreSQL (pg-boss), so any app node may send or run them.
 */
export interface JobContext {
  config: Config;
  db: Database;
  logger: Logger;
  jobId: string;
}

export interface JobDefinition<P = unknown> {
  name: string;
  payload: z.ZodType<P>;
  handler: (payload: P, ctx: JobContext) => Promise<void>;
  /**
   * Cron expression (UTC) to run it periodically, with an empty payload; or a function of the
   * configuration, whose null removes the schedule a previous start may have left in pg-boss.
   */
  schedule?: string | ((config: Config) => string | null);
  retryLimit?: number;
}

export function defineJob<P>(def: JobDefinition<P>): JobDefinition<P> {
  return def;
}

/**
 * A scheduled sweep over every workspace: `work` runs in each workspace's own tenant
 * transaction in turn (as the system, no user), oldest workspace first; one workspace's
 * failure stops the sweep (pg-boss retries the job).
 */
export async function inEveryWorkspace<T>(
  db: Database,
  work: (tx: Tx, workspaceId: string) => Promise<T>,
): Promise<{ workspaceId: string; result: T }[]> {
  const workspaces = await db.system((tx) =>
    queryRows<{ id: string }>(tx, sql`SELECT id FROM workspaces ORDER BY created_at`),
  );
  const results: { workspaceId: string; result: T }[] = [];
  for (const { id } of workspaces) {
    const result = await db.tenant({ workspaceId: id, userId: null }, (tx) => work(tx, id));
    results.push({ workspaceId: id, result });
  }
  return results;
}

/** Advisory lock key for setting up the job queue (migrations use 7474501). */
const JOBS_SETUP_LOCK = 7474502;

export class JobRunner {
  private readonly boss: PgBoss;
  private started = false;
  /** pg-boss's queries in flight: it records a finished job's completion without awaiting it. */
  private readonly pending = new Set<Promise<unknown>>();

  private readonly db: Database;
  private readonly logger: Logger;
  private readonly config: Config;

  constructor(
    deps: { db: Database; logger: Logger; config: Config },
    private readonly jobs: readonly JobDefinition<never>[],
    private readonly opts: { work: boolean; pollingIntervalSeconds?: number } = { work: true },
  ) {
    const { db } = deps;
    this.db = db;
    this.logger = deps.logger.child({ component: 'jobs' });
    this.config = deps.config;
    this.boss = new PgBoss({
      db: {
        executeSql: (text, values) => {
          const query = db.executeSql(text, values);
          this.pending.add(query);
          const settled = () => this.pending.delete(query);
          query.then(settled, settled);
          return query;
        },
      },
      schema: 'pgboss',
      // pg-boss runs its own maintenance and cron on whichever node wins its lock.
      supervise: opts.work,
      schedule: opts.work,
    });
    this.boss.on('error', (err) => this.logger.error({ err }, 'job queue error'));
  }

  async start(): Promise<void> {
    // pg-boss's install and createQueue race when several nodes start at once on a fresh database
    // (duplicate "pgboss" schema, deadlocks): one node at a time sets the queues up.
    await this.db.withLock(JOBS_SETUP_LOCK, async () => {
      await this.boss.start();
      this.started = true;
      for (const job of this.jobs) {
        await this.boss.createQueue(job.name, { name: job.name, retryLimit: job.retryLimit ?? 3 });
        const cron = typeof job.schedule === 'function' ? job.schedule(this.config) : job.schedule;
        if (cron) await this.boss.schedule(job.name, cron, {}, { tz: 'UTC' });
        else if (job.schedule) await this.boss.unschedule(job.name);
      }
    });
    if (!this.opts.work) return;
    for (const job of this.jobs) {
      await this.boss.work(
        job.name,
        { pollingIntervalSeconds: this.opts.pollingIntervalSeconds ?? 2 },
        async (batch) => {
          for (const item of batch) await this.run(job, item.id, item.data);
        },
      );
    }
  }

  private async run(job: JobDefinition<never>, jobId: string, data: unknown): Promise<void> {
    const logger = this.logger.child({ job: job.name, jobId });
    const parsed = job.payload.safeParse(data ?? {});
    if (!parsed.success) {
      logger.error({ issues: parsed.error.issues }, 'job payload invalid: dropped');
      return;
    }
    const started = Date.now();
    await job.handler(parsed.data, { config: this.config, db: this.db, logger, jobId });
    logger.info({ ms: Date.now() - started }, 'job done');
  }

  /** Queue a job. The payload is validated here, so a bad payload fails the sender, not the worker. */
  async send<P>(
    job: JobDefinition<P>,
    payload: P,
    options: PgBoss.SendOptions = {},
  ): Promise<string | null> {
    return this.boss.send(job.name, job.payload.parse(payload) as object, options);
  }

  /** Stop taking new jobs and wait (up to timeoutMs) for running ones to finish. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: false });
    // Let the completion of the last jobs land before the caller closes the database.
    await Promise.allSettled([...this.pending]);
  }
}
