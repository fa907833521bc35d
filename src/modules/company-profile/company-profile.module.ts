import type { PermissionObject } from '../../core/permissions.js';
import { companyProfileRoutes } from './company-profile.routes.js';
import { COMPANY_PROFILE } from './company-profile.service.js';

/**
 * Everyone reads the business profile (it is printed on every quote and invoice, and the
 * document forms take its payment terms, validity and VAT rate); admins change it.
 */
export const companyProfilePermission: PermissionObject = {
  key: COMPANY_PROFILE,
  actions: ['read', 'update'],
  scoped: false,
  defaults: {
    manager: { read: true },
    sales: { read: true },
    marketing: { read: true },
    support: { read: true },
    viewer: { read: true },
  },
};

/** The company profile module's entry in src/modules/index.ts. */
export const companyProfileModule = {
  name: 'company-profile',
  routes: companyProfileRoutes,
  permissionObjects: [companyProfilePermission],
};
