import type { PermissionObject } from '../../core/permissions.js';

/**
 * Permission objects of the records module that are not record objects (record objects declare
 * theirs in their definition: see define.ts).
 */
export const recordPermissionObjects: PermissionObject[] = [
  {
    key: 'custom_fields',
    actions: ['read', 'create', 'update', 'delete'],
    scoped: false,
    defaults: {
      manager: { read: true },
      sales: { read: true },
      marketing: { read: true },
      support: { read: true },
      viewer: { read: true },
    },
  },
];
