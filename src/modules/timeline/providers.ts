import { sql } from 'drizzle-orm';
import { textArray } from '../../db/sql.js';
import { registerTimelineProvider, targetMatch } from './registry.js';

/**
 * The built-in timeline providers (notes, attachments, the audit log's record history). Record
 * objects declare their relations (a company's timeline shows its contacts' events) in their
 * declaration's `timelineRelations`.
 */

registerTimelineProvider({
  type: 'note',
  // Pinned notes are listed separately at the top of the timeline, not repeated in the feed.
  sql: (targets) => sql`
    SELECT n.created_at AS occurred_at, 'note:' || n.id AS id, 'note'::text AS type,
           n.author_id AS actor_id, u.name AS actor_name, n.record_type, n.record_id,
           jsonb_build_object('noteId', n.id, 'bodyHtml', n.body_html, 'bodyText', n.body_text,
                              'pinned', n.pinned, 'updatedAt', n.updated_at) AS data
      FROM notes n LEFT JOIN users u ON u.id = n.author_id
     WHERE n.deleted_at IS NULL AND NOT n.pinned
       AND ${targetMatch(sql`n.record_type`, sql`n.record_id`, targets)}`,
});

registerTimelineProvider({
  type: 'attachment',
  sql: (targets) => sql`
    SELECT a.created_at AS occurred_at, 'attachment:' || a.id AS id, 'attachment'::text AS type,
           a.uploaded_by AS actor_id, u.name AS actor_name, a.record_type, a.record_id,
           jsonb_build_object('attachmentId', a.id, 'fileName', a.file_name,
                              'contentType', a.content_type, 'sizeBytes', a.size_bytes) AS data
      FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by
     WHERE a.deleted_at IS NULL
       AND ${targetMatch(sql`a.record_type`, sql`a.record_id`, targets)}`,
});

/**
 * The record's own history from the audit log (object_type = the record object's key):
 * create → created, delete → deleted, restore → restored, a lead's convert → converted (with
 * what it became), anything else (update, bulk edits) → field_change with the changed fields'
 * from → to.
 */
registerTimelineProvider({
  type: 'audit',
  types: ['created', 'field_change', 'deleted', 'restored', 'converted'],
  sql: (targets) => {
    const parts = targets
      .filter((t) => t.recordIds.length > 0)
      .map(
        (t) =>
          sql`(l.object_type = ${t.recordType} AND l.object_id = ANY(${textArray(t.recordIds)}))`,
      );
    if (parts.length === 0) return null;
    return sql`
    SELECT l.occurred_at, 'audit:' || lpad(l.id::text, 19, '0') AS id,
           CASE l.action WHEN 'create' THEN 'created' WHEN 'delete' THEN 'deleted'
                         WHEN 'restore' THEN 'restored' WHEN 'convert' THEN 'converted'
                         ELSE 'field_change' END AS type,
           coalesce(l.user_id, l.actor_id) AS actor_id, l.actor_name,
           l.object_type AS record_type, l.object_id::uuid AS record_id,
           jsonb_build_object('action', l.action, 'channel', l.channel,
                              'changes', coalesce(l.changes, '{}'::jsonb)) AS data
      FROM audit_log l
     WHERE (${sql.join(parts, sql` OR `)})`;
  },
});
