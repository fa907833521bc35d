import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams } from '../../http/schemas.js';
import { quoteActionBody, quoteResponse } from './quotes.schemas.js';
import { quoteActions, runQuoteAction } from './quotes.service.js';
import * as limits from './discount-limits.service.js';

const descriptions: Record<(typeof quoteActions)[number], string> = {
  send: 'Mark a draft quote sent (its lines are then fixed; a discount above the sender’s limit needs an approval first: 409 APPROVAL_REQUIRED).',
  accept: 'The customer accepted a sent quote.',
  reject: 'The customer rejected a sent quote (`comment`: why).',
  revise:
    'Make a sent, rejected or expired quote a draft again; the sent version is kept (GET /quotes/:id/revisions).',
  'request-approval':
    'Ask the approvers (roles with `approve` on quotes) to approve the quote’s discount.',
  approve: 'Approve the pending discount (needs `approve` on quotes).',
  'reject-approval': 'Refuse the pending discount (needs `approve` on quotes; `comment`: why).',
};

export function quotesRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  for (const action of quoteActions) {
    const approving = action === 'approve' || action === 'reject-approval';
    app.post(
      `/quotes/:id/${action}`,
      {
        config: { access: { object: 'quotes', action: approving ? 'approve' : 'update' } },
        schema: {
          tags: ['quotes'],
          params: idParams,
          body: quoteActionBody.nullish(),
          description: descriptions[action],
          response: { 200: quoteResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const quote = await runQuoteAction(
          ctx,
          actorOf(request),
          request.params.id,
          action,
          request.body?.comment ?? null,
        );
        return reply
          .header('etag', `"${(quote as { version?: number }).version ?? 0}"`)
          .send(quote);
      },
    );
  }

  app.get(
    '/quotes/:id/revisions',
    {
      config: { access: { object: 'quotes', action: 'read' } },
      schema: {
        tags: ['quotes'],
        params: idParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                revision: z.number().int(),
                createdAt: z.string(),
                createdBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
                snapshot: z.record(z.string(), z.unknown()),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => limits.revisions(ctx, actorOf(request), request.params.id),
  );

  const limitsBody = z.object({
    items: z.array(
      z.object({ roleId: z.uuid(), maxPercent: z.number().min(0).max(100).nullable() }),
    ),
  });
  const limitsResponse = z.object({
    items: z.array(
      z.object({
        roleId: z.uuid(),
        roleName: z.string(),
        /** Approvers (roles with `approve` on quotes) need no limit. */
        approves: z.boolean(),
        maxPercent: z.number().nullable(),
      }),
    ),
  });
  app.get(
    '/settings/discount-limits',
    {
      config: { access: { object: 'roles', action: 'read' } },
      schema: { tags: ['quotes'], response: { 200: limitsResponse, ...errorResponses } },
    },
    async (request) => limits.listLimits(ctx, actorOf(request), request.locale),
  );
  app.put(
    '/settings/discount-limits',
    {
      config: { access: { object: 'roles', action: 'update' } },
      schema: {
        tags: ['quotes'],
        body: limitsBody,
        description:
          'The largest line discount (percent) each role may put on a quote without a manager’s approval; null: no limit.',
        response: { 200: limitsResponse, ...errorResponses },
      },
    },
    async (request) => limits.saveLimits(ctx, actorOf(request), request.body.items, request.locale),
  );
}
