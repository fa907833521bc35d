import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  createdAt,
  id,
  systemPolicy,
  tenantPolicies,
  updatedAt,
  workspaceId,
} from '../../db/schema/common.js';
import { workspaces } from '../../db/schema/index.js';

/** A text in both languages of the product. */
export interface BothLanguages {
  vi: string;
  en: string;
}

/** One question of a form: a lead field (or `custom.<key>`), its label, required or not. */
export interface FormFieldConfig {
  key: string;
  label: BothLanguages;
  required: boolean;
}

export const afterSubmitKinds = ['message', 'redirect'] as const;
export const submissionOutcomes = [
  'lead_created',
  'lead_matched',
  'contact_matched',
  'spam',
] as const;
export type SubmissionOutcome = (typeof submissionOutcomes)[number];

/** One answer of a submission, in words: the question's label then and the value as text. */
export interface SubmittedValue {
  key: string;
  label: BothLanguages;
  value: string;
}

/**
 * Lead capture forms (Settings → Biểu mẫu thu thập): the questions in order, what follows a
 * submission (a thank-you text or a redirect), the lead's source and campaign, and the public key
 * the hosted page (/f/:key) and the embed snippet post with. The rate limits are per form: per
 * client IP and for the whole form, per minute (form_rate_windows).
 */
export const leadForms = pgTable(
  'lead_forms',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    fields: jsonb('fields').$type<FormFieldConfig[]>().notNull().default([]),
    submitLabel: jsonb('submit_label').$type<BothLanguages>().notNull(),
    afterSubmit: text('after_submit', { enum: afterSubmitKinds }).notNull().default('message'),
    thankYou: jsonb('thank_you').$type<BothLanguages>().notNull(),
    redirectUrl: text('redirect_url'),
    source: text('source').notNull().default('website'),
    campaign: text('campaign'),
    active: boolean('active').notNull().default(true),
    publicKey: text('public_key').notNull(),
    ratePerIp: integer('rate_per_ip').notNull().default(10),
    ratePerForm: integer('rate_per_form').notNull().default(300),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'lead_forms_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    unique('lead_forms_workspace_id_id_key').on(t.workspaceId, t.id),
    uniqueIndex('lead_forms_public_key_key').on(t.publicKey),
    index('lead_forms_workspace_idx').on(t.workspaceId, t.name),
    check('lead_forms_after_submit_check', sql`after_submit IN ('message', 'redirect')`),
    check(
      'lead_forms_redirect_check',
      sql`after_submit <> 'redirect' OR redirect_url ~ '^https?://'`,
    ),
    check('lead_forms_rates_check', sql`rate_per_ip > 0 AND rate_per_form > 0`),
    ...tenantPolicies(),
  ],
);
export type LeadFormRow = typeof leadForms.$inferSelect;

/**
 * Every submission of a form, whatever became of it: a new lead, attached to an open lead or a
 * contact with the same email or phone (a timeline event of that record), or refused as spam
 * (the honeypot), so nothing is lost. Flooded submissions past the rate limit are not stored.
 */
export const formSubmissions = pgTable(
  'form_submissions',
  {
    id: id(),
    workspaceId: workspaceId(),
    formId: uuid('form_id').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    outcome: text('outcome', { enum: submissionOutcomes }).notNull(),
    /** The record it became or joined (leads, contacts); null for spam. */
    recordType: text('record_type'),
    recordId: uuid('record_id'),
    values: jsonb('values').$type<SubmittedValue[]>().notNull().default([]),
    utmSource: text('utm_source'),
    utmMedium: text('utm_medium'),
    utmCampaign: text('utm_campaign'),
    utmTerm: text('utm_term'),
    utmContent: text('utm_content'),
    referrer: text('referrer'),
    landingPage: text('landing_page'),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [
    foreignKey({
      name: 'form_submissions_form_fk',
      columns: [t.workspaceId, t.formId],
      foreignColumns: [leadForms.workspaceId, leadForms.id],
    }).onDelete('cascade'),
    index('form_submissions_form_idx').on(t.workspaceId, t.formId, t.id.desc()),
    index('form_submissions_record_idx').on(t.workspaceId, t.recordType, t.recordId),
    check(
      'form_submissions_outcome_check',
      sql`outcome IN ('lead_created', 'lead_matched', 'contact_matched', 'spam')`,
    ),
    ...tenantPolicies(),
  ],
);
export type FormSubmissionRow = typeof formSubmissions.$inferSelect;

/**
 * Fixed-window counters of the public forms' rate limits (per form and client IP, per form),
 * shared by every app node: one INSERT … ON CONFLICT DO UPDATE per submission. Old windows are
 * deleted by the job lead-forms.rate-windows-cleanup. Not tenant data (no workspace; sen_system
 * only) and not backed up.
 */
export const formRateWindows = pgTable(
  'form_rate_windows',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull().default(0),
  },
  (t) => [
    primaryKey({ name: 'form_rate_windows_pkey', columns: [t.key, t.windowStart] }),
    index('form_rate_windows_start_idx').on(t.windowStart),
    systemPolicy(),
  ],
);
