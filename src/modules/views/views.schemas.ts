import { z } from 'zod';
import type { SavedViewRow, ViewDefinition } from '../../db/schema/index.js';
import { iso, isoDate } from '../../http/schemas.js';
import { filterNode, type FilterNode } from '../records/filters.js';

/**
 * A saved view's definition. Only the structure is checked here: the fields it names are
 * resolved when the view is used (a list request), so a view survives a custom field being
 * renamed in the UI and reports a deleted field where it is applied.
 */
const fieldPath = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^[A-Za-z][A-Za-z0-9_]*(\.[a-z][a-z0-9_]*)?$/,
    'A field key such as "displayName" or "custom.hang"',
  );

const MAX_DEPTH = 4;
const MAX_CONDITIONS = 50;

function depthAndSize(node: FilterNode, depth = 1): { depth: number; size: number } {
  if ('field' in node) return { depth, size: 1 };
  let max = depth;
  let size = 0;
  for (const child of 'and' in node ? node.and : node.or) {
    const r = depthAndSize(child, depth + 1);
    max = Math.max(max, r.depth);
    size += r.size;
  }
  return { depth: max, size };
}

export const viewDefinition = z
  .strictObject({
    kind: z.enum(['table', 'kanban']),
    columns: z.array(fieldPath).max(100).optional(),
    sort: z
      .array(z.strictObject({ field: fieldPath, direction: z.enum(['asc', 'desc']) }))
      .max(5)
      .optional(),
    filter: filterNode
      .refine((node) => {
        const { depth, size } = depthAndSize(node);
        return depth <= MAX_DEPTH && size <= MAX_CONDITIONS;
      }, `At most ${MAX_DEPTH} levels and ${MAX_CONDITIONS} conditions`)
      .nullable()
      .optional(),
    /** The field whose values are a kanban board's columns (select / stage fields). */
    groupBy: fieldPath.optional(),
  })
  .superRefine((d, ctx) => {
    if (d.kind === 'kanban' && d.groupBy === undefined) {
      ctx.addIssue({ code: 'custom', path: ['groupBy'], message: 'A kanban view needs groupBy' });
    }
    if (d.kind === 'table' && d.groupBy !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['groupBy'], message: 'Only kanban views group' });
    }
  });

const name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .transform((s) => s.normalize('NFC'));

export const objectQuery = z.strictObject({ object: z.string().min(1).max(64) });

export const createViewBody = z.strictObject({
  /** Also accepted as the `object` query parameter. */
  object: z.string().min(1).max(64).optional(),
  name,
  shared: z.boolean().optional(),
  definition: viewDefinition,
  position: z.number().int().min(0).max(10_000).optional(),
});
export type CreateViewInput = z.infer<typeof createViewBody>;

export const updateViewBody = z.strictObject({
  name: name.optional(),
  shared: z.boolean().optional(),
  definition: viewDefinition.optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export type UpdateViewInput = z.infer<typeof updateViewBody>;

/** The view a user opens an object's list with, remembered across reloads and devices. */
export const lastUsedBody = z.strictObject({
  object: z.string().min(1).max(64),
  /** null: the list of every record. */
  viewId: z.uuid().nullable(),
});
export type LastUsedInput = z.infer<typeof lastUsedBody>;

export const savedView = z.object({
  id: z.uuid(),
  object: z.string(),
  name: z.string(),
  ownerId: z.uuid(),
  shared: z.boolean(),
  definition: z.record(z.string(), z.unknown()),
  position: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type SavedViewView = z.infer<typeof savedView>;

export function presentView(row: SavedViewRow): SavedViewView {
  return {
    id: row.id,
    object: row.object,
    name: row.name,
    ownerId: row.ownerId,
    shared: row.shared,
    definition: row.definition as ViewDefinition & Record<string, unknown>,
    position: row.position,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
