import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams } from '../../http/schemas.js';
import { fromOrderBody, invoiceResponse, voidBody } from './invoices.schemas.js';
import { voidInvoiceAndEInvoice } from './invoices.einvoice.js';
import { invoiceEInvoiceRoutes } from './invoices.einvoice.routes.js';
import * as service from './invoices.service.js';

const etag = (o: unknown) => `"${(o as { version?: number }).version ?? 0}"`;

export function invoicesRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/orders/:id/invoice',
    {
      config: { access: { object: 'invoices', action: 'create' } },
      schema: {
        tags: ['invoices'],
        params: idParams,
        body: fromOrderBody.nullish(),
        description:
          'A draft invoice for what the order delivered and has not invoiced yet (or the given quantities of it).',
        response: { 201: invoiceResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const invoice = await service.invoiceFromOrder(
        ctx,
        actorOf(request),
        request.params.id,
        request.body?.lines,
      );
      return reply.status(201).header('etag', etag(invoice)).send(invoice);
    },
  );
  app.post(
    '/invoices/:id/issue',
    {
      config: { access: { object: 'invoices', action: 'approve' } },
      schema: {
        tags: ['invoices'],
        params: idParams,
        description: 'Issue a draft invoice (needs `approve` on invoices).',
        response: { 200: invoiceResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const invoice = await service.issueInvoice(ctx, actorOf(request), request.params.id);
      return reply.header('etag', etag(invoice)).send(invoice);
    },
  );
  app.post(
    '/invoices/:id/void',
    {
      config: { access: { object: 'invoices', action: 'approve' } },
      schema: {
        tags: ['invoices'],
        params: idParams,
        body: voidBody,
        description:
          'Void an invoice with a reason (needs `approve`); it keeps its number. Refused while payments are allocated to it. Its active legal e-invoice is cancelled at the provider first, with the reason; the void is refused when the provider refuses or cannot be reached.',
        response: { 200: invoiceResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const invoice = await voidInvoiceAndEInvoice(
        ctx,
        actorOf(request),
        request.params.id,
        request.body.reason,
      );
      return reply.header('etag', etag(invoice)).send(invoice);
    },
  );
  invoiceEInvoiceRoutes(fastify, ctx);
}
