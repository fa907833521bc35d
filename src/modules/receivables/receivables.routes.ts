import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses } from '../../http/schemas.js';
import { agingBuckets, receivables, statementPdf } from './receivables.service.js';
import * as tiers from './customer-tiers.service.js';

const buckets = z.object(Object.fromEntries(agingBuckets.map((b) => [b, z.number().int()])));

export function receivablesRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/receivables',
    {
      config: { access: { object: 'invoices', action: 'read' } },
      schema: {
        tags: ['receivables'],
        querystring: z.strictObject({ overdue: z.enum(['true', 'false']).optional() }),
        description:
          'What customers owe on the caller’s visible issued invoices: per customer (its company, or its contact) the balance by age past the due date (not due, 1–30, 31–60, 61–90, over 90 days), with the customer’s owner; totals and unallocated credit. `overdue=true`: only customers with overdue invoices.',
        response: {
          200: z.object({
            totals: z.object({ balance: z.number().int(), credit: z.number().int(), buckets }),
            customers: z.array(
              z.object({
                customer: z.object({
                  object: z.enum(['companies', 'contacts']),
                  id: z.uuid(),
                  name: z.string(),
                }),
                owner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
                balance: z.number().int(),
                buckets,
                overdueInvoices: z.number().int(),
                oldestDueDate: z.string().nullable(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      receivables(ctx, actorOf(request), { overdueOnly: request.query.overdue === 'true' }),
  );
  app.get(
    '/receivables/statement',
    {
      config: { access: { object: 'invoices', action: 'read' } },
      schema: {
        tags: ['receivables'],
        querystring: z.strictObject({
          object: z.enum(['companies', 'contacts']),
          id: z.uuid(),
          lang: z.enum(['vi', 'en']).optional(),
        }),
        description:
          'A customer’s statement of account (bảng đối chiếu công nợ) as a PDF: invoices, payments and reversals with the running balance.',
        response: { 200: z.any().describe('application/pdf'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { pdf, filename } = await statementPdf(
        ctx,
        actorOf(request),
        { object: request.query.object, id: request.query.id },
        request.query.lang ?? 'vi',
      );
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(pdf);
    },
  );
  const tiersBody = z.strictObject({
    items: z
      .array(
        z.strictObject({
          name: z.string().trim().min(1).max(60),
          minTotalSpent: z.number().int().min(0).max(1e15),
        }),
      )
      .max(20),
  });
  const tiersResponse = z.object({
    items: z.array(z.object({ name: z.string(), minTotalSpent: z.number().int() })),
  });
  app.get(
    '/settings/customer-tiers',
    {
      config: { access: { object: 'roles', action: 'read' } },
      schema: { tags: ['receivables'], response: { 200: tiersResponse, ...errorResponses } },
    },
    async (request) => tiers.listTiers(ctx, actorOf(request)),
  );
  app.put(
    '/settings/customer-tiers',
    {
      config: { access: { object: 'roles', action: 'update' } },
      schema: {
        tags: ['receivables'],
        body: tiersBody,
        description:
          'The customer tiers by total spent (replaces them all); every customer’s tier is recomputed in the same transaction.',
        response: { 200: tiersResponse, ...errorResponses },
      },
    },
    async (request) => tiers.saveTiers(ctx, actorOf(request), request.body.items),
  );
}
