import { z } from 'zod';
import { scopes } from '../../core/permissions.js';
import { email, locale, password, personName } from '../../http/schemas.js';

export const signInBody = z.strictObject({ email, password });

const permission = z.object({
  read: z.boolean(),
  create: z.boolean(),
  update: z.boolean(),
  delete: z.boolean(),
  export: z.boolean(),
  import: z.boolean(),
  /** Approve a quote's discount; issue and void invoices (objects that declare it). */
  approve: z.boolean(),
  scope: z.enum(scopes),
});
export const permissionsSchema = z.record(z.string(), permission);

export const sessionResponse = z.object({
  user: z.object({ id: z.uuid(), name: z.string(), email: z.string(), locale }),
  workspace: z.object({
    id: z.uuid(),
    name: z.string(),
    locale,
    currency: z.string(),
    timezone: z.string(),
  }),
  role: z.object({
    id: z.uuid(),
    key: z.string().nullable(),
    name: z.string(),
    isAdmin: z.boolean(),
    permissions: permissionsSchema,
  }),
  workspaces: z.array(z.object({ id: z.uuid(), name: z.string(), roleName: z.string() })),
  csrfToken: z.string().nullable(),
});

/** GET /auth/current-session: the session, or null when not signed in. */
export const currentSessionResponse = z.object({ session: sessionResponse.nullable() });

export const switchWorkspaceBody = z.strictObject({ workspaceId: z.uuid() });
export const updateMeBody = z.strictObject({
  name: personName.optional(),
  locale: locale.optional(),
});
export const meResponse = z.object({
  user: z.object({ id: z.uuid(), name: z.string(), email: z.string(), locale }),
});
export const changePasswordBody = z.strictObject({
  currentPassword: password,
  newPassword: password,
});
