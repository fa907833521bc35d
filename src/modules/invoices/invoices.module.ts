import { z } from 'zod';
import { defineJob, inEveryWorkspace, type JobDefinition } from '../../core/jobs.js';
import type { SenModule } from '../index.js';
import { INVOICE_NUMBERING, registerDocumentType } from '../numbering/numbering.registry.js';
import { invoicesObject } from './invoices.object.js';
import { invoicesRoutes } from './invoices.routes.js';
import { markOverdue } from './invoices.service.js';

registerDocumentType(INVOICE_NUMBERING);

/** Daily at 00:10 in Vietnam (17:10 UTC): invoices past their due date become overdue. */
export const overdueJob = defineJob({
  name: 'invoices.overdue',
  payload: z.object({}),
  schedule: '10 17 * * *',
  handler: async (_payload, { db, logger }) => {
    for (const { workspaceId, result: n } of await inEveryWorkspace(db, markOverdue)) {
      if (n > 0) logger.info({ workspaceId, overdue: n }, 'invoices overdue');
    }
  },
});

/** Invoices (#20): the record object, from orders, issue and void, overdue. */
export const invoicesModule: SenModule = {
  name: 'invoices',
  recordObjects: [invoicesObject],
  routes: invoicesRoutes,
  jobs: [overdueJob] as unknown as JobDefinition<never>[],
};
