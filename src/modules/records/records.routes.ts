import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PATH_OBJECT } from '../../http/access.js';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams, noContent } from '../../http/schemas.js';
import { boardQuery, boardRecords, boardResponse } from './board.js';
import { recordObjectDefinitions, type RecordObjectDefinition } from './define.js';
import { duplicatesRoutes } from './duplicates.routes.js';
import { ExportAborted } from './export-writers.js';
import {
  bulkBody,
  countQuery,
  exportQuery,
  fieldMeta,
  getQuery,
  objectMeta,
  listQuery,
  listResponse,
} from './records.schemas.js';
import * as service from './records.service.js';
import { vnRoutes } from './vn.routes.js';
import { relationsFrom } from '../relations/registry.js';
import { relationRoutes } from '../relations/relations.routes.js';

/** `columns=a,b,c` as field keys. */
export const splitColumns = (text: string | undefined): string[] | undefined =>
  text
    ?.split(',')
    .map((k) => k.trim())
    .filter(Boolean);

/** `If-Match: "3"` (or W/"3", or 3): the record version a write was made against. */
export const ifMatchHeaders = z.object({
  'if-match': z
    .string()
    .max(40)
    .regex(/^\s*(W\/)?"?\d{1,9}"?\s*$/, 'If-Match is a record version: "3"')
    .optional(),
});

export function parseIfMatch(value: string | undefined): number | undefined {
  const digits = value?.match(/\d+/)?.[0];
  return digits === undefined ? undefined : Number(digits);
}

/** A record's ETag: its version, quoted. */
const etag = (record: unknown): string => `"${(record as { version: number }).version}"`;

/**
 * The routes of one record object (docs/customer-records.md, "API"), made for every declared
 * object by looping over the registry: the same for contacts, companies, products and every
 * later object.
 */
