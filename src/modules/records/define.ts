import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import { z, ZodObject } from 'zod';
import type { LocalisedText } from '../../core/errors.js';
import type { Tx } from '../../db/database.js';
import {
  actions,
  registerPermissionObject,
  type Action,
  type Actor,
  type PermissionObject,
} from '../../core/permissions.js';
import type { Relation } from '../relations/define.js';
import { registerRelation } from '../relations/registry.js';
import { registerSearchProvider, type SearchProvider } from '../search/registry.js';
import { registerTimelineRelation, type TimelineRelation } from '../timeline/registry.js';
import type { ImportDeclaration } from '../imports/declaration.js';
import type { LineItemsDeclaration } from '../line-items/define.js';
import type { DuplicateKey } from './duplicates.js';
import type { FilterNode } from './filters.js';
import { presentedKeys } from './field-access.js';
import { registerObjectFields, type FieldDef } from './fields.js';
import type { RecordKind } from './kinds.js';
import { registerRecordObject, type RecordObject } from './registry.js';
import { registerPurgeHook, type PurgeHook } from './trash.js';

/**
 * A record object (contacts, companies, products; later leads, deals, quotes, tickets…) is ONE
 * declaration in its own folder, registered by listing it in src/modules/index.ts. Everything
 * the shared machinery needs comes from here: routes (list, count, export, bulk, CRUD, restore,
 * notes, attachments, timeline), field metadata, filters and sorts, permissions, search, the
 * timeline, the trash and the web app's pages (served at GET /api/v1/objects). Code that is
 * truly the object's own (a contact's name splitting, a company's parent) lives in its `kind`
 * and hooks. See docs/ARCHITECTURE.md, "Adding a record object".
 */
export interface RecordObjectDefinition {
  /** Plural, snake_case: the URL segment, the permission object and notes' `record_type`. */
  key: string;
  label: { one: LocalisedText; many: LocalisedText };
  table: PgTable;
  /** The columns the shared machinery reads by name (the display name included). */
  columns: RecordObject['columns'];
  /** Actions (default: read, create, update, delete, export, import) and built-in grants. */
  permissions: { actions?: readonly Action[]; defaults: PermissionObject['defaults'] };
  /** System fields, in display order (custom fields are added per workspace). */
  fields: FieldDef[];
  /** Request and response bodies; the response is what `kind.present` returns. */
  schemas: { create: z.ZodType; patch: z.ZodType; response: z.ZodType };
  /** Create, update and the presented columns (see RecordKind). */
  // A kind's input and output types are only known to the object itself.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  kind: RecordKind<any, any, any>;
  /** The global search box's provider for this object (its `type` is the object's key). */
  search?: Omit<SearchProvider, 'type'>;
  /**
   * Related objects whose events appear in a timeline: by default this object's (a company's
   * timeline shows its contacts'); with `object`, another object's (a deal's events on its
   * company's and contacts' timelines, declared by deals).
   */
  timelineRelations?: (Omit<TimelineRelation, 'object'> & { object?: string })[];
  /** Run in the purge transaction before this object's rows are deleted for good. */
  purge?: PurgeHook;
  /** Constraint names the object's writes can violate, as field errors. */
  constraints?: Record<string, { path: string; text: LocalisedText }>;
  /** Columns of an export when the caller names none. */
  exportColumns: string[];
  /**
   * Export formats beyond CSV and XLSX (every object has those). `vcard`: one presented record
   * (the `kind.present` shape) as a vCard 4.0 card, written with records/vcard.ts; offers
   * `format=vcf` (contacts/contacts.export.ts).
   */
  export?: ExportDeclaration;
  /**
   * Values that should name one record in a workspace (a phone, a tax code, a SKU): the form
   * warns when one is already taken (POST /:object/duplicates). Built with phoneKey, emailKey,
   * taxCodeKey and codeKey (records/duplicates.ts).
   */
  duplicateKeys?: DuplicateKey[];
  /**
   * Imports (src/modules/imports): targets beyond the generic ones its fields give, header
   * hints, what follows a row's write. Rows are matched on `duplicateKeys`.
   */
  import?: ImportDeclaration;
  /**
   * Columns outside the declared relations that hold this object's record ids (a company's
   * parent): a merge re-points them from the merged records to the survivor, its undo back
   * (src/modules/merge). Notes, attachments, the timeline, saved views and the relations'
   * link tables are moved without a declaration.
   */
  mergeRefs?: MergeRef[];
  /**
   * Possible duplicates by name (src/modules/merge): pairs whose names are alike (trigram
   * similarity of search_name at or above the workspace's threshold). `sameLink`: only records
   * that also link the same record through that relation (a contact's company: Vietnamese
   * personal names repeat too often to be evidence on their own). Default: names sharing a
   * word few records have; `false`: no pairs by name.
   */
  fuzzyDuplicates?: { sameLink?: string } | false;
  /**
   * The links to other objects this object offers (relations/define.ts: defineRelation, with
   * this object as their `from` side); their routes are mounted after the object's own.
   */
  relations?: Relation[];
  /**
   * Assignment rules (src/modules/assignment) may choose the owner of this object's new records
   * (Settings → Phân công tự động). `open`: the condition, on the table's alias `r`, of a record
   * that still counts as open work for the "fewest open records" method (a lead not yet
   * converted or disqualified). The object's writer calls assignNewRecords() in its afterWrite.
   */
  assignment?: { open: SQL };
  /**
   * Run in a merge's transaction once its records are locked, before anything is written:
   * throw to refuse merging them (a converted lead is read-only).
   */
  beforeMerge?: (tx: Tx, ids: string[]) => Promise<void>;
  /**
   * The column holding the record's last activity (a deal's last_activity_at): notes and
   * attachments (later tasks, calls, emails) move it to now (records/activity.ts).
   */
  activity?: { column: string };
  /**
   * Line items (quotes, orders, invoices): the child table and the totals they write on the
   * record (src/modules/line-items/define.ts); GET/PUT /<object>/:id/line-items and the web
   * app's `lineItems` panel.
   */
  lineItems?: LineItemsDeclaration;
  /** How the web app shows it (GET /api/v1/objects). */
  presentation: ObjectPresentation;
}

