import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams, noContent } from '../../http/schemas.js';
import {
  createFieldBody,
  customField,
  objectQuery,
  updateFieldBody,
} from './custom-fields.schemas.js';
import * as service from './custom-fields.service.js';

export function customFieldsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['custom fields'];

  app.get(
    '/custom-fields',
    {
      config: { access: { object: 'custom_fields', action: 'read' } },
      schema: {
        tags,
        querystring: objectQuery,
        response: { 200: z.object({ items: z.array(customField) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: await service.listFields(ctx, actorOf(request), request.query.object),
    }),
  );

  app.get(
    '/custom-fields/:id',
    {
      config: { access: { object: 'custom_fields', action: 'read' } },
      schema: { tags, params: idParams, response: { 200: customField, ...errorResponses } },
    },
    async (request) => service.getField(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/custom-fields',
    {
      config: { access: { object: 'custom_fields', action: 'create' } },
      schema: {
        tags,
        querystring: objectQuery.partial(),
        body: createFieldBody,
        response: { 201: customField, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.createField(ctx, actorOf(request), request.query.object, request.body)),
  );

  app.patch(
    '/custom-fields/:id',
    {
      config: { access: { object: 'custom_fields', action: 'update' } },
      schema: {
        tags,
        params: idParams,
        body: updateFieldBody,
        response: { 200: customField, ...errorResponses },
      },
    },
    async (request) => service.updateField(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/custom-fields/:id',
    {
      config: { access: { object: 'custom_fields', action: 'delete' } },
      schema: { tags, params: idParams, response: { 204: noContent, ...errorResponses } },
    },
    async (request, reply) => {
      await service.deleteField(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
