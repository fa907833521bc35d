import type { SenModule } from '../index.js';
import { dealsObject } from './deals.object.js';
import { pipelinesRoutes } from './pipelines.routes.js';
import { createDefaultPipeline } from './pipelines.service.js';

/**
 * Deals and their pipelines: the deals record object, the pipelines' settings (everyone reads
 * them — they are the board's columns — managers and admins change them), and the default
 * pipeline of a new workspace.
 */
export const dealsModule: SenModule = {
  name: 'deals',
  recordObjects: [dealsObject],
  permissionObjects: [
    {
      key: 'pipelines',
      actions: ['read', 'update'],
      scoped: false,
      defaults: {
        manager: { read: true, update: true },
        sales: { read: true },
        marketing: { read: true },
        support: { read: true },
        viewer: { read: true },
      },
    },
  ],
  routes: pipelinesRoutes,
  onWorkspaceCreated: createDefaultPipeline,
};
