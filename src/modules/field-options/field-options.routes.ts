import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses } from '../../http/schemas.js';
import {
  optionListBody,
  optionListIndex,
  optionListParams,
  optionListView,
} from './field-options.schemas.js';
import * as service from './field-options.service.js';

/** Option lists of select fields (lifecycle stages, industries, units…), edited per workspace. */
export function fieldOptionsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['option lists'];

  app.get(
    '/field-options',
    {
      config: { access: { object: 'custom_fields', action: 'read' } },
      schema: {
        tags,
        description: 'The select fields whose options each workspace edits.',
        response: { 200: optionListIndex, ...errorResponses },
      },
    },
    async (request) => ({ items: service.listOptionLists(actorOf(request)) }),
  );

  app.get(
    '/field-options/:object/:field',
    {
      config: { access: { object: 'custom_fields', action: 'read' } },
      schema: {
        tags,
        params: optionListParams,
        description:
          "A field's options in the workspace (archived ones included) with how many records hold each, and the values records hold that are not in the list.",
        response: { 200: optionListView, ...errorResponses },
      },
    },
    async (request) =>
      service.getOptionList(ctx, actorOf(request), request.params.object, request.params.field),
  );

  app.put(
    '/field-options/:object/:field',
    {
      config: { access: { object: 'custom_fields', action: 'update' } },
      schema: {
        tags,
        params: optionListParams,
        body: optionListBody,
        description:
          'Replace the list: add (no key), rename, reorder, recolour, archive. Removing an option records still hold is refused (409): archive it instead.',
        response: { 200: optionListView, ...errorResponses },
      },
    },
    async (request) =>
      service.saveOptionList(
        ctx,
        actorOf(request),
        request.params.object,
        request.params.field,
        request.body,
      ),
  );
}
