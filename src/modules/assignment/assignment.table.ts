import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, updatedAt, workspaceId } from '../../db/schema/common.js';
import { workspaceMembers, workspaces } from '../../db/schema/index.js';
import type { FilterNode } from '../records/filters.js';

export const assignmentTargets = ['user', 'team'] as const;
export const assignmentMethods = ['round_robin', 'fewest_open'] as const;

/**
 * Assignment rules (src/modules/assignment): per workspace and record object, in `position`
 * order; the first active rule whose condition (a list filter tree; null = every record) matches
 * a new record chooses its owner: one user, or a member of a team by round robin or fewest open
 * records. `last_user_id` is the team's round-robin pointer, advanced under the row's lock.
 * A team has no foreign key here: a deleted team leaves its rules pointing nowhere, and their
 * records go to the fallback owner with the admins told (as for a team with no active member).
 */
export const assignmentRules = pgTable(
  'assignment_rules',
  {
    id: id(),
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    condition: jsonb('condition').$type<FilterNode>(),
    targetType: text('target_type', { enum: assignmentTargets }).notNull(),
    userId: uuid('user_id'),
    teamId: uuid('team_id'),
    method: text('method', { enum: assignmentMethods }),
    active: boolean('active').notNull().default(true),
    lastUserId: uuid('last_user_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'assignment_rules_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'assignment_rules_user_fkey',
      columns: [t.workspaceId, t.userId],
      foreignColumns: [workspaceMembers.workspaceId, workspaceMembers.userId],
    }),
    index('assignment_rules_object_idx').on(t.workspaceId, t.object, t.position),
    check(
      'assignment_rules_target_check',
      sql`(target_type = 'user' AND user_id IS NOT NULL AND team_id IS NULL AND method IS NULL)
       OR (target_type = 'team' AND team_id IS NOT NULL AND user_id IS NULL AND method IN ('round_robin', 'fewest_open'))`,
    ),
    ...tenantPolicies(),
  ],
);

export type AssignmentRuleRow = typeof assignmentRules.$inferSelect;

/** Per workspace and object: who takes a record no rule places (or whose rule's target is gone). */
export const assignmentSettings = pgTable(
  'assignment_settings',
  {
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    fallbackUserId: uuid('fallback_user_id'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'assignment_settings_pkey', columns: [t.workspaceId, t.object] }),
    foreignKey({
      name: 'assignment_settings_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'assignment_settings_fallback_fkey',
      columns: [t.workspaceId, t.fallbackUserId],
      foreignColumns: [workspaceMembers.workspaceId, workspaceMembers.userId],
    }),
    ...tenantPolicies(),
  ],
);
