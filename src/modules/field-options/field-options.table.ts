import { jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, updatedAt, workspaceId } from '../../db/schema/common.js';

/** One option of a workspace's list, as stored (array order = display order). */
export interface StoredOption {
  key: string;
  label: { vi: string; en: string };
  /** `#rrggbb`, or null for the neutral colour. */
  color: string | null;
  /** Kept for the records that have it, not offered for new values. */
  archived: boolean;
}

/**
 * A workspace's edited option list of one select field (contacts' lifecycle stages, companies'
 * industries, products' units…). No row = the field's default options from its declaration.
 */
export const fieldOptionLists = pgTable(
  'field_option_lists',
  {
    id: id(),
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    field: text('field').notNull(),
    options: jsonb('options').$type<StoredOption[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('field_option_lists_field_key').on(t.workspaceId, t.object, t.field),
    ...tenantPolicies(),
  ],
);

export type FieldOptionListRow = typeof fieldOptionLists.$inferSelect;
