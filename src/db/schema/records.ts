import { sql } from 'drizzle-orm';
import { SALUTATION_CODES } from '../../lib/vn/names.js';
import {
  bigint,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  pgPolicy,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  createdAt,
  currentUser,
  id,
  senApp,
  tenantPolicies,
  updatedAt,
  workspaceId,
} from './common.js';
import { recordColumns } from './record-table.js';
import { workspaceMembers } from './workspaces.js';
import { priceLists } from '../../modules/price-lists/price-lists.table.js';

/**
 * Customer records: companies, contacts and what hangs off them (notes, attachments, custom
 * fields, saved views). See docs/ARCHITECTURE.md, "Customer records".
 *
 * Conventions every record table here (and every later CRM object: deals, tickets…) follows:
 * - `workspace_id` + the tenant policies; references between records are composite foreign keys
 *   on (workspace_id, id), so the database itself refuses a link to another workspace's record
 *   (foreign-key checks bypass row-level security, a plain FK would not).
 * - `owner_id` references a member of the same workspace: the own/team/all visibility scope.
 * - Soft delete: `deleted_at` set = in the trash, restorable for 30 days, then purged by a job.
 * - `custom` holds custom field values by field key (JSONB, one GIN index per table).
 * - `search_name` / `search_text`: lower-case, diacritic-free text written by the service (and
 *   by the bulk generators) with foldForSearch(); the same folding as sen_unaccent() in SQL.
 */

export interface LabeledValue {
  value: string;
  label: string | null;
  primary: boolean;
}

export interface Address {
  label: string | null;
  street: string | null;
  /** Post-July-2025 two-tier units (src/data/vn-admin); null for a foreign or free-text address. */
  wardCode: string | null;
  provinceCode: string | null;
  /** The address as typed (also holds pre-2025 addresses that have no new codes). */
  text: string | null;
  countryCode: string;
  primary: boolean;
}

export type ConsentStatus = 'opted_in' | 'opted_out' | 'unknown';
export interface ConsentEntry {
  status: ConsentStatus;
  at: string | null;
  method: string | null;
}
export type Consent = Partial<Record<'email' | 'sms' | 'zalo', ConsentEntry>>;

export type CustomValues = Record<string, unknown>;

const deletedAt = () => timestamp('deleted_at', { withTimezone: true });

/**
 * A customer's figures (contacts and companies), kept by the database in the transaction of
 * every order, invoice and payment that changes them (triggers, migration 0046): never a
 * nightly guess. Read-only fields like any other (filters, sorts, views, exports).
 */
const customerFigures = () => ({
  firstOrderDate: date('first_order_date', { mode: 'string' }),
  lastOrderDate: date('last_order_date', { mode: 'string' }),
  orderCount: integer('order_count').notNull().default(0),
  /** Σ paid on its non-void invoices (integer đồng). */
  totalSpent: bigint('total_spent', { mode: 'number' }).notNull().default(0),
  /** Σ left to pay on its issued invoices. */
  openBalance: bigint('open_balance', { mode: 'number' }).notNull().default(0),
  /** Σ left to pay on its overdue invoices. */
  overdueAmount: bigint('overdue_amount', { mode: 'number' }).notNull().default(0),
  /** Σ of its payments not allocated to any invoice. */
  creditBalance: bigint('credit_balance', { mode: 'number' }).notNull().default(0),
  /** The highest tier (Settings → Hạng khách hàng) whose threshold its total spent reaches. */
  customerTier: text('customer_tier'),
  /** The last note, file or document on it. */
  lastActivityAt: timestamp('last_activity_at', { withTimezone: true }),
});

export const companyTypes = ['prospect', 'customer', 'partner', 'supplier', 'other'] as const;
export type CompanyType = (typeof companyTypes)[number];

