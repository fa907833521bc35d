import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams, noContent } from '../../http/schemas.js';
import {
  adjustmentBody,
  levelsPage,
  levelsQuery,
  movementsPage,
  movementsQuery,
  movementsResult,
  receiptBody,
  warehouseCreateBody,
  warehousePatchBody,
  warehousesQuery,
  warehouseView,
} from './stock.schemas.js';
import * as stock from './stock.service.js';
import * as warehouses from './warehouses.service.js';

/** Stock per warehouse (#20): levels, movements, receipts, adjustments and the warehouses. */
export function stockRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['stock'];
  const read = { access: { object: 'stock', action: 'read' } } as const;

  app.get(
    '/stock/levels',
    {
      config: { ...read, cachedPrincipal: true },
      schema: {
        tags,
        querystring: levelsQuery,
        description:
          'Stock of every live product in every live warehouse (or the one named): on hand, reserved, available (on hand − reserved) and whether available is below the product’s reorder level. `q` searches names and SKUs.',
        response: { 200: levelsPage, ...errorResponses },
      },
    },
    async (request) => stock.listLevels(ctx, actorOf(request), request.query),
  );

  app.get(
    '/stock/movements',
    {
      config: { ...read, cachedPrincipal: true },
      schema: {
        tags,
        querystring: movementsQuery,
        description:
          'The stock journal, newest first (receipts, reservations, releases, deliveries, adjustments).',
        response: { 200: movementsPage, ...errorResponses },
      },
    },
    async (request) => stock.listMovements(ctx, actorOf(request), request.query),
  );

  app.post(
    '/stock/receipts',
    {
      config: { access: { object: 'stock', action: 'create' } },
      schema: {
        tags,
        body: receiptBody,
        description: 'Goods received into a warehouse: on hand goes up; one movement per line.',
        response: { 201: movementsResult, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send({ items: await stock.postReceipt(ctx, actorOf(request), request.body) }),
  );

  app.post(
    '/stock/adjustments',
    {
      config: { access: { object: 'stock', action: 'update' } },
      schema: {
        tags,
        body: adjustmentBody,
        description:
          'A correction of on hand (a count, a loss) by a signed quantity, with its reason. On hand never goes below zero.',
        response: { 201: movementsResult, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send({ items: await stock.postAdjustment(ctx, actorOf(request), request.body) }),
  );

  app.get(
    '/stock/warehouses',
    {
      config: { ...read, cachedPrincipal: true },
      schema: {
        tags,
        querystring: warehousesQuery,
        description: 'The warehouses, the default first; archived ones only when asked.',
        response: { 200: z.object({ items: z.array(warehouseView) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: await warehouses.listWarehouses(
        ctx,
        actorOf(request),
        request.query.includeArchived === 'true',
      ),
    }),
  );

  app.post(
    '/stock/warehouses',
    {
      config: { access: { object: 'stock', action: 'update' } },
      schema: {
        tags,
        body: warehouseCreateBody,
        response: { 201: warehouseView, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await warehouses.createWarehouse(ctx, actorOf(request), request.body)),
  );

  app.patch(
    '/stock/warehouses/:id',
    {
      config: { access: { object: 'stock', action: 'update' } },
      schema: {
        tags,
        params: idParams,
        body: warehousePatchBody,
        description:
          'Rename, make the default, archive (no receipts or reservations; the default cannot be) or bring back.',
        response: { 200: warehouseView, ...errorResponses },
      },
    },
    async (request) =>
      warehouses.updateWarehouse(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/stock/warehouses/:id',
    {
      config: { access: { object: 'stock', action: 'update' } },
      schema: {
        tags,
        params: idParams,
        description:
          'Delete a warehouse no movement names (409 otherwise: archive it); never the default.',
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await warehouses.deleteWarehouse(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
