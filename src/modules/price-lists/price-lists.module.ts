import type { SenModule } from '../index.js';
import { priceListsRoutes } from './price-lists.routes.js';

/**
 * Price lists per customer group (#20): Settings → Bảng giá, the customers' "Bảng giá" field
 * (contacts and companies declare it, price-lists.field.ts) and `pricesFor()`, which quotes
 * price their lines with. Everyone who reads the catalogue reads the lists; managers and
 * admins keep them.
 */
export const priceListsModule: SenModule = {
  name: 'price-lists',
  permissionObjects: [
    {
      key: 'price_lists',
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
  routes: priceListsRoutes,
};
