import type { FastifyInstance } from 'fastify';
import type { Config } from './config/env.js';
import { JobRunner } from './core/jobs.js';
import { openDatabase, type Database } from './db/database.js';
import { buildApp } from './http/app.js';
import type { AppContext } from './core/context.js';
import type { Logger } from './lib/logger.js';
import { allJobs, modules, registerModules } from './modules/index.js';

export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  close(): Promise<void>;
}

/** Open the database, migrate, start the job queue and the HTTP server. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  registerModules();
  const started = Date.now();
  const db: Database = await openDatabase(config);
  let jobs: JobRunner | null = null;
  let app: FastifyInstance | null = null;
  try {
    await db.migrate();
    if (config.jobs) {
      jobs = new JobRunner({ db, logger, config }, allJobs());
      await jobs.start();
    }
    const ctx: AppContext = { config, db, logger, jobs };
    if (jobs) for (const m of modules) await m.onStart?.(ctx);
    app = await buildApp(ctx);
    const address = await app.listen({ host: config.host, port: config.port });
    const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
    logger.info(
      {
        url,
        database: db.kind,
        dataDir: db.kind === 'pglite' ? config.dataDir : undefined,
        ms: Date.now() - started,
      },
      `Sen is running at ${url}`,
    );
    const runningApp = app;
    let closing: Promise<void> | null = null;
    return {
      app: runningApp,
      ctx,
      url,
      close: () =>
        (closing ??= (async () => {
          // Stop taking requests and let in-flight ones finish, then let running jobs finish.
          await runningApp.close();
          await jobs?.stop();
          await db.close();
        })()),
    };
  } catch (err) {
    await app?.close().catch(() => {});
    await jobs?.stop().catch(() => {});
    await db.close().catch(() => {});
    throw err;
  }
}
