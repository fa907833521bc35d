import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams } from '../../http/schemas.js';
import { presentSubmission, providerErrors, submissionView } from '../einvoice/einvoice.routes.js';
import * as service from './invoices.einvoice.js';

const tags = ['invoices'];

/**
 * The legal e-invoice of a Sen invoice (invoices.einvoice.ts): its state, "Phát hành hóa đơn
 * điện tử" (approve), a status refresh and the signed PDF or XML (read on invoices).
 */
export function invoiceEInvoiceRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/invoices/:id/einvoice',
    {
      config: { access: { object: 'invoices', action: 'read' } },
      schema: {
        tags,
        params: idParams,
        description:
          'The invoice’s legal e-invoice: whether a provider is set up, whether it may be issued now, and its submission (null before one).',
        response: {
          200: z.object({
            configured: z.boolean(),
            providerName: z.object({ vi: z.string(), en: z.string() }).nullable(),
            issuable: z.boolean(),
            submission: submissionView.nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const r = await service.invoiceEInvoice(ctx, actorOf(request), request.params.id);
      return { ...r, submission: r.submission ? presentSubmission(r.submission) : null };
    },
  );
  app.post(
    '/invoices/:id/einvoice',
    {
      config: { access: { object: 'invoices', action: 'approve' } },
      schema: {
        tags,
        params: idParams,
        description:
          'Issue the legal e-invoice of an issued invoice through the workspace’s provider (needs `approve`). Idempotent: a second call returns the first e-invoice and calls nobody.',
        response: { 200: submissionView, ...errorResponses, ...providerErrors },
      },
    },
    async (request) =>
      presentSubmission(
        await service.issueInvoiceEInvoice(ctx, actorOf(request), request.params.id),
      ),
  );
  app.post(
    '/invoices/:id/einvoice/status',
    {
      config: { access: { object: 'invoices', action: 'read' } },
      schema: {
        tags,
        params: idParams,
        description: 'Ask the provider for the e-invoice’s state now.',
        response: { 200: submissionView, ...errorResponses, ...providerErrors },
      },
    },
    async (request) =>
      presentSubmission(
        await service.refreshInvoiceEInvoice(ctx, actorOf(request), request.params.id),
      ),
  );
  app.get(
    '/invoices/:id/einvoice/document',
    {
      config: { access: { object: 'invoices', action: 'read' } },
      schema: {
        tags,
        params: idParams,
        querystring: z.strictObject({ kind: z.enum(['xml', 'pdf']) }),
        description: 'The signed XML or the PDF of the invoice’s e-invoice, from the provider.',
        response: {
          200: z.any().describe('The file (as an attachment)'),
          ...errorResponses,
          ...providerErrors,
        },
      },
    },
    async (request, reply) => {
      const file = await service.invoiceEInvoiceDocument(
        ctx,
        actorOf(request),
        request.params.id,
        request.query.kind,
      );
      const name = file.fileName.replace(/[^\w.-]/g, '_');
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('x-content-type-options', 'nosniff')
        .send(file.data);
    },
  );
}
