import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams, noContent } from '../../http/schemas.js';
import {
  pipelineCreateBody,
  pipelineDeleteQuery,
  pipelineOrderBody,
  pipelinePatchBody,
  pipelineView,
  stagesBody,
} from './pipelines.schemas.js';
import * as service from './pipelines.service.js';

/** Sales pipelines and their stages (Settings → Quy trình bán hàng; the deal board's columns). */
export function pipelinesRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['pipelines'];
  const list = z.object({ items: z.array(pipelineView) });

  app.get(
    '/pipelines',
    {
      config: { access: { object: 'pipelines', action: 'read' }, cachedPrincipal: true },
      schema: {
        tags,
        description: 'The pipelines in order, each with its stages in order and deal counts.',
        response: { 200: list, ...errorResponses },
      },
    },
    async (request) => ({ items: await service.listPipelines(ctx, actorOf(request)) }),
  );

  app.post(
    '/pipelines',
    {
      config: { access: { object: 'pipelines', action: 'update' } },
      schema: {
        tags,
        body: pipelineCreateBody,
        response: { 201: pipelineView, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createPipeline(ctx, actorOf(request), request.body)),
  );

  app.put(
    '/pipelines/order',
    {
      config: { access: { object: 'pipelines', action: 'update' } },
      schema: { tags, body: pipelineOrderBody, response: { 200: list, ...errorResponses } },
    },
    async (request) => ({
      items: await service.reorderPipelines(ctx, actorOf(request), request.body.ids),
    }),
  );

  app.patch(
    '/pipelines/:id',
    {
      config: { access: { object: 'pipelines', action: 'update' } },
      schema: {
        tags,
        params: idParams,
        body: pipelinePatchBody,
        response: { 200: pipelineView, ...errorResponses },
      },
    },
    async (request) =>
      service.updatePipeline(ctx, actorOf(request), request.params.id, request.body),
  );

  app.put(
    '/pipelines/:id/stages',
    {
      config: { access: { object: 'pipelines', action: 'update' } },
      schema: {
        tags,
        params: idParams,
        body: stagesBody,
        description:
          "Replace the pipeline's ordered stages: stages with an id are kept (renamed, moved, a new probability: its open deals take it), stages without one are added, stages left out are deleted and their deals move to the stage `moves` names (required when they hold deals).",
        response: { 200: pipelineView, ...errorResponses },
      },
    },
    async (request) => service.saveStages(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/pipelines/:id',
    {
      config: { access: { object: 'pipelines', action: 'update' } },
      schema: {
        tags,
        params: idParams,
        querystring: pipelineDeleteQuery,
        description:
          'Delete a pipeline (not the last one); its deals move to the first stage of `moveTo` (required when it has deals).',
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await service.deletePipeline(ctx, actorOf(request), request.params.id, request.query.moveTo);
      return reply.status(204).send(null);
    },
  );
}
