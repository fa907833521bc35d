import { customerFigureColumns, type CustomerFigureRow } from '../selling/figures.js';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import {
  companies,
  type Address,
  type CompanyRow,
  type CustomValues,
  type LabeledValue,
} from '../../db/schema/index.js';
import { isoText, queryRows } from '../../db/sql.js';

export type CompanyValues = Omit<
  typeof companies.$inferInsert,
  'id' | 'workspaceId' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'deletedBy'
>;

/** A company as it is presented: timestamps as ISO text. */
export interface CompanyRecordRow extends CustomerFigureRow {
  id: string;
  name: string;
  taxCode: string | null;
  type: CompanyRow['type'];
  industry: string | null;
  size: CompanyRow['size'];
  website: string | null;
  phones: LabeledValue[];
  emails: LabeledValue[];
  addresses: Address[];
  provinceCode: string | null;
  wardCode: string | null;
  parentId: string | null;
  parentName: string | null;
  priceListId: string | null;
  paymentTermsDays: number | null;
  // The customer's figures (selling/figures.ts).
  ownerId: string | null;
  ownerName: string | null;
  tags: string[];
  custom: CustomValues;
  contactCount: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/**
 * The presented columns of companies `r` (a CompanyRecordRow): owner name, parent name (when
 * the parent is visible to the caller and not in the trash) and the number of linked contacts
 * the caller may see (`contacts` null: none).
 */
export function companyColumns(scopes: {
  companies: SQL | undefined;
  contacts: SQL | undefined | null;
}): SQL {
  const contactCount =
    scopes.contacts === null
      ? sql`0`
      : sql`(SELECT count(*)::int FROM contact_companies cc
              JOIN contacts c ON c.workspace_id = cc.workspace_id AND c.id = cc.contact_id
             WHERE cc.company_id = r.id AND c.deleted_at IS NULL
               AND ${scopes.contacts ?? sql`true`})`;
  return sql`r.id, r.name, r.tax_code AS "taxCode", r.type, r.industry, r.size, r.website,
    r.phones, r.emails, r.addresses, r.province_code AS "provinceCode", r.ward_code AS "wardCode",
    r.parent_id AS "parentId",
    (SELECT p.name FROM companies p WHERE p.id = r.parent_id AND p.deleted_at IS NULL
        AND ${scopes.companies ?? sql`true`}) AS "parentName",
    r.price_list_id AS "priceListId", r.payment_terms_days AS "paymentTermsDays",
    ${customerFigureColumns},
    r.owner_id AS "ownerId", (SELECT u.name FROM users u WHERE u.id = r.owner_id) AS "ownerName",
    r.tags, r.custom, ${contactCount} AS "contactCount",
    ${isoText(sql`r.created_at`)} AS "createdAt", ${isoText(sql`r.updated_at`)} AS "updatedAt",
    ${isoText(sql`r.deleted_at`)} AS "deletedAt"`;
}

export async function getCompanyRow(
  tx: Tx,
  id: string,
  opts: { includeDeleted?: boolean; forUpdate?: boolean } = {},
): Promise<CompanyRow | undefined> {
  const q = tx
    .select()
    .from(companies)
    .where(
      opts.includeDeleted
        ? eq(companies.id, id)
        : and(eq(companies.id, id), isNull(companies.deletedAt)),
    );
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}

export async function insertCompany(
  tx: Tx,
  workspaceId: string,
  values: CompanyValues,
): Promise<CompanyRow> {
  const [row] = await tx
    .insert(companies)
    .values({ ...values, workspaceId })
    .returning();
  if (!row) throw new Error('company insert returned nothing');
  return row;
}

export async function updateCompany(
  tx: Tx,
  id: string,
  values: Partial<CompanyValues>,
): Promise<CompanyRow> {
  const [row] = await tx
    .update(companies)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(companies.id, id))
    .returning();
  if (!row) throw new Error('company update returned nothing');
  return row;
}

/** Whether `candidate` is `companyId` or one of its descendants (parent would make a cycle). */
export async function isSelfOrDescendant(
  tx: Tx,
  companyId: string,
  candidate: string,
): Promise<boolean> {
  const rows = await queryRows<{ found: boolean }>(
    tx,
    sql`WITH RECURSIVE up(id, parent_id, depth) AS (
          SELECT id, parent_id, 0 FROM companies WHERE id = ${candidate}
          UNION ALL
          SELECT c.id, c.parent_id, up.depth + 1 FROM companies c
            JOIN up ON c.id = up.parent_id
           WHERE up.depth < 100)
        SELECT EXISTS (SELECT 1 FROM up WHERE id = ${companyId}) AS found`,
  );
  return rows[0]?.found === true;
}
