import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PATH_OBJECT } from '../../http/access.js';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams, noContent } from '../../http/schemas.js';
import {
  createNoteBody,
  note,
  pageQuery,
  recordParams,
  updateNoteBody,
  writtenNote,
} from './notes.schemas.js';
import * as service from './notes.service.js';

export function notesRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['notes'];

  app.get(
    '/:object/:id/notes',
    {
      config: { access: { object: PATH_OBJECT, action: 'read' } },
      schema: {
        tags,
        params: recordParams,
        querystring: pageQuery,
        response: {
          200: z.object({ items: z.array(note), nextCursor: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      service.listNotes(
        ctx,
        actorOf(request),
        request.params.object,
        request.params.id,
        request.query,
      ),
  );

  app.post(
    '/:object/:id/notes',
    {
      config: { access: { object: PATH_OBJECT, action: 'update' } },
      schema: {
        tags,
        params: recordParams,
        body: createNoteBody,
        response: { 201: writtenNote, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.createNote(
            ctx,
            actorOf(request),
            request.params.object,
            request.params.id,
            request.body,
          ),
        ),
  );

  app.patch(
    '/notes/:id',
    {
      config: { access: { recordOf: 'notes', action: 'update' } },
      schema: {
        tags,
        params: idParams,
        body: updateNoteBody,
        response: { 200: writtenNote, ...errorResponses },
      },
    },
    async (request) => service.updateNote(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/notes/:id',
    {
      config: { access: { recordOf: 'notes', action: 'update' } },
      schema: { tags, params: idParams, response: { 204: noContent, ...errorResponses } },
    },
    async (request, reply) => {
      await service.deleteNote(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
