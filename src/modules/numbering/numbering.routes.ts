import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses } from '../../http/schemas.js';
import {
  numberingPatchBody,
  numberingTypeView,
  numberingView,
  typeParams,
} from './numbering.schemas.js';
import * as service from './numbering.service.js';

/** Settings → Đánh số chứng từ: each numbered document type's format and counter. */
export function numberingRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['numbering'];

  app.get(
    '/settings/numbering',
    {
      config: { access: { object: service.NUMBERING, action: 'read' } },
      schema: {
        tags,
        description:
          "Every numbered document type (quotes, orders, invoices, payments…): the workspace's format, the counter of its current period and the next number a document of today would get.",
        response: { 200: numberingView, ...errorResponses },
      },
    },
    async (request) => service.getNumbering(ctx, actorOf(request)),
  );

  app.patch(
    '/settings/numbering/:type',
    {
      config: { access: { object: service.NUMBERING, action: 'update' } },
      schema: {
        tags,
        params: typeParams,
        body: numberingPatchBody,
        description:
          "Change a type's format (existing documents keep their numbers) and/or raise the next number of its current period; a next number below one already used is refused (400, `nextValue`, reason `below_used`).",
        response: { 200: numberingTypeView, ...errorResponses },
      },
    },
    async (request) =>
      service.updateNumbering(ctx, actorOf(request), request.params.type, request.body),
  );
}
