import type { PermissionObject } from '../../core/permissions.js';
import { scoringJobs } from './scoring.jobs.js';
import { scoringRoutes } from './scoring.routes.js';
import { SCORING } from './scoring.service.js';

/**
 * Who may see and change the scoring rules: admins (everything), managers and marketing (who
 * run the lead funnel, as in HubSpot) change them; sales and support read them, so a rep can
 * see why a lead scores what it does.
 */
export const scoringPermission: PermissionObject = {
  key: SCORING,
  actions: ['read', 'update'],
  scoped: false,
  defaults: {
    manager: { read: true, update: true },
    marketing: { read: true, update: true },
    sales: { read: true },
    support: { read: true },
  },
};

/** The scoring module's entry in src/modules/index.ts. */
export const scoringModule = {
  name: 'scoring',
  routes: scoringRoutes,
  jobs: scoringJobs,
  permissionObjects: [scoringPermission],
};
