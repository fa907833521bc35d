import type { SenModule } from '../index.js';
import { stockRoutes } from './stock.routes.js';
import { createDefaultWarehouse } from './warehouses.service.js';

/**
 * Stock per warehouse (#20). Permission object `stock` (not scoped): `read` — levels,
 * movements, warehouses — for every role that reads products; `create` — post a receipt — and
 * `update` — adjustments and the warehouses — for managers (and admins). Reservations, releases
 * and deliveries come from documents (orders) through stock.service.ts, under their own
 * permissions. Every new workspace gets its default warehouse "Kho chính".
 */
export const stockModule: SenModule = {
  name: 'stock',
  permissionObjects: [
    {
      key: 'stock',
      actions: ['read', 'create', 'update'],
      scoped: false,
      defaults: {
        manager: { read: true, create: true, update: true },
        sales: { read: true },
        marketing: { read: true },
        support: { read: true },
        viewer: { read: true },
      },
    },
  ],
  routes: stockRoutes,
  onWorkspaceCreated: createDefaultWarehouse,
};