export const companies = pgTable(
  'companies',
  {
    ...recordColumns(),
    name: text('name').notNull(),
    taxCode: text('tax_code'),
    type: text('type', { enum: companyTypes }).notNull().default('prospect'),
    industry: text('industry'),
    size: text('size'),
    website: text('website'),
    phones: jsonb('phones').$type<LabeledValue[]>().notNull().default([]),
    emails: jsonb('emails').$type<LabeledValue[]>().notNull().default([]),
    addresses: jsonb('addresses').$type<Address[]>().notNull().default([]),
    /** The primary address's units, denormalised for filtering and indexing. */
    provinceCode: text('province_code'),
    wardCode: text('ward_code'),
    parentId: uuid('parent_id'),
    /** The company's price list (modules/price-lists): what quotes price it at. */
    priceListId: uuid('price_list_id'),
    /** Days an invoice to this customer gives to pay (null: the business profile's). */
    paymentTermsDays: integer('payment_terms_days'),
    ...customerFigures(),
  },
  (t) => [
    unique('companies_workspace_id_id_key').on(t.workspaceId, t.id),
    // A deleted list leaves its customers without one (the migration writes SET NULL
    // (price_list_id): only that column, the workspace stays).
    foreignKey({
      name: 'companies_price_list_fk',
      columns: [t.workspaceId, t.priceListId],
      foreignColumns: [priceLists.workspaceId, priceLists.id],
    }).onDelete('set null'),
    index('companies_last_order_idx')
      .on(t.workspaceId, t.lastOrderDate)
      .where(sql`deleted_at IS NULL`),
    index('companies_total_spent_idx')
      .on(t.workspaceId, t.totalSpent)
      .where(sql`deleted_at IS NULL`),
    index('companies_price_list_idx')
      .on(t.workspaceId, t.priceListId)
      .where(sql`price_list_id IS NOT NULL`),
    foreignKey({
      name: 'companies_owner_fk',
      columns: [t.workspaceId, t.ownerId],
      foreignColumns: [workspaceMembers.workspaceId, workspaceMembers.userId],
    }),
    foreignKey({
      name: 'companies_parent_fk',
      columns: [t.workspaceId, t.parentId],
      foreignColumns: [t.workspaceId, t.id],
    }),
    check('companies_parent_not_self', sql`parent_id IS DISTINCT FROM id`),
    index('companies_list_updated_idx')
      .on(t.workspaceId, t.updatedAt.desc(), t.id.desc())
      .where(sql`deleted_at IS NULL`),
    index('companies_list_created_idx')
      .on(t.workspaceId, t.createdAt.desc(), t.id.desc())
      .where(sql`deleted_at IS NULL`),
    index('companies_list_name_idx')
      .on(t.workspaceId, t.sortName, t.id)
      .where(sql`deleted_at IS NULL`),
    index('companies_owner_idx')
      .on(t.workspaceId, t.ownerId, t.updatedAt.desc())
      .where(sql`deleted_at IS NULL`),
    index('companies_search_name_idx')
      .on(t.workspaceId, sql`${t.searchName} text_pattern_ops`)
      .where(sql`deleted_at IS NULL`),
    index('companies_tax_code_idx').on(t.workspaceId, t.taxCode),
    index('companies_province_idx').on(t.workspaceId, t.provinceCode),
    index('companies_parent_idx').on(t.workspaceId, t.parentId),
    index('companies_trash_idx')
      .on(t.workspaceId, t.deletedAt)
      .where(sql`deleted_at IS NOT NULL`),
    index('companies_tags_idx').using('gin', t.tags),
    index('companies_custom_idx').using('gin', sql`${t.custom} jsonb_path_ops`),
    index('companies_search_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    // Duplicate checks (the form's warning, imports' matching): any of the phones or emails.
    index('companies_phones_idx')
      .using('gin', sql`${t.phones} jsonb_path_ops`)
      .with({ fastupdate: 'off' }),
    index('companies_emails_idx')
      .using('gin', sql`${t.emails} jsonb_path_ops`)
      .with({ fastupdate: 'off' }),
    ...tenantPolicies(),
  ],
);

export const salutations = SALUTATION_CODES;
export const genders = ['male', 'female', 'other'] as const;

export const contacts = pgTable(
  'contacts',
  {
    ...recordColumns(),
    familyName: text('family_name'),
    middleName: text('middle_name'),
    givenName: text('given_name'),
    /** Vietnamese order ("Nguyễn Văn An"), NFC; English order is computed for display. */
    displayName: text('display_name').notNull(),
    salutation: text('salutation', { enum: salutations }),
    gender: text('gender', { enum: genders }),
    birthday: date('birthday', { mode: 'string' }),
    emails: jsonb('emails').$type<LabeledValue[]>().notNull().default([]),
    phones: jsonb('phones').$type<LabeledValue[]>().notNull().default([]),
    primaryEmail: text('primary_email'),
    /** E.164. */
    primaryPhone: text('primary_phone'),
    addresses: jsonb('addresses').$type<Address[]>().notNull().default([]),
    provinceCode: text('province_code'),
    wardCode: text('ward_code'),
    source: text('source'),
    /** A key of the workspace's lifecycle stages (an editable option list: contacts.fields.ts). */
    lifecycleStage: text('lifecycle_stage').notNull().default('lead'),
    consent: jsonb('consent').$type<Consent>().notNull().default({}),
    /** The contact's price list (modules/price-lists); their company's list wins in a quote. */
    priceListId: uuid('price_list_id'),
    /** Days an invoice to this customer gives to pay (null: the business profile's). */
    paymentTermsDays: integer('payment_terms_days'),
    ...customerFigures(),
  },
  (t) => [
    unique('contacts_workspace_id_id_key').on(t.workspaceId, t.id),
    foreignKey({
      name: 'contacts_price_list_fk',
      columns: [t.workspaceId, t.priceListId],
      foreignColumns: [priceLists.workspaceId, priceLists.id],
    }).onDelete('set null'),
    index('contacts_last_order_idx')
      .on(t.workspaceId, t.lastOrderDate)
      .where(sql`deleted_at IS NULL`),
    index('contacts_total_spent_idx')
      .on(t.workspaceId, t.totalSpent)
      .where(sql`deleted_at IS NULL`),
    index('contacts_price_list_idx')
      .on(t.workspaceId, t.priceListId)
      .where(sql`price_list_id IS NOT NULL`),
    foreignKey({
      name: 'contacts_owner_fk',
      columns: [t.workspaceId, t.ownerId],
      foreignColumns: [workspaceMembers.workspaceId, workspaceMembers.userId],
    }),
    index('contacts_list_updated_idx')
      .on(t.workspaceId, t.updatedAt.desc(), t.id.desc())
      .where(sql`deleted_at IS NULL`),
    index('contacts_list_created_idx')
      .on(t.workspaceId, t.createdAt.desc(), t.id.desc())
      .where(sql`deleted_at IS NULL`),
    index('contacts_list_name_idx')
      .on(t.workspaceId, t.sortName, t.id)
      .where(sql`deleted_at IS NULL`),
    index('contacts_search_name_idx')
      .on(t.workspaceId, sql`${t.searchName} text_pattern_ops`)
      .where(sql`deleted_at IS NULL`),
    // Search by given name: an ordered prefix walk of sort_name ("given family middle").
    index('contacts_given_name_idx')
      .on(t.workspaceId, sql`${t.sortName} text_pattern_ops`)
      .where(sql`deleted_at IS NULL`),
    index('contacts_owner_idx')
      .on(t.workspaceId, t.ownerId, t.updatedAt.desc())
      .where(sql`deleted_at IS NULL`),
    index('contacts_province_idx')
      .on(t.workspaceId, t.provinceCode, t.updatedAt.desc())
      .where(sql`deleted_at IS NULL`),
    index('contacts_stage_idx')
      .on(t.workspaceId, t.lifecycleStage, t.updatedAt.desc())
      .where(sql`deleted_at IS NULL`),
    // Equality and prefix (search's email stage) lookups.
    index('contacts_email_idx').on(t.workspaceId, sql`${t.primaryEmail} text_pattern_ops`),
    index('contacts_phone_idx').on(t.workspaceId, t.primaryPhone),
    index('contacts_trash_idx')
      .on(t.workspaceId, t.deletedAt)
      .where(sql`deleted_at IS NOT NULL`),
    index('contacts_tags_idx').using('gin', t.tags),
    index('contacts_custom_idx').using('gin', sql`${t.custom} jsonb_path_ops`),
    index('contacts_search_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    // Duplicate checks (the form's warning, imports' matching): any of the phones or emails.
    // fastupdate off: with GIN's pending list, every lookup after a big import scanned the
    // list's unmerged entries (1.4 ms a phone instead of 0.02 ms, until a VACUUM).
    index('contacts_phones_idx')
      .using('gin', sql`${t.phones} jsonb_path_ops`)
      .with({ fastupdate: 'off' }),
    index('contacts_emails_idx')
      .using('gin', sql`${t.emails} jsonb_path_ops`)
      .with({ fastupdate: 'off' }),
    ...tenantPolicies(),
  ],
);

/** A contact works at companies (many-to-many, with a job title). */
export const contactCompanies = pgTable(
  'contact_companies',
  {
    workspaceId: workspaceId(),
    contactId: uuid('contact_id').notNull(),
    companyId: uuid('company_id').notNull(),
    jobTitle: text('job_title'),
    isPrimary: boolean('is_primary').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.contactId, t.companyId] }),
    foreignKey({
      name: 'contact_companies_contact_fk',
      columns: [t.workspaceId, t.contactId],
      foreignColumns: [contacts.workspaceId, contacts.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'contact_companies_company_fk',
      columns: [t.workspaceId, t.companyId],
      foreignColumns: [companies.workspaceId, companies.id],
    }).onDelete('cascade'),
    index('contact_companies_company_idx').on(t.workspaceId, t.companyId),
    ...tenantPolicies(),
  ],
);

