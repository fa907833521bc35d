import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import type { Locale } from '../../core/errors.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, noContent } from '../../http/schemas.js';
import {
  formableFieldList,
  formCreateBody,
  formList,
  formParams,
  formPatchBody,
  formView,
  submissionList,
  submissionsQuery,
} from './lead-forms.schemas.js';
import * as service from './lead-forms.service.js';

/** The app's address as the snippet and the hosted link name it. */
export function originOf(ctx: AppContext, request: FastifyRequest): string {
  return ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;
}

const presentation = (ctx: AppContext, request: FastifyRequest): service.Presentation => ({
  origin: originOf(ctx, request),
  locale: (request.auth?.locale ?? request.locale) as Locale,
});

/** Settings → Biểu mẫu thu thập (admins, managers, marketing: permission object lead_forms). */
export function leadFormsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['lead-forms'];
  const access = (action: 'read' | 'create' | 'update' | 'delete') => ({
    access: { object: service.PERMISSION, action },
  });

  app.get(
    '/lead-forms',
    {
      config: access('read'),
      schema: {
        tags,
        description:
          "The workspace's lead capture forms, with their submissions count, hosted link and embed snippet.",
        response: { 200: formList, ...errorResponses },
      },
    },
    async (request) => service.listForms(ctx, actorOf(request), presentation(ctx, request)),
  );

  app.get(
    '/lead-forms/fields',
    {
      config: access('read'),
      schema: {
        tags,
        description:
          "What a form may ask: the lead's fields a person fills in and the custom fields of leads.",
        response: { 200: formableFieldList, ...errorResponses },
      },
    },
    async (request) => service.listFormableFields(ctx, actorOf(request)),
  );

  app.post(
    '/lead-forms',
    {
      config: access('create'),
      schema: {
        tags,
        body: formCreateBody,
        description:
          'Create a form: its questions (a name, as required, and an email or a phone), what follows a submission (a thank-you text or a redirect to an http(s) URL), the source and campaign of its leads, and its rate limits per minute (per client IP, default 10; per form, default 300).',
        response: { 201: formView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const view = await service.createForm(
        ctx,
        actorOf(request),
        request.body,
        presentation(ctx, request),
      );
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/lead-forms/:id',
    {
      config: access('read'),
      schema: { tags, params: formParams, response: { 200: formView, ...errorResponses } },
    },
    async (request) =>
      service.getForm(ctx, actorOf(request), request.params.id, presentation(ctx, request)),
  );

  app.patch(
    '/lead-forms/:id',
    {
      config: access('update'),
      schema: {
        tags,
        params: formParams,
        body: formPatchBody,
        response: { 200: formView, ...errorResponses },
      },
    },
    async (request) =>
      service.updateForm(
        ctx,
        actorOf(request),
        request.params.id,
        request.body,
        presentation(ctx, request),
      ),
  );

  app.post(
    '/lead-forms/:id/regenerate-key',
    {
      config: access('update'),
      schema: {
        tags,
        params: formParams,
        description:
          'A new public key: the hosted link and every embedded snippet with the old key stop working at once (404).',
        response: { 200: formView, ...errorResponses },
      },
    },
    async (request) =>
      service.regenerateKey(ctx, actorOf(request), request.params.id, presentation(ctx, request)),
  );

  app.delete(
    '/lead-forms/:id',
    {
      config: access('delete'),
      schema: {
        tags,
        params: formParams,
        description:
          'Delete a form nobody has submitted yet (409 otherwise: turn it off instead, its submissions stay on the records).',
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await service.deleteForm(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/lead-forms/:id/submissions',
    {
      config: access('read'),
      schema: {
        tags,
        params: formParams,
        querystring: submissionsQuery,
        description:
          "A form's submissions, newest first: when, what became of each (a new lead, joined to a lead or a contact, spam), the answers in words, UTM, referrer and landing page.",
        response: { 200: submissionList, ...errorResponses },
      },
    },
    async (request) =>
      service.listSubmissions(ctx, actorOf(request), request.params.id, request.query),
  );
}
