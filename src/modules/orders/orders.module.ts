import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../core/jobs.js';
import { queryRows } from '../../db/sql.js';
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
    const workspaces = await db.system((tx) =>
      queryRows<{ id: string }>(tx, sql`SELECT id FROM workspaces ORDER BY created_at`),
    );
    for (const { id } of workspaces) {
      const n = await db.tenant({ workspaceId: id, userId: null }, (tx) => remindRenewals(tx, id));
      if (n > 0) logger.info({ workspaceId: id, reminded: n }, 'renewal reminders sent');
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
