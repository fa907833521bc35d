import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams } from '../../http/schemas.js';
import { recordObjectDefinitions } from '../records/define.js';
import { importMapping, importOptions } from './run.js';
import * as service from './imports.service.js';
import { importResponse, previewResponse } from './imports.schemas.js';

const badUpload = {
  vi: 'Tệp tải lên không đọc được: cần đúng một phần "file" trong nội dung multipart/form-data hoàn chỉnh.',
  en: 'The upload cannot be read: send exactly one "file" part in a complete multipart/form-data body.',
};

function uploadError(err: unknown, maxBytes: number): AppError {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return service.fileTooLarge(maxBytes);
  return new AppError('BAD_REQUEST', { text: badUpload });
}

const planBody = z.strictObject({
  mapping: importMapping,
  options: importOptions,
});

/**
 * Imports (docs/imports.md): upload and analyse a file into a record object, preview the
 * mapping, run it as a job, follow its progress, download its error file, undo it.
 */
export function importsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['imports'];

  void app.register(async (scope) => {
    await scope.register(multipart, {
      limits: {
        fileSize: ctx.config.importMaxBytes,
        files: 1,
        fields: 0,
        parts: 1,
        headerPairs: 20,
      },
    });
    for (const def of recordObjectDefinitions()) {
      scope.withTypeProvider<ZodTypeProvider>().post(
        `/${def.key}/imports`,
        {
          config: { access: { object: def.key, action: 'import' } },
          schema: {
            tags,
            consumes: ['multipart/form-data'],
            description: `One file (CSV, XLSX) in a multipart/form-data body, at most ${ctx.config.importMaxBytes} bytes. \`sheet\`: the XLSX sheet to read (default: the first with rows).`,
            querystring: z.strictObject({ sheet: z.string().max(200).optional() }),
            response: { 201: importResponse, ...errorResponses },
          },
        },
        async (request, reply) => {
          if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
          const file = await request.file().catch((e: unknown) => {
            throw uploadError(e, ctx.config.importMaxBytes);
          });
          if (!file) throw uploadError(null, ctx.config.importMaxBytes);
          const created = await service
            .uploadImport(ctx, actorOf(request), def.key, {
              fileName: file.filename,
              stream: file.file,
              truncated: () => file.file.truncated,
              ...(request.query.sheet !== undefined ? { sheet: request.query.sheet } : {}),
            })
            .catch((e: unknown) => {
              throw e instanceof AppError ? e : uploadError(e, ctx.config.importMaxBytes);
            });
          return reply.status(201).send(created);
        },
      );
    }
  });

  for (const def of recordObjectDefinitions()) {
    app.get(
      `/${def.key}/imports`,
      {
        config: { access: { object: def.key, action: 'import' } },
        schema: {
          tags,
          description: 'The last 50 imports into this object, newest first.',
          response: { 200: z.object({ items: z.array(importResponse) }), ...errorResponses },
        },
      },
      async (request) => service.listImports(ctx, actorOf(request), def.key),
    );
  }

  app.get(
    '/imports/:id',
    {
      config: { access: 'member' },
      schema: { tags, params: idParams, response: { 200: importResponse, ...errorResponses } },
    },
    async (request) => service.getImport(ctx, actorOf(request), request.params.id),
  );

  app.put(
    '/imports/:id/sheet',
    {
      config: { access: 'member' },
      schema: {
        tags,
        params: idParams,
        body: z.strictObject({ sheet: z.string().min(1).max(200) }),
        response: { 200: importResponse, ...errorResponses },
      },
    },
    async (request) =>
      service.chooseSheet(ctx, actorOf(request), request.params.id, request.body.sheet),
  );

  app.post(
    '/imports/:id/preview',
    {
      config: { access: 'member' },
      schema: {
        tags,
        params: idParams,
        body: planBody,
        description:
          'The first rows as the run would write them (nothing is kept): normalised values, errors, duplicates.',
        response: { 200: previewResponse, ...errorResponses },
      },
    },
    async (request) =>
      service.previewImport(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/imports/:id/start',
    {
      config: { access: 'member' },
      schema: {
        tags,
        params: idParams,
        body: planBody.extend({ template: z.string().max(100).optional() }),
        response: { 202: importResponse, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await service.startImport(ctx, actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/imports/:id/undo',
    {
      config: { access: 'member' },
      schema: { tags, params: idParams, response: { 202: importResponse, ...errorResponses } },
    },
    async (request, reply) =>
      reply.status(202).send(await service.startUndo(ctx, actorOf(request), request.params.id)),
  );

  app.get(
    '/imports/:id/errors',
    {
      config: { access: 'member' },
      schema: {
        tags,
        params: idParams,
        description:
          'CSV (UTF-8 with BOM) of the rows that failed or were skipped: the line, the original cells and the reasons in the caller’s language.',
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const rows = service.errorFile(ctx, actor, request.params.id, request.locale);
      // The first chunk (the header) checks access before anything is sent.
      const first = await rows.next();
      async function* rest() {
        if (!first.done) yield first.value;
        yield* rows;
      }
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="import-errors-${request.params.id.slice(0, 8)}.csv"`,
        )
        .send(Readable.from(rest()));
    },
  );
}
