import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import type { AppContext } from '../../core/context.js';
import { actorOf, requireAuth } from '../../http/request.js';
import { currency, errorResponses, iso, isoDate, locale, timezone } from '../../http/schemas.js';
import { sessionResponse } from '../auth/auth.schemas.js';
import { sessionView, switchWorkspace } from '../auth/auth.service.js';
import * as service from './workspaces.service.js';

const workspaceResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  locale,
  currency: z.string(),
  timezone: z.string(),
  createdAt: isoDate,
});

const present = (w: Awaited<ReturnType<typeof service.getCurrentWorkspace>>) => ({
  ...w,
  createdAt: iso(w.createdAt),
  locale: w.locale === 'en' ? ('en' as const) : ('vi' as const),
});

export function workspacesRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['workspaces'];

  app.get(
    '/workspace',
    {
      config: { access: { object: 'workspace', action: 'read' } },
      schema: { tags, response: { 200: workspaceResponse, ...errorResponses } },
    },
    async (request) => present(await service.getCurrentWorkspace(ctx, actorOf(request))),
  );

  app.patch(
    '/workspace',
    {
      config: { access: { object: 'workspace', action: 'update' } },
      schema: {
        tags,
        body: z.strictObject({
          name: z.string().trim().min(1).max(200).optional(),
          locale: locale.optional(),
          currency: currency.optional(),
          timezone: timezone.optional(),
        }),
        response: { 200: workspaceResponse, ...errorResponses },
      },
    },
    async (request) =>
      present(await service.updateCurrentWorkspace(ctx, actorOf(request), request.body)),
  );

  app.get(
    '/workspaces',
    {
      config: { access: 'member' },
      schema: {
        tags,
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.uuid(), name: z.string(), roleName: z.string() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ items: await service.listMyWorkspaces(ctx, actorOf(request)) }),
  );

  app.post(
    '/workspaces',
    {
      config: { access: 'member' },
      schema: {
        tags,
        body: z.strictObject({ name: z.string().trim().min(1).max(200) }),
        response: { 201: sessionResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      if (auth.via !== 'session') throw new AppError('FORBIDDEN');
      const workspaceId = await service.createAnotherWorkspace(ctx, auth.actor, request.body);
      const switched = await switchWorkspace(ctx, auth, workspaceId);
      return reply.status(201).send(await sessionView(ctx, switched));
    },
  );
}
