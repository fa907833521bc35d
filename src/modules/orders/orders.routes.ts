import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams } from '../../http/schemas.js';
import { cancelBody, deliveriesResponse, deliveryBody, orderResponse } from './orders.schemas.js';
import * as service from './orders.service.js';

const etag = (o: unknown) => `"${(o as { version?: number }).version ?? 0}"`;

export function ordersRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const action = { config: { access: { object: 'orders', action: 'update' as const } } };

  app.post(
    '/quotes/:id/order',
    {
      config: { access: { object: 'orders', action: 'create' } },
      schema: {
        tags: ['orders'],
        params: idParams,
        description:
          'Make a draft order from an accepted quote: its customer, deal and lines (one live order per quote).',
        response: { 201: orderResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const order = await service.orderFromQuote(ctx, actorOf(request), request.params.id);
      return reply.status(201).header('etag', etag(order)).send(order);
    },
  );
  app.post(
    '/orders/:id/confirm',
    {
      ...action,
      schema: {
        tags: ['orders'],
        params: idParams,
        description:
          'Confirm a draft order: its goods are reserved in its warehouse (409 INSUFFICIENT_STOCK when a product without backorders is short).',
        response: { 200: orderResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const order = await service.confirmOrder(ctx, actorOf(request), request.params.id);
      return reply.header('etag', etag(order)).send(order);
    },
  );
  app.post(
    '/orders/:id/cancel',
    {
      ...action,
      schema: {
        tags: ['orders'],
        params: idParams,
        body: cancelBody,
        description: 'Cancel with a reason; what was reserved and not delivered is released.',
        response: { 200: orderResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const order = await service.cancelOrder(
        ctx,
        actorOf(request),
        request.params.id,
        request.body.reason,
      );
      return reply.header('etag', etag(order)).send(order);
    },
  );
  app.post(
    '/orders/:id/deliveries',
    {
      ...action,
      schema: {
        tags: ['orders'],
        params: idParams,
        body: deliveryBody,
        description:
          'Record a delivery (all that is left, or `lines`): the goods are issued from the warehouse; the order becomes partly delivered, or delivered and completed.',
        response: { 200: orderResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const order = await service.deliverOrder(
        ctx,
        actorOf(request),
        request.params.id,
        request.body,
      );
      return reply.header('etag', etag(order)).send(order);
    },
  );
  app.get(
    '/orders/:id/deliveries',
    {
      config: { access: { object: 'orders', action: 'read' } },
      schema: {
        tags: ['orders'],
        params: idParams,
        response: { 200: deliveriesResponse, ...errorResponses },
      },
    },
    async (request) => service.deliveries(ctx, actorOf(request), request.params.id),
  );
}
