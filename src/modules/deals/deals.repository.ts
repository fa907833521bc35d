import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { isoText, queryRows } from '../../db/sql.js';
import { rottingExpr } from './deals.fields.js';
import { deals, pipelineStages, type DealRow, type DealStatus } from './deals.table.js';

export type DealValues = Omit<
  typeof deals.$inferInsert,
  'id' | 'workspaceId' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'deletedBy'
>;

export interface DealContactRef {
  contactId: string;
  name: string;
  role: string | null;
  isPrimary: boolean;
}

/** A deal as it is presented: timestamps as ISO text, names of what it links to. */
export interface DealRecordRow {
  id: string;
  name: string;
  pipelineId: string;
  stageId: string;
  status: DealStatus;
  amount: number | string;
  probability: number;
  weightedAmount: number | string;
  expectedCloseDate: string | null;
  closedAt: string | null;
  wonReason: string | null;
  lostReason: string | null;
  companyId: string | null;
  companyName: string | null;
  contacts: DealContactRef[];
  sourceLeadId: string | null;
  sourceLeadName: string | null;
  stageEnteredAt: string;
  lastActivityAt: string;
  rotting: boolean;
  ownerId: string | null;
  ownerName: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/**
 * The presented columns of deals `r` (a DealRecordRow): the company, contacts and the lead the
 * deal came from only when the caller may see them (`scopes.*` null: not at all; undefined:
 * every one).
 */
export function dealColumns(scopes: {
  companies: SQL | undefined | null;
  contacts: SQL | undefined | null;
  leads: SQL | undefined | null;
}): SQL {
  const companyName =
    scopes.companies === null
      ? sql`NULL::text`
      : sql`(SELECT co.name FROM companies co WHERE co.id = r.company_id AND co.deleted_at IS NULL
              AND ${scopes.companies ?? sql`true`})`;
  const sourceLeadName =
    scopes.leads === null
      ? sql`NULL::text`
      : sql`(SELECT l.display_name FROM leads l WHERE l.id = r.source_lead_id
              AND l.deleted_at IS NULL AND ${scopes.leads ?? sql`true`})`;
  const contactList =
    scopes.contacts === null
      ? sql`'[]'::jsonb`
      : sql`coalesce((
          SELECT jsonb_agg(jsonb_build_object('contactId', c.id, 'name', c.display_name,
                   'role', dc.role, 'isPrimary', dc.is_primary)
                   ORDER BY dc.is_primary DESC, c.sort_name, c.id)
            FROM deal_contacts dc
            JOIN contacts c ON c.workspace_id = dc.workspace_id AND c.id = dc.contact_id
           WHERE dc.deal_id = r.id AND c.deleted_at IS NULL
             AND ${scopes.contacts ?? sql`true`}), '[]'::jsonb)`;
  return sql`r.id, r.name, r.pipeline_id AS "pipelineId", r.stage_id AS "stageId", r.status,
    r.amount, r.probability, (r.amount * r.probability / 100) AS "weightedAmount",
    r.expected_close_date::text AS "expectedCloseDate", ${isoText(sql`r.closed_at`)} AS "closedAt",
    r.won_reason AS "wonReason", r.lost_reason AS "lostReason",
    r.company_id AS "companyId", ${companyName} AS "companyName", ${contactList} AS contacts,
    r.source_lead_id AS "sourceLeadId", ${sourceLeadName} AS "sourceLeadName",
    ${isoText(sql`r.stage_entered_at`)} AS "stageEnteredAt",
    ${isoText(sql`r.last_activity_at`)} AS "lastActivityAt", ${rottingExpr} AS rotting,
    r.owner_id AS "ownerId", (SELECT u.name FROM users u WHERE u.id = r.owner_id) AS "ownerName",
    r.tags, r.custom,
    ${isoText(sql`r.created_at`)} AS "createdAt", ${isoText(sql`r.updated_at`)} AS "updatedAt",
    ${isoText(sql`r.deleted_at`)} AS "deletedAt"`;
}

export async function getDealRow(
  tx: Tx,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<DealRow | undefined> {
  const q = tx
    .select()
    .from(deals)
    .where(and(eq(deals.id, id), isNull(deals.deletedAt)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}

/** A stage with its pipeline, or undefined. */
export async function findStage(
  tx: Tx,
  stageId: string,
): Promise<{ id: string; pipelineId: string } | undefined> {
  const [row] = await tx
    .select({ id: pipelineStages.id, pipelineId: pipelineStages.pipelineId })
    .from(pipelineStages)
    .where(eq(pipelineStages.id, stageId))
    .limit(1);
  return row;
}

/** The first stage of a pipeline (or of the first pipeline when `pipelineId` is null). */
export async function firstStage(
  tx: Tx,
  pipelineId: string | null,
): Promise<{ id: string; pipelineId: string } | undefined> {
  const [row] = await queryRows<{ id: string; pipelineId: string }>(
    tx,
    sql`SELECT s.id, s.pipeline_id AS "pipelineId" FROM pipeline_stages s
          JOIN pipelines p ON p.id = s.pipeline_id
         WHERE ${pipelineId === null ? sql`true` : sql`s.pipeline_id = ${pipelineId}`}
         ORDER BY p.position, p.created_at, s.position, s.created_at
         LIMIT 1`,
  );
  return row;
}

export async function pipelineExists(tx: Tx, pipelineId: string): Promise<boolean> {
  const rows = await queryRows(tx, sql`SELECT 1 FROM pipelines WHERE id = ${pipelineId}`);
  return rows.length > 0;
}

export async function liveCompanyExists(tx: Tx, companyId: string): Promise<boolean> {
  const rows = await queryRows(
    tx,
    sql`SELECT 1 FROM companies WHERE id = ${companyId} AND deleted_at IS NULL`,
  );
  return rows.length > 0;
}

export async function insertDeal(
  tx: Tx,
  workspaceId: string,
  values: DealValues,
): Promise<DealRow> {
  const [row] = await tx
    .insert(deals)
    .values({ ...values, workspaceId })
    .returning();
  if (!row) throw new Error('deal insert returned nothing');
  return row;
}

export async function updateDeal(
  tx: Tx,
  id: string,
  values: Partial<DealValues>,
): Promise<DealRow> {
  const [row] = await tx
    .update(deals)
    .set({ ...values, updatedAt: sql`now()`, lastActivityAt: sql`now()` })
    .where(eq(deals.id, id))
    .returning();
  if (!row) throw new Error('deal update returned nothing');
  return row;
}
