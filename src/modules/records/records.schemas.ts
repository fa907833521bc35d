import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { exportFormats } from './export-formats.js';
import { fieldTypes } from './fields.js';
import { filterOps, filterParam } from './filters.js';
import { MAX_LIMIT } from './list.js';

/** Request and response building blocks shared by every record object. */

const optionalText = (max: number) => z.string().max(max).nullable().optional();

export const labeledValueInput = (max: number) =>
  z.strictObject({
    value: z.string().max(max),
    label: optionalText(50),
    primary: z.boolean().optional(),
  });

export const phonesInput = z.array(labeledValueInput(50)).max(20);
export const emailsInput = z.array(labeledValueInput(320)).max(20);

export const addressInput = z.strictObject({
  label: optionalText(50),
  street: optionalText(300),
  wardCode: optionalText(10),
  provinceCode: optionalText(10),
  text: optionalText(1000),
  countryCode: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .nullable()
    .optional(),
  primary: z.boolean().optional(),
});
export const addressesInput = z.array(addressInput).max(10);

export const tagsInput = z.array(z.string().max(50)).max(50);
export const customInput = z
  .record(z.string().max(64), z.unknown())
  .refine((o) => Object.keys(o).length <= 200, 'Too many custom values');

export const labeledValue = z.object({
  value: z.string(),
  label: z.string().nullable(),
  primary: z.boolean(),
});
export const phoneValue = labeledValue.extend({ national: z.string() });

export const address = z.object({
  label: z.string().nullable(),
  street: z.string().nullable(),
  wardCode: z.string().nullable(),
  provinceCode: z.string().nullable(),
  text: z.string().nullable(),
  countryCode: z.string(),
  primary: z.boolean(),
  wardName: z.string().nullable(),
  provinceName: z.string().nullable(),
});

export const ref = z.object({ id: z.uuid(), name: z.string() });

export const recordBase = {
  id: z.uuid(),
  ownerId: z.uuid().nullable(),
  owner: ref.nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  phones: z.array(phoneValue),
  emails: z.array(labeledValue),
  addresses: z.array(address),
  createdAt: isoDate,
  updatedAt: isoDate,
  deletedAt: isoDate.nullable(),
};

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Query of lists, counts and exports. */
export const listQuery = z.strictObject({
  filter: filterParam.optional(),
  sort: z.string().max(120).optional(),
  q: z.string().max(200).optional(),
  trash: bool.optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).optional(),
  withTotal: bool.optional(),
});

export const countQuery = listQuery.pick({ filter: true, q: true, trash: true });

export const exportQuery = listQuery
  .pick({ filter: true, sort: true, q: true, trash: true })
  .extend({
    columns: z.string().max(4000).optional(),
    format: z.enum(exportFormats).optional(),
  });

export const getQuery = z.strictObject({ trash: bool.optional() });

export const listResponse = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
    total: z.number().int().optional(),
  });

export const bulkBody = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(1000),
  action: z.enum(['assign_owner', 'add_tag', 'remove_tag', 'set_field', 'delete', 'restore']),
  ownerId: z.uuid().nullable().optional(),
  tag: z.string().max(50).optional(),
  field: z.string().max(100).optional(),
  value: z.unknown().optional(),
});
export type BulkInput = z.infer<typeof bulkBody>;

export const fieldMeta = z.object({
  key: z.string(),
  label: z.object({ vi: z.string(), en: z.string() }),
  type: z.enum(fieldTypes),
  options: z
    .array(
      z.object({
        key: z.string(),
        label: z.object({ vi: z.string(), en: z.string() }),
        /** `#rrggbb` (option lists; null = neutral). */
        color: z.string().nullable().optional(),
        /** Kept for the records that have it, not offered for new values. */
        archived: z.boolean().optional(),
        scope: z.string().optional(),
      }),
    )
    .nullable(),
  system: z.boolean(),
  filterable: z.boolean(),
  sortable: z.boolean(),
  readOnly: z.boolean(),
  required: z.boolean(),
  /** The options are the workspace's own list (PUT /field-options/:object/:field). */
  optionsEditable: z.boolean(),
  /** A link field: the record object its values are ids of. */
  target: z.string().nullable(),
  /** A filter-only field (a relation's): the column that shows its values. */
  shownIn: z.string().nullable(),
  scopedBy: z.string().nullable(),
  /** A role may be denied this field (Settings → roles → field access). */
  hideable: z.boolean(),
  /**
   * How the web app shows the field's values where its type says too little (a json field):
   * `lineItems` (a document's lines); null: by its type.
   */
  presentation: z.string().nullable(),
  operators: z.array(z.enum(filterOps)),
});

const text = z.object({ vi: z.string(), en: z.string() });

/** A record object for the web app: labels and presentation (RecordObjectDefinition). */
export const objectMeta = z.object({
  key: z.string(),
  label: z.object({ one: text, many: text }),
  presentation: z.object({
    icon: z.string(),
    order: z.number(),
    titleField: z.string(),
    subtitleFields: z.array(z.string()),
    defaultColumns: z.array(z.string()),
    kanbanField: z.string().nullable(),
    kanbanSums: z.array(z.object({ key: z.string(), label: text })),
    // A list filter (FilterNode, as `filter` of lists takes it).
    kanbanFilter: z.record(z.string(), z.unknown()).nullable(),
    cardBadges: z.array(z.string()),
    headerFacts: z.array(z.string()),
    form: z
      .object({
        quick: z.array(z.string()),
        more: z.array(z.string()),
        inputs: z.record(z.string(), z.string()),
        defaults: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      })
      .nullable(),
    panels: z.array(z.string()),
    /** Header buttons and notices of the record page (web: objectActions, objectBanners). */
    actions: z.array(z.string()).optional(),
    banners: z.array(z.string()).optional(),
    /** A record with this value is read-only (no Edit). */
    readOnlyWhen: z.object({ field: z.string(), value: z.string() }).optional(),
  }),
  /** The fields whose values the form checks for duplicates (POST /:object/duplicates). */
  duplicateKeys: z.array(z.string()),
  /** The formats its records export to (vcf: the object declares a vCard). */
  exportFormats: z.array(z.enum(exportFormats)),
});
