import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams, noContent } from '../../http/schemas.js';
import * as service from './teams.service.js';

const team = z.object({ id: z.uuid(), name: z.string(), memberIds: z.array(z.uuid()) });
const name = z.string().trim().min(1).max(100);
const memberIds = z.array(z.uuid()).max(1000);

export function teamsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['teams'];

  app.get(
    '/teams',
    {
      config: { access: { object: 'teams', action: 'read' } },
      schema: { tags, response: { 200: z.object({ items: z.array(team) }), ...errorResponses } },
    },
    async (request) => ({ items: await service.listTeams(ctx, actorOf(request)) }),
  );

  app.get(
    '/teams/:id',
    {
      config: { access: { object: 'teams', action: 'read' }, cachedPrincipal: true },
      schema: { tags, params: idParams, response: { 200: team, ...errorResponses } },
    },
    async (request) => service.getTeam(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/teams',
    {
      config: { access: { object: 'teams', action: 'create' } },
      schema: {
        tags,
        body: z.strictObject({ name, memberIds: memberIds.optional() }),
        response: { 201: team, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createTeam(ctx, actorOf(request), request.body)),
  );

  app.patch(
    '/teams/:id',
    {
      config: { access: { object: 'teams', action: 'update' } },
      schema: {
        tags,
        params: idParams,
        body: z.strictObject({ name: name.optional(), memberIds: memberIds.optional() }),
        response: { 200: team, ...errorResponses },
      },
    },
    async (request) => service.updateTeam(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/teams/:id',
    {
      config: { access: { object: 'teams', action: 'delete' } },
      schema: { tags, params: idParams, response: { 204: noContent, ...errorResponses } },
    },
    async (request, reply) => {
      await service.deleteTeam(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
