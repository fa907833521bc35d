import { sql } from 'drizzle-orm';
import { pgPolicy, pgRole, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Database roles. Both are created (NOLOGIN) by migration 0000 and granted to the connecting
 * user, who switches to them per transaction with SET LOCAL ROLE:
 * - sen_app: every tenant query; row-level security limits it to the current workspace.
 * - sen_system: cross-workspace work that has no tenant yet (session lookup, sign-in, jobs).
 */
export const senApp = pgRole('sen_app').existing();
export const senSystem = pgRole('sen_system').existing();

export const id = () =>
  uuid('id')
    .primaryKey()
    .default(sql`sen_uuid_v7()`);

export const createdAt = () =>
  timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const workspaceId = () => uuid('workspace_id').notNull();

/** The one tenant rule: a row is visible and writable only inside its own workspace. */
export const tenantPolicies = () => [
  pgPolicy('tenant_isolation', {
    for: 'all',
    to: senApp,
    using: sql`workspace_id = sen_workspace_id()`,
    withCheck: sql`workspace_id = sen_workspace_id()`,
  }),
  systemPolicy(),
];

export const systemPolicy = () =>
  pgPolicy('system_access', { for: 'all', to: senSystem, using: sql`true`, withCheck: sql`true` });
