import { sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../core/errors.js';
import type { Tx } from '../../db/database.js';
import { queryRows, uuidArray } from '../../db/sql.js';
import { compileFilter, type FilterNode } from '../records/filters.js';
import { FieldResolver } from '../records/list.js';
import { getRecordObject } from '../records/registry.js';
import { DECAY_LABEL } from './scoring.registry.js';
import { recordPending } from './scoring.pending.js';
import * as repo from './scoring.repository.js';
import type { ScoringRuleRow } from './scoring.table.js';

/** The field keys a filter tree names. */
export function conditionKeys(node: FilterNode, out: string[] = []): string[] {
  if ('field' in node) out.push(node.field);
  else for (const c of 'and' in node ? node.and : node.or) conditionKeys(c, out);
  return out;
}

/**
 * A rule's condition as SQL on the alias `r` of the object's table (compileFilter, as lists
 * filter), or undefined when it no longer compiles (a custom field it named was deleted): such
 * a rule counts for nothing until an admin fixes it. Filters through links see every linked
 * record (a score does not depend on who is looking).
 */
export async function compileCondition(
  tx: Tx,
  object: string,
  condition: FilterNode,
  resolver = new FieldResolver(object),
): Promise<SQL | undefined> {
  await resolver.prepare(tx, conditionKeys(condition));
  return compileFilter(condition, {
    resolve: (key) => resolver.resolve(key),
    linked: (target) => {
      const linked = getRecordObject(target);
      return linked ? { table: linked.table, scope: null } : undefined;
    },
  });
}

const WEEK_SECONDS = 7 * 24 * 3600;

/** Which records to rescore: these ids, or every live record after `afterId` (a batch). */
export type RescoreTarget = { ids: string[] } | { all: true; afterId?: string; limit?: number };

/**
 * Recompute, set-based in ONE statement, the score, grade and reasons of the target records of
 * an object in the transaction's workspace: the points of the active field rules whose
 * condition the record matches, plus those of the active event rules whose event the record
 * has had (each rule counts once), in rule order; minus the decay (the workspace's points per
 * full week since the record's last scored event or its creation, never taking a positive
 * score below 0); graded by the workspace's thresholds. Rows whose values do not change are
 * not written, and the write keeps the record's version (sen.keep_version: a derived value is
 * no one's edit). Returns the ids it looked at (for batches: the last is the next `afterId`).
 */
export async function rescore(
  tx: Tx,
  object: string,
  target: RescoreTarget,
  resolver: FieldResolver = new FieldResolver(object),
): Promise<string[]> {
  const table = getRecordObject(object)?.table;
  if (!table) throw new Error(`unknown record object ${object}`);
  if ('ids' in target && target.ids.length === 0) return [];
  // An event waiting for records just created (withEventOnCreate) counts in their first score.
  if ('ids' in target) await recordPending(tx, object, target.ids);
  const { rules, settings } = await repo.rulesAndSettings(tx, object);
  const hits: SQL[] = [];
  const scoredEvents: string[] = [];
  for (const [i, rule] of rules.entries()) {
    const hit = await ruleHit(tx, object, rule, resolver);
    if (!hit) continue;
    if (rule.kind === 'event' && rule.eventKey) scoredEvents.push(rule.eventKey);
    hits.push(
      sql`(${i}, coalesce((${hit}), false), ${JSON.stringify(rule.label)}::jsonb, ${rule.points}::int)`,
    );
  }
  const matched = hits.length
    ? sql`SELECT coalesce(jsonb_agg(jsonb_build_object('label', v.label, 'points', v.points)
                   ORDER BY v.ord), '[]'::jsonb) AS reasons,
                 coalesce(sum(v.points), 0)::int AS points
            FROM (VALUES ${sql.join(hits, sql`, `)}) v(ord, hit, label, points) WHERE v.hit`
    : sql`SELECT '[]'::jsonb AS reasons, 0 AS points`;
  const lastEvent = scoredEvents.length
    ? sql`(SELECT max(se.occurred_at) FROM score_events se
            WHERE se.object = ${object} AND se.record_id = r.id
              AND se.event_key IN (${sql.join(
                scoredEvents.map((k) => sql`${k}`),
                sql`, `,
              )}))`
    : sql`NULL::timestamptz`;
  const which =
    'ids' in target
      ? sql`r.id = ANY(${uuidArray(target.ids)})`
      : sql`r.deleted_at IS NULL${target.afterId ? sql` AND r.id > ${target.afterId}::uuid` : sql``}`;
  const limit = 'all' in target && target.limit ? sql`ORDER BY r.id LIMIT ${target.limit}` : sql``;
  const decay = settings.decayPerWeek;
  // The write keeps the records' version: sen.keep_version is on from the first target row
  // (before any row is updated) until every update is done (the outer SELECT reads `written`
  // to its end before its own set_config turns it off), all in this one statement.
  const [row] = await queryRows<{ ids: string[] | null }>(
    tx,
    sql`WITH target AS MATERIALIZED (
          SELECT r.id, m.reasons, m.points AS raw,
                 floor(extract(epoch FROM (now() - coalesce(${lastEvent}, r.created_at)))
                       / ${WEEK_SECONDS})::int AS weeks,
                 set_config('sen.keep_version', 'on', true) AS keep
            FROM ${table} r CROSS JOIN LATERAL (${matched}) m
           WHERE ${which} ${limit}
        ), decayed AS (
          SELECT t.id, t.reasons, t.raw,
                 least(greatest(t.weeks, 0) * ${decay}::int, greatest(t.raw, 0)) AS decay
            FROM target t
        ), scored AS (
          SELECT d.id, d.raw - d.decay AS score,
                 CASE WHEN d.decay > 0
                      THEN d.reasons || jsonb_build_array(jsonb_build_object(
                             'label', ${JSON.stringify(DECAY_LABEL)}::jsonb, 'points', -d.decay))
                      ELSE d.reasons END AS reasons
            FROM decayed d
        ), written AS (
          UPDATE ${table} r
             SET score = s.score,
                 grade = CASE WHEN s.score >= ${settings.gradeA}::int THEN 'A'
                              WHEN s.score >= ${settings.gradeB}::int THEN 'B'
                              WHEN s.score >= ${settings.gradeC}::int THEN 'C' ELSE 'D' END,
                 score_reasons = s.reasons
            FROM scored s
           WHERE r.id = s.id
             AND (r.score, r.score_reasons, r.grade) IS DISTINCT FROM
                 (s.score, s.reasons, CASE WHEN s.score >= ${settings.gradeA}::int THEN 'A'
                              WHEN s.score >= ${settings.gradeB}::int THEN 'B'
                              WHEN s.score >= ${settings.gradeC}::int THEN 'C' ELSE 'D' END)
          RETURNING r.id
        )
        SELECT (SELECT array_agg(t.id::text ORDER BY t.id) FROM target t) AS ids,
               set_config('sen.keep_version', 'off', true) AS keep
          FROM (SELECT count(*) FROM written) w`,
  );
  return row?.ids ?? [];
}

/** Whether a record meets a rule, as SQL on `r`; undefined: the rule no longer compiles. */
async function ruleHit(
  tx: Tx,
  object: string,
  rule: ScoringRuleRow,
  resolver: FieldResolver,
): Promise<SQL | undefined> {
  if (rule.kind === 'event') {
    return sql`EXISTS (SELECT 1 FROM score_events se WHERE se.object = ${object}
                         AND se.record_id = r.id AND se.event_key = ${rule.eventKey})`;
  }
  if (!rule.condition) return undefined;
  try {
    return await compileCondition(tx, object, rule.condition, resolver);
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED') return undefined;
    throw err;
  }
}
