import type { Config } from '../config/env.js';
import type { Database } from '../db/database.js';
import type { JobRunner } from '../core/jobs.js';
import type { Locale } from '../core/errors.js';
import type { Actor } from '../core/permissions.js';
import type { Logger } from '../lib/logger.js';
import type { RouteAccess } from './access.js';

/** What every route and service can reach. No module keeps state of its own in memory. */
export interface AppContext {
  config: Config;
  db: Database;
  logger: Logger;
  jobs: JobRunner | null;
}

/** How the current request was authenticated. */
export interface RequestAuth {
  actor: Actor;
  via: 'session' | 'api_key';
  sessionId: string | null;
  csrfToken: string | null;
  locale: Locale;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | null;
    locale: Locale;
  }
  interface FastifyContextConfig {
    /** Who may call the route (required on every /api/v1 route): see RouteAccess. */
    access?: RouteAccess;
    /**
     * A GET that may start on this node's cached principal, confirmed by the database with its
     * first read in the same round trip (see buildApp's onRoute hook). Its handler must read
     * through db.read()/db.tenant() with the request's actor, and be safe to run twice.
     */
    cachedPrincipal?: boolean;
  }
}
