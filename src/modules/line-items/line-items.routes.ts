import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams } from '../../http/schemas.js';
import { recordObjectDefinitions } from '../records/define.js';
import { ifMatchHeaders, parseIfMatch } from '../records/records.routes.js';
import { lineItemsBody, lineItemsResponse } from './line-items.schemas.js';
import { documentPdf } from './line-items.pdf.js';
import * as service from './line-items.service.js';

/** GET and PUT /<object>/:id/line-items for every record object that declares line items. */
export function lineItemsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  for (const def of recordObjectDefinitions()) {
    if (!def.lineItems) continue;
    const key = def.key;
    if (def.lineItems.pdf) {
      app.get(
        `/${key}/:id/pdf`,
        {
          config: { access: { object: key, action: 'read' } },
          schema: {
            tags: [key],
            params: idParams,
            querystring: z.strictObject({ lang: z.enum(['vi', 'en']).optional() }),
            description:
              'The document as an A4 PDF (the workspace’s letterhead from Settings → Thông tin doanh nghiệp), in Vietnamese unless `lang=en`.',
            response: { 200: z.any().describe('application/pdf'), ...errorResponses },
          },
        },
        async (request, reply) => {
          const { pdf, filename } = await documentPdf(
            ctx,
            actorOf(request),
            key,
            request.params.id,
            request.query.lang ?? 'vi',
          );
          return reply
            .header('content-type', 'application/pdf')
            .header(
              'content-disposition',
              `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
            )
            .send(pdf);
        },
      );
    }
    const path = `/${key}/:id/line-items`;
    app.get(
      path,
      {
        config: { access: { object: key, action: 'read' } },
        schema: {
          tags: [key],
          params: idParams,
          response: { 200: lineItemsResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const result = await service.getLineItems(
          ctx,
          actorOf(request),
          key,
          request.params.id,
          request.locale,
        );
        return reply.header('etag', `"${result.version}"`).send(result);
      },
    );
    app.put(
      path,
      {
        config: { access: { object: key, action: 'update' } },
        schema: {
          tags: [key],
          params: idParams,
          headers: ifMatchHeaders,
          body: lineItemsBody,
          description:
            'Replace the lines. Amounts are computed by the server (exact integer đồng; VAT per rate on the sum of the nets) and the totals written on the record. With `If-Match: "<version>"` a record changed since is refused (409 VERSION_CONFLICT).',
          response: { 200: lineItemsResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const result = await service.replaceLineItems(
          ctx,
          actorOf(request),
          key,
          request.params.id,
          request.body.items,
          { version: parseIfMatch(request.headers['if-match']), locale: request.locale },
        );
        return reply.header('etag', `"${result.version}"`).send(result);
      },
    );
  }
}
