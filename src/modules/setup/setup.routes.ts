import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { clientInfo, setSessionCookie } from '../../http/request.js';
import { errorResponses } from '../../http/schemas.js';
import { setupBody } from './setup.schemas.js';
import { sessionResponse } from '../auth/auth.schemas.js';
import { openSession } from '../auth/auth.service.js';
import { needsSetup, runSetup } from './setup.service.js';

export function setupRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['setup'];

  app.get(
    '/setup',
    {
      config: { access: 'public' },
      schema: { tags, response: { 200: z.object({ needsSetup: z.boolean() }) } },
    },
    async () => ({ needsSetup: await needsSetup(ctx) }),
  );

  app.post(
    '/setup',
    {
      config: { access: 'public' },
      schema: { tags, body: setupBody, response: { 201: sessionResponse, ...errorResponses } },
    },
    async (request, reply) => {
      const who = await runSetup(ctx, request.body, 'web', request.id);
      const { token, view } = await openSession(ctx, who, clientInfo(request), request.id);
      setSessionCookie(ctx, request, reply, token);
      return reply.status(201).send(view);
    },
  );
}
