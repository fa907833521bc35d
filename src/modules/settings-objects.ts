import type { PermissionObject } from '../core/permissions.js';

/**
 * Permission objects of the settings area. CRM modules (contacts, deals…) declare their own in
 * their module definition; these are the foundation's.
 */
const everyoneReads = {
  manager: { read: true },
  sales: { read: true },
  marketing: { read: true },
  support: { read: true },
  viewer: { read: true },
} as const;

const ownKeys = { read: true, create: true, delete: true } as const;

export const settingsObjects: PermissionObject[] = [
  { key: 'workspace', actions: ['read', 'update'], scoped: false, defaults: everyoneReads },
  { key: 'members', actions: ['read', 'create', 'update'], scoped: false, defaults: everyoneReads },
  {
    key: 'roles',
    actions: ['read', 'create', 'update', 'delete'],
    scoped: false,
    defaults: everyoneReads,
  },
  {
    key: 'teams',
    actions: ['read', 'create', 'update', 'delete'],
    scoped: false,
    defaults: {
      ...everyoneReads,
      manager: { read: true, create: true, update: true, delete: true },
    },
  },
  {
    key: 'api_keys',
    actions: ['read', 'create', 'delete'],
    scoped: false,
    defaults: { manager: ownKeys, sales: ownKeys, marketing: ownKeys, support: ownKeys },
  },
  { key: 'audit_log', actions: ['read', 'export'], scoped: false, defaults: {} },
  // Assignment rules and fallback owners (Settings → Phân công tự động): admins only.
  { key: 'assignment_rules', actions: ['read', 'update'], scoped: false, defaults: {} },
];
