import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { auditActorTypes, auditChannels, AuditChanges } from '../../db/schema/index.js';
import { queryRows, type Timestamp } from '../../db/sql.js';
import { optionListNames } from '../field-options/field-options.service.js';
import { recordObjects } from '../records/registry.js';

export interface AuditFilter {
  objectType?: string | undefined;
  objectId?: string | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  /** Entries older than this id (ids are a bigint sequence: exact on both backends). */
  beforeId?: number | undefined;
}

export interface AuditRow {
  id: string;
  occurred_at: Timestamp;
  actor_type: (typeof auditActorTypes)[number];
  actor_id: string | null;
  actor_name: string | null;
  user_id: string | null;
  channel: (typeof auditChannels)[number];
  action: string;
  object_type: string;
  object_id: string;
  changes: AuditChanges | null;
  request_id: string | null;
  /** The changed object's current name (record, member, role…), null when gone or unnamed. */
  object_name: string | null;
  /** Names of the members, roles, teams and records whose ids appear in `changes`. */
  names: Record<string, string> | null;
}

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const UUIDS_IN_CHANGES = `strict $.** ? (@.type() == "string" && @ like_regex "${UUID}")`;

/** A record object's display name by id (`p.oid` / `ids.id`), from its declaration. */
function recordNames(id: SQL): { key: string; name: SQL }[] {
  return recordObjects().map((o) => ({
    key: o.key,
    name: sql`(SELECT ${o.columns.name}::text FROM ${o.table} WHERE ${o.columns.id} = ${id})`,
  }));
}

/** An option list's name by its row id (`p.oid`): the field and object it belongs to. */
function optionListName(id: SQL): SQL {
  const names = optionListNames();
  if (names.length === 0) return sql`NULL`;
  return sql`(SELECT CASE l.object || '.' || l.field
                     ${sql.join(
                       names.map((n) => sql`WHEN ${n.key} THEN ${n.name}`),
                       sql` `,
                     )}
                   END
                FROM field_option_lists l WHERE l.id = ${id})`;
}

/**
 * `{ id: name }` for every member, role, team and record whose id appears anywhere inside an
 * audit entry's changes (owner, role, team members, linked companies…), or NULL: the names the
 * audit log page and the record timeline show instead of ids. Row-level security keeps every
 * lookup inside the caller's workspace.
 */
export function namesInChanges(changes: SQL): SQL {
  const idNames = [
    sql`(SELECT u.name FROM workspace_members m JOIN users u ON u.id = m.user_id
         WHERE m.user_id = ids.id)`,
    sql`(SELECT r.name FROM roles r WHERE r.id = ids.id)`,
    sql`(SELECT t.name FROM teams t WHERE t.id = ids.id)`,
    ...recordNames(sql`ids.id`).map((r) => r.name),
  ];
  return sql`(SELECT jsonb_object_agg(r.id, r.name)
              FROM (
                SELECT ids.id::text AS id,
                       COALESCE(${sql.join(idNames, sql`, `)}) AS name
                FROM (
                  SELECT DISTINCT (v #>> '{}')::uuid AS id
                  FROM jsonb_path_query(${changes}, ${UUIDS_IN_CHANGES}::jsonpath) v
                ) ids
              ) r
              WHERE r.name IS NOT NULL)`;
}

/**
 * One page of the audit log, newest first, with the names the UI shows instead of ids, in one
 * statement: the object's current name by its type (record objects by their declared name
 * column), and the names behind every id inside the changes (owner, role, team members, linked
 * companies…). Row-level security keeps every lookup inside the caller's workspace.
 */
export function listEntries(tx: Tx, filter: AuditFilter, limit: number): Promise<AuditRow[]> {
  const where: SQL[] = [sql`true`];
  if (filter.objectType) where.push(sql`a.object_type = ${filter.objectType}`);
  if (filter.objectId) where.push(sql`a.object_id = ${filter.objectId}`);
  if (filter.actorId) where.push(sql`a.actor_id = ${filter.actorId}`);
  if (filter.action) where.push(sql`a.action = ${filter.action}`);
  if (filter.beforeId !== undefined) where.push(sql`a.id < ${filter.beforeId}`);

  return queryRows<AuditRow>(
    tx,
    sql`
      WITH page AS (
        SELECT a.*, CASE WHEN a.object_id ~ ${UUID} THEN a.object_id::uuid END AS oid
        FROM audit_log a
        WHERE ${sql.join(where, sql` AND `)}
        ORDER BY a.id DESC
        LIMIT ${limit}
      )
      SELECT p.id::text AS id, p.occurred_at, p.actor_type, p.actor_id, p.actor_name, p.user_id,
             p.channel, p.action, p.object_type, p.object_id, p.changes, p.request_id,
             CASE p.object_type
               ${sql.join(
                 recordNames(sql`p.oid`).map((r) => sql`WHEN ${r.key} THEN ${r.name}`),
                 sql` `,
               )}
               WHEN 'workspace' THEN (SELECT w.name FROM workspaces w WHERE w.id = p.oid)
               WHEN 'member' THEN (SELECT u.name FROM users u WHERE u.id = p.oid)
               WHEN 'user' THEN (SELECT u.name FROM users u WHERE u.id = p.oid)
               WHEN 'invitation' THEN (SELECT i.email::text FROM invitations i WHERE i.id = p.oid)
               WHEN 'role' THEN (SELECT r.name FROM roles r WHERE r.id = p.oid)
               WHEN 'team' THEN (SELECT t.name FROM teams t WHERE t.id = p.oid)
               WHEN 'api_key' THEN (SELECT k.name FROM api_keys k WHERE k.id = p.oid)
               WHEN 'custom_fields' THEN (SELECT f.label FROM custom_fields f WHERE f.id = p.oid)
               WHEN 'field_options' THEN ${optionListName(sql`p.oid`)}
               WHEN 'saved_views' THEN (SELECT v.name FROM saved_views v WHERE v.id = p.oid)
               WHEN 'attachments' THEN (SELECT f.file_name FROM attachments f WHERE f.id = p.oid)
               WHEN 'notes' THEN (SELECT left(n.body_text, 80) FROM notes n WHERE n.id = p.oid)
               WHEN 'pipeline' THEN (SELECT pl.name FROM pipelines pl WHERE pl.id = p.oid)
             END AS object_name,
             ${namesInChanges(sql`p.changes`)} AS names
      FROM page p
      ORDER BY p.id DESC`,
  );
}
