import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  jsonb,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { currentWorkspace, senApp, systemPolicy } from './common.js';

export type AuditChanges = Record<string, { from: unknown; to: unknown }>;

/** Who acted: the one list (the column, the API's audit entries, Actor['type']). */
export const auditActorTypes = ['user', 'api_key', 'system'] as const;
/** Through what an action came (the column, the API's audit entries, Actor['channel']). */
export const auditChannels = [
  'web',
  'api',
  'cli',
  'import',
  'automation',
  'system',
  // A public lead capture form (the actor is the form: "Biểu mẫu <name>").
  'form',
] as const;

/**
 * Append-only history of every create/update/delete. sen_app may insert and read its own
 * workspace's rows, never update or delete them (no policy and no grant for those).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    actorType: text('actor_type', { enum: auditActorTypes }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    /** The user behind an API key, so "who" is always a person when there is one. */
    userId: uuid('user_id'),
    channel: text('channel', { enum: auditChannels }).notNull(),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    changes: jsonb('changes').$type<AuditChanges>(),
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_log_workspace_idx').on(t.workspaceId, t.id),
    index('audit_log_object_idx').on(t.workspaceId, t.objectType, t.objectId, t.id),
    pgPolicy('tenant_read', {
      for: 'select',
      to: senApp,
      using: sql`workspace_id = ${currentWorkspace}`,
    }),
    pgPolicy('tenant_append', {
      for: 'insert',
      to: senApp,
      withCheck: sql`workspace_id = ${currentWorkspace}`,
    }),
    systemPolicy(),
  ],
);
