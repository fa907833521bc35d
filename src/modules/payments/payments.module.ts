import type { SenModule } from '../index.js';
import { PAYMENT_NUMBERING, registerDocumentType } from '../numbering/numbering.registry.js';
import { paymentsObject } from './payments.object.js';
import { paymentsRoutes } from './payments.routes.js';

registerDocumentType(PAYMENT_NUMBERING);

/** Payments (#20): the record object, allocations to invoices, reversal. */
export const paymentsModule: SenModule = {
  name: 'payments',
  recordObjects: [paymentsObject],
  routes: paymentsRoutes,
};
