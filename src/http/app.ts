import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, type Locale } from '../core/errors.js';
import { can } from '../core/permissions.js';
import { confirmPrincipal, errorOf, PrincipalChanged } from '../db/database.js';
import { authenticate, SESSION_COOKIE } from '../modules/auth/auth.service.js';
import { safeEqual } from '../modules/auth/tokens.js';
import { modules, registerModules } from '../modules/index.js';
import { LazyChildLogger, type Logger } from '../lib/logger.js';
import { webDist } from '../lib/paths.js';
import type { AppContext } from '../core/context.js';
import { clientErrorHandler, errorBody, errorHandler, toAppError } from './errors.js';
import { responseSerializer } from './serialization.js';
import { findBadText, validatorCompiler } from './validation.js';
import { requiredPermission, type RouteInfo } from './access.js';

/** sha256 of the inline <style> of Swagger UI's logo (see the swagger-ui registration). */
const SWAGGER_LOGO_STYLE_HASH = 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w=';

/** Served only when built (npm run build); `npm run dev` serves the web app through Vite. */
const webRoot = fs.existsSync(path.join(webDist, 'index.html')) ? webDist : undefined;

const REQUEST_ID = /^[A-Za-z0-9._-]{8,80}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function localeFromHeader(header: string | undefined): Locale {
  return header?.trim().toLowerCase().startsWith('en') ? 'en' : 'vi';
}

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  registerModules();
  const app = Fastify({
    loggerInstance: ctx.logger,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: ctx.config.trustProxy,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    // Errors raised before routing answer in the one error shape too.
    frameworkErrors: (err, request, reply) => {
      const locale = localeFromHeader(request.headers['accept-language']);
      const error = toAppError(err);
      void reply.header('x-request-id', request.id);
      void (reply as FastifyReply).status(error.status).send(errorBody(error, locale, request.id));
    },
    clientErrorHandler,
    childLoggerFactory: (logger, bindings, options) =>
      new LazyChildLogger(logger as Logger, () => (logger as Logger).child(bindings, options)),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializer({ check: ctx.config.env !== 'production' }));
  app.decorateRequest('auth', null);
  app.decorateRequest('locale', 'vi');
  app.setErrorHandler(errorHandler);
  // One preValidation hook (each hook costs every request a little):
  // 1. the route's declared permission, before validation and the handler (src/http/access.ts);
  //    a refusal decided on a cached principal is confirmed first (its role may have changed);
  // 2. text no column can hold (NUL, lone surrogates) and hostile nesting, refused in one place
  //    for every route's body, query string and path, before any schema or handler sees it.
  app.addHook('preValidation', (request, reply, done) => {
    const bad =
      findBadText(request.body, 'body') ??
      findBadText(request.query, 'querystring') ??
      findBadText(request.params, 'params');
    const refused = () =>
      bad ? new AppError('VALIDATION_FAILED', { details: { fields: [bad] } }) : undefined;
    const need = requiredPermission(request.routeOptions.config?.access, request.params);
    const actor = request.auth?.actor;
    if (!need || !actor || can(actor, need.object, need.action)) return done(refused());
    const check = actor.check;
    if (!check || check.confirmed) return done(new AppError('FORBIDDEN'));
    confirmPrincipal(ctx.db, check)
      .then(
        () => new AppError('FORBIDDEN'),
        async (e: unknown) => {
          if (!(e instanceof PrincipalChanged)) throw e;
          await authenticateRequest(ctx, request, reply, false);
          const fresh = request.auth?.actor;
          return fresh && can(fresh, need.object, need.action)
            ? refused()
            : new AppError('FORBIDDEN');
        },
      )
      .then((err) => done(err), done);
  });

  // Routes with config.cachedPrincipal may start on a cached principal (GET only), which the
  // database confirms with the handler's first read (PrincipalCheck). No response leaves before
  // it is confirmed; a changed principal (or an unconfirmed one that led to a refusal) runs the
  // handler again on a principal authenticated afresh.
  const routes: RouteInfo[] = [];
  app.decorate('senRoutes', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, access: route.config?.access });
    }
    if (route.url.startsWith('/api/v1/') && !route.config?.access) {
      throw new Error(
        `${route.method} ${route.url} declares no config.access (src/http/access.ts)`,
      );
    }
    if (route.config?.cachedPrincipal !== true) return;
    const handler = route.handler as (
      this: unknown,
      request: FastifyRequest,
      reply: FastifyReply,
    ) => Promise<unknown>;
    route.handler = async function (request, reply) {
      try {
        const out = await handler.call(this, request, reply);
        const check = request.auth?.actor.check;
        if (check) await confirmPrincipal(ctx.db, check);
        return out;
      } catch (err) {
        const check = request.auth?.actor.check;
        if (!check) throw err;
        let changed = errorOf(err, PrincipalChanged);
        if (!changed && !check.confirmed) {
          // A refusal (403, 404…) decided on the cached principal: is it still the one?
          changed = await confirmPrincipal(ctx.db, check).then(
            () => null,
            (e: unknown) => {
              if (e instanceof PrincipalChanged) return e;
              throw e;
            },
          );
        }
        if (!changed) throw err;
        await authenticateRequest(ctx, request, reply, false);
        return handler.call(this, request, reply);
      }
    };
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Sen CRM API',
        version: '1',
        description:
          'Authenticate with a session cookie (web app; writes need the x-csrf-token header) or an API key: `Authorization: Bearer sen_…`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas named with .meta({ id }) (the recursive filter tree) as components/schemas.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Swagger UI renders its logo as an SVG with an inline <style>: allow exactly that style by
    // its hash (swagger-ui 5's `.logo_small_svg__cls-…` rules) instead of 'unsafe-inline'. If an
    // upgrade changes it, the browser console on /api/docs names the new hash.
    transformStaticCSP: (header) =>
      header.replace(
        /style-src ([^;]*);/,
        (_m, sources: string) => `style-src ${sources.trim()} '${SWAGGER_LOGO_STYLE_HASH}';`,
      ),
  });

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    request.locale = localeFromHeader(request.headers['accept-language']);
    if (!request.url.startsWith('/api/v1/') || request.is404) return;
    // A route open to anyone that must not read a session either (a public form's submissions).
    if (request.routeOptions.config?.anonymous === true) return;
    await authenticateRequest(
      ctx,
      request,
      reply,
      request.routeOptions.config?.cachedPrincipal === true && SAFE_METHODS.has(request.method),
    );
  });

  app.addHook('onSend', async (request, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    void reply.header('cross-origin-opener-policy', 'same-origin');
    void reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    if (!request.url.startsWith('/api/docs')) {
      void reply.header('content-security-policy', CSP);
      void reply.header('x-frame-options', 'DENY');
    }
    if (request.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
    return payload;
  });

  const zapp = app.withTypeProvider<ZodTypeProvider>();
  zapp.get(
    '/health/live',
    { schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  zapp.get('/health/ready', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await ctx.db.ping();
      return { status: 'ok', database: ctx.db.kind };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: ctx.db.kind });
    }
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      for (const m of modules) m.routes?.(api, ctx);
    },
    { prefix: '/api/v1' },
  );
  await app.register(async (root) => {
    for (const m of modules) m.pages?.(root, ctx);
  });

  if (webRoot) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      index: false,
      setHeaders: (res, filePath) => {
        void res.header(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    });
  }

  app.setNotFoundHandler(async (request, reply) => {
    const isApi = request.url.startsWith('/api') || request.url.startsWith('/health');
    // A missing build file is a 404, not the app shell (a stale tab asking for an old chunk
    // must fail loudly, not parse HTML as JavaScript).
    const isAsset = request.url.startsWith('/assets/');
    if (!isApi && !isAsset && webRoot && (request.method === 'GET' || request.method === 'HEAD')) {
      void reply.header('cache-control', 'no-cache');
      return reply.type('text/html').sendFile('index.html');
    }
    if (isAsset) return reply.status(404).type('text/plain').send('Not found');
    if (!isApi && !webRoot) {
      return reply
        .status(404)
        .type('text/plain')
        .send('The web app is not built. Run `npm run build` (or `npm run dev` for development).');
    }
    const err = new AppError('NOT_FOUND');
    return reply.status(404).send(errorBody(err, request.locale, request.id));
  });

  return app as unknown as FastifyInstance;
}

/** Each request's logger before authentication bound the caller to it (re-authentication). */
const requestLoggers = new WeakMap<FastifyRequest, FastifyBaseLogger>();

async function authenticateRequest(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  cached: boolean,
): Promise<void> {
  const isPublic = request.routeOptions.config?.access === 'public';
  let auth = null;
  try {
    auth = await authenticate(ctx, {
      cookieToken: request.cookies[SESSION_COOKIE],
      authorization: request.headers.authorization,
      requestId: request.id,
      cached,
    });
  } catch (err) {
    if (!isPublic) throw err;
  }
  if (!auth) {
    if (isPublic) return;
    throw new AppError('UNAUTHENTICATED');
  }
  request.auth = auth;
  request.locale = auth.locale;
  // Every later line of the request (its completion line is the reply's) names the caller.
  let base = requestLoggers.get(request);
  if (!base) requestLoggers.set(request, (base = request.log));
  request.log = reply.log = base.child({
    userId: auth.actor.userId,
    workspaceId: auth.actor.workspaceId,
  });
  if (auth.via === 'session' && !SAFE_METHODS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !auth.csrfToken || !safeEqual(sent, auth.csrfToken)) {
      throw new AppError('CSRF_FAILED');
    }
  }
}
