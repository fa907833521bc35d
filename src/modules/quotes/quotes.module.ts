import { z } from 'zod';
import { defineJob, inEveryWorkspace, type JobDefinition } from '../../core/jobs.js';
import type { SenModule } from '../index.js';
import { registerDocumentType, QUOTE_NUMBERING } from '../numbering/numbering.registry.js';
import { defaultDiscountLimits } from './discount-limits.service.js';
import { quotesObject } from './quotes.object.js';
import { quotesRoutes } from './quotes.routes.js';
import { expireQuotes } from './quotes.service.js';

registerDocumentType(QUOTE_NUMBERING);

/** Daily at 00:05 in Vietnam (17:05 UTC): sent quotes past their validity date expire. */
export const expireJob = defineJob({
  name: 'quotes.expire',
  payload: z.object({}),
  schedule: '5 17 * * *',
  handler: async (_payload, { db, logger }) => {
    for (const { workspaceId, result: n } of await inEveryWorkspace(db, expireQuotes)) {
      if (n > 0) logger.info({ workspaceId, expired: n }, 'quotes expired');
    }
  },
});

/** Quotes (#20): the record object, its status and approval actions, discount limits, expiry. */
export const quotesModule: SenModule = {
  name: 'quotes',
  recordObjects: [quotesObject],
  routes: quotesRoutes,
  jobs: [expireJob] as unknown as JobDefinition<never>[],
  onWorkspaceCreated: defaultDiscountLimits,
};
