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

/**
 * The workspace and the user of the current transaction, for policies. As scalar subqueries they
 * are InitPlans: evaluated once per statement, not once per row, and the SQL functions inlined
 * once per plan instead of once per table (measured on the 1M-contact list page: RLS overhead
 * over the raw statement 0.59 → 0.47 ms at p50, p95 −0.5 ms).
 */
export const currentWorkspace = sql`(SELECT sen_workspace_id())`;
export const currentUser = sql`(SELECT sen_user_id())`;

/** The one tenant rule: a row is visible and writable only inside its own workspace. */
export const tenantPolicies = () => [
  pgPolicy('tenant_isolation', {
    for: 'all',
    to: senApp,
    using: sql`workspace_id = ${currentWorkspace}`,
    withCheck: sql`workspace_id = ${currentWorkspace}`,
  }),
  systemPolicy(),
];

export const systemPolicy = () =>
  pgPolicy('system_access', { for: 'all', to: senSystem, using: sql`true`, withCheck: sql`true` });
