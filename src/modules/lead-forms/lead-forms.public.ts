import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import type { Locale } from '../../core/errors.js';
import { errorHandler, toAppError } from '../../http/errors.js';
import { errorResponses } from '../../http/schemas.js';
import { trackingFields, type Answer, type TrackingKey } from './lead-forms.fields.js';
import { renderFormPage, renderProblem, renderThankYou } from './lead-forms.page.js';
import { publicParams, submissionAnswer, submissionBody } from './lead-forms.schemas.js';
import {
  activeForm,
  pageLocale,
  questionsOf,
  submit,
  type ClientInfo,
  type SubmitResult,
} from './lead-forms.submit.js';

/**
 * The public side of lead capture forms, open to anyone (no session, no cookie read):
 *
 * - POST /api/v1/public/forms/:key/submissions: JSON or application/x-www-form-urlencoded, at
 *   most 64 KB; CORS for any origin (the route only creates leads, never reads; no credentials),
 *   as HubSpot's forms API. A plain HTML form (Accept: text/html) gets a 303 to the form's
 *   redirect or an HTML thank-you page, and its problems as an HTML page; other clients JSON.
 * - GET /f/:key: the hosted page (server-rendered HTML, no script); POST /f/:key: its
 *   submission, answered in HTML (the page again with the problems under their questions).
 */
export const BODY_LIMIT = 64 * 1024;

const localeFromHeader = (header: string | undefined): Locale =>
  header?.trim().toLowerCase().startsWith('en') ? 'en' : 'vi';

/** application/x-www-form-urlencoded into an object (a repeated name: a list). */
export function parseUrlencoded(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const had = out[k];
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}

function addUrlencoded(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: BODY_LIMIT },
    (_request, body, done) => done(null, parseUrlencoded(body as string)),
  );
}

function wantsHtml(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  return accept.includes('text/html') && !accept.includes('application/json');
}

function clientOf(request: FastifyRequest): ClientInfo {
  const ua = request.headers['user-agent'];
  const referer = request.headers.referer;
  return {
    ip: request.ip ?? null,
    userAgent: typeof ua === 'string' ? ua : null,
    referer: typeof referer === 'string' ? referer : null,
    locale: request.headers['accept-language']
      ? localeFromHeader(request.headers['accept-language'])
      : null,
  };
}

function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(html);
}

/** An error as an HTML page for a person's browser (a plain form post), in their language. */
function htmlProblem(err: unknown, reply: FastifyReply, locale: Locale): FastifyReply {
  const e = toAppError(err);
  const retry = e.details?.retryAfterSeconds;
  if (typeof retry === 'number') void reply.header('retry-after', String(retry));
  const kind =
    e.code === 'NOT_FOUND' ? 'not_found' : e.code === 'RATE_LIMITED' ? 'rate_limited' : 'invalid';
  const details = (e.details?.fields ?? []).map(
    (f) => `${f.path}: ${f.text?.[locale] ?? f.message}`,
  );
  return sendHtml(reply, e.status, renderProblem(locale, kind, e.messageIn(locale), details));
}

const localeOfBody = (request: FastifyRequest): Locale => {
  const asked = (request.body as Record<string, unknown> | undefined)?._lang;
  return asked === 'en' || asked === 'vi'
    ? asked
    : localeFromHeader(request.headers['accept-language']);
};

/** Only this route may be posted to from other sites. */
function cors(reply: FastifyReply): void {
  void reply.header('access-control-allow-origin', '*');
  void reply.header('vary', 'origin');
}

/** The API route: POST /api/v1/public/forms/:key/submissions (and its CORS preflight). */
export function publicFormRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  void fastify.register(async (scope) => {
    addUrlencoded(scope);
    const app = scope.withTypeProvider<ZodTypeProvider>();
    const url = '/public/forms/:key/submissions';
    const config = { access: 'public' as const, anonymous: true };

    app.options(url, { config, schema: { hide: true } }, async (_request, reply) => {
      cors(reply);
      void reply.header('access-control-allow-methods', 'POST');
      void reply.header('access-control-allow-headers', 'content-type, accept, accept-language');
      void reply.header('access-control-max-age', '86400');
      return reply.status(204).send();
    });

    app.post(
      url,
      {
        config,
        bodyLimit: BODY_LIMIT,
        schema: {
          tags: ['lead-forms'],
          security: [],
          params: publicParams,
          body: submissionBody,
          description:
            "Submit a lead capture form by its public key, without signing in (JSON or application/x-www-form-urlencoded, at most 64 KB; CORS for any origin). Fields: the form's questions by key, utm_source, utm_medium, utm_campaign, utm_term, utm_content, referrer, landing_page, the honeypot `website` (leave it empty) and `_lang` (vi/en). Unknown fields, values over their maximum and missing required answers: 400 naming them. Past the form's rate limits (per client IP and per form, per minute): 429 RATE_LIMITED with Retry-After, nothing stored. A browser's plain form post (Accept: text/html) gets a 303 to the form's redirect address or an HTML thank-you page.",
          response: { 200: submissionAnswer, ...errorResponses },
        },
        onSend: async (_request, reply, payload) => {
          cors(reply);
          return payload;
        },
        errorHandler: (err, request, reply) => {
          cors(reply);
          if (wantsHtml(request)) void htmlProblem(err, reply, localeOfBody(request));
          else void errorHandler(err, request, reply);
        },
      },
      async (request, reply) => {
        const result = await submit(
          ctx,
          request.params.key,
          request.body,
          clientOf(request),
          request.id,
        );
        if (wantsHtml(request)) return answerHtml(reply, result);
        const { form, locale } = result;
        return {
          status: 'received' as const,
          message: form.afterSubmit === 'message' ? form.thankYou[locale] : null,
          redirectUrl: form.afterSubmit === 'redirect' ? form.redirectUrl : null,
        };
      },
    );
  });
}

