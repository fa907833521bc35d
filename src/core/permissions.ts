import type { PrincipalCheck } from '../db/database.js';
import type { auditActorTypes, auditChannels } from '../db/schema/audit.js';
import { AppError } from './errors.js';

/**
 * The permission model, and the one check every service calls before it reads or writes.
 *
 * - Objects (contacts, deals, teams…) register themselves with the actions they support and
 *   the default grant of each built-in role. Later modules add objects without touching this file.
 * - A role is admin (everything), built-in (permissions computed from the registry, so a new
 *   module's objects are granted to built-in roles automatically) or custom (stored matrix).
 * - Anything not granted is denied. An API key can only narrow its user's rights (scopes).
 */
/**
 * What a role may do on an object. `approve`: a manager's power over selling documents (approve
 * a quote's discount above the sender's limit; issue and void invoices), offered only by the
 * objects that declare it.
 */
export const actions = [
  'read',
  'create',
  'update',
  'delete',
  'export',
  'import',
  'approve',
] as const;
export type Action = (typeof actions)[number];
export const scopes = ['own', 'team', 'all'] as const;
export type Scope = (typeof scopes)[number];

export interface ObjectPermission {
  read: boolean;
  create: boolean;
  update: boolean;
  delete: boolean;
  export: boolean;
  import: boolean;
  approve: boolean;
  scope: Scope;
}
export type RolePermissions = Record<string, ObjectPermission>;

/**
 * Field-level access of a role (issue #19): per object, the fields it may not see (`hidden`:
 * absent from responses, lists, filters, sorts, boards' totals, exports, search, timelines and
 * reports; never written) or may not change (`read_only`). A field not named is read-write
 * (within the object's own permissions). Admins see and write every field.
 */
export const fieldAccessLevels = ['hidden', 'read_only'] as const;
export type FieldAccessLevel = (typeof fieldAccessLevels)[number];
export type RoleFieldAccess = Record<string, Record<string, FieldAccessLevel>>;

export const builtinRoleKeys = [
  'admin',
  'manager',
  'sales',
  'marketing',
  'support',
  'viewer',
] as const;
export type BuiltinRoleKey = (typeof builtinRoleKeys)[number];

export interface PermissionObject {
  key: string;
  actions: readonly Action[];
  /** Records have an owner, so own/team/all visibility applies. */
  scoped: boolean;
  /** What each non-admin built-in role gets; absent = nothing. */
  defaults: Partial<Record<Exclude<BuiltinRoleKey, 'admin'>, Partial<ObjectPermission>>>;
}

const registry = new Map<string, PermissionObject>();

export function registerPermissionObject(object: PermissionObject): void {
  registry.set(object.key, object);
}

export function permissionObjects(): PermissionObject[] {
  return [...registry.values()];
}

export function isPermissionObject(key: string): boolean {
  return registry.has(key);
}

const none: ObjectPermission = {
  read: false,
  create: false,
  update: false,
  delete: false,
  export: false,
  import: false,
  approve: false,
  scope: 'own',
};

const all: ObjectPermission = {
  read: true,
  create: true,
  update: true,
  delete: true,
  export: true,
  import: true,
  approve: true,
  scope: 'all',
};

export interface RoleRef {
  key: string | null;
  isAdmin: boolean;
  permissions: RolePermissions;
  /** Absent: every field readable and writable. */
  fieldAccess?: RoleFieldAccess;
}

/** The effective matrix of a role over every registered object. */
export function effectivePermissions(role: RoleRef): RolePermissions {
  const out: RolePermissions = {};
  for (const object of registry.values()) {
    out[object.key] = objectPermission(role, object);
  }
  return out;
}

function objectPermission(role: RoleRef, object: PermissionObject): ObjectPermission {
  let granted: Partial<ObjectPermission> | undefined;
  if (role.isAdmin) {
    granted = all;
  } else if (role.key && role.key !== 'admin') {
    granted = object.defaults[role.key as Exclude<BuiltinRoleKey, 'admin'>];
  } else {
    granted = role.permissions[object.key];
  }
  const p = { ...none, ...granted };
  // An action the object does not support can never be granted.
  for (const a of actions) if (!object.actions.includes(a)) p[a] = false;
  if (!object.scoped) p.scope = 'all';
  return p;
}

export type ActorType = (typeof auditActorTypes)[number];
export type Channel = (typeof auditChannels)[number];

/** Who is acting, in which workspace, with which rights. Built once per request or job. */
export interface Actor {
  type: ActorType;
  /** The person (for an API key: its owner). Null only for the system. */
  userId: string | null;
  apiKeyId: string | null;
  name: string;
  workspaceId: string;
  role: RoleRef;
  /** Users who share a team with this user (including the user), for the "team" scope. */
  teamMateIds: readonly string[];
  /** API key scopes ("teams:read"); null = the user's full rights. */
  keyScopes: ReadonlySet<string> | null;
  channel: Channel;
  requestId: string | null;
  /** A principal from the cache, still to be confirmed by the database (PrincipalCheck). */
  check?: PrincipalCheck | undefined;
}

export function can(actor: Actor, objectKey: string, action: Action): boolean {
  const object = registry.get(objectKey);
  if (!object) return false;
  if (actor.keyScopes && !actor.keyScopes.has(`${objectKey}:${action}`)) return false;
  return objectPermission(actor.role, object)[action];
}

/**
 * The check. Throws FORBIDDEN unless the actor may do `action` on `objectKey`, and, for an
 * existing record with an owner, unless the record is inside the actor's visibility scope.
 */
export function authorize(
  actor: Actor,
  objectKey: string,
  action: Action,
  record?: { ownerId: string | null },
): void {
  if (!can(actor, objectKey, action)) throw new AppError('FORBIDDEN');
  if (record && !inScope(actor, objectKey, record.ownerId)) throw new AppError('FORBIDDEN');
}

export function visibilityScope(actor: Actor, objectKey: string): Scope {
  const object = registry.get(objectKey);
  if (!object) return 'own';
  return objectPermission(actor.role, object).scope;
}

export function inScope(actor: Actor, objectKey: string, ownerId: string | null): boolean {
  const scope = visibilityScope(actor, objectKey);
  if (scope === 'all') return true;
  if (ownerId === null || actor.userId === null) return false;
  if (scope === 'own') return ownerId === actor.userId;
  return ownerId === actor.userId || actor.teamMateIds.includes(ownerId);
}

/** The actor's access to one field of an object: hidden, read_only or write. */
export function fieldAccess(
  actor: Actor,
  objectKey: string,
  fieldKey: string,
): FieldAccessLevel | 'write' {
  if (actor.role.isAdmin) return 'write';
  return actor.role.fieldAccess?.[objectKey]?.[fieldKey] ?? 'write';
}

/** The fields of an object the actor may not see (empty for most roles). */
export function hiddenFields(actor: Actor, objectKey: string): Set<string> {
  if (actor.role.isAdmin) return new Set();
  const own = actor.role.fieldAccess?.[objectKey];
  if (!own) return new Set();
  return new Set(Object.keys(own).filter((k) => own[k] === 'hidden'));
}

/** Scope strings an API key may carry: "<object>:<action>" for registered objects. */
export function isValidKeyScope(scope: string): boolean {
  const [objectKey, action] = scope.split(':');
  const object = objectKey ? registry.get(objectKey) : undefined;
  return !!object && object.actions.includes(action as Action);
}
