import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponse, errorResponses, idParams } from '../../http/schemas.js';
import { recordObjectDefinitions } from '../records/define.js';
import * as service from './exports.service.js';
import {
  exportDirectResponse,
  exportJobResponse,
  exportQueuedResponse,
  exportStartBody,
} from './exports.schemas.js';

/**
 * Exports of a view (a list's filter, sort, columns and search): start one, follow a job's
 * progress, download its file. The streamed export itself is GET /:object/export (records).
 */
export function exportsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['exports'];

  for (const def of recordObjectDefinitions()) {
    app.post(
      `/${def.key}/exports`,
      {
        config: { access: { object: def.key, action: 'export' } },
        schema: {
          tags,
          description: `Export a view of ${def.key}. At most SEN_EXPORT_SYNC_MAX_ROWS (${ctx.config.exportSyncMaxRows}) matching rows: 200 with the GET /${def.key}/export address that streams it now. More: 201, a job; follow GET /exports/:id and download its file within 24 hours.`,
          body: exportStartBody,
          response: {
            200: exportDirectResponse,
            201: exportQueuedResponse,
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const started = await service.startExport(
          ctx,
          actorOf(request),
          def.key,
          request.body,
          request.locale,
        );
        return started.mode === 'job'
          ? reply.status(201).send(started)
          : reply.status(200).send(started);
      },
    );
  }

  app.get(
    '/exports/:id',
    {
      config: { access: 'member' },
      schema: {
        tags,
        description: 'An export job, for the member who started it: progress, then its link.',
        params: idParams,
        response: { 200: exportJobResponse, ...errorResponses },
      },
    },
    async (request) => service.getExport(ctx, actorOf(request), request.params.id),
  );

  app.get(
    '/exports/:id/download',
    {
      config: { access: 'member' },
      schema: {
        tags,
        description:
          "A finished export's file, for the member who started it while they may export its object, until it expires (24 hours; 410 after).",
        params: idParams,
        response: {
          200: z.any().describe('The file (always as an attachment)'),
          ...errorResponses,
          410: errorResponse,
        },
      },
    },
    async (request, reply) => {
      const file = await service.openDownload(ctx, actorOf(request), request.params.id);
      return reply
        .header('content-type', file.contentType)
        .header('content-length', String(file.sizeBytes))
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('x-content-type-options', 'nosniff')
        .send(file.stream);
    },
  );
}
