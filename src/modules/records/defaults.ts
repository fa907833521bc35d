import type { PermissionObject } from '../../core/permissions.js';

/**
 * Default grants of the built-in roles on customer records (contacts, companies). Sales people
 * work their own customers; managers see everything; marketing reads all and works leads;
 * support reads all; viewers read all. Admins can change any of this with a custom role.
 */
export const customerRecordDefaults: PermissionObject['defaults'] = {
  manager: {
    read: true,
    create: true,
    update: true,
    delete: true,
    export: true,
    import: true,
    scope: 'all',
  },
  sales: { read: true, create: true, update: true, delete: true, export: true, scope: 'own' },
  marketing: { read: true, create: true, update: true, export: true, import: true, scope: 'all' },
  support: { read: true, update: true, scope: 'all' },
  viewer: { read: true, scope: 'all' },
};
