import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import {
  actorOf,
  clearSessionCookie,
  clientInfo,
  requireAuth,
  setSessionCookie,
} from '../../http/request.js';
import { errorResponses, noContent } from '../../http/schemas.js';
import {
  changePasswordBody,
  currentSessionResponse,
  meResponse,
  sessionResponse,
  signInBody,
  switchWorkspaceBody,
  updateMeBody,
} from './auth.schemas.js';
import * as auth from './auth.service.js';

export function authRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  app.post(
    '/auth/sign-in',
    {
      config: { access: 'public' },
      schema: { tags, body: signInBody, response: { 200: sessionResponse, ...errorResponses } },
    },
    async (request, reply) => {
      const client = clientInfo(request);
      const who = await auth.signIn(ctx, request.body, client);
      const { token, view } = await auth.openSession(ctx, who, client, request.id);
      setSessionCookie(ctx, request, reply, token);
      return view;
    },
  );

  app.post(
    '/auth/sign-out',
    {
      config: { access: 'public' },
      schema: { tags, response: { 204: noContent, ...errorResponses } },
    },
    async (request, reply) => {
      if (request.auth?.sessionId) await auth.signOut(ctx, request.auth.sessionId);
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/session',
    {
      config: { access: 'member' },
      schema: {
        tags,
        description:
          "The caller's session; 401 when not signed in (see GET /auth/current-session for an answer without an error).",
        response: { 200: sessionResponse, ...errorResponses },
      },
    },
    async (request) => auth.sessionView(ctx, requireAuth(request)),
  );

  // The web app's first question: "not signed in" is a normal answer here (200, session null),
  // not a 401 that the browser would log as a failed request on every signed-out visit.
  app.get(
    '/auth/current-session',
    {
      config: { access: 'public' },
      schema: {
        tags,
        description:
          'The caller\'s session as GET /auth/session answers it, or `{ "session": null }` when not signed in (no cookie, or an unknown or expired one).',
        response: { 200: currentSessionResponse, ...errorResponses },
      },
    },
    async (request) => ({
      session: request.auth ? await auth.sessionView(ctx, request.auth) : null,
    }),
  );

  app.post(
    '/auth/switch-workspace',
    {
      config: { access: 'member' },
      schema: {
        tags,
        body: switchWorkspaceBody,
        response: { 200: sessionResponse, ...errorResponses },
      },
    },
    async (request) => {
      const switched = await auth.switchWorkspace(
        ctx,
        requireAuth(request),
        request.body.workspaceId,
      );
      return auth.sessionView(ctx, switched);
    },
  );

  app.patch(
    '/me',
    {
      config: { access: 'member' },
      schema: { tags, body: updateMeBody, response: { 200: meResponse, ...errorResponses } },
    },
    async (request) => ({ user: await auth.updateProfile(ctx, actorOf(request), request.body) }),
  );

  app.post(
    '/me/password',
    {
      config: { access: 'member' },
      schema: { tags, body: changePasswordBody, response: { 204: noContent, ...errorResponses } },
    },
    async (request, reply) => {
      await auth.changePassword(ctx, requireAuth(request), request.body);
      return reply.status(204).send(null);
    },
  );
}
