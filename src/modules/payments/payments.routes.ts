import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams } from '../../http/schemas.js';
import {
  allocationsBody,
  allocationsResponse,
  paymentResponse,
  reverseBody,
} from './payments.schemas.js';
import * as service from './payments.service.js';

export function paymentsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/payments/:id/allocations',
    {
      config: { access: { object: 'payments', action: 'read' } },
      schema: {
        tags: ['payments'],
        params: idParams,
        response: { 200: allocationsResponse, ...errorResponses },
      },
    },
    async (request) => service.allocationsOf(ctx, actorOf(request), request.params.id),
  );
  app.post(
    '/payments/:id/allocations',
    {
      config: { access: { object: 'payments', action: 'update' } },
      schema: {
        tags: ['payments'],
        params: idParams,
        body: allocationsBody,
        description:
          'Apply what is left of a payment (the customer’s credit) to invoices of the same customer, each at most its balance.',
        response: { 200: paymentResponse, ...errorResponses },
      },
    },
    async (request) =>
      service.allocatePayment(ctx, actorOf(request), request.params.id, request.body.allocations),
  );
  app.post(
    '/payments/:id/reverse',
    {
      config: { access: { object: 'payments', action: 'approve' } },
      schema: {
        tags: ['payments'],
        params: idParams,
        body: reverseBody,
        description:
          'Reverse a payment with a reason (needs `approve` on payments): it and its allocations stay, marked reversed; its invoices are open again.',
        response: { 200: paymentResponse, ...errorResponses },
      },
    },
    async (request) =>
      service.reversePayment(ctx, actorOf(request), request.params.id, request.body.reason),
  );
}
