import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { auditActorTypes, auditChannels } from '../../db/schema/index.js';
import { errorResponses, iso, isoDate } from '../../http/schemas.js';
import * as service from './audit.service.js';

const entry = z.object({
  id: z.string(),
  occurredAt: isoDate,
  actor: z
    .object({
      type: z.enum(auditActorTypes),
      id: z.string().nullable(),
      name: z.string().nullable(),
    })
    .nullable(),
  userId: z.string().nullable(),
  channel: z.enum(auditChannels),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string(),
  /** The object's current name (record, member, role, team…); null when it is gone or unnamed. */
  objectName: z.string().nullable(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).nullable(),
  requestId: z.string().nullable(),
  /** Names of the members, roles, teams and records whose ids appear in `changes`, by id. */
  names: z.record(z.string(), z.string()),
});

export function auditRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/audit-log',
    {
      config: { access: { object: 'audit_log', action: 'read' } },
      schema: {
        tags: ['audit'],
        querystring: z.strictObject({
          objectType: z.string().max(64).optional(),
          objectId: z.string().max(100).optional(),
          actorId: z.uuid().optional(),
          action: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z
            .string()
            .regex(/^\d{1,18}$/)
            .optional(),
        }),
        response: {
          200: z.object({ items: z.array(entry), nextCursor: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const page = await service.listAudit(ctx, actorOf(request), request.query);
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((e) => ({
          id: e.id,
          occurredAt: iso(e.occurred_at),
          actor: { type: e.actor_type, id: e.actor_id, name: e.actor_name },
          userId: e.user_id,
          channel: e.channel,
          action: e.action,
          objectType: e.object_type,
          objectId: e.object_id,
          objectName: e.object_name,
          changes: e.changes,
          requestId: e.request_id,
          names: e.names ?? {},
        })),
      };
    },
  );
}
