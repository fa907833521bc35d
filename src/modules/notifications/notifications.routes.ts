import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams } from '../../http/schemas.js';
import {
  notificationListQuery,
  notificationPage,
  unreadCountView,
} from './notifications.schemas.js';
import { NotificationStreams } from './live.js';
import * as service from './notifications.service.js';

/** The signed-in member's in-app notifications, and their unread count pushed live. */
export function notificationsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications'];
  const streams = new NotificationStreams(ctx);
  fastify.addHook('preClose', () => streams.close());

  app.get(
    '/notifications/stream',
    {
      config: { access: 'member' },
      schema: {
        tags,
        description:
          'Server-sent events (text/event-stream): an `unread` event with `{"unreadCount": n}` at once and whenever the caller\'s notifications change, on whichever app node they changed; a comment line every 25 s. The server ends the stream after 5 minutes; EventSource connects again by itself.',
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (actor.userId === null) throw new AppError('FORBIDDEN');
      await streams.listen();
      reply.hijack();
      reply.raw.setHeader('x-request-id', request.id);
      await streams.open({ ...actor, userId: actor.userId }, reply.raw);
    },
  );

  app.get(
    '/notifications',
    {
      config: { access: 'member' },
      schema: {
        tags,
        querystring: notificationListQuery,
        description:
          "The caller's notifications, newest first, each written in the caller's language; paged by `cursor`.",
        response: { 200: notificationPage, ...errorResponses },
      },
    },
    async (request) =>
      service.listNotifications(ctx, actorOf(request), request.query, request.locale),
  );

  app.get(
    '/notifications/unread-count',
    {
      config: { access: 'member', cachedPrincipal: true },
      schema: {
        tags,
        description: "How many of the caller's notifications are unread (the bell's badge).",
        response: { 200: unreadCountView, ...errorResponses },
      },
    },
    async (request) => ({ unreadCount: await service.unreadCount(ctx, actorOf(request)) }),
  );

  app.post(
    '/notifications/:id/read',
    {
      config: { access: 'member' },
      schema: {
        tags,
        params: idParams,
        description: "Mark one of the caller's notifications read; answers the unread count.",
        response: { 200: unreadCountView, ...errorResponses },
      },
    },
    async (request) => ({
      unreadCount: await service.markRead(ctx, actorOf(request), request.params.id),
    }),
  );

  app.post(
    '/notifications/read-all',
    {
      config: { access: 'member' },
      schema: {
        tags,
        description: "Mark every one of the caller's notifications read.",
        response: { 200: unreadCountView, ...errorResponses },
      },
    },
    async (request) => ({ unreadCount: await service.markAllRead(ctx, actorOf(request)) }),
  );
}
