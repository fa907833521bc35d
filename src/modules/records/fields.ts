import { sql, type SQL } from 'drizzle-orm';
import type { LocalisedText } from '../../core/errors.js';
import {
  customFieldTypes,
  type CustomFieldRow,
  type CustomFieldType,
} from '../../db/schema/index.js';
import type { Tx } from '../../db/database.js';
import { listProvinces } from '../../lib/vn/admin-units.js';
import { isHideable } from './field-access.js';

/**
 * The field registry of record objects: for each object, its system fields with the SQL the
 * list machinery (filters, sorts, keyset cursors, export) needs. Custom fields (`custom.<key>`)
 * are added per request from the custom_fields table. A later object (deals, tickets…) calls
 * registerObjectFields() with its own fields and gets lists, filters, export and field metadata
 * for free.
 *
 * Every SQL fragment here is written against the alias `r` of the record table and is trusted
 * (never built from input): input only ever picks a field by key.
 */
/**
 * A field's type: a custom field's types, `tags`, and `json` for structured values (phones,
 * emails, addresses, links), shown and exported, never filtered. One list: the field metadata
 * response declares it, and the web app's FieldType is generated from that.
 */
export const fieldTypes = [...customFieldTypes, 'tags', 'json'] as const;
export type FieldType = (typeof fieldTypes)[number];

/** The SQL type a sort value is cast back to from its text form in a cursor. */
export type SortCast = 'text' | 'timestamptz' | 'date' | 'numeric' | 'uuid' | 'boolean';

export interface FieldOption {
  key: string;
  label: LocalisedText;
  /** `#rrggbb` for badges and kanban columns; null or absent = neutral. */
  color?: string | null;
  /** Kept for the records that have it, not offered for new values (editable option lists). */
  archived?: boolean;
  /**
   * The value of the field's `scopedBy` field this option belongs to (a stage: its pipeline's
   * id): forms offer it only there, and a board pinned to that value shows only its options.
   */
  scope?: string;
}

/**
 * A select field whose options each workspace edits (names, order, colours, archive): its
 * `options` are the defaults a workspace starts with (src/modules/field-options).
 */
export interface OptionListDef {
  /**
   * The field was free text before it became a list: values stored then, not in the list, are
   * kept and shown as typed, and filters accept them.
   */
  keepUnlisted?: boolean;
}

export interface FieldDef {
  key: string;
  label: LocalisedText;
  type: FieldType;
  options?: FieldOption[];
  system: boolean;
  readOnly: boolean;
  required?: boolean;
  /** The value as a SQL expression (filters); absent = not filterable. */
  expr?: SQL;
  /** `contains` on text: a folded (foldForSearch) expression to LIKE against. */
  foldedExpr?: SQL;
  /**
   * The foldedExpr value is always part of `search_text` (the name fields): a `contains` on it
   * can be narrowed down through the trigram index first (list.ts, trigramCandidates).
   */
  inSearchText?: boolean;
  /** What to order by; absent = not sortable. Defaults to expr. */
  sortExpr?: SQL;
  sortCast?: SortCast;
  /** The sort expression can be NULL (keyset cursors then carry "null"). */
  nullable?: boolean;
  /**
   * Direction of the list index on a NOT NULL sort column (the migrations write `DESC NULLS
   * LAST`): ORDER BY must name the same NULLS placement for PostgreSQL to walk the index.
   */
  indexOrder?: 'asc' | 'desc';
  /** Custom field: the key inside `custom`. */
  customKey?: string;
  customField?: CustomFieldRow;
  /** A select field whose option list each workspace edits (`options` = the defaults). */
  optionList?: OptionListDef;
  /**
   * A select field whose options are rows of the workspace (a deal's pipelines and stages),
   * loaded per request wherever options are (field metadata, filters, boards, imports).
   */
  loadOptions?: (tx: Tx) => Promise<FieldOption[]>;
  /** The field whose value picks which of this field's options apply (FieldOption.scope). */
  scopedBy?: string;
  /**
   * A role may be denied this field (records/field-access.ts) although its value is never
   * empty: its response keys are made nullable (a deal's amount). Nullable fields, links and
   * custom fields can be hidden without saying so.
   */
  hideable?: boolean;
  /** Other response keys that carry this field's value (a deal's weighted amount). */
  presentedAs?: string[];
  /** A link field: the record object its values are ids of (the web app's picker). */
  target?: string;
  /**
   * A filter through a link table (a contact's companies, job titles): `expr` is written against
   * the link `l` and the linked record `t`, and filters.ts makes a condition EXISTS (…) over the
   * links to live records the caller may see.
   */
  relation?: RelationFilter;
  /** A filter-only field: the column that shows its values (it is no column itself). */
  shownIn?: string;
  /**
   * How the web app shows this field's values where its type says too little (a json field):
   * the key of one of its field presentations (web/src/pages/records/fieldPresentations.ts),
   * e.g. `lineItems`: a document's lines, worded in the timeline as their count and amount and
   * what was added, removed or changed, and left out of the record's fields (a panel shows them).
   */
  presentation?: string;
}

