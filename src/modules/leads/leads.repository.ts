import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../core/errors.js';
import type { Tx } from '../../db/database.js';
import type { Address, CustomValues, LabeledValue } from '../../db/schema/index.js';
import { isoText, queryRows, uuidArray } from '../../db/sql.js';
import {
  leads,
  type LeadGrade,
  type LeadRow,
  type LeadStatus,
  type ScoreReason,
} from './leads.table.js';

export type LeadValues = Omit<
  typeof leads.$inferInsert,
  'id' | 'workspaceId' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'deletedBy'
>;

/** A lead as it is presented: timestamps as ISO text, the owner's name. */
export interface LeadRecordRow {
  id: string;
  familyName: string | null;
  middleName: string | null;
  givenName: string | null;
  displayName: string;
  emails: LabeledValue[];
  phones: LabeledValue[];
  addresses: Address[];
  primaryEmail: string | null;
  primaryPhone: string | null;
  companyName: string | null;
  taxCode: string | null;
  jobTitle: string | null;
  provinceCode: string | null;
  wardCode: string | null;
  source: string | null;
  campaign: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
  referrer: string | null;
  landingPage: string | null;
  status: LeadStatus;
  disqualifiedReason: string | null;
  score: number;
  grade: LeadGrade;
  scoreReasons: ScoreReason[];
  convertedAt: string | null;
  convertedContactId: string | null;
  convertedCompanyId: string | null;
  convertedDealId: string | null;
  convertedContactName: string | null;
  convertedCompanyName: string | null;
  convertedDealName: string | null;
  ownerId: string | null;
  ownerName: string | null;
  tags: string[];
  custom: CustomValues;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/**
 * What a caller may see of the records a lead became: per object, a condition on its alias
 * (`c`, `co`, `d`), undefined for all, null for none.
 */
export interface ConvertedScopes {
  contacts: SQL | undefined | null;
  companies: SQL | undefined | null;
  deals: SQL | undefined | null;
}

/** The name of the record a lead became, when the caller may see it. */
function convertedName(
  table: string,
  alias: string,
  name: string,
  column: string,
  scope: SQL | undefined | null,
): SQL {
  if (scope === null) return sql`NULL::text`;
  const a = sql.identifier(alias);
  return sql`(SELECT ${a}.${sql.identifier(name)} FROM ${sql.identifier(table)} ${a}
               WHERE ${a}.id = r.${sql.identifier(column)} AND ${a}.deleted_at IS NULL${
                 scope ? sql` AND ${scope}` : sql``
               })`;
}

/** The presented columns of leads `r` (a LeadRecordRow). */
export function leadColumns(scopes: ConvertedScopes): SQL {
  return sql`r.id, r.family_name AS "familyName", r.middle_name AS "middleName",
    r.given_name AS "givenName", r.display_name AS "displayName", r.emails, r.phones, r.addresses,
    r.primary_email AS "primaryEmail", r.primary_phone AS "primaryPhone",
    r.company_name AS "companyName", r.tax_code AS "taxCode", r.job_title AS "jobTitle",
    r.province_code AS "provinceCode", r.ward_code AS "wardCode", r.source, r.campaign,
    r.utm_source AS "utmSource", r.utm_medium AS "utmMedium", r.utm_campaign AS "utmCampaign",
    r.utm_term AS "utmTerm", r.utm_content AS "utmContent", r.referrer,
    r.landing_page AS "landingPage", r.status, r.disqualified_reason AS "disqualifiedReason",
    r.score, r.grade, r.score_reasons AS "scoreReasons",
    ${isoText(sql`r.converted_at`)} AS "convertedAt",
    r.converted_contact_id AS "convertedContactId", r.converted_company_id AS "convertedCompanyId",
    r.converted_deal_id AS "convertedDealId",
    ${convertedName('contacts', 'c', 'display_name', 'converted_contact_id', scopes.contacts)} AS "convertedContactName",
    ${convertedName('companies', 'co', 'name', 'converted_company_id', scopes.companies)} AS "convertedCompanyName",
    ${convertedName('deals', 'd', 'name', 'converted_deal_id', scopes.deals)} AS "convertedDealName",
    r.owner_id AS "ownerId", (SELECT u.name FROM users u WHERE u.id = r.owner_id) AS "ownerName",
    r.tags, r.custom, ${isoText(sql`r.created_at`)} AS "createdAt",
    ${isoText(sql`r.updated_at`)} AS "updatedAt", ${isoText(sql`r.deleted_at`)} AS "deletedAt"`;
}

export async function getLeadRow(
  tx: Tx,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<LeadRow | undefined> {
  const q = tx
    .select()
    .from(leads)
    .where(and(eq(leads.id, id), isNull(leads.deletedAt)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}

export async function insertLead(
  tx: Tx,
  workspaceId: string,
  values: LeadValues,
): Promise<LeadRow> {
  const [row] = await tx
    .insert(leads)
    .values({ ...values, workspaceId })
    .returning();
  if (!row) throw new Error('lead insert returned nothing');
  return row;
}

export async function updateLead(
  tx: Tx,
  id: string,
  values: Partial<LeadValues>,
): Promise<LeadRow> {
  const [row] = await tx
    .update(leads)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(leads.id, id))
    .returning();
  if (!row) throw new Error('lead update returned nothing');
  return row;
}

/** A merge of leads that include a converted one is refused: a converted lead is read-only. */
export async function refuseConvertedMerge(tx: Tx, ids: string[]): Promise<void> {
  const converted = await queryRows<{ id: string }>(
    tx,
    sql`SELECT id FROM leads WHERE id = ANY(${uuidArray(ids)}) AND status = 'converted'`,
  );
  if (converted.length > 0) {
    throw new AppError('LEAD_CONVERTED', { details: { ids: converted.map((r) => r.id) } });
  }
}