function answerHtml(reply: FastifyReply, { form, locale }: SubmitResult): FastifyReply {
  if (form.afterSubmit === 'redirect' && form.redirectUrl) {
    return reply.status(303).header('location', form.redirectUrl).send();
  }
  return sendHtml(reply, 200, renderThankYou(form, locale));
}

/** The hosted page's CSP: nothing but its inline style; it posts to itself and may redirect. */
function pageCsp(redirectUrl: string | null): string {
  let redirect = '';
  if (redirectUrl) {
    try {
      redirect = ` ${new URL(redirectUrl).origin}`;
    } catch {
      redirect = '';
    }
  }
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `form-action 'self'${redirect}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The hosted page: GET /f/:key (the form) and POST /f/:key (its submission), in HTML. */
export function hostedFormRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  void fastify.register(async (scope) => {
    addUrlencoded(scope);
    // Each response's own policy (the redirect's origin), set by the handler.
    const csps = new WeakMap<FastifyRequest, string>();
    scope.addHook('onSend', async (request, reply, payload) => {
      void reply.header('content-security-policy', csps.get(request) ?? pageCsp(null));
      void reply.header('cache-control', 'no-store');
      return payload;
    });
    const schema = { hide: true, params: publicParams };

    scope.get<{ Params: { key: string }; Querystring: Record<string, string> }>(
      '/f/:key',
      { schema },
      async (request, reply) => {
        const query = new URLSearchParams(
          Object.entries(request.query ?? {}).filter(([, v]) => typeof v === 'string'),
        );
        const asked = query.get('lang');
        try {
          const form = await activeForm(ctx, request.params.key);
          const lang = pageLocale(form, asked);
          csps.set(request, pageCsp(form.redirectUrl));
          const tracking: Partial<Record<TrackingKey, string>> = {};
          for (const k of Object.keys(trackingFields) as TrackingKey[]) {
            const v = query.get(k);
            if (v && k !== 'referrer' && k !== 'landing_page') tracking[k] = v.slice(0, 300);
          }
          const referer = request.headers.referer;
          if (typeof referer === 'string') tracking.referrer = referer.slice(0, 2000);
          const origin = ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;
          tracking.landing_page = `${origin}${request.url}`.slice(0, 2000);
          const html = renderFormPage(form, await questionsOf(ctx, form), {
            locale: lang,
            query,
            tracking,
          });
          return sendHtml(reply, 200, html);
        } catch (err) {
          const locale =
            asked === 'vi' || asked === 'en'
              ? asked
              : localeFromHeader(request.headers['accept-language']);
          return htmlProblem(err, reply, locale);
        }
      },
    );

    scope.post<{ Params: { key: string }; Body: Record<string, unknown> }>(
      '/f/:key',
      {
        schema: { hide: true },
        bodyLimit: BODY_LIMIT,
        errorHandler: (err, request, reply) => {
          void htmlProblem(err, reply, localeOfBody(request));
        },
      },
      async (request, reply) => {
        const body = (
          request.body && typeof request.body === 'object' ? request.body : {}
        ) as Record<string, unknown>;
        try {
          const result = await submit(ctx, request.params.key, body, clientOf(request), request.id);
          csps.set(request, pageCsp(result.form.redirectUrl));
          return answerHtml(reply, result);
        } catch (err) {
          const e = toAppError(err);
          if (e.code !== 'VALIDATION_FAILED') throw err;
          // The page again, with what was typed and each problem under its question.
          const form = await activeForm(ctx, request.params.key);
          const locale = localeOfBody(request);
          const answers = new Map<string, Answer>();
          for (const [k, v] of Object.entries(body)) {
            if (typeof v === 'string' || Array.isArray(v)) answers.set(k, v as Answer);
          }
          const errors = new Map(
            (e.details?.fields ?? []).map((f) => [f.path, f.text?.[locale] ?? f.message]),
          );
          const tracking: Partial<Record<TrackingKey, string>> = {};
          for (const k of Object.keys(trackingFields) as TrackingKey[]) {
            const v = body[k];
            if (typeof v === 'string') tracking[k] = v.slice(0, 2000);
          }
          const html = renderFormPage(form, await questionsOf(ctx, form), {
            locale,
            query: new URLSearchParams({ lang: locale }),
            tracking,
            answers,
            errors,
          });
          return sendHtml(reply, 400, html);
        }
      },
    );
  });
}
