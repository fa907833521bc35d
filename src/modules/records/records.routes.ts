import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PATH_OBJECT } from '../../http/access.js';
import type { AppContext } from '../../http/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams, noContent } from '../../http/schemas.js';
import { companyCreateBody, companyPatchBody, companyResponse } from './companies.schemas.js';
import { companyKind } from './companies.service.js';
import './companies.fields.js';
import {
  contactCompany,
  contactCreateBody,
  contactPatchBody,
  contactResponse,
  linkBody,
  relatedContactResponse,
} from './contacts.schemas.js';
import { contactKind } from './contacts.service.js';
import './contacts.fields.js';
import type { RecordKind } from './kinds.js';
import {
  bulkBody,
  countQuery,
  exportQuery,
  fieldMeta,
  getQuery,
  listQuery,
  listResponse,
} from './records.schemas.js';
import * as service from './records.service.js';
import { vnRoutes } from './vn.routes.js';

/**
 * The routes of one record object (docs/customer-records.md, "API"): the same for contacts,
 * companies and every later object.
 */
function objectRoutes(
  fastify: FastifyInstance,
  ctx: AppContext,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  kind: RecordKind<any, any>,
  schemas: { create: z.ZodType; patch: z.ZodType; response: z.ZodType },
): void {
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
    `${base}/export`,
    {
      config: { access: { object: kind.key, action: 'export' } },
      schema: {
        tags,
        querystring: exportQuery,
        description: 'CSV (UTF-8 with BOM). `columns`: comma-separated field keys.',
      },
    },
    async (request, reply) => {
      const csv = await service.exportRecords(
        ctx,
        actorOf(request),
        kind,
        request.query,
        request.locale,
      );
      const date = new Date().toISOString().slice(0, 10).replaceAll('-', '');
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${kind.key}-${date}.csv"`)
        .send(Readable.from(csv));
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
    async (request) =>
      service.getRecord(ctx, actorOf(request), kind, request.params.id, request.query),
  );

  app.patch(
    `${base}/:id`,
    {
      config: { access: { object: kind.key, action: 'update' } },
      schema: {
        tags,
        params: idParams,
        body: schemas.patch,
        response: { 200: response, ...errorResponses },
      },
    },
    async (request) =>
      service.updateRecord(ctx, actorOf(request), kind, request.params.id, request.body),
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
  objectRoutes(fastify, ctx, contactKind, {
    create: contactCreateBody,
    patch: contactPatchBody,
    response: contactResponse,
  });
  objectRoutes(fastify, ctx, companyKind, {
    create: companyCreateBody,
    patch: companyPatchBody,
    response: companyResponse,
  });

  const app = fastify.withTypeProvider<ZodTypeProvider>();

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

  // Contact ↔ company links.
  const linkParams = z.strictObject({ id: z.uuid(), companyId: z.uuid() });
  app.get(
    '/contacts/:id/companies',
    {
      config: { access: { object: 'contacts', action: 'read' } },
      schema: {
        tags: ['contacts'],
        params: idParams,
        response: { 200: z.object({ items: z.array(contactCompany) }), ...errorResponses },
      },
    },
    async (request) =>
      service.listContactCompanies(ctx, actorOf(request), contactKind, request.params.id),
  );
  app.post(
    '/contacts/:id/companies',
    {
      config: { access: { object: 'contacts', action: 'update' } },
      schema: {
        tags: ['contacts'],
        params: idParams,
        body: linkBody,
        response: { 200: z.object({ items: z.array(contactCompany) }), ...errorResponses },
      },
    },
    async (request) =>
      service.linkCompany(ctx, actorOf(request), contactKind, request.params.id, request.body),
  );
  app.delete(
    '/contacts/:id/companies/:companyId',
    {
      config: { access: { object: 'contacts', action: 'update' } },
      schema: {
        tags: ['contacts'],
        params: linkParams,
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await service.unlinkCompany(
        ctx,
        actorOf(request),
        request.params.id,
        request.params.companyId,
      );
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/companies/:id/contacts',
    {
      config: { access: { object: 'companies', action: 'read' } },
      schema: {
        tags: ['companies'],
        params: idParams,
        querystring: listQuery.omit({ trash: true, withTotal: true }),
        response: { 200: listResponse(relatedContactResponse), ...errorResponses },
      },
    },
    async (request) =>
      service.companyContacts(ctx, actorOf(request), contactKind, request.params.id, request.query),
  );

  vnRoutes(fastify);
}
