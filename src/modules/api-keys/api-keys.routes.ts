import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import {
  errorResponses,
  idParams,
  iso,
  isoDate,
  isoOrNull,
  noContent,
} from '../../http/schemas.js';
import * as service from './api-keys.service.js';

const apiKey = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  expiresAt: isoDate.nullable(),
  lastUsedAt: isoDate.nullable(),
  createdAt: isoDate,
});

type Row = Awaited<ReturnType<typeof service.listApiKeys>>[number];
const present = (k: Row): z.infer<typeof apiKey> => ({
  ...k,
  expiresAt: isoOrNull(k.expiresAt),
  lastUsedAt: isoOrNull(k.lastUsedAt),
  createdAt: iso(k.createdAt),
});

export function apiKeysRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['api-keys'];

  app.get(
    '/api-keys',
    {
      config: { access: { object: 'api_keys', action: 'read' } },
      schema: { tags, response: { 200: z.object({ items: z.array(apiKey) }), ...errorResponses } },
    },
    async (request) => ({
      items: (await service.listApiKeys(ctx, actorOf(request))).map(present),
    }),
  );

  app.post(
    '/api-keys',
    {
      config: { access: { object: 'api_keys', action: 'create' } },
      schema: {
        tags,
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          scopes: z.array(z.string().max(80)).min(1).max(200),
          expiresAt: z.iso.datetime({ offset: true }).optional(),
        }),
        response: {
          201: z.object({ apiKey, secret: z.string().describe('Shown once; store it now.') }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { expiresAt, ...rest } = request.body;
      const created = await service.createApiKey(ctx, actorOf(request), {
        ...rest,
        expiresAt: expiresAt ? new Date(expiresAt) : undefined,
      });
      return reply.status(201).send({ apiKey: present(created.apiKey), secret: created.secret });
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      config: { access: { object: 'api_keys', action: 'delete' } },
      schema: { tags, params: idParams, response: { 204: noContent, ...errorResponses } },
    },
    async (request, reply) => {
      await service.revokeApiKey(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
