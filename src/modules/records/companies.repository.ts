import { and, eq, getTableColumns, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { companies, type CompanyRow } from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';

export type CompanyValues = Omit<
  typeof companies.$inferInsert,
  'id' | 'workspaceId' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'deletedBy'
>;

export type CompanyWithRelations = CompanyRow & {
  ownerName: string | null;
  parentName: string | null;
  contactCount: number;
};

/**
 * Companies with owner name, parent name (when the parent is visible to the caller and not in
 * the trash) and the number of linked contacts the caller may see.
 */
export async function selectCompanies(
  tx: Tx,
  ids: string[],
  scopes: { companies: SQL | undefined; contacts: SQL | undefined | null },
): Promise<CompanyWithRelations[]> {
  if (ids.length === 0) return [];
  const contactCount =
    scopes.contacts === null
      ? sql<number>`0`
      : sql<number>`(SELECT count(*)::int FROM contact_companies cc
                      JOIN contacts c ON c.workspace_id = cc.workspace_id AND c.id = cc.contact_id
                     WHERE cc.company_id = companies.id AND c.deleted_at IS NULL
                       AND ${scopes.contacts ?? sql`true`})`;
  return tx
    .select({
      ...getTableColumns(companies),
      ownerName: sql<
        string | null
      >`(SELECT u.name FROM users u WHERE u.id = companies.owner_id)`.as('owner_name'),
      parentName: sql<string | null>`(SELECT p.name FROM companies p
                 WHERE p.id = companies.parent_id AND p.deleted_at IS NULL
                   AND ${scopes.companies ?? sql`true`})`.as('parent_name'),
      contactCount: contactCount.as('contact_count'),
    })
    .from(companies)
    .where(inArray(companies.id, ids));
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