/** One total of a board column: SUM(expr) over its records (`expr` against the alias `r`). */
export interface BoardSum {
  key: string;
  label: LocalisedText;
  expr: SQL;
  /** The field whose values it adds up: a role that may not see it gets no such total. */
  field?: string;
}

/** A column of `table` (with `id` and `workspace_id` columns) naming records of the object. */
export interface MergeRef {
  table: PgTable;
  column: AnyPgColumn;
}

export interface ExportDeclaration {
  vcard?(record: Record<string, unknown>): string;
}

export interface ObjectPresentation {
  /** A Tabler icon the web app knows (`users`, `building`, `package`…). */
  icon: string;
  /** Sidebar order (smaller first). */
  order: number;
  /** The field that names a record (table's first column, cards, the record page's title). */
  titleField: string;
  /** Fields shown under the title on cards and search results. */
  subtitleFields: string[];
  /** A table's columns when the user chose none. */
  defaultColumns: string[];
  /** The select field a kanban board groups by; none = no board. */
  kanbanField?: string;
  /** Totals a board shows per column besides the count (a deal board: amount, weighted). */
  kanbanSums?: BoardSum[];
  /**
   * The records a board shows (a deal board: open deals); default all. A list filter: the
   * server applies it to the board, the web app to a column's further pages.
   */
  kanbanFilter?: FilterNode;
  /** Boolean fields shown as a badge on cards when true (a rotting deal). */
  cardBadges?: string[];
  /** Key facts in the record page's header. */
  headerFacts: string[];
  /** The create/edit form; none = every writable field, the required ones first. */
  form?: ObjectForm;
  /** Custom panels of the record page, by the key the web app registers them under. */
  panels?: string[];
  /**
   * Buttons of the record page's header beside Edit and Delete (a lead's "Chuyển đổi"), by the
   * key the web app registers them under (objectUi.tsx `objectActions`).
   */
  actions?: string[];
  /**
   * Notices under the record page's header (a converted lead's "became this contact"), by the
   * key the web app registers them under (objectUi.tsx `objectBanners`).
   */
  banners?: string[];
  /**
   * A record holding this value is read-only (the server refuses its edits): the record page
   * offers no Edit (a converted lead).
   */
  readOnlyWhen?: { field: string; value: string };
}

