import type { PermissionObject } from '../../core/permissions.js';
import { numberingRoutes } from './numbering.routes.js';
import { NUMBERING } from './numbering.service.js';

/**
 * Who sees and changes the document numbering: admins only (as the assignment rules,
 * settings-objects.ts). Documents take their numbers through nextNumber() whatever the role.
 */
export const numberingPermission: PermissionObject = {
  key: NUMBERING,
  actions: ['read', 'update'],
  scoped: false,
  defaults: {},
};

/** The document numbering module's entry in src/modules/index.ts. */
export const numberingModule = {
  name: 'numbering',
  routes: numberingRoutes,
  permissionObjects: [numberingPermission],
};