/**
 * A link table between two record objects, as seen from one of them: `l.<from>` names this
 * record, `l.<to>` the linked record of `target` (both tables carry `workspace_id`).
 */
export interface RelationFilter {
  table: string;
  from: string;
  to: string;
  target: string;
}

export interface FieldMeta {
  key: string;
  label: LocalisedText;
  type: FieldType;
  options: FieldOption[] | null;
  system: boolean;
  filterable: boolean;
  sortable: boolean;
  readOnly: boolean;
  required: boolean;
  /** The options are the workspace's own list (Settings → option lists). */
  optionsEditable: boolean;
  /** A link field's record object (values are its ids). */
  target: string | null;
  /** A filter-only field: the column showing its values. */
  shownIn: string | null;
  /** The field whose value picks which options apply (each option's `scope`). */
  scopedBy: string | null;
  /** A role may be denied this field (Settings → roles → field access). */
  hideable: boolean;
  /** How the web app shows the field's values (FieldDef.presentation), or null: by its type. */
  presentation: string | null;
}

const registry = new Map<string, FieldDef[]>();

export function registerObjectFields(objectKey: string, fields: FieldDef[]): void {
  registry.set(objectKey, fields);
}

export function systemFields(objectKey: string): FieldDef[] {
  return registry.get(objectKey) ?? [];
}

/** `r.<column>` for a trusted column name. */
export const col = (name: string): SQL => sql.raw(`r.${name}`);

/** lower(unaccent(x)) with the whitespace folding of foldForSearch(). */
export const folded = (expr: SQL): SQL =>
  sql`btrim(regexp_replace(lower(sen_unaccent(${expr})), '\\s+', ' ', 'g'))`;

const sortCastOf: Partial<Record<CustomFieldType, SortCast>> = {
  number: 'numeric',
  money: 'numeric',
  datetime: 'timestamptz',
  date: 'date',
  boolean: 'boolean',
};

/** The definition of a custom field as a list field (`custom.<key>`). */
export function customFieldDef(field: CustomFieldRow): FieldDef {
  const text = sql`r.custom->>${field.key}`;
  const cast = sortCastOf[field.type] ?? 'text';
  const sortable = field.type !== 'multi_select' && field.type !== 'long_text';
  return {
    key: `custom.${field.key}`,
    label: { vi: field.label, en: field.label },
    type: field.type,
    options: (field.options.choices ?? []).map((c) => ({
      key: c.key,
      label: { vi: c.label, en: c.label },
    })),
    system: false,
    readOnly: false,
    required: field.required,
    expr: text,
    foldedExpr: folded(text),
    ...(sortable
      ? {
          sortExpr: cast === 'text' ? text : sql`(${text})::${sql.raw(cast)}`,
          sortCast: cast,
          nullable: true,
        }
      : {}),
    customKey: field.key,
    customField: field,
    ...(field.options.target ? { target: field.options.target } : {}),
  };
}

/** All fields of an object: system fields, then custom fields in their display order. */
export function objectFields(objectKey: string, custom: CustomFieldRow[]): FieldDef[] {
  return [...systemFields(objectKey), ...custom.map(customFieldDef)];
}

export function findField(
  objectKey: string,
  key: string,
  custom: CustomFieldRow[],
): FieldDef | undefined {
  if (key.startsWith('custom.')) {
    const field = custom.find((f) => `custom.${f.key}` === key);
    return field ? customFieldDef(field) : undefined;
  }
  return systemFields(objectKey).find((f) => f.key === key);
}

export function fieldMeta(field: FieldDef, titleField?: string): FieldMeta {
  return {
    key: field.key,
    label: field.label,
    type: field.type,
    options: field.options && field.options.length > 0 ? field.options : null,
    system: field.system,
    filterable: field.expr !== undefined && field.type !== 'json',
    sortable: field.sortExpr !== undefined,
    readOnly: field.readOnly,
    required: field.required ?? false,
    optionsEditable: field.optionList !== undefined,
    target: field.target ?? null,
    shownIn: field.shownIn ?? null,
    scopedBy: field.scopedBy ?? null,
    hideable: isHideable(field, titleField),
    presentation: field.presentation ?? null,
  };
}

