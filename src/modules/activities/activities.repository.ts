import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { can, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { Tx } from '../../db/database.js';
import { isoText, queryRows, uuidArray } from '../../db/sql.js';
import { recordObjects } from '../records/registry.js';
import { activities, activityLinks, type ActivityRow } from './activities.table.js';

export type ActivityValues = Omit<
  typeof activities.$inferInsert,
  'id' | 'workspaceId' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'deletedBy'
>;

/** An activity as it is presented: timestamps as ISO text, names resolved. */
export interface ActivityRecordRow {
  id: string;
  kind: ActivityRow['kind'];
  title: string;
  status: ActivityRow['status'];
  dueAt: string | null;
  endAt: string | null;
  doneAt: string | null;
  priority: ActivityRow['priority'];
  recurrence: ActivityRow['recurrence'];
  direction: ActivityRow['direction'];
  outcome: ActivityRow['outcome'];
  durationMinutes: number | null;
  location: string | null;
  onlineUrl: string | null;
  description: string | null;
  attendeeIds: string[];
  attendees: { id: string; name: string }[];
  reminderMinutes: number | null;
  links: { object: string; id: string; name: string }[];
  ownerId: string | null;
  ownerName: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/**
 * The name of the record a link `l` names, when the actor may see it (its object's read
 * permission and visibility scope, not in the trash); NULL otherwise. One CASE branch per
 * record object the actor may read.
 */
export function visibleLinkName(actor: Actor, link: string): SQL {
  const branches = recordObjects()
    .filter((o) => o.key !== 'activities' && can(actor, o.key, 'read'))
    .map((o) => {
      const scope = scopeCondition(actor, o.key, sql`t.owner_id`);
      return sql`WHEN ${o.key} THEN (SELECT t.${sql.identifier(o.columns.name.name)}::text
          FROM ${o.table} t WHERE t.id = ${sql.raw(link)}.record_id AND t.deleted_at IS NULL
          ${scope ? sql`AND ${scope}` : sql``})`;
    });
  if (branches.length === 0) return sql`NULL::text`;
  return sql`CASE ${sql.raw(link)}.record_type ${sql.join(branches, sql` `)} END`;
}

/** The presented columns of activities `r` (an ActivityRecordRow) for this actor. */
export function activityColumns(actor: Actor): SQL {
  return sql`r.id, r.kind, r.title, r.status,
    ${isoText(sql`r.due_at`)} AS "dueAt", ${isoText(sql`r.end_at`)} AS "endAt",
    ${isoText(sql`r.done_at`)} AS "doneAt", r.priority, r.recurrence, r.direction, r.outcome,
    r.duration_minutes AS "durationMinutes", r.location, r.online_url AS "onlineUrl",
    r.description, r.attendee_ids AS "attendeeIds",
    (SELECT coalesce(jsonb_agg(jsonb_build_object('id', u.id, 'name', u.name) ORDER BY u.name), '[]')
       FROM users u WHERE u.id = ANY(r.attendee_ids)) AS attendees,
    r.reminder_minutes AS "reminderMinutes",
    (SELECT coalesce(jsonb_agg(jsonb_build_object('object', x.object, 'id', x.id, 'name', x.name)
                               ORDER BY x.object, x.name, x.id), '[]')
       FROM (SELECT l.record_type AS object, l.record_id AS id, l.created_at,
                    ${visibleLinkName(actor, 'l')} AS name
               FROM activity_links l WHERE l.activity_id = r.id) x
      WHERE x.name IS NOT NULL) AS links,
    r.owner_id AS "ownerId", (SELECT u.name FROM users u WHERE u.id = r.owner_id) AS "ownerName",
    r.tags, r.custom,
    ${isoText(sql`r.created_at`)} AS "createdAt", ${isoText(sql`r.updated_at`)} AS "updatedAt",
    ${isoText(sql`r.deleted_at`)} AS "deletedAt"`;
}

export async function getActivityRow(
  tx: Tx,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ActivityRow | undefined> {
  const q = tx
    .select()
    .from(activities)
    .where(and(eq(activities.id, id), isNull(activities.deletedAt)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}

export async function insertActivity(
  tx: Tx,
  workspaceId: string,
  values: ActivityValues,
): Promise<ActivityRow> {
  const [row] = await tx
    .insert(activities)
    .values({ ...values, workspaceId })
    .returning();
  if (!row) throw new Error('activity insert returned nothing');
  return row;
}

export async function updateActivity(
  tx: Tx,
  id: string,
  values: Partial<ActivityValues>,
): Promise<ActivityRow> {
  const [row] = await tx
    .update(activities)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(activities.id, id))
    .returning();
  if (!row) throw new Error('activity update returned nothing');
  return row;
}

/** Which of these users are active members of the current workspace. */
export async function activeMembers(tx: Tx, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await queryRows<{ user_id: string }>(
    tx,
    sql`SELECT user_id FROM workspace_members
         WHERE user_id = ANY(${uuidArray(userIds)}) AND status = 'active'`,
  );
  return new Set(rows.map((r) => r.user_id));
}

export async function linksOf(
  tx: Tx,
  activityId: string,
): Promise<{ recordType: string; recordId: string }[]> {
  return tx
    .select({ recordType: activityLinks.recordType, recordId: activityLinks.recordId })
    .from(activityLinks)
    .where(eq(activityLinks.activityId, activityId))
    .orderBy(activityLinks.createdAt, activityLinks.id);
}

/** Replace an activity's links with these (in order, without repeats). */
export async function replaceLinks(
  tx: Tx,
  workspaceId: string,
  activityId: string,
  links: { object: string; id: string }[],
): Promise<void> {
  await tx.delete(activityLinks).where(eq(activityLinks.activityId, activityId));
  const seen = new Set<string>();
  const rows = links.filter((l) => {
    const k = `${l.object}:${l.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (rows.length === 0) return;
  await tx
    .insert(activityLinks)
    .values(rows.map((l) => ({ workspaceId, activityId, recordType: l.object, recordId: l.id })));
}

/** Whether an occurrence already has its next one (in the trash or not). */
export async function hasNextOccurrence(tx: Tx, id: string): Promise<boolean> {
  const rows = await queryRows<{ ok: number }>(
    tx,
    sql`SELECT 1 AS ok FROM activities WHERE previous_id = ${id}::uuid LIMIT 1`,
  );
  return rows.length > 0;
}

const steps = { daily: '1 day', weekly: '7 days', monthly: '1 month' } as const;
/** A step's length at most (a month: 31 days), to skip the steps already past at once. */
const longest = { daily: '1 day', weekly: '7 days', monthly: '31 days' } as const;

/**
 * The next due time of a recurring occurrence: its due time plus one step, as many steps as it
 * takes to be after now (a daily task done a week late is next due tomorrow, not yesterday).
 * Steps are calendar days and months in the workspace's time zone.
 */
export async function nextDueAt(
  tx: Tx,
  dueAt: Date,
  recurrence: keyof typeof steps,
): Promise<Date> {
  const rows = await queryRows<{ next: string | Date }>(
    tx,
    sql`WITH z AS (SELECT w.timezone AS tz FROM workspaces w WHERE w.id = (SELECT sen_workspace_id())),
             s AS (SELECT ${steps[recurrence]}::interval AS step, z.tz,
                          ${dueAt.toISOString()}::timestamptz AT TIME ZONE z.tz AS local,
                          greatest(1, floor(extract(epoch FROM now() - ${dueAt.toISOString()}::timestamptz)
                                            / extract(epoch FROM ${longest[recurrence]}::interval)))::int AS skip
                     FROM z)
        SELECT (g AT TIME ZONE s.tz) AS next
          FROM s, generate_series(s.local + s.step * s.skip, s.local + s.step * (s.skip + 100), s.step) g
         WHERE (g AT TIME ZONE s.tz) > now() ORDER BY g LIMIT 1`,
  );
  const next = rows[0]?.next;
  if (next === undefined) throw new Error('no next occurrence');
  return next instanceof Date ? next : new Date(next);
}
