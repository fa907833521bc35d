import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { filterTree } from '../records/filters.js';
import { scoringRuleKinds } from './scoring.table.js';

const localised = z.object({ vi: z.string(), en: z.string() });
const labelInput = z.strictObject({
  vi: z.string().max(200),
  en: z.string().max(200).optional(),
});

/** Points of one rule: negative ones lower the score (a free email address, a competitor). */
export const points = z.number().int().min(-1000).max(1000);

export const scoringParams = z.strictObject({ object: z.string().max(64) });
export const ruleParams = scoringParams.extend({ id: z.uuid() });

/**
 * A rule: `field` rules have a condition (a filter tree, as lists filter: `{ "field": "source",
 * "op": "is", "value": "referral" }`), `event` rules an event key of the object's registry
 * (`form_submitted`). The label (the reason's words) defaults to one made from the condition or
 * the event's name.
 */
export const ruleCreateBody = z.strictObject({
  kind: z.enum(scoringRuleKinds),
  condition: filterTree.optional(),
  eventKey: z.string().min(1).max(64).optional(),
  points,
  label: labelInput.nullable().optional(),
  active: z.boolean().optional(),
});
export type RuleCreateInput = z.infer<typeof ruleCreateBody>;

export const rulePatchBody = z.strictObject({
  condition: filterTree.optional(),
  eventKey: z.string().min(1).max(64).optional(),
  points: points.optional(),
  label: labelInput.nullable().optional(),
  active: z.boolean().optional(),
  /** The rule's place in the list (0 = first); the others shift. */
  position: z.number().int().min(0).max(10_000).optional(),
});
export type RulePatchInput = z.infer<typeof rulePatchBody>;

/** Thresholds of grades A, B and C (below C: D), in points; decay in points per full week. */
export const settingsBody = z.strictObject({
  gradeA: z.number().int().min(-100_000).max(100_000),
  gradeB: z.number().int().min(-100_000).max(100_000),
  gradeC: z.number().int().min(-100_000).max(100_000),
  decayPerWeek: z.number().int().min(0).max(1000),
});
export type SettingsInput = z.infer<typeof settingsBody>;

export const ruleResponse = z.object({
  id: z.uuid(),
  kind: z.enum(scoringRuleKinds),
  label: localised,
  /** The filter tree (as lists take it). */
  condition: z.record(z.string(), z.unknown()).nullable(),
  eventKey: z.string().nullable(),
  points: z.number().int(),
  position: z.number().int(),
  active: z.boolean(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type RuleResponse = z.infer<typeof ruleResponse>;

/** How the records were rescored after a change: now (`done`) or by a job (`queued`). */
export const rescoreResponse = z.object({
  mode: z.enum(['done', 'queued']),
  records: z.number().int(),
});

export const scoringResponse = z.object({
  object: z.string(),
  settings: settingsBody,
  rules: z.array(ruleResponse),
  events: z.array(z.object({ key: z.string(), label: localised })),
});

export const ruleWriteResponse = ruleResponse.extend({ rescore: rescoreResponse });
export const settingsWriteResponse = scoringResponse.extend({ rescore: rescoreResponse });