/**
 * The web app's record form (one component for every object). Entries are field keys of the
 * object's fields, or keys an input writes (a contact's `fullName`); an entry's input follows
 * its field's type unless `inputs` names one the web app registers (web/src/pages/records/
 * formInputs.tsx: `personName`, `phones`, `emails`, `address`, `employer`…).
 */
export interface ObjectForm {
  /** The short form, in order: what a person fills in most of the time. */
  quick: string[];
  /** Behind "more fields", in order; the workspace's custom fields follow. */
  more: string[];
  /** Entry → the registered web input that edits it. */
  inputs?: Record<string, string>;
  /** What a new record's form starts with (the values the server would default to). */
  defaults?: Record<string, string | number | boolean>;
}

/** Every action (core/permissions): a record object supports all of them unless it says. */
export const RECORD_ACTIONS = actions;

/**
 * The declaration, checked where it is written, with what every record object has added: its
 * `version` (bumped by the database on every update; If-Match on PATCH) is presented with every
 * record and declared in its response schema.
 */
export function defineRecordObject(definition: RecordObjectDefinition): RecordObjectDefinition {
  const { kind, schemas } = definition;
  if (!(schemas.response instanceof ZodObject)) {
    throw new Error(`${definition.key}: the response schema must be a z.object`);
  }
  // A field a role may be denied shows as null to that role (records/field-access.ts).
  const shape = { ...schemas.response.shape } as Record<string, z.ZodType>;
  for (const field of definition.fields.filter((f) => f.hideable)) {
    for (const key of presentedKeys(field)) {
      const type = shape[key];
      if (type && !type.safeParse(null).success) shape[key] = type.nullable();
    }
  }
  return {
    ...definition,
    kind: {
      ...kind,
      columns: (actor: Actor) => sql`${kind.columns(actor)}, r.version AS "version"`,
      present: (row: { version: number }) => ({
        ...kind.present(row),
        version: Number(row.version),
      }),
    },
    schemas: {
      ...schemas,
      response: z.object(shape).extend({
        version: z
          .number()
          .int()
          .describe('Bumped by every change; send it back as If-Match to refuse lost updates.'),
      }),
    },
  };
}

const definitions = new Map<string, RecordObjectDefinition>();
const constraintPaths = new Map<string, { path: string; text: LocalisedText }>();

/** Put a declaration into every registry (idempotent per key; at boot and in tests). */
export function registerRecordObjectDefinition(def: RecordObjectDefinition): void {
  if (definitions.has(def.key)) return;
  definitions.set(def.key, def);
  registerPermissionObject({
    key: def.key,
    actions: def.permissions.actions ?? RECORD_ACTIONS,
    scoped: true,
    defaults: def.permissions.defaults,
  });
  registerRecordObject({
    key: def.key,
    label: def.label.many,
    table: def.table,
    columns: def.columns,
  });
  registerObjectFields(def.key, def.fields);
  if (def.search) registerSearchProvider({ type: def.key, ...def.search });
  for (const relation of def.timelineRelations ?? []) {
    registerTimelineRelation({ ...relation, object: relation.object ?? def.key });
  }
  if (def.purge) {
    const hook = def.purge;
    registerPurgeHook((tx, object, ids) =>
      object.key === def.key ? hook(tx, object, ids) : Promise.resolve(),
    );
  }
  for (const [name, path] of Object.entries(def.constraints ?? {})) constraintPaths.set(name, path);
  for (const relation of def.relations ?? []) {
    if (relation.from.object !== def.key) {
      throw new Error(
        `${def.key} offers relation ${relation.key}, whose from side is not ${def.key}`,
      );
    }
    registerRelation(relation);
  }
}

export function recordObjectDefinitions(): RecordObjectDefinition[] {
  return [...definitions.values()];
}

export function recordObjectDefinition(key: string): RecordObjectDefinition | undefined {
  return definitions.get(key);
}

/** The field error for a violated constraint some object declared (mapWriteError). */
export function constraintPath(name: string): { path: string; text: LocalisedText } | undefined {
  return constraintPaths.get(name);
}