export const customFieldTypes = [
  'text',
  'long_text',
  'number',
  'money',
  'date',
  'datetime',
  'boolean',
  'select',
  'multi_select',
  'url',
  'email',
  'phone',
  'user',
  'link',
] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

export interface CustomFieldOptions {
  /** select / multi_select: the allowed values, in display order. */
  choices?: { key: string; label: string; color?: string | null }[];
  /** link: the object the field points to ("contacts", "companies"…). */
  target?: string;
}

/** Field definitions added by admins, per object. Values live in each record's `custom`. */
export const customFields = pgTable(
  'custom_fields',
  {
    id: id(),
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type', { enum: customFieldTypes }).notNull(),
    options: jsonb('options').$type<CustomFieldOptions>().notNull().default({}),
    required: boolean('required').notNull().default(false),
    isUnique: boolean('is_unique').notNull().default(false),
    defaultValue: jsonb('default_value'),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('custom_fields_workspace_id_id_key').on(t.workspaceId, t.id),
    unique('custom_fields_object_key_key').on(t.workspaceId, t.object, t.key),
    check('custom_fields_key_format', sql`key ~ '^[a-z][a-z0-9_]{0,62}$'`),
    ...tenantPolicies(),
  ],
);

/**
 * Values of unique custom fields, one row per (field, normalised value): the primary key makes
 * the database refuse a duplicate even under concurrent writes. The service keeps it in step
 * with `custom` in the same transaction.
 */
