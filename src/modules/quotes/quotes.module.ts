import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../core/jobs.js';
import { queryRows } from '../../db/sql.js';
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
    const workspaces = await db.system((tx) =>
      queryRows<{ id: string }>(tx, sql`SELECT id FROM workspaces ORDER BY created_at`),
    );
    for (const { id } of workspaces) {
      const n = await db.tenant({ workspaceId: id, userId: null }, (tx) => expireQuotes(tx));
      if (n > 0) logger.info({ workspaceId: id, expired: n }, 'quotes expired');
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
