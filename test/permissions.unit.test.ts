import { beforeAll, describe, expect, it } from 'vitest';
import {
  authorize,
  can,
  effectivePermissions,
  inScope,
  registerPermissionObject,
  type Actor,
} from '../src/core/permissions.js';
import { registerModules } from '../src/modules/index.js';

const actor = (over: Partial<Actor> = {}): Actor => ({
  type: 'user',
  userId: 'u1',
  apiKeyId: null,
  name: 'A',
  workspaceId: 'w1',
  role: { key: null, isAdmin: false, permissions: {} },
  teamMateIds: ['u1', 'u2'],
  keyScopes: null,
  channel: 'web',
  requestId: null,
  ...over,
});

describe('the permission check', () => {
  beforeAll(() => {
    registerModules();
    registerPermissionObject({
      key: 'widgets',
      actions: ['read', 'create', 'update', 'delete', 'export', 'import'],
      scoped: true,
      defaults: { sales: { read: true, create: true, update: true, scope: 'own' } },
    });
  });

  it('denies by default: unknown objects, ungranted actions, empty custom roles', () => {
    const a = actor();
    expect(can(a, 'widgets', 'read')).toBe(false);
    expect(can(a, 'no-such-object', 'read')).toBe(false);
    expect(() => authorize(a, 'widgets', 'create')).toThrow(/permission/);
  });

  it('gives admins every supported action, and nothing an object does not support', () => {
    const admin = actor({ role: { key: 'admin', isAdmin: true, permissions: {} } });
    expect(can(admin, 'widgets', 'delete')).toBe(true);
    expect(can(admin, 'audit_log', 'delete')).toBe(false);
  });

  it('grants built-in roles the defaults a module declares (new modules reach old roles)', () => {
    const sales = actor({ role: { key: 'sales', isAdmin: false, permissions: {} } });
    expect(can(sales, 'widgets', 'update')).toBe(true);
    expect(can(sales, 'widgets', 'delete')).toBe(false);
    expect(effectivePermissions(sales.role).widgets?.scope).toBe('own');
  });

  it('applies the own / team / all visibility scope to records', () => {
    const perms = (scope: 'own' | 'team' | 'all') =>
      actor({
        role: {
          key: null,
          isAdmin: false,
          permissions: {
            widgets: {
              read: true,
              create: false,
              update: true,
              delete: false,
              export: false,
              import: false,
              approve: false,
              scope,
            },
          },
        },
      });
    expect(inScope(perms('own'), 'widgets', 'u1')).toBe(true);
    expect(inScope(perms('own'), 'widgets', 'u2')).toBe(false);
    expect(inScope(perms('team'), 'widgets', 'u2')).toBe(true);
    expect(inScope(perms('team'), 'widgets', 'u3')).toBe(false);
    expect(inScope(perms('all'), 'widgets', 'u3')).toBe(true);
    expect(() => authorize(perms('own'), 'widgets', 'update', { ownerId: 'u2' })).toThrow();
    expect(() => authorize(perms('own'), 'widgets', 'update', { ownerId: 'u1' })).not.toThrow();
  });

  it('narrows an API key to its scopes', () => {
    const key = actor({
      type: 'api_key',
      role: { key: 'admin', isAdmin: true, permissions: {} },
      keyScopes: new Set(['widgets:read']),
    });
    expect(can(key, 'widgets', 'read')).toBe(true);
    expect(can(key, 'widgets', 'create')).toBe(false);
  });
});
