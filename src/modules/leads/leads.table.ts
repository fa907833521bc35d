import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { recordColumns, recordTableExtras } from '../../db/schema/record-table.js';
import type { Address, LabeledValue } from '../../db/schema/index.js';

/**
 * A lead's status. `converted` is written only by the conversion (a lead becomes a contact,
 * company and deal); a client's write of it is refused.
 */
export const leadStatuses = ['new', 'contacted', 'qualified', 'disqualified', 'converted'] as const;
export type LeadStatus = (typeof leadStatuses)[number];

/** A–D by the workspace's thresholds (src/modules/scoring). */
export const leadGrades = ['A', 'B', 'C', 'D'] as const;
export type LeadGrade = (typeof leadGrades)[number];

/** One line of a score's explanation: "+20 Nguồn: Giới thiệu". */
export interface ScoreReason {
  label: { vi: string; en: string };
  points: number;
}

/**
 * Leads: unqualified inbound interest (a form, an ad, a call), before it is a customer. Name
 * parts, phones, emails and addresses as contacts store them; the company only as text until
 * the lead is converted.
 */
export const leads = pgTable(
  'leads',
  {
    ...recordColumns(),
    familyName: text('family_name'),
    middleName: text('middle_name'),
    givenName: text('given_name'),
    /** The person's name (Vietnamese order), else the company name, else the email or phone. */
    displayName: text('display_name').notNull(),
    emails: jsonb('emails').$type<LabeledValue[]>().notNull().default([]),
    phones: jsonb('phones').$type<LabeledValue[]>().notNull().default([]),
    primaryEmail: text('primary_email'),
    /** E.164. */
    primaryPhone: text('primary_phone'),
    companyName: text('company_name'),
    taxCode: text('tax_code'),
    jobTitle: text('job_title'),
    addresses: jsonb('addresses').$type<Address[]>().notNull().default([]),
    provinceCode: text('province_code'),
    wardCode: text('ward_code'),
    /** A key of the workspace's lead sources (an editable option list). */
    source: text('source'),
    campaign: text('campaign'),
    utmSource: text('utm_source'),
    utmMedium: text('utm_medium'),
    utmCampaign: text('utm_campaign'),
    utmTerm: text('utm_term'),
    utmContent: text('utm_content'),
    referrer: text('referrer'),
    landingPage: text('landing_page'),
    status: text('status', { enum: leadStatuses }).notNull().default('new'),
    /** A key of the workspace's disqualification reasons; set when status is disqualified. */
    disqualifiedReason: text('disqualified_reason'),
    /** Derived by the scoring rules (src/modules/scoring); never written by a client. */
    score: integer('score').notNull().default(0),
    grade: text('grade', { enum: leadGrades }).notNull().default('D'),
    scoreReasons: jsonb('score_reasons').$type<ScoreReason[]>().notNull().default([]),
    /** Set by the conversion (a later part of the sales pipeline). */
    convertedAt: timestamp('converted_at', { withTimezone: true }),
    convertedContactId: uuid('converted_contact_id'),
    convertedCompanyId: uuid('converted_company_id'),
    convertedDealId: uuid('converted_deal_id'),
  },
  (t) => [
    ...recordTableExtras('leads', t),
    index('leads_status_idx')
      .on(t.workspaceId, t.status, t.updatedAt.desc())
      .where(sql`deleted_at IS NULL`),
    index('leads_score_idx')
      .on(t.workspaceId, t.score.desc(), t.id)
      .where(sql`deleted_at IS NULL`),
    index('leads_source_idx')
      .on(t.workspaceId, t.source, t.updatedAt.desc())
      .where(sql`deleted_at IS NULL`),
    index('leads_province_idx')
      .on(t.workspaceId, t.provinceCode, t.updatedAt.desc())
      .where(sql`deleted_at IS NULL`),
    // Search's email stage (prefix) and phone lookups, as contacts have.
    index('leads_email_idx').on(t.workspaceId, sql`${t.primaryEmail} text_pattern_ops`),
    index('leads_phone_idx').on(t.workspaceId, t.primaryPhone),
    // Duplicate checks and import matching (records/duplicates.ts phoneKey, emailKey); fastupdate
    // off as contacts' (a pending list made every lookup after a big import scan it).
    index('leads_phones_idx')
      .using('gin', sql`${t.phones} jsonb_path_ops`)
      .with({ fastupdate: 'off' }),
    index('leads_emails_idx')
      .using('gin', sql`${t.emails} jsonb_path_ops`)
      .with({ fastupdate: 'off' }),
    check(
      'leads_status_check',
      sql`status IN ('new', 'contacted', 'qualified', 'disqualified', 'converted')`,
    ),
    check('leads_grade_check', sql`grade IN ('A', 'B', 'C', 'D')`),
  ],
);

export type LeadRow = typeof leads.$inferSelect;
