import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams } from '../../http/schemas.js';
import { recordObjectDefinitions } from '../records/define.js';
import * as service from './bulk.service.js';
import { bulkOperationResponse, bulkStartBody } from './bulk.schemas.js';

/**
 * Bulk changes as jobs: start one on a selection (a list's filter or ids), follow its
 * progress, undo it. The small synchronous form (up to 1000 ids) is POST /:object/bulk.
 */
export function bulkRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['bulk-operations'];

  for (const def of recordObjectDefinitions()) {
    app.post(
      `/${def.key}/bulk-operations`,
      {
        // The action's own permission (update or delete) is the service's: it is in the body.
        config: { access: { object: def.key, action: 'read' } },
        schema: {
          tags,
          description: `Change many ${def.key} at once, as a job: assign an owner, add or remove a tag, set a field, move to the trash or restore. The selection is \`ids\`, or the list's \`filter\`, \`q\` and \`trash\` in the caller's scope (fixed when it starts; \`total\` is its size). Follow GET /bulk-operations/:id; undo within 30 days with POST /bulk-operations/:id/undo.`,
          body: bulkStartBody,
          response: { 201: bulkOperationResponse, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await service.startBulk(ctx, actorOf(request), def.key, request.body, request.locale),
          ),
    );
  }

  app.get(
    '/bulk-operations/:id',
    {
      config: { access: 'member' },
      schema: {
        tags,
        description: 'A bulk operation, for the member who started it: progress, counts, failures.',
        params: idParams,
        response: { 200: bulkOperationResponse, ...errorResponses },
      },
    },
    async (request) => service.getBulk(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/bulk-operations/:id/undo',
    {
      config: { access: 'member' },
      schema: {
        tags,
        description:
          'Undo a finished bulk operation (its creator, within 30 days): changed values written back unless changed again since, trashed records restored, restored ones trashed again. A job: follow GET /bulk-operations/:id.',
        params: idParams,
        response: { 200: bulkOperationResponse, ...errorResponses },
      },
    },
    async (request) => service.startUndo(ctx, actorOf(request), request.params.id),
  );
}
