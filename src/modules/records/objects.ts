import type { PermissionObject } from '../../core/permissions.js';
import { companies, contacts } from '../../db/schema/index.js';
import { registerRecordObject } from './registry.js';

const recordActions = ['read', 'create', 'update', 'delete', 'export', 'import'] as const;

/**
 * Default grants of the built-in roles on customer records. Sales people work their own
 * customers; managers see everything; marketing reads all and works leads; support reads all;
 * viewers read all. Admins can change any of this with a custom role.
 */
const recordDefaults: PermissionObject['defaults'] = {
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

export const recordPermissionObjects: PermissionObject[] = [
  { key: 'contacts', actions: recordActions, scoped: true, defaults: recordDefaults },
  { key: 'companies', actions: recordActions, scoped: true, defaults: recordDefaults },
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

registerRecordObject({
  key: 'contacts',
  label: { vi: 'Liên hệ', en: 'Contacts' },
  table: contacts,
  columns: {
    id: contacts.id,
    workspaceId: contacts.workspaceId,
    ownerId: contacts.ownerId,
    deletedAt: contacts.deletedAt,
    name: contacts.displayName,
  },
});

registerRecordObject({
  key: 'companies',
  label: { vi: 'Công ty', en: 'Companies' },
  table: companies,
  columns: {
    id: companies.id,
    workspaceId: companies.workspaceId,
    ownerId: companies.ownerId,
    deletedAt: companies.deletedAt,
    name: companies.name,
  },
});
