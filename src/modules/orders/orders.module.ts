import { z } from 'zod';
import { defineJob, inEveryWorkspace, type JobDefinition } from '../../core/jobs.js';
import type { SenModule } from '../index.js';
import { ORDER_NUMBERING, registerDocumentType } from '../numbering/numbering.registry.js';
import { ordersObject } from './orders.object.js';
import { ordersRoutes } from './orders.routes.js';
import { remindRenewals } from './orders.service.js';

registerDocumentType(ORDER_NUMBERING);

/** Daily at 08:00 in Vietnam (01:00 UTC): contracts' owners reminded of renewals. */
export const renewalJob = defineJob({
  name: 'orders.renewal-reminders',
  payload: z.object({}),
  schedule: '0 1 * * *',
  handler: async (_payload, { db, logger }) => {
    for (const { workspaceId, result: n } of await inEveryWorkspace(db, remindRenewals)) {
      if (n > 0) logger.info({ workspaceId, reminded: n }, 'renewal reminders sent');
    }
  },
});

/** Orders and contracts (#20): the record object, confirm / deliver / cancel, renewals. */
export const ordersModule: SenModule = {
  name: 'orders',
  recordObjects: [ordersObject],
  routes: ordersRoutes,
  jobs: [renewalJob] as unknown as JobDefinition<never>[],
};
