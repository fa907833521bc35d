import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../core/jobs.js';
import { queryRows } from '../../db/sql.js';
import type { SenModule } from '../index.js';
import { salesReportsRoutes } from './sales-reports.routes.js';
import { takeSnapshot } from './sales-reports.service.js';

const sqlWorkspaces = sql`SELECT id FROM workspaces ORDER BY created_at`;

/** Weekly, on Monday morning in Vietnam (Sunday 18:30 UTC = Monday 01:30 ICT). */
export const snapshotJob = defineJob({
  name: 'deals.forecast-snapshot',
  payload: z.object({}),
  schedule: '30 18 * * 0',
  handler: async (_payload, { db, logger }) => {
    const workspaces = await db.system((tx) => queryRows<{ id: string }>(tx, sqlWorkspaces));
    for (const { id } of workspaces) {
      const rows = await db.tenant({ workspaceId: id, userId: null }, (tx) => takeSnapshot(tx));
      logger.info({ workspaceId: id, rows }, 'forecast snapshot taken');
    }
  },
});

/**
 * Forecast and sales reports (#19): the report, the targets per salesperson and month (everyone
 * reads the targets they may see; managers set them), the weekly forecast snapshot.
 */
export const salesReportsModule: SenModule = {
  name: 'sales-reports',
  permissionObjects: [
    {
      key: 'sales_targets',
      actions: ['read', 'update'],
      scoped: false,
      defaults: {
        manager: { read: true, update: true },
        sales: { read: true },
        marketing: { read: true },
        viewer: { read: true },
      },
    },
  ],
  routes: salesReportsRoutes,
  jobs: [snapshotJob] as unknown as JobDefinition<never>[],
};
