import { z } from 'zod';
import { customFieldTypes, type CustomFieldRow } from '../../db/schema/index.js';
import { iso, isoDate } from '../../http/schemas.js';

export const FIELD_KEY = /^[a-z][a-z0-9_]{0,62}$/;
export const CHOICE_KEY = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const label = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .transform((s) => s.normalize('NFC'));

const choice = z.strictObject({
  /** Generated from the label when omitted. */
  key: z.string().regex(CHOICE_KEY).optional(),
  label,
  color: z.string().trim().max(32).nullable().optional(),
});

export const optionsInput = z.strictObject({
  choices: z.array(choice).max(200).optional(),
  target: z.string().max(64).optional(),
});

export const objectQuery = z.strictObject({ object: z.string().min(1).max(64) });

export const createFieldBody = z.strictObject({
  /** Also accepted as the `object` query parameter. */
  object: z.string().min(1).max(64).optional(),
  /** Generated from the label when omitted; never changes afterwards. */
  key: z.string().regex(FIELD_KEY).optional(),
  label,
  type: z.enum(customFieldTypes),
  options: optionsInput.optional(),
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
  defaultValue: z.unknown().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export type CreateFieldInput = z.infer<typeof createFieldBody>;

export const updateFieldBody = z.strictObject({
  label: label.optional(),
  type: z.enum(customFieldTypes).optional(),
  options: optionsInput.optional(),
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
  defaultValue: z.unknown().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export type UpdateFieldInput = z.infer<typeof updateFieldBody>;

export const customField = z.object({
  id: z.uuid(),
  object: z.string(),
  key: z.string(),
  label: z.string(),
  type: z.enum(customFieldTypes),
  options: z.object({
    choices: z
      .array(z.object({ key: z.string(), label: z.string(), color: z.string().nullable() }))
      .optional(),
    target: z.string().optional(),
  }),
  required: z.boolean(),
  unique: z.boolean(),
  defaultValue: z.unknown(),
  position: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type CustomFieldView = z.infer<typeof customField>;

export function presentField(row: CustomFieldRow): CustomFieldView {
  const options: CustomFieldView['options'] = {};
  if (row.options.choices) {
    options.choices = row.options.choices.map((c) => ({
      key: c.key,
      label: c.label,
      color: c.color ?? null,
    }));
  }
  if (row.options.target) options.target = row.options.target;
  return {
    id: row.id,
    object: row.object,
    key: row.key,
    label: row.label,
    type: row.type,
    options,
    required: row.required,
    unique: row.isUnique,
    defaultValue: row.defaultValue ?? null,
    position: row.position,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
