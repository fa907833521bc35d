import { z } from 'zod';
import { filterTree } from '../records/filters.js';
import { assignmentMethods, assignmentTargets } from './assignment.table.js';

const text = z.object({ vi: z.string(), en: z.string() });

export const objectParams = z.strictObject({ object: z.string().max(64) });
export const ruleParams = z.strictObject({ object: z.string().max(64), id: z.uuid() });

const ruleFields = {
  name: z.string().trim().min(1).max(100),
  /** A list filter tree over the object's fields (null or absent: every record). */
  condition: filterTree.nullable(),
  targetType: z.enum(assignmentTargets),
  /** The user, when `targetType` is `user`. */
  userId: z.uuid().nullable(),
  /** The team, when `targetType` is `team`. */
  teamId: z.uuid().nullable(),
  /** How a team's member is chosen (default round robin). */
  method: z.enum(assignmentMethods).nullable(),
  active: z.boolean(),
};

export const ruleCreateBody = z.strictObject({
  name: ruleFields.name,
  condition: ruleFields.condition.optional(),
  targetType: ruleFields.targetType,
  userId: ruleFields.userId.optional(),
  teamId: ruleFields.teamId.optional(),
  method: ruleFields.method.optional(),
  active: ruleFields.active.optional(),
});
export type RuleCreateInput = z.infer<typeof ruleCreateBody>;

export const rulePatchBody = z.strictObject({
  name: ruleFields.name.optional(),
  condition: ruleFields.condition.optional(),
  targetType: ruleFields.targetType.optional(),
  userId: ruleFields.userId.optional(),
  teamId: ruleFields.teamId.optional(),
  method: ruleFields.method.optional(),
  active: ruleFields.active.optional(),
});
export type RulePatchInput = z.infer<typeof rulePatchBody>;

export const reorderBody = z.strictObject({
  /** Every rule of the object, in their new order. */
  ids: z.array(z.uuid()).max(500),
});

export const fallbackBody = z.strictObject({
  /** Who takes records no rule places; null: they keep the owner their write gave them. */
  fallbackUserId: z.uuid().nullable(),
});

export const ruleView = z.object({
  id: z.uuid(),
  position: z.number().int(),
  name: z.string(),
  condition: z
    .unknown()
    .nullable()
    .describe('A list filter tree (FilterNode), or null: every record.'),
  /** The condition in words ("Nguồn: Facebook"), in both languages. */
  conditionText: text.nullable(),
  targetType: z.enum(assignmentTargets),
  userId: z.uuid().nullable(),
  userName: z.string().nullable(),
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
  method: z.enum(assignmentMethods).nullable(),
  active: z.boolean(),
  /** Why the rule cannot place records now (they go to the fallback owner), or null. */
  problem: z.enum(['user_inactive', 'team_empty', 'team_missing']).nullable(),
  updatedAt: z.string(),
});
export type RuleView = z.infer<typeof ruleView>;

export const assignmentView = z.object({
  object: z.string(),
  label: text,
  fallbackUserId: z.uuid().nullable(),
  fallbackUserName: z.string().nullable(),
  rules: z.array(ruleView),
});
export type AssignmentView = z.infer<typeof assignmentView>;

export const assignmentIndex = z.object({
  items: z.array(z.object({ object: z.string(), label: text, rules: z.number().int() })),
});
