import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams } from '../../http/schemas.js';
import { conversionPreview, convertLead } from './leads.convert.js';
import { convertBody, convertPreviewResponse, convertResponse } from './leads.convert.schemas.js';

/**
 * The leads' own routes besides the generic record routes (records/records.routes.ts): the
 * conversion into a contact, company and deal, and its preview.
 */
export function leadsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['leads'];

  app.get(
    '/leads/:id/convert/preview',
    {
      config: { access: { object: 'leads', action: 'read' } },
      schema: {
        tags,
        description:
          'What converting the lead would match: contacts holding its emails or phones, ' +
          'companies with its tax code (then its exact company name), and the dialog’s defaults.',
        params: idParams,
        response: { 200: convertPreviewResponse, ...errorResponses },
      },
    },
    async (request) => conversionPreview(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/leads/:id/convert',
    {
      config: { access: { object: 'leads', action: 'update' } },
      schema: {
        tags,
        description:
          'Convert the lead into a contact (new or existing), optionally a company (new or ' +
          'existing) and a deal, in one transaction; its notes and attachments move to the ' +
          'contact and it becomes read-only. 409 LEAD_CONVERTED when it already was; 409 ' +
          'DUPLICATE_FOUND when a new contact or company matches an existing one by email, ' +
          'phone or tax code (send allowDuplicate to create it anyway).',
        params: idParams,
        body: convertBody,
        response: { 200: convertResponse, ...errorResponses },
      },
    },
    async (request) => convertLead(ctx, actorOf(request), request.params.id, request.body),
  );
}
