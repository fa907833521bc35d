import { z } from 'zod';
import { defineJob, inEveryWorkspace, type JobDefinition } from '../../core/jobs.js';
import type { SenModule } from '../index.js';
import { salesReportsRoutes } from './sales-reports.routes.js';
import { takeSnapshot } from './sales-reports.service.js';

/** Weekly, on Monday morning in Vietnam (Sunday 18:30 UTC = Monday 01:30 ICT). */
export const snapshotJob = defineJob({
  name: 'deals.forecast-snapshot',
  payload: z.object({}),
  schedule: '30 18 * * 0',
  handler: async (_payload, { db, logger }) => {
    for (const { workspaceId, result: rows } of await inEveryWorkspace(db, (tx) =>
      takeSnapshot(tx),
    )) {
      logger.info({ workspaceId, rows }, 'forecast snapshot taken');
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
