import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { uuidArray } from '../../db/sql.js';

/**
 * The timeline's extension points. The 360° feed of a record is the UNION ALL of every
 * provider's events for a set of target records (the record itself, plus related records such
 * as a company's contacts), newest first.
 *
 * A module adds its events (deals, emails, tasks, tickets…) from its own folder, at import time:
 *
 *   registerTimelineProvider({
 *     type: 'email',
 *     sql: (targets) => sql`
 *       SELECT e.sent_at AS occurred_at, 'email:' || e.id AS id, 'email' AS type,
 *              e.sender_id AS actor_id, u.name AS actor_name,
 *              e.record_type, e.record_id, jsonb_build_object('subject', e.subject) AS data
 *         FROM emails e LEFT JOIN users u ON u.id = e.sender_id
 *        WHERE ${targetMatch(sql`e.record_type`, sql`e.record_id`, targets)}`,
 *   });
 *
 * Rules for a provider's SELECT:
 * - exactly these columns, in this order, with these types: occurred_at timestamptz, id text,
 *   type text, actor_id uuid, actor_name text, record_type text, record_id uuid, data jsonb;
 * - `id` unique across providers (prefix it with the type) — it breaks ties in the ordering and
 *   is half of the cursor;
 * - only rows of the given targets, in the caller's workspace (it runs as sen_app under RLS),
 *   without soft-deleted rows; the caller's access to the targets is already checked.
 */
export interface TimelineTarget {
  recordType: string;
  recordIds: readonly string[];
}

export interface TimelineProvider {
  /** The provider's name; also its event type when `types` is not given. */
  type: string;
  /** Every event type the provider can emit (what `?types=` filters on). */
  types?: readonly string[];
  /**
   * The events of the targets as the actor may see them: a provider of a record object's own
   * rows (activities) applies that object's read permission and scope (null: none to show).
   */
  sql(targets: readonly TimelineTarget[], actor: Actor): SQL | null;
}

/**
 * Related records whose events also appear in a record's timeline (a company shows its
 * contacts' events). `load` returns only the records the actor may see (visibility scope).
 */
export interface TimelineRelation {
  object: string;
  relatedObject: string;
  load(tx: Tx, actor: Actor, recordId: string): Promise<{ id: string; name: string }[]>;
}

const providers = new Map<string, TimelineProvider>();
const relations: TimelineRelation[] = [];

export function registerTimelineProvider(provider: TimelineProvider): void {
  providers.set(provider.type, provider);
}

export function registerTimelineRelation(relation: TimelineRelation): void {
  relations.push(relation);
}

export function timelineProviders(): TimelineProvider[] {
  return [...providers.values()];
}

export const providerTypes = (p: TimelineProvider): readonly string[] => p.types ?? [p.type];

export function timelineEventTypes(): string[] {
  return [...new Set(timelineProviders().flatMap(providerTypes))];
}

export function timelineRelations(object: string): TimelineRelation[] {
  return relations.filter((r) => r.object === object);
}

/** `(record_type = 'contacts' AND record_id = ANY(…)) OR …` over the targets. */
export function targetMatch(
  recordType: SQL,
  recordId: SQL,
  targets: readonly TimelineTarget[],
): SQL {
  const parts = targets
    .filter((t) => t.recordIds.length > 0)
    .map(
      (t) =>
        sql`(${recordType} = ${t.recordType} AND ${recordId} = ANY(${uuidArray(t.recordIds)}))`,
    );
  return parts.length > 0 ? sql`(${sql.join(parts, sql` OR `)})` : sql`false`;
}
