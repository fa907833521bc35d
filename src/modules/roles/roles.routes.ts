import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actions, fieldAccessLevels, scopes } from '../../core/permissions.js';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams, noContent } from '../../http/schemas.js';
import { permissionsSchema } from '../auth/auth.schemas.js';
import * as service from './roles.service.js';

const role = z.object({
  id: z.uuid(),
  key: z.string().nullable(),
  name: z.string(),
  description: z.string(),
  isAdmin: z.boolean(),
  builtIn: z.boolean(),
  permissions: permissionsSchema,
  /** Per record object: fields hidden from the role or read-only for it. */
  fieldAccess: z.record(z.string(), z.record(z.string(), z.enum(fieldAccessLevels))),
  memberCount: z.number().int(),
});

const fieldAccessBody = z.strictObject({
  fieldAccess: z.record(
    z.string().max(64),
    z.record(z.string().max(120), z.enum(fieldAccessLevels)),
  ),
});

const permissionInput = z.strictObject({
  read: z.boolean().default(false),
  create: z.boolean().default(false),
  update: z.boolean().default(false),
  delete: z.boolean().default(false),
  export: z.boolean().default(false),
  import: z.boolean().default(false),
  approve: z.boolean().default(false),
  scope: z.enum(scopes).default('own'),
});
const permissionsInput = z.record(z.string().max(64), permissionInput);
const name = z.string().trim().min(1).max(100);
const description = z.string().trim().max(500);

export function rolesRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['roles'];

  app.get(
    '/permission-objects',
    {
      config: { access: 'member' },
      schema: {
        tags,
        response: {
          200: z.object({
            items: z.array(
              z.object({ key: z.string(), actions: z.array(z.enum(actions)), scoped: z.boolean() }),
            ),
          }),
        },
      },
    },
    async () => ({ items: service.permissionObjectList() }),
  );

  app.get(
    '/roles',
    {
      config: { access: { object: 'roles', action: 'read' } },
      schema: { tags, response: { 200: z.object({ items: z.array(role) }), ...errorResponses } },
    },
    async (request) => ({ items: await service.listRoles(ctx, actorOf(request)) }),
  );

  app.get(
    '/roles/:id',
    {
      config: { access: { object: 'roles', action: 'read' } },
      schema: { tags, params: idParams, response: { 200: role, ...errorResponses } },
    },
    async (request) => service.getRoleById(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/roles',
    {
      config: { access: { object: 'roles', action: 'create' } },
      schema: {
        tags,
        body: z.strictObject({
          name,
          description: description.optional(),
          permissions: permissionsInput,
        }),
        response: { 201: role, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createRole(ctx, actorOf(request), request.body)),
  );

  app.patch(
    '/roles/:id',
    {
      config: { access: { object: 'roles', action: 'update' } },
      schema: {
        tags,
        params: idParams,
        body: z.strictObject({
          name: name.optional(),
          description: description.optional(),
          permissions: permissionsInput.optional(),
        }),
        response: { 200: role, ...errorResponses },
      },
    },
    async (request) => service.updateRole(ctx, actorOf(request), request.params.id, request.body),
  );

  app.put(
    '/roles/:id/field-access',
    {
      config: { access: { object: 'roles', action: 'update' } },
      schema: {
        tags: ['roles'],
        params: idParams,
        body: fieldAccessBody,
        description:
          "Replace the role's field access: per record object, fields `hidden` from it (absent from responses, lists, filters, exports, search, timelines and reports) or `read_only`. Not for the admin role.",
        response: { 200: role, ...errorResponses },
      },
    },
    async (request) =>
      service.saveFieldAccess(ctx, actorOf(request), request.params.id, request.body.fieldAccess),
  );

  app.delete(
    '/roles/:id',
    {
      config: { access: { object: 'roles', action: 'delete' } },
      schema: { tags, params: idParams, response: { 204: noContent, ...errorResponses } },
    },
    async (request, reply) => {
      await service.deleteRole(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