export const customFieldUniqueValues = pgTable(
  'custom_field_unique_values',
  {
    workspaceId: workspaceId(),
    fieldId: uuid('field_id').notNull(),
    value: text('value').notNull(),
    recordId: uuid('record_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.fieldId, t.value] }),
    foreignKey({
      name: 'custom_field_unique_values_field_fk',
      columns: [t.workspaceId, t.fieldId],
      foreignColumns: [customFields.workspaceId, customFields.id],
    }).onDelete('cascade'),
    index('custom_field_unique_values_record_idx').on(t.workspaceId, t.recordId),
    ...tenantPolicies(),
  ],
);

/** Notes on any record (rich text, sanitised on write). */
export const notes = pgTable(
  'notes',
  {
    id: id(),
    workspaceId: workspaceId(),
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    bodyHtml: text('body_html').notNull(),
    bodyText: text('body_text').notNull(),
    pinned: boolean('pinned').notNull().default(false),
    authorId: uuid('author_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    index('notes_record_idx').on(t.workspaceId, t.recordType, t.recordId, t.createdAt.desc()),
    ...tenantPolicies(),
  ],
);

/** Files on any record. Bytes live under the data dir (attachments/<workspace>/<id>). */
export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    workspaceId: workspaceId(),
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    fileName: text('file_name').notNull(),
    /** Sniffed from the bytes, not taken from the upload. */
    contentType: text('content_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: uuid('uploaded_by'),
    createdAt: createdAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    index('attachments_record_idx').on(t.workspaceId, t.recordType, t.recordId, t.createdAt.desc()),
    ...tenantPolicies(),
  ],
);

export interface ViewDefinition {
  kind: 'table' | 'kanban';
  columns?: string[];
  sort?: { field: string; direction: 'asc' | 'desc' }[];
  /** The filter tree (see modules/records/filters.ts). */
  filter?: unknown;
  groupBy?: string;
}

/** Saved table/kanban views: private to their owner, or shared with the workspace. */
export const savedViews = pgTable(
  'saved_views',
  {
    id: id(),
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    name: text('name').notNull(),
    ownerId: uuid('owner_id').notNull(),
    shared: boolean('shared').notNull().default(false),
    definition: jsonb('definition').$type<ViewDefinition>().notNull(),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('saved_views_object_idx').on(t.workspaceId, t.object),
    ...tenantPolicies(),
    // On top of the workspace rule: a private view is visible to its owner only.
    pgPolicy('private_to_owner', {
      as: 'restrictive',
      for: 'all',
      to: senApp,
      using: sql`shared OR owner_id = ${currentUser}`,
      withCheck: sql`shared OR owner_id = ${currentUser}`,
    }),
  ],
);

export type CompanyRow = typeof companies.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;
export type CustomFieldRow = typeof customFields.$inferSelect;
export type NoteRow = typeof notes.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;
export type SavedViewRow = typeof savedViews.$inferSelect;
