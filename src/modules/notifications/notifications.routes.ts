import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams } from '../../http/schemas.js';
import {
  notificationListQuery,
  notificationPage,
  unreadCountView,
} from './notifications.schemas.js';
import * as service from './notifications.service.js';

/** The signed-in member's in-app notifications (live push comes with issue #21). */
export function notificationsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications'];

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
