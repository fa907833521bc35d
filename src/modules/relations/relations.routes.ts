import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams, noContent } from '../../http/schemas.js';
import { recordObjectDefinition } from '../records/define.js';
import { listQuery, listResponse } from '../records/records.schemas.js';
import type { Relation } from './define.js';
import * as service from './relations.service.js';

/** The request and response bodies of a relation, from its declaration. */
export function relationSchemas(rel: Relation, fromResponse: z.ZodType) {
  if (!(fromResponse instanceof z.ZodObject)) {
    throw new Error(`relation ${rel.key}: ${rel.from.object}'s response is not a zod object`);
  }
  const outputs = Object.fromEntries(rel.attributes.map((a) => [a.key, a.output]));
  const flag = rel.primary ? { [rel.primary.field]: z.boolean() } : {};
  return {
    link: z.object({ [rel.to.idField]: z.uuid(), name: z.string(), ...outputs, ...flag }),
    body: z.strictObject({
      [rel.to.idField]: z.uuid(),
      ...Object.fromEntries(rel.attributes.map((a) => [a.key, a.input.optional()])),
      ...(rel.primary ? { [rel.primary.field]: z.boolean().optional() } : {}),
    }),
    linkParams: z.strictObject({ id: z.uuid(), [rel.to.idField]: z.uuid() }),
    related: fromResponse.extend({ ...outputs, ...flag }),
  };
}

/**
 * The routes of one relation (define.ts), mounted by the records routes after its `from`
 * object's own. A relation naming an object that is not registered stops the server at start.
 */
export function relationRoutes(fastify: FastifyInstance, ctx: AppContext, rel: Relation): void {
  const fromDef = recordObjectDefinition(rel.from.object);
  if (!fromDef || !recordObjectDefinition(rel.to.object)) {
    throw new Error(`relation ${rel.key}: ${rel.from.object} or ${rel.to.object} is not declared`);
  }
  const schemas = relationSchemas(rel, fromDef.schemas.response);
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const links = `/${rel.from.object}/:id/${rel.from.segment}`;
  const linksResponse = z.object({ items: z.array(schemas.link) });

  app.get(
    links,
    {
      config: { access: { object: rel.from.object, action: 'read' } },
      schema: {
        tags: [rel.from.object],
        params: idParams,
        response: { 200: linksResponse, ...errorResponses },
      },
    },
    async (request) => service.listLinks(ctx, actorOf(request), rel, request.params.id),
  );
  app.post(
    links,
    {
      config: { access: { object: rel.from.object, action: 'update' } },
      schema: {
        tags: [rel.from.object],
        params: idParams,
        body: schemas.body,
        response: { 200: linksResponse, ...errorResponses },
      },
    },
    async (request) => service.link(ctx, actorOf(request), rel, request.params.id, request.body),
  );
  app.delete(
    `${links}/:${rel.to.idField}`,
    {
      config: { access: { object: rel.from.object, action: 'update' } },
      schema: {
        tags: [rel.from.object],
        params: schemas.linkParams,
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      const params = request.params as Record<string, string>;
      const [fromId, toId] = [params.id, params[rel.to.idField]];
      if (fromId === undefined || toId === undefined) throw new Error('unvalidated params');
      await service.unlink(ctx, actorOf(request), rel, fromId, toId);
      return reply.status(204).send(null);
    },
  );
  app.get(
    `/${rel.to.object}/:id/${rel.to.segment}`,
    {
      config: { access: { object: rel.to.object, action: 'read' } },
      schema: {
        tags: [rel.to.object],
        params: idParams,
        querystring: listQuery.omit({ trash: true, withTotal: true }),
        response: { 200: listResponse(schemas.related), ...errorResponses },
      },
    },
    async (request) =>
      service.relatedRecords(ctx, actorOf(request), rel, request.params.id, request.query),
  );
}
