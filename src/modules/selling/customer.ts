import { sql, type SQL } from 'drizzle-orm';
import { can, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import type { FieldErrors } from '../records/normalize.js';

/**
 * What the selling documents (quotes, orders, invoices) share about their customer: a company,
 * a contact and a deal, checked the same way, and presented by name to callers who may see them.
 */
export const customerMessages = {
  companyNotFound: {
    vi: 'Không tìm thấy công ty này (hoặc đã bị xoá).',
    en: 'This company does not exist or is in the trash.',
  },
  contactNotFound: {
    vi: 'Không tìm thấy người liên hệ này (hoặc đã bị xoá).',
    en: 'This contact does not exist or is in the trash.',
  },
  dealNotFound: {
    vi: 'Không tìm thấy cơ hội bán hàng này (hoặc đã bị xoá).',
    en: 'This deal does not exist or is in the trash.',
  },
  customerRequired: {
    vi: 'Cần chọn khách hàng: một công ty, một người liên hệ hoặc một cơ hội bán hàng.',
    en: 'Choose the customer: a company, a contact or a deal.',
  },
};

export interface CustomerLinks {
  companyId: string | null;
  contactId: string | null;
  dealId: string | null;
}

async function liveRecordExists(tx: Tx, table: string, id: string): Promise<boolean> {
  const rows = await queryRows(
    tx,
    sql`SELECT 1 FROM ${sql.identifier(table)} WHERE id = ${id} AND deleted_at IS NULL`,
  );
  return rows.length > 0;
}

/**
 * Check a document's customer links in place: a deal brings its company and primary contact
 * unless the body named them; each named record must exist and be live; at least one is needed.
 */
export async function checkCustomer(
  tx: Tx,
  values: CustomerLinks,
  before: CustomerLinks | null,
  input: Partial<CustomerLinks>,
  errors: FieldErrors,
): Promise<void> {
  if (values.dealId && values.dealId !== before?.dealId) {
    const [deal] = await queryRows<{ companyId: string | null; contactId: string | null }>(
      tx,
      sql`SELECT d.company_id AS "companyId",
                 (SELECT dc.contact_id FROM deal_contacts dc WHERE dc.deal_id = d.id
                   ORDER BY dc.is_primary DESC, dc.created_at LIMIT 1) AS "contactId"
            FROM deals d WHERE d.id = ${values.dealId} AND d.deleted_at IS NULL`,
    );
    if (!deal) errors.add('dealId', customerMessages.dealNotFound, 'not_found');
    else {
      if (input.companyId === undefined && !values.companyId) values.companyId = deal.companyId;
      if (input.contactId === undefined && !values.contactId) values.contactId = deal.contactId;
    }
  }
  if (values.companyId && values.companyId !== before?.companyId) {
    if (!(await liveRecordExists(tx, 'companies', values.companyId))) {
      errors.add('companyId', customerMessages.companyNotFound, 'not_found');
    }
  }
  if (values.contactId && values.contactId !== before?.contactId) {
    if (!(await liveRecordExists(tx, 'contacts', values.contactId))) {
      errors.add('contactId', customerMessages.contactNotFound, 'not_found');
    }
  }
  if (!values.companyId && !values.contactId && !values.dealId) {
    errors.add('companyId', customerMessages.customerRequired, 'required');
  }
}

/** `scope` null: the caller may not see that object at all; undefined: every record of it. */
function nameOf(table: string, nameColumn: string, idExpr: string, scope: SQL | undefined | null) {
  if (scope === null) return sql`NULL::text`;
  return sql`(SELECT x.${sql.raw(nameColumn)} FROM ${sql.raw(table)} x WHERE x.id = ${sql.raw(idExpr)}
            AND x.deleted_at IS NULL AND ${scope ?? sql`true`})`;
}

const visible = (actor: Actor, object: string) =>
  can(actor, object, 'read') ? (scopeCondition(actor, object, sql`x.owner_id`) ?? undefined) : null;

/** The customer columns of a document `r` for this caller: ids, and names where visible. */
export function customerColumns(actor: Actor, opts: { deal?: boolean } = {}): SQL {
  const deal =
    opts.deal === false
      ? sql`NULL::uuid AS "dealId", NULL::text AS "dealName"`
      : sql`r.deal_id AS "dealId", ${nameOf('deals', 'name', 'r.deal_id', visible(actor, 'deals'))} AS "dealName"`;
  return sql`r.company_id AS "companyId", ${nameOf('companies', 'name', 'r.company_id', visible(actor, 'companies'))} AS "companyName",
    r.contact_id AS "contactId", ${nameOf('contacts', 'display_name', 'r.contact_id', visible(actor, 'contacts'))} AS "contactName",
    ${deal}`;
}

export interface CustomerRow {
  companyId: string | null;
  companyName: string | null;
  contactId: string | null;
  contactName: string | null;
  dealId: string | null;
  dealName: string | null;
}

const ref = (id: string | null, name: string | null) => (id && name !== null ? { id, name } : null);

/** The customer part of a presented document. */
export function presentCustomer(r: CustomerRow) {
  return {
    companyId: r.companyId,
    company: ref(r.companyId, r.companyName),
    contactId: r.contactId,
    contact: ref(r.contactId, r.contactName),
    dealId: r.dealId,
    deal: ref(r.dealId, r.dealName),
  };
}

/** Today and today + `days` in the workspace's time zone (YYYY-MM-DD). */
export async function workspaceDates(
  tx: Tx,
  days: number,
): Promise<{ today: string; plus: string }> {
  const [row] = await queryRows<{ today: string; plus: string }>(
    tx,
    sql`SELECT (now() AT TIME ZONE w.timezone)::date::text AS today,
               ((now() AT TIME ZONE w.timezone)::date + ${days}::int)::text AS plus
          FROM workspaces w WHERE w.id = sen_workspace_id()`,
  );
  if (!row) throw new Error('no workspace in this transaction');
  return row;
}

/** `date` + `days` (YYYY-MM-DD). */
export async function addDays(tx: Tx, date: string, days: number): Promise<string> {
  const [row] = await queryRows<{ d: string }>(
    tx,
    sql`SELECT (${date}::date + ${days}::int)::text AS d`,
  );
  if (!row) throw new Error('date arithmetic returned nothing');
  return row.d;
}
