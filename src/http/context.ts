import type { Locale } from '../core/errors.js';
import type { Actor } from '../core/permissions.js';
import type { RouteAccess } from './access.js';

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
    /**
     * With access 'public': never authenticate, not even an optional session (no cookie is
     * read, no CSRF check): a public form's submissions, posted from any site.
     */
    anonymous?: boolean;
  }
}
