import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses } from '../../http/schemas.js';
import * as service from './search.service.js';

const hit = z.object({
  type: z.string(),
  id: z.uuid(),
  title: z.string(),
  subtitle: z.string().nullable(),
  ownerId: z.uuid().nullable(),
});

export function searchRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/search',
    {
      config: { access: 'member', cachedPrincipal: true },
      schema: {
        tags: ['search'],
        querystring: z.strictObject({
          q: z.string().max(200),
          limit: z.coerce.number().int().min(1).max(50).default(20),
          types: z
            .string()
            .max(500)
            .regex(/^[a-z_]+(,[a-z_]+)*$/)
            .transform((s) => s.split(','))
            .optional(),
        }),
        response: { 200: z.object({ items: z.array(hit) }), ...errorResponses },
      },
    },
    async (request) => service.search(ctx, actorOf(request), request.query),
  );
}