/** Helpers for system field definitions. */
export function textField(
  key: string,
  column: string,
  label: LocalisedText,
  opts: { sortable?: boolean; readOnly?: boolean; type?: FieldType; foldedColumn?: string } = {},
): FieldDef {
  const expr = col(column);
  return {
    key,
    label,
    type: opts.type ?? 'text',
    system: true,
    readOnly: opts.readOnly ?? false,
    expr,
    foldedExpr: opts.foldedColumn ? col(opts.foldedColumn) : folded(expr),
    ...(opts.sortable === false ? {} : { sortExpr: expr, sortCast: 'text', nullable: true }),
  };
}

export function selectField(
  key: string,
  column: string,
  label: LocalisedText,
  options: FieldOption[],
  opts: { nullable?: boolean; type?: FieldType; optionList?: OptionListDef } = {},
): FieldDef {
  const expr = col(column);
  return {
    key,
    label,
    type: opts.type ?? 'select',
    options,
    ...(opts.optionList ? { optionList: opts.optionList } : {}),
    system: true,
    readOnly: false,
    expr,
    sortExpr: expr,
    sortCast: 'text',
    nullable: opts.nullable ?? true,
    // A NOT NULL column always has a value: forms and inline edits cannot clear it.
    required: opts.nullable === false,
  };
}

/**
 * The addresses of a record and its primary address's province and ward (denormalised for
 * filters): the same three fields on every object with addresses.
 */
export function addressFields(): FieldDef[] {
  return [
    jsonField('addresses', { vi: 'Địa chỉ', en: 'Addresses' }),
    selectField(
      'provinceCode',
      'province_code',
      { vi: 'Tỉnh/Thành phố', en: 'Province' },
      listProvinces().map((p) => ({ key: p.code, label: { vi: p.name, en: p.nameEn } })),
    ),
    selectField('wardCode', 'ward_code', { vi: 'Phường/Xã', en: 'Ward' }, []),
  ];
}

export function userField(key: string, column: string, label: LocalisedText, readOnly = false) {
  const expr = col(column);
  return {
    key,
    label,
    type: 'user',
    system: true,
    readOnly,
    expr,
  } satisfies FieldDef;
}

export function timestampField(
  key: string,
  column: string,
  label: LocalisedText,
  opts: { nullable?: boolean; indexOrder?: 'asc' | 'desc' } = {},
): FieldDef {
  const expr = col(column);
  return {
    key,
    label,
    type: 'datetime',
    system: true,
    readOnly: true,
    expr,
    sortExpr: expr,
    sortCast: 'timestamptz',
    nullable: opts.nullable ?? false,
    ...(opts.indexOrder ? { indexOrder: opts.indexOrder } : {}),
  };
}

/**
 * Filter-only fields through a link table (`relation`), shown in the column `shownIn`: the
 * linked record (`link`, a picker of `relation.target`) or a text column of the link itself.
 */
export function relationField(
  key: string,
  label: LocalisedText,
  relation: RelationFilter,
  shownIn: string,
  column?: string,
): FieldDef {
  const base = { key, label, system: true, readOnly: true, relation, shownIn };
  if (!column) return { ...base, type: 'link', target: relation.target, expr: sql`t.id` };
  const expr = sql.raw(`l.${column}`);
  return { ...base, type: 'text', expr, foldedExpr: folded(expr) };
}

export function jsonField(key: string, label: LocalisedText, readOnly = false): FieldDef {
  return { key, label, type: 'json', system: true, readOnly };
}

/** Fields every record object has (owner, tags, timestamps). */
export function commonFields(): FieldDef[] {
  return [
    userField('ownerId', 'owner_id', { vi: 'Người phụ trách', en: 'Owner' }),
    {
      key: 'tags',
      label: { vi: 'Nhãn', en: 'Tags' },
      type: 'tags',
      system: true,
      readOnly: false,
      expr: col('tags'),
    },
    // Imports set created_at in the past, so it is not the order of the (UUID v7) ids: sorted by
    // its own list index (workspace_id, created_at DESC, id DESC), like updated_at.
    timestampField(
      'createdAt',
      'created_at',
      { vi: 'Ngày tạo', en: 'Created' },
      { indexOrder: 'desc' },
    ),
    timestampField(
      'updatedAt',
      'updated_at',
      { vi: 'Cập nhật lúc', en: 'Updated' },
      { indexOrder: 'desc' },
    ),
    // Sortable in the trash, but no filter: the trash is its own view (`trash=true`).
    (({ expr: _expr, ...f }) => f)(
      timestampField(
        'deletedAt',
        'deleted_at',
        { vi: 'Xoá lúc', en: 'Deleted' },
        { nullable: true },
      ),
    ),
    userField('createdBy', 'created_by', { vi: 'Người tạo', en: 'Created by' }, true),
    userField('updatedBy', 'updated_by', { vi: 'Người cập nhật', en: 'Updated by' }, true),
  ];
}
