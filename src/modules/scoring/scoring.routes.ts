import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, noContent } from '../../http/schemas.js';
import {
  ruleCreateBody,
  ruleParams,
  rulePatchBody,
  ruleWriteResponse,
  scoringParams,
  scoringResponse,
  settingsBody,
  settingsWriteResponse,
} from './scoring.schemas.js';
import * as service from './scoring.service.js';

/** Settings → lead scoring: the rules, grade thresholds and decay of a scored object. */
export function scoringRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['scoring'];
  const read = { access: { object: service.SCORING, action: 'read' } } as const;
  const update = { access: { object: service.SCORING, action: 'update' } } as const;
  const base = '/settings/scoring/:object';

  app.get(
    base,
    {
      config: read,
      schema: {
        tags,
        params: scoringParams,
        description:
          "An object's scoring (leads): its rules in order, grade thresholds and decay, and the events its rules may count.",
        response: { 200: scoringResponse, ...errorResponses },
      },
    },
    async (request) => service.getScoring(ctx, actorOf(request), request.params.object),
  );

  app.put(
    `${base}/settings`,
    {
      config: update,
      schema: {
        tags,
        params: scoringParams,
        body: settingsBody,
        description:
          'Grade thresholds (A > B > C; below C is D) and the decay in points per full week since the last scored event; every record is rescored (in the request, or by a job in a large workspace: `rescore.mode`).',
        response: { 200: settingsWriteResponse, ...errorResponses },
      },
    },
    async (request) =>
      service.saveSettings(ctx, actorOf(request), request.params.object, request.body),
  );

  app.post(
    `${base}/rules`,
    {
      config: update,
      schema: {
        tags,
        params: scoringParams,
        body: ruleCreateBody,
        description:
          'Add a rule at the end of the list: a field rule (a condition in the list filter format) or an event rule (an event key); every record is rescored.',
        response: { 201: ruleWriteResponse, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.createRule(ctx, actorOf(request), request.params.object, request.body)),
  );

  app.patch(
    `${base}/rules/:id`,
    {
      config: update,
      schema: {
        tags,
        params: ruleParams,
        body: rulePatchBody,
        description: 'Change a rule (condition or event, points, label, active, position).',
        response: { 200: ruleWriteResponse, ...errorResponses },
      },
    },
    async (request) =>
      service.updateRule(
        ctx,
        actorOf(request),
        request.params.object,
        request.params.id,
        request.body,
      ),
  );

  app.delete(
    `${base}/rules/:id`,
    {
      config: update,
      schema: {
        tags,
        params: ruleParams,
        description: 'Remove a rule; every record is rescored.',
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await service.deleteRule(ctx, actorOf(request), request.params.object, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
