import { sql } from 'drizzle-orm';
import {
  foreignKey,
  index,
  integer,
  jsonb,
  text,
  timestamp,
  unique,
  uuid,
  type ExtraConfigColumn,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, updatedAt, workspaceId } from './common.js';
import { workspaceMembers } from './workspaces.js';

/**
 * What every record object's table has (contacts, companies, products; later leads, deals…):
 * columns the shared machinery reads by name, and the constraints, indexes and policies that
 * keep it fast and separate per workspace. A new object's table (in its own folder, a file
 * named `*.table.ts`, which drizzle.config.ts picks up) is:
 *
 *   export const products = pgTable('products', { ...recordColumns(), sku: text('sku')… },
 *     (t) => [...recordTableExtras('products', t), …its own indexes]);
 */
export const recordColumns = () => ({
  id: id(),
  workspaceId: workspaceId(),
  ownerId: uuid('owner_id'),
  tags: text('tags')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  custom: jsonb('custom').$type<Record<string, unknown>>().notNull().default({}),
  /** Sort key of the name: Vietnamese alphabet order (see lib/vn/names.ts). */
  sortName: text('sort_name').notNull().default(''),
  searchName: text('search_name').notNull().default(''),
  searchText: text('search_text').notNull().default(''),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  createdBy: uuid('created_by'),
  updatedBy: uuid('updated_by'),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
  deletedBy: uuid('deleted_by'),
  /**
   * Bumped by the database on every UPDATE of the row (trigger sen_bump_version, one per record
   * table): a write that names the version it read (If-Match) and finds another is refused with
   * 409 and the current values instead of overwriting them. Derived values written by the
   * system (a score, figures) may keep it: `SET LOCAL sen.keep_version = 'on'`.
   */
  version: integer('version').notNull().default(1),
});

interface RecordTableColumns {
  id: ExtraConfigColumn;
  workspaceId: ExtraConfigColumn;
  ownerId: ExtraConfigColumn;
  tags: ExtraConfigColumn;
  custom: ExtraConfigColumn;
  sortName: ExtraConfigColumn;
  searchName: ExtraConfigColumn;
  searchText: ExtraConfigColumn;
  createdAt: ExtraConfigColumn;
  updatedAt: ExtraConfigColumn;
  deletedAt: ExtraConfigColumn;
}

/**
 * The standard constraints, indexes and policies of a record table named `name`: the composite
 * key other records reference, the owner as a member of the same workspace, the list orders
 * (updated, created, name) of live rows, owner, trash, tags, custom values, the search name
 * prefix and the trigram index of search_text, and the tenant policies.
 */
export function recordTableExtras(name: string, t: RecordTableColumns) {
  const live = sql`deleted_at IS NULL`;
  return [
    unique(`${name}_workspace_id_id_key`).on(t.workspaceId, t.id),
    foreignKey({
      name: `${name}_owner_fk`,
      columns: [t.workspaceId, t.ownerId],
      foreignColumns: [workspaceMembers.workspaceId, workspaceMembers.userId],
    }),
    index(`${name}_list_updated_idx`)
      .on(t.workspaceId, t.updatedAt.desc(), t.id.desc())
      .where(live),
    index(`${name}_list_created_idx`)
      .on(t.workspaceId, t.createdAt.desc(), t.id.desc())
      .where(live),
    index(`${name}_list_name_idx`).on(t.workspaceId, t.sortName, t.id).where(live),
    index(`${name}_owner_idx`).on(t.workspaceId, t.ownerId, t.updatedAt.desc()).where(live),
    index(`${name}_search_name_idx`)
      .on(t.workspaceId, sql`${t.searchName} text_pattern_ops`)
      .where(live),
    index(`${name}_trash_idx`)
      .on(t.workspaceId, t.deletedAt)
      .where(sql`deleted_at IS NOT NULL`),
    index(`${name}_tags_idx`).using('gin', t.tags),
    index(`${name}_custom_idx`).using('gin', sql`${t.custom} jsonb_path_ops`),
    index(`${name}_search_trgm_idx`).using('gin', sql`${t.searchText} gin_trgm_ops`),
    ...tenantPolicies(),
  ];
}
