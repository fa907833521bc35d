import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { PATH_OBJECT } from '../../http/access.js';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses } from '../../http/schemas.js';
import { recordParams } from '../notes/notes.schemas.js';
import { timelineQuery, timelineResponse } from './timeline.schemas.js';
import * as service from './timeline.service.js';

export function timelineRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/:object/:id/timeline',
    {
      config: { access: { object: PATH_OBJECT, action: 'read' } },
      schema: {
        tags: ['timeline'],
        params: recordParams,
        querystring: timelineQuery,
        response: { 200: timelineResponse, ...errorResponses },
      },
    },
    async (request) =>
      service.getTimeline(
        ctx,
        actorOf(request),
        request.params.object,
        request.params.id,
        request.query,
      ),
  );
}
