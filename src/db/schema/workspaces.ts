import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { citext } from './types.js';
import {
  createdAt,
  currentUser,
  currentWorkspace,
  id,
  senApp,
  systemPolicy,
  tenantPolicies,
  updatedAt,
  workspaceId,
} from './common.js';
import type { RoleFieldAccess, RolePermissions } from '../../core/permissions.js';

export const workspaces = pgTable(
  'workspaces',
  {
    id: id(),
    name: text('name').notNull(),
    locale: text('locale').notNull().default('vi'),
    currency: text('currency').notNull().default('VND'),
    timezone: text('timezone').notNull().default('Asia/Ho_Chi_Minh'),
    /**
     * Bumped (by triggers, migration 0012) in the transaction of every change to what a
     * principal of this workspace is made of: members, roles, teams, users, sessions, API keys.
     * A node's cached principal stays valid while this has not moved (sen_*_resume).
     */
    authVersion: bigint('auth_version', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  () => [
    pgPolicy('tenant_isolation', {
      for: 'all',
      to: senApp,
      using: sql`id = ${currentWorkspace}`,
      withCheck: sql`id = ${currentWorkspace}`,
    }),
    systemPolicy(),
  ],
);

/** People. Global (one account may belong to several workspaces). */
export const users = pgTable(
  'users',
  {
    id: id(),
    email: citext('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    locale: text('locale').notNull().default('vi'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    // Inside a workspace you see yourself and the other members; you may only update yourself.
    pgPolicy('member_read', {
      for: 'select',
      to: senApp,
      using: sql`id = ${currentUser} OR EXISTS (SELECT 1 FROM workspace_members m WHERE m.user_id = ${t.id} AND m.workspace_id = ${currentWorkspace})`,
    }),
    pgPolicy('self_update', {
      for: 'update',
      to: senApp,
      using: sql`id = ${currentUser}`,
      withCheck: sql`id = ${currentUser}`,
    }),
    systemPolicy(),
  ],
);

export const roles = pgTable(
  'roles',
  {
    id: id(),
    workspaceId: workspaceId().references(() => workspaces.id, { onDelete: 'cascade' }),
    /** Built-in roles have a key (admin, manager, sales, marketing, support, viewer). */
    key: text('key'),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    isAdmin: boolean('is_admin').notNull().default(false),
    permissions: jsonb('permissions').$type<RolePermissions>().notNull().default({}),
    /** Fields hidden from or read-only for the role, per object (core/permissions.ts). */
    fieldAccess: jsonb('field_access').$type<RoleFieldAccess>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('roles_workspace_id_id_key').on(t.workspaceId, t.id),
    uniqueIndex('roles_workspace_key_key').on(t.workspaceId, t.key),
    uniqueIndex('roles_workspace_name_key').on(t.workspaceId, sql`lower(${t.name})`),
    ...tenantPolicies(),
  ],
);

export const memberStatuses = ['active', 'deactivated'] as const;

export const workspaceMembers = pgTable(
  'workspace_members',
  {
    workspaceId: workspaceId().references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roleId: uuid('role_id').notNull(),
    status: text('status', { enum: memberStatuses }).notNull().default('active'),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    /** When a session last opened or switched to this workspace: sign-in returns here. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'workspace_members_pkey', columns: [t.workspaceId, t.userId] }),
    foreignKey({
      name: 'workspace_members_role_fkey',
      columns: [t.workspaceId, t.roleId],
      foreignColumns: [roles.workspaceId, roles.id],
    }),
    index('workspace_members_user_idx').on(t.userId),
    check('workspace_members_status_check', sql`${t.status} IN ('active', 'deactivated')`),
    ...tenantPolicies(),
  ],
);

export const teams = pgTable(
  'teams',
  {
    id: id(),
    workspaceId: workspaceId().references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('teams_workspace_id_id_key').on(t.workspaceId, t.id),
    uniqueIndex('teams_workspace_name_key').on(t.workspaceId, sql`lower(${t.name})`),
    ...tenantPolicies(),
  ],
);

export const teamMembers = pgTable(
  'team_members',
  {
    workspaceId: workspaceId(),
    teamId: uuid('team_id').notNull(),
    userId: uuid('user_id').notNull(),
  },
  (t) => [
    primaryKey({ name: 'team_members_pkey', columns: [t.teamId, t.userId] }),
    foreignKey({
      name: 'team_members_team_fkey',
      columns: [t.workspaceId, t.teamId],
      foreignColumns: [teams.workspaceId, teams.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'team_members_member_fkey',
      columns: [t.workspaceId, t.userId],
      foreignColumns: [workspaceMembers.workspaceId, workspaceMembers.userId],
    }).onDelete('cascade'),
    index('team_members_user_idx').on(t.workspaceId, t.userId),
    ...tenantPolicies(),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    workspaceId: workspaceId(),
    email: citext('email').notNull(),
    roleId: uuid('role_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invitations_token_hash_key').on(t.tokenHash),
    foreignKey({
      name: 'invitations_role_fkey',
      columns: [t.workspaceId, t.roleId],
      foreignColumns: [roles.workspaceId, roles.id],
    }).onDelete('cascade'),
    index('invitations_workspace_idx').on(t.workspaceId, t.createdAt),
    ...tenantPolicies(),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    workspaceId: workspaceId(),
    userId: uuid('user_id').notNull(),
    name: text('name').notNull(),
    /** First characters of the secret, shown in lists so a user can tell keys apart. */
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    scopes: text('scopes').array().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('api_keys_secret_hash_key').on(t.secretHash),
    foreignKey({
      name: 'api_keys_member_fkey',
      columns: [t.workspaceId, t.userId],
      foreignColumns: [workspaceMembers.workspaceId, workspaceMembers.userId],
    }).onDelete('cascade'),
    index('api_keys_user_idx').on(t.workspaceId, t.userId),
    ...tenantPolicies(),
  ],
);

/** Browser sessions. Read by sen_system only: a session is looked up before any tenant is known. */
export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    csrfToken: text('csrf_token').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [
    uniqueIndex('sessions_token_hash_key').on(t.tokenHash),
    index('sessions_user_idx').on(t.userId),
    index('sessions_expires_idx').on(t.expiresAt),
    // Deactivating a member ends their sessions in that workspace, in the same transaction.
    pgPolicy('tenant_delete', {
      for: 'delete',
      to: senApp,
      using: sql`workspace_id = ${currentWorkspace}`,
    }),
    systemPolicy(),
  ],
);

/** Fixed-window counters and lockouts (sign-in throttling). Shared by every app node. */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    hits: integer('hits').notNull().default(0),
    windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
  },
  () => [systemPolicy()],
);
