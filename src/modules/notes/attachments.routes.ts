import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { PATH_OBJECT } from '../../http/access.js';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams, noContent } from '../../http/schemas.js';
import { attachment } from './attachments.schemas.js';
import * as service from './attachments.service.js';
import { UploadReadError } from './storage.js';
import { pageQuery, recordParams } from './notes.schemas.js';

const badUpload = {
  vi: 'Tệp tải lên không đọc được: cần đúng một phần "file" trong nội dung multipart/form-data hoàn chỉnh.',
  en: 'The upload cannot be read: send exactly one "file" part in a complete multipart/form-data body.',
};

/** What a failed multipart read answers: 413 for a file over the limit, 400 for the rest. */
function uploadError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE');
  return new AppError('BAD_REQUEST', { text: badUpload });
}

/** Downloads never run as a page of ours: no script, no plugins, no same-origin access. */
const DOWNLOAD_CSP = "default-src 'none'; sandbox";

export function attachmentsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['attachments'];

  // multipart/form-data is accepted by the upload route only (its own plugin scope).
  void app.register(async (scope) => {
    await scope.register(multipart, {
      limits: {
        fileSize: ctx.config.attachmentMaxBytes,
        files: 1,
        fields: 0,
        parts: 1,
        headerPairs: 20,
      },
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/:object/:id/attachments',
      {
        config: { access: { object: PATH_OBJECT, action: 'update' } },
        schema: {
          tags,
          consumes: ['multipart/form-data'],
          description: `One file in a multipart/form-data body (at most ${ctx.config.attachmentMaxBytes} bytes).`,
          params: recordParams,
          response: { 201: attachment, ...errorResponses },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
        const actor = actorOf(request);
        // A body busboy cannot read (no boundary, garbage, cut short, a field instead of a
        // file) is the client's error: 400, and nothing is kept (the service removes its temp).
        const file = await request.file().catch((e: unknown) => {
          throw uploadError(e);
        });
        if (!file) throw uploadError(null);
        const created = await service
          .uploadAttachment(ctx, actor, request.params.object, request.params.id, {
            fileName: file.filename,
            stream: file.file,
            truncated: () => file.file.truncated,
          })
          .catch((e: unknown) => {
            throw e instanceof UploadReadError ? uploadError(e.cause) : e;
          });
        return reply.status(201).send(created);
      },
    );
  });

  app.get(
    '/:object/:id/attachments',
    {
      config: { access: { object: PATH_OBJECT, action: 'read' } },
      schema: {
        tags,
        params: recordParams,
        querystring: pageQuery.pick({ limit: true }),
        response: { 200: z.object({ items: z.array(attachment) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: await service.listAttachments(
        ctx,
        actorOf(request),
        request.params.object,
        request.params.id,
        request.query.limit,
      ),
    }),
  );

  app.get(
    '/attachments/:id/download',
    {
      config: { access: { recordOf: 'attachments', action: 'read' } },
      schema: {
        tags,
        params: idParams,
        response: {
          200: z.any().describe('The file (always as an attachment)'),
          ...errorResponses,
        },
      },
      // After the app-wide onSend hook, which sets the web app's CSP.
      onSend: async (_request, reply, payload) => {
        if (reply.statusCode === 200) void reply.header('content-security-policy', DOWNLOAD_CSP);
        return payload;
      },
    },
    async (request, reply) => {
      const file = await service.openDownload(ctx, actorOf(request), request.params.id);
      return reply
        .header('content-type', file.contentType)
        .header('content-length', String(file.sizeBytes))
        .header('content-disposition', service.contentDisposition(file.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', DOWNLOAD_CSP)
        .send(file.stream);
    },
  );

  app.delete(
    '/attachments/:id',
    {
      config: { access: { recordOf: 'attachments', action: 'update' } },
      schema: { tags, params: idParams, response: { 204: noContent, ...errorResponses } },
    },
    async (request, reply) => {
      await service.deleteAttachment(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
