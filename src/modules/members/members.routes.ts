import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { memberStatuses } from '../../db/schema/index.js';
import type { AppContext } from '../../core/context.js';
import { actorOf, clientInfo, setSessionCookie } from '../../http/request.js';
import {
  email,
  errorResponses,
  idParams,
  iso,
  isoDate,
  isoOrNull,
  noContent,
  password,
  personName,
} from '../../http/schemas.js';
import { sessionResponse } from '../auth/auth.schemas.js';
import { openSession } from '../auth/auth.service.js';
import type { InvitationRow, MemberRow } from './members.repository.js';
import * as service from './members.service.js';

const member = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  roleId: z.uuid(),
  roleName: z.string(),
  status: z.enum(memberStatuses),
  teamIds: z.array(z.uuid()),
  lastSignInAt: isoDate.nullable(),
  joinedAt: isoDate,
});

const invitation = z.object({
  id: z.uuid(),
  email: z.string(),
  roleId: z.uuid(),
  roleName: z.string(),
  invitedByName: z.string().nullable(),
  expiresAt: isoDate,
  createdAt: isoDate,
});

const presentMember = (m: MemberRow): z.infer<typeof member> => ({
  id: m.id,
  name: m.name,
  email: m.email,
  roleId: m.role_id,
  roleName: m.role_name,
  status: m.status,
  teamIds: m.team_ids,
  lastSignInAt: isoOrNull(m.last_sign_in_at),
  joinedAt: iso(m.joined_at),
});

const presentInvitation = (i: InvitationRow): z.infer<typeof invitation> => ({
  id: i.id,
  email: i.email,
  roleId: i.role_id,
  roleName: i.role_name,
  invitedByName: i.invited_by_name,
  expiresAt: iso(i.expires_at),
  createdAt: iso(i.created_at),
});

function publicBaseUrl(ctx: AppContext, request: FastifyRequest): string {
  return ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;
}

export function membersRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['members'];

  app.get(
    '/users',
    {
      config: { access: { object: 'members', action: 'read' } },
      schema: { tags, response: { 200: z.object({ items: z.array(member) }), ...errorResponses } },
    },
    async (request) => ({
      items: (await service.listMembers(ctx, actorOf(request))).map(presentMember),
    }),
  );

  app.patch(
    '/users/:id',
    {
      config: { access: { object: 'members', action: 'update' } },
      schema: {
        tags,
        params: idParams,
        body: z.strictObject({
          roleId: z.uuid().optional(),
          status: z.enum(memberStatuses).optional(),
        }),
        response: { 200: member, ...errorResponses },
      },
    },
    async (request) =>
      presentMember(
        await service.updateMember(ctx, actorOf(request), request.params.id, request.body),
      ),
  );

  app.get(
    '/invitations',
    {
      config: { access: { object: 'members', action: 'read' } },
      schema: {
        tags,
        response: { 200: z.object({ items: z.array(invitation) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: (await service.listInvitations(ctx, actorOf(request))).map(presentInvitation),
    }),
  );

  app.post(
    '/invitations',
    {
      config: { access: { object: 'members', action: 'create' } },
      schema: {
        tags,
        body: z.strictObject({ email, roleId: z.uuid() }),
        response: { 201: z.object({ invitation, url: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { invitation: inv, token } = await service.invite(ctx, actorOf(request), request.body);
      const url = `${publicBaseUrl(ctx, request)}/invite/${token}`;
      return reply.status(201).send({ invitation: presentInvitation(inv), url });
    },
  );

  app.delete(
    '/invitations/:id',
    {
      config: { access: { object: 'members', action: 'create' } },
      schema: { tags, params: idParams, response: { 204: noContent, ...errorResponses } },
    },
    async (request, reply) => {
      await service.revokeInvitation(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  const token = z.string().min(10).max(200);

  app.get(
    '/invitations/lookup/:token',
    {
      // The invitation's token is in the URL: not in the request log (info).
      logLevel: 'warn',
      config: { access: 'public' },
      schema: {
        tags,
        params: z.strictObject({ token }),
        response: {
          200: z.object({
            workspaceName: z.string(),
            email: z.string(),
            existingUser: z.boolean(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => service.lookupInvitation(ctx, request.params.token),
  );

  app.post(
    '/invitations/accept',
    {
      config: { access: 'public' },
      schema: {
        tags,
        body: z.strictObject({ token, name: personName, password }),
        response: { 200: sessionResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const who = await service.acceptInvitation(ctx, request.body, request.id);
      const { token: sessionToken, view } = await openSession(
        ctx,
        who,
        clientInfo(request),
        request.id,
      );
      setSessionCookie(ctx, request, reply, sessionToken);
      return view;
    },
  );
}
