import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config/env.js';
import {
  PgliteDatabase,
  PostgresDatabase,
  openPglite,
  type Database,
} from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import type { AppContext } from '../../src/core/context.js';
import { createLogger, type Logger } from '../../src/lib/logger.js';
import { registerModules } from '../../src/modules/index.js';
import { inject } from 'vitest';
import { adminQuery, backend, databaseUrl, pgTemplate, pgliteTemplatePath } from './backends.js';

export interface TestDatabase {
  db: Database;
  /** For PostgreSQL: the URL of this file's database (other processes may connect to it). */
  url: string | null;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file, on the backend of the current project. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (backend() === 'pglite') {
    const data = fs.readFileSync(pgliteTemplatePath(inject('testRunId')));
    const client = await openPglite({ loadDataDir: new Blob([data]) });
    const db = new PgliteDatabase(client);
    return { db, url: null, drop: () => db.close() };
  }
  const name = `sen_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${pgTemplate(inject('testRunId'))}`);
  const url = databaseUrl(name);
  const db = PostgresDatabase.open(url, 5);
  return {
    db,
    url,
    drop: async () => {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEN_JOBS: 'false', ...overrides });
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real HTTP stack on a fresh database (requests via app.inject). */
export async function createTestApp(
  overrides: Record<string, string> = {},
  logger: Logger = createLogger('silent'),
): Promise<TestApp> {
  registerModules();
  const database = await createTestDatabase();
  const config = testConfig(overrides);
  const ctx: AppContext = { config, db: database.db, logger, jobs: null };
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    database,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
