import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, noContent } from '../../http/schemas.js';
import {
  assignmentIndex,
  assignmentView,
  fallbackBody,
  objectParams,
  reorderBody,
  ruleCreateBody,
  ruleParams,
  rulePatchBody,
  ruleView,
} from './assignment.schemas.js';
import * as service from './assignment.service.js';

/** Settings → Phân công tự động: assignment rules and fallback owners (admins). */
export function assignmentRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['assignment'];
  const read = { access: { object: 'assignment_rules', action: 'read' as const } };
  const write = { access: { object: 'assignment_rules', action: 'update' as const } };

  app.get(
    '/settings/assignment',
    {
      config: read,
      schema: {
        tags,
        description: 'The record objects whose new records assignment rules may place.',
        response: { 200: assignmentIndex, ...errorResponses },
      },
    },
    async (request) => service.listObjects(ctx, actorOf(request)),
  );

  app.get(
    '/settings/assignment/:object',
    {
      config: read,
      schema: {
        tags,
        params: objectParams,
        description: "An object's assignment rules in order, and its fallback owner.",
        response: { 200: assignmentView, ...errorResponses },
      },
    },
    async (request) => service.getAssignment(ctx, actorOf(request), request.params.object),
  );

  app.put(
    '/settings/assignment/:object/fallback',
    {
      config: write,
      schema: {
        tags,
        params: objectParams,
        body: fallbackBody,
        description:
          'Who takes the records no rule places, and those of a rule whose user or team is gone (an active member).',
        response: { 200: assignmentView, ...errorResponses },
      },
    },
    async (request) =>
      service.setFallback(
        ctx,
        actorOf(request),
        request.params.object,
        request.body.fallbackUserId,
      ),
  );

  app.post(
    '/settings/assignment/:object/rules',
    {
      config: write,
      schema: {
        tags,
        params: objectParams,
        body: ruleCreateBody,
        description: 'Add a rule at the end of the order.',
        response: { 201: ruleView, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.createRule(ctx, actorOf(request), request.params.object, request.body)),
  );

  app.patch(
    '/settings/assignment/:object/rules/:id',
    {
      config: write,
      schema: {
        tags,
        params: ruleParams,
        body: rulePatchBody,
        description: 'Change a rule (its condition, target, method, name, or switch it on or off).',
        response: { 200: ruleView, ...errorResponses },
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
    '/settings/assignment/:object/rules/:id',
    {
      config: write,
      schema: {
        tags,
        params: ruleParams,
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await service.deleteRule(ctx, actorOf(request), request.params.object, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/settings/assignment/:object/order',
    {
      config: write,
      schema: {
        tags,
        params: objectParams,
        body: reorderBody,
        description: 'Put the rules in a new order (every rule of the object, once).',
        response: { 200: assignmentView, ...errorResponses },
      },
    },
    async (request) =>
      service.reorderRules(ctx, actorOf(request), request.params.object, request.body.ids),
  );
}
