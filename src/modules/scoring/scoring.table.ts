import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, updatedAt, workspaceId } from '../../db/schema/common.js';
import type { FilterNode } from '../records/filters.js';

export const scoringRuleKinds = ['field', 'event'] as const;
export type ScoringRuleKind = (typeof scoringRuleKinds)[number];

/**
 * A workspace's scoring rules of one record object (leads first): a field rule adds its points
 * when the record matches its condition (a filter tree, as lists filter), an event rule when
 * the record has had the event (a score event of its key, src/modules/scoring/events).
 */
export const scoringRules = pgTable(
  'scoring_rules',
  {
    id: id(),
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    kind: text('kind', { enum: scoringRuleKinds }).notNull(),
    /** What the reason says ("Nguồn: Giới thiệu"), in vi and en. */
    label: jsonb('label').$type<{ vi: string; en: string }>().notNull(),
    condition: jsonb('condition').$type<FilterNode>(),
    eventKey: text('event_key'),
    points: integer('points').notNull(),
    position: integer('position').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    createdBy: uuid('created_by'),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    index('scoring_rules_object_idx').on(t.workspaceId, t.object, t.position),
    check('scoring_rules_points_range', sql`points BETWEEN -1000 AND 1000`),
    check(
      'scoring_rules_kind_shape',
      sql`(kind = 'field' AND condition IS NOT NULL AND event_key IS NULL)
        OR (kind = 'event' AND event_key IS NOT NULL AND condition IS NULL)`,
    ),
    ...tenantPolicies(),
  ],
);

/** A workspace's grade thresholds and decay for one object; no row = the defaults. */
export const scoringSettings = pgTable(
  'scoring_settings',
  {
    id: id(),
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    gradeA: integer('grade_a').notNull(),
    gradeB: integer('grade_b').notNull(),
    gradeC: integer('grade_c').notNull(),
    /** Points lost per full week since the record's last scored event (or its creation). */
    decayPerWeek: integer('decay_per_week').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('scoring_settings_object_key').on(t.workspaceId, t.object),
    check('scoring_settings_grades_order', sql`grade_a > grade_b AND grade_b > grade_c`),
    check('scoring_settings_decay_range', sql`decay_per_week BETWEEN 0 AND 1000`),
    ...tenantPolicies(),
  ],
);

/**
 * What happened to a record that scoring rules may count (a form submitted, an email replied,
 * a meeting held): written through recordScoreEvent() by the module that saw it.
 */
export const scoreEvents = pgTable(
  'score_events',
  {
    id: id(),
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    recordId: uuid('record_id').notNull(),
    eventKey: text('event_key').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    index('score_events_record_idx').on(t.workspaceId, t.object, t.recordId, t.occurredAt),
    ...tenantPolicies(),
  ],
);

export type ScoringRuleRow = typeof scoringRules.$inferSelect;
export type ScoringSettingsRow = typeof scoringSettings.$inferSelect;
