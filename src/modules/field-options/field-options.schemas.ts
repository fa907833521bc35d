import { z } from 'zod';

const text = z.object({ vi: z.string(), en: z.string() });

export const optionListParams = z.strictObject({
  object: z.string().max(64),
  field: z.string().max(64),
});

/** A save replaces the whole list: its order is the display order; a missing option is removed. */
export const optionListBody = z.strictObject({
  options: z
    .array(
      z.strictObject({
        /** An existing option's key (keeps the records that hold it); none = a new option. */
        key: z.string().max(64).optional(),
        label: z.strictObject({ vi: z.string().max(100), en: z.string().max(100).optional() }),
        /** `#rrggbb`, or null for the neutral colour. */
        color: z.string().max(7).nullable().optional(),
        /** Kept for the records that have it, not offered for new values. */
        archived: z.boolean().optional(),
      }),
    )
    .max(500),
});
export type OptionListInput = z.infer<typeof optionListBody>;

export const optionListView = z.object({
  object: z.string(),
  field: z.string(),
  label: text,
  required: z.boolean(),
  /** The workspace edited the list (else it has the declared defaults). */
  customised: z.boolean(),
  options: z.array(
    z.object({
      key: z.string(),
      label: text,
      color: z.string().nullable(),
      archived: z.boolean(),
      /** Records (the trash included) holding this value. */
      usage: z.number().int(),
    }),
  ),
  /** Values records hold that are not in the list (typed before the field was a list). */
  unlisted: z.array(z.object({ value: z.string(), usage: z.number().int() })),
});
export type OptionListView = z.infer<typeof optionListView>;

export const optionListIndex = z.object({
  items: z.array(
    z.object({
      object: z.string(),
      objectLabel: text,
      field: z.string(),
      label: text,
    }),
  ),
});
