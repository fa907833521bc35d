import type { Config } from '../config/env.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import type { JobRunner } from './jobs.js';

/**
 * What every route and service can reach (configuration, database, logger, job runner). No
 * module keeps state of its own in memory. Services take it without knowing about HTTP; the
 * request's own state (who is calling, in which language) is in src/http/context.ts.
 */
export interface AppContext {
  config: Config;
  db: Database;
  logger: Logger;
  jobs: JobRunner | null;
}
