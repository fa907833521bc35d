import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams, noContent } from '../../http/schemas.js';
import * as service from './contact-companies.service.js';
import { contactCompany, linkBody, relatedContactResponse } from './contacts.schemas.js';
import { contactKind } from './contacts.service.js';
import { listQuery, listResponse } from '../records/records.schemas.js';

/** The routes of the contact ↔ company relation (mounted by the contacts object). */
export function contactCompaniesRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
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
}
