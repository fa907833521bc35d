import { customerFigureColumns, type CustomerFigureRow } from '../selling/figures.js';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import {
  contacts,
  type Address,
  type Consent,
  type ContactRow,
  type CustomValues,
  type LabeledValue,
} from '../../db/schema/index.js';
import { isoText } from '../../db/sql.js';

export type ContactValues = Omit<
  typeof contacts.$inferInsert,
  'id' | 'workspaceId' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'deletedBy'
>;

export interface ContactCompanyRow {
  companyId: string;
  name: string;
  jobTitle: string | null;
  isPrimary: boolean;
}

/** A contact as it is presented: timestamps as ISO text, relations as JSON. */
export interface ContactRecordRow extends CustomerFigureRow {
  id: string;
  familyName: string | null;
  middleName: string | null;
  givenName: string | null;
  displayName: string;
  salutation: ContactRow['salutation'];
  gender: ContactRow['gender'];
  birthday: string | null;
  emails: LabeledValue[];
  phones: LabeledValue[];
  addresses: Address[];
  primaryEmail: string | null;
  primaryPhone: string | null;
  provinceCode: string | null;
  wardCode: string | null;
  source: string | null;
  ownerId: string | null;
  ownerName: string | null;
  tags: string[];
  lifecycleStage: ContactRow['lifecycleStage'];
  priceListId: string | null;
  paymentTermsDays: number | null;
  // The customer's figures (selling/figures.ts).
  consent: Consent;
  custom: CustomValues;
  companies: ContactCompanyRow[];
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/**
 * The presented columns of contacts `r` (a ContactRecordRow): the owner's name and the
 * companies they work at, limited by `companyScope` to those the caller may see (null: none).
 */
export function contactColumns(companyScope: SQL | undefined | null): SQL {
  const companies =
    companyScope === null
      ? sql`'[]'::jsonb`
      : sql`coalesce((
          SELECT jsonb_agg(jsonb_build_object('companyId', co.id, 'name', co.name,
                   'jobTitle', cc.job_title, 'isPrimary', cc.is_primary)
                   ORDER BY cc.is_primary DESC, co.sort_name, co.id)
            FROM contact_companies cc
            JOIN companies co ON co.workspace_id = cc.workspace_id AND co.id = cc.company_id
           WHERE cc.contact_id = r.id AND co.deleted_at IS NULL
             AND ${companyScope ?? sql`true`}), '[]'::jsonb)`;
  return sql`r.id, r.family_name AS "familyName", r.middle_name AS "middleName",
    r.given_name AS "givenName", r.display_name AS "displayName", r.salutation, r.gender,
    r.birthday::text AS birthday, r.emails, r.phones, r.addresses,
    r.primary_email AS "primaryEmail", r.primary_phone AS "primaryPhone",
    r.province_code AS "provinceCode", r.ward_code AS "wardCode", r.source,
    r.owner_id AS "ownerId", (SELECT u.name FROM users u WHERE u.id = r.owner_id) AS "ownerName",
    r.tags, r.lifecycle_stage AS "lifecycleStage", r.price_list_id AS "priceListId", r.payment_terms_days AS "paymentTermsDays",
    ${customerFigureColumns}, r.consent,
    r.custom,
    ${companies} AS companies, ${isoText(sql`r.created_at`)} AS "createdAt",
    ${isoText(sql`r.updated_at`)} AS "updatedAt", ${isoText(sql`r.deleted_at`)} AS "deletedAt"`;
}

export async function getContactRow(
  tx: Tx,
  id: string,
  opts: { includeDeleted?: boolean; forUpdate?: boolean } = {},
): Promise<ContactRow | undefined> {
  const q = tx
    .select()
    .from(contacts)
    .where(
      opts.includeDeleted
        ? eq(contacts.id, id)
        : and(eq(contacts.id, id), isNull(contacts.deletedAt)),
    );
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}

export async function insertContact(
  tx: Tx,
  workspaceId: string,
  values: ContactValues,
): Promise<ContactRow> {
  const [row] = await tx
    .insert(contacts)
    .values({ ...values, workspaceId })
    .returning();
  if (!row) throw new Error('contact insert returned nothing');
  return row;
}

export async function updateContact(
  tx: Tx,
  id: string,
  values: Partial<ContactValues>,
): Promise<ContactRow> {
  const [row] = await tx
    .update(contacts)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(contacts.id, id))
    .returning();
  if (!row) throw new Error('contact update returned nothing');
  return row;
}