function objectRoutes(
  fastify: FastifyInstance,
  ctx: AppContext,
  def: RecordObjectDefinition,
): void {
  const { kind, schemas } = def;
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const base = `/${kind.key}`;
  const tags = [kind.key];
  const response = schemas.response;

  app.get(
    base,
    {
      config: { access: { object: kind.key, action: 'read' }, cachedPrincipal: true },
      schema: {
        tags,
        querystring: listQuery,
        response: { 200: listResponse(response), ...errorResponses },
      },
    },
    async (request) => service.listRecords(ctx, actorOf(request), kind, request.query),
  );

  app.get(
    `${base}/count`,
    {
      config: { access: { object: kind.key, action: 'read' }, cachedPrincipal: true },
      schema: {
        tags,
        querystring: countQuery,
        response: { 200: z.object({ count: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => service.countRecordsOf(ctx, actorOf(request), kind, request.query),
  );

  app.get(
    `${base}/board`,
    {
      config: { access: { object: kind.key, action: 'read' }, cachedPrincipal: true },
      schema: {
        tags,
        querystring: boardQuery,
        description:
          "A kanban board: each column's first cards (`limit`), count and cursor (continue with the list: `filter` AND groupBy is the column's value, same `sort`), in one request.",
        response: { 200: boardResponse(response), ...errorResponses },
      },
    },
    async (request) => boardRecords(ctx, actorOf(request), kind, request.query),
  );

  app.get(
    `${base}/export`,
    {
      config: { access: { object: kind.key, action: 'export' } },
      schema: {
        tags,
        querystring: exportQuery,
        description:
          'Every record the list with the same `filter`, `q`, `sort` and `trash` shows, streamed (no row cap): `format` csv (UTF-8 with BOM, the default), xlsx, or vcf (vCard 4.0, objects that offer it: GET /objects `exportFormats`). `columns`: comma-separated field keys (csv, xlsx). For large exports, POST /' +
          kind.key +
          '/exports runs a job instead.',
      },
    },
    async (request, reply) => {
      const { columns, ...params } = request.query;
      const prepared = await service.prepareExport(
        ctx,
        actorOf(request),
        kind,
        { ...params, columns: splitColumns(columns) },
        request.locale,
      );
      const body = new PassThrough();
      prepared.writeTo(body).catch((err: unknown) => {
        if (!(err instanceof ExportAborted)) request.log.error({ err }, 'export failed');
        body.destroy(err instanceof Error ? err : new Error(String(err)));
      });
      return reply
        .header('content-type', prepared.contentType)
        .header('content-disposition', `attachment; filename="${prepared.fileName}"`)
        .header('x-content-type-options', 'nosniff')
        .send(body);
    },
  );

  app.post(
    `${base}/bulk`,
    {
      config: { access: { object: kind.key, action: 'update' } },
      schema: {
        tags,
        body: bulkBody,
        response: { 200: z.object({ updated: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => service.bulkRecords(ctx, actorOf(request), kind, request.body),
  );

  app.post(
    base,
    {
      config: { access: { object: kind.key, action: 'create' } },
      schema: { tags, body: schemas.create, response: { 201: response, ...errorResponses } },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createRecord(ctx, actorOf(request), kind, request.body)),
  );

  app.get(
    `${base}/:id`,
    {
      config: { access: { object: kind.key, action: 'read' }, cachedPrincipal: true },
      schema: {
        tags,
        params: idParams,
        querystring: getQuery,
        response: { 200: response, ...errorResponses },
      },
    },
    async (request, reply) => {
      const record = await service.getRecord(
        ctx,
        actorOf(request),
        kind,
        request.params.id,
        request.query,
      );
      return reply.header('etag', etag(record)).send(record);
    },
  );

  app.patch(
    `${base}/:id`,
    {
      config: { access: { object: kind.key, action: 'update' } },
      schema: {
        tags,
        params: idParams,
        headers: ifMatchHeaders,
        body: schemas.patch,
        description:
          'Change a record. With `If-Match: "<version>"` (the version the client read) a record someone changed since is not overwritten: 409 VERSION_CONFLICT with `details.current`, the record as it is now.',
        response: { 200: response, ...errorResponses },
      },
    },
    async (request, reply) => {
      const record = await service.updateRecord(
        ctx,
        actorOf(request),
        kind,
        request.params.id,
        request.body,
        { version: parseIfMatch(request.headers['if-match']) },
      );
      return reply.header('etag', etag(record)).send(record);
    },
  );

  app.delete(
    `${base}/:id`,
    {
      config: { access: { object: kind.key, action: 'delete' } },
      schema: { tags, params: idParams, response: { 204: noContent, ...errorResponses } },
    },
    async (request, reply) => {
      await service.deleteRecord(ctx, actorOf(request), kind, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${base}/:id/restore`,
    {
      config: { access: { object: kind.key, action: 'delete' } },
      schema: { tags, params: idParams, response: { 200: response, ...errorResponses } },
    },
    async (request) => service.restoreRecord(ctx, actorOf(request), kind, request.params.id),
  );
}

export function recordsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  for (const def of recordObjectDefinitions()) {
    objectRoutes(fastify, ctx, def);
    duplicatesRoutes(fastify, ctx, def);
    for (const relation of relationsFrom(def.key)) relationRoutes(fastify, ctx, relation);
  }

  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/objects',
    {
      config: { access: 'member', cachedPrincipal: true },
      schema: {
        tags: ['records'],
        description:
          'The record objects the caller may read, with their labels and how the web app shows them.',
        response: { 200: z.object({ items: z.array(objectMeta) }), ...errorResponses },
      },
    },
    async (request) => ({ items: service.listObjects(actorOf(request)) }),
  );

  app.get(
    '/objects/:object/fields',
    {
      config: { access: { object: PATH_OBJECT, action: 'read' } },
      schema: {
        tags: ['records'],
        params: z.strictObject({ object: z.string().max(64) }),
        response: { 200: z.object({ items: z.array(fieldMeta) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: await service.listFields(ctx, actorOf(request), request.params.object),
    }),
  );

  vnRoutes(fastify);
}
