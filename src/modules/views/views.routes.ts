import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams, noContent } from '../../http/schemas.js';
import {
  createViewBody,
  lastUsedBody,
  objectQuery,
  savedView,
  updateViewBody,
} from './views.schemas.js';
import * as service from './views.service.js';

export function viewsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['views'];

  app.get(
    '/views',
    {
      config: { access: 'member' },
      schema: {
        tags,
        querystring: objectQuery,
        response: {
          200: z.object({
            items: z.array(savedView),
            /** The view the caller last opened on this list; null: every record. */
            lastUsedId: z.uuid().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => service.listViews(ctx, actorOf(request), request.query.object),
  );

  app.put(
    '/views/last-used',
    {
      config: { access: 'member' },
      schema: {
        tags,
        body: lastUsedBody,
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await service.setLastUsed(ctx, actorOf(request), request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/views',
    {
      config: { access: 'member' },
      schema: {
        tags,
        querystring: objectQuery.partial(),
        body: createViewBody,
        response: { 201: savedView, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.createView(ctx, actorOf(request), request.query.object, request.body)),
  );

  app.patch(
    '/views/:id',
    {
      config: { access: 'member' },
      schema: {
        tags,
        params: idParams,
        body: updateViewBody,
        response: { 200: savedView, ...errorResponses },
      },
    },
    async (request) => service.updateView(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/views/:id',
    {
      config: { access: 'member' },
      schema: { tags, params: idParams, response: { 204: noContent, ...errorResponses } },
    },
    async (request, reply) => {
      await service.deleteView(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
