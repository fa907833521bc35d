import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams, noContent } from '../../http/schemas.js';
import {
  priceListCreateBody,
  priceListItemsBody,
  priceListItemsView,
  priceListPatchBody,
  priceListView,
  quotePricesQuery,
  quotePricesView,
} from './price-lists.schemas.js';
import * as service from './price-lists.service.js';

/** Price lists per customer group (Settings → Bảng giá) and the quote editor's prices. */
export function priceListsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['price-lists'];
  const read = { object: 'price_lists', action: 'read' } as const;
  const update = { object: 'price_lists', action: 'update' } as const;

  app.get(
    '/price-lists',
    {
      config: { access: read, cachedPrincipal: true },
      schema: {
        tags,
        description:
          'The price lists, the default first then by name, with how many products each prices and how many companies and contacts name it.',
        response: { 200: z.object({ items: z.array(priceListView) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await service.listPriceLists(ctx, actorOf(request)) }),
  );

  // Before /price-lists/:id, so "quote-prices" is not taken for an id.
  app.get(
    '/price-lists/quote-prices',
    {
      config: { access: read, cachedPrincipal: true },
      schema: {
        tags,
        querystring: quotePricesQuery,
        description:
          "The price of each product for a customer (a quote's lines): the company's list, else the contact's, else the default list (the first active one); a product missing from it takes its own price. Inactive and trashed products are priced too; ids of no product are left out. A company or contact named must be visible to the caller.",
        response: { 200: quotePricesView, ...errorResponses },
      },
    },
    async (request) => service.quotePrices(ctx, actorOf(request), request.query),
  );

  app.post(
    '/price-lists',
    {
      config: { access: update },
      schema: {
        tags,
        body: priceListCreateBody,
        response: { 201: priceListView, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createPriceList(ctx, actorOf(request), request.body)),
  );

  app.get(
    '/price-lists/:id',
    {
      config: { access: read, cachedPrincipal: true },
      schema: { tags, params: idParams, response: { 200: priceListView, ...errorResponses } },
    },
    async (request) => service.getPriceList(ctx, actorOf(request), request.params.id),
  );

  app.patch(
    '/price-lists/:id',
    {
      config: { access: update },
      schema: {
        tags,
        params: idParams,
        body: priceListPatchBody,
        description:
          'Rename, describe, (de)activate a list or make it the default (the previous default stops being one; deactivating the default ends it being the default).',
        response: { 200: priceListView, ...errorResponses },
      },
    },
    async (request) =>
      service.updatePriceList(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/price-lists/:id',
    {
      config: { access: update },
      schema: {
        tags,
        params: idParams,
        description:
          'Delete a list and its prices; the companies and contacts that named it are left with none.',
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await service.deletePriceList(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/price-lists/:id/items',
    {
      config: { access: read, cachedPrincipal: true },
      schema: {
        tags,
        params: idParams,
        description:
          "The list's prices by product name, each with the product's SKU, unit, own price and the difference in %.",
        response: { 200: priceListItemsView, ...errorResponses },
      },
    },
    async (request) => service.listItems(ctx, actorOf(request), request.params.id),
  );

  app.put(
    '/price-lists/:id/items',
    {
      config: { access: update },
      schema: {
        tags,
        params: idParams,
        body: priceListItemsBody,
        description:
          "Replace the list's prices in one request: products left out are removed. Each product once, one of the workspace's (not in the trash unless already priced), prices integer đồng ≥ 0.",
        response: { 200: priceListItemsView, ...errorResponses },
      },
    },
    async (request) => service.saveItems(ctx, actorOf(request), request.params.id, request.body),
  );
}
