import { sql } from 'drizzle-orm';
import { can } from '../../core/permissions.js';
import { uuidArray } from '../../db/sql.js';
import { registerMergeChild } from '../merge/merge.repository.js';
import { registerPurgeHook } from '../records/trash.js';
import { registerTimelineProvider, targetMatch } from '../timeline/registry.js';
import { activityKinds } from './activities.table.js';
import { activityLinks } from './activities.table.js';

/**
 * Activities on their related records' timelines: one event per activity (an activity linked
 * to a company and to one of its contacts shows once on the company's timeline), typed by its
 * kind. A task is placed when it was done (else when it was created), a call or a meeting at
 * its time. Access is controlled by the parent, as Salesforce's default: a reader of the record
 * whose role may read activities at all sees the activities linked to it, as with its notes,
 * whoever owns them (the activity's own page and lists follow the activities' scope); a role
 * without activities' read sees none. The event carries no other related record.
 */
registerTimelineProvider({
  type: 'activity',
  types: activityKinds,
  sql: (targets, actor) => {
    if (!can(actor, 'activities', 'read')) return null;
    return sql`
    SELECT DISTINCT ON (a.id)
           CASE WHEN a.kind = 'task' THEN coalesce(a.done_at, a.created_at)
                ELSE coalesce(a.due_at, a.created_at) END AS occurred_at,
           'activity:' || a.id AS id, a.kind AS type, a.created_by AS actor_id,
           u.name AS actor_name, l.record_type, l.record_id,
           jsonb_build_object('activityId', a.id, 'kind', a.kind, 'title', a.title,
                              'status', a.status, 'dueAt', a.due_at, 'endAt', a.end_at,
                              'doneAt', a.done_at, 'priority', a.priority,
                              'direction', a.direction, 'outcome', a.outcome,
                              'durationMinutes', a.duration_minutes, 'location', a.location,
                              'description', a.description, 'ownerId', a.owner_id,
                              'ownerName', o.name) AS data
      FROM activity_links l
      JOIN activities a ON a.id = l.activity_id AND a.deleted_at IS NULL
      LEFT JOIN users u ON u.id = a.created_by
      LEFT JOIN users o ON o.id = a.owner_id
     WHERE ${targetMatch(sql`l.record_type`, sql`l.record_id`, targets)}
     ORDER BY a.id, l.created_at`;
  },
});

// A record purged for good takes its links with it (the activities stay).
registerPurgeHook(async (tx, object, ids) => {
  await tx.execute(
    sql`DELETE FROM activity_links
         WHERE record_type = ${object.key} AND record_id = ANY(${uuidArray(ids)})`,
  );
});

// A merge moves the merged records' links to the survivor (and back on undo).
registerMergeChild(activityLinks);
