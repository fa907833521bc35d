import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses } from '../../http/schemas.js';
import * as features from './activities.features.js';
import { activitiesObject } from './activities.object.js';

const origin = (ctx: AppContext, request: FastifyRequest) =>
  ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;

/** My day and the personal calendar feed's settings (under /api/v1). */
export function activitiesRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['activities'];
  const item = activitiesObject.schemas.response;

  app.get(
    '/activities/my-day',
    {
      config: { access: { object: 'activities', action: 'read' } },
      schema: {
        tags,
        description:
          "The caller's open activities by time in the workspace's time zone: overdue, today, the next 7 days.",
        response: {
          200: z.object({ overdue: z.array(item), today: z.array(item), upcoming: z.array(item) }),
          ...errorResponses,
        },
      },
    },
    async (request) => features.myDay(ctx, actorOf(request)),
  );

  app.get(
    '/calendar-feed',
    {
      config: { access: 'member' },
      schema: {
        tags,
        description: 'Whether the caller has a personal calendar feed (its address is shown once).',
        response: { 200: features.feedStatus, ...errorResponses },
      },
    },
    async (request) => features.getFeed(ctx, actorOf(request)),
  );

  app.post(
    '/calendar-feed',
    {
      config: { access: 'member' },
      schema: {
        tags,
        description:
          "A new secret iCalendar address for the caller's tasks and meetings; the previous one stops working.",
        response: { 201: features.feedCreated, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await features.createFeed(ctx, actorOf(request), origin(ctx, request));
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/calendar-feed',
    {
      config: { access: 'member' },
      schema: {
        tags,
        description: "Revoke the caller's calendar feed address.",
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await features.revokeFeed(ctx, actorOf(request));
      return reply.code(204).send(null);
    },
  );
}

/** The feed itself, at the site's root: GET /ical/<token>.ics (no session: the token is the key). */
export function calendarFeedPages(fastify: FastifyInstance, ctx: AppContext): void {
  fastify.get<{ Params: { file: string } }>(
    `${features.FEED_PATH}/:file`,
    // The token is the key and is kept only as a hash: the URL never goes to the request log
    // (info); what goes wrong is still logged (warn and above).
    { schema: { hide: true }, logLevel: 'warn' },
    async (request, reply) => {
      const token = request.params.file.replace(/\.ics$/, '');
      const body = await features.feedCalendar(ctx.db, token, origin(ctx, request));
      void reply.header('cache-control', 'private, max-age=300');
      void reply.header('x-robots-tag', 'noindex');
      if (body === null) {
        return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      }
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'inline; filename="sen.ics"')
        .send(body);
    },
  );
}
