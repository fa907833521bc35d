import type { Action } from '../core/permissions.js';
import { isPermissionObject } from '../core/permissions.js';

/**
 * What a route needs, declared on every route under /api/v1 (`config.access`); a route without
 * one stops the server at start (buildApp's onRoute hook), so none can skip it. The
 * declaration is enforced before validation and before the handler (the `object`/`action`
 * forms), and the permission matrix test (test/permission-matrix.db.test.ts) derives what each
 * built-in role must be refused from it. Services still check their own rules (visibility
 * scope, authorship, an object named in the body): the declaration is the floor, not the whole.
 *
 * - `'public'`: no sign-in needed (setup, sign-in, accepting an invitation).
 * - `'member'`: any signed-in member; the service decides item by item (own profile, search
 *   over the objects the caller may read, views of an object the caller may read).
 * - `{ object, action }`: the permission on a permission object; `object: ':object'` is the
 *   path's `:object` (an unknown object is left to the route, which answers 404).
 * - `{ recordOf, action }`: an item that hangs off a record (a note, an attachment): the
 *   service checks `action` on the item's record before anything else.
 */
export type RouteAccess =
  | 'public'
  | 'member'
  | { object: string; action: Action }
  | { recordOf: 'notes' | 'attachments'; action: Action };

export const PATH_OBJECT = ':object';

/** The permission the route's declaration requires of this request, when it names one. */
export function requiredPermission(
  access: RouteAccess | undefined,
  params: unknown,
): { object: string; action: Action } | null {
  if (!access || typeof access === 'string' || !('object' in access)) return null;
  if (access.object !== PATH_OBJECT) return access;
  const object = (params as { object?: unknown } | null)?.object;
  if (typeof object !== 'string' || !isPermissionObject(object)) return null;
  return { object, action: access.action };
}

/** Every route the app serves, with its declaration (app.senRoutes; the permission tests). */
export interface RouteInfo {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    senRoutes: readonly RouteInfo[];
  }
}
