/**
 * The search of the two customer-record objects (their declarations' `search`): candidates by rankedMatches() (run
 * as sen_system, explicit workspace/scope/trash), then one RLS-scoped statement each for what a
 * hit shows.
 */
import { sql, type SQL } from 'drizzle-orm';
import { can, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { getProvince } from '../../lib/vn/admin-units.js';
import { formatPhoneNational } from '../../lib/vn/phone.js';
import {
  type SearchCandidate,
  type SearchProvider,
  type SearchHit,
  type SearchQuery,
} from '../search/registry.js';
import { scopeCondition } from '../../core/scope.js';
import { rankedMatches } from '../search/search.sql.js';

/** The candidate statement of contacts (exported for the benchmark's raw-SQL baseline). */
export function contactsCandidatesSql(actor: Actor, query: SearchQuery): SQL | null {
  return rankedMatches({
    table: 'contacts',
    workspaceId: actor.workspaceId,
    query,
    scope: scopeCondition(actor, 'contacts', sql`t.owner_id`),
    givenNameColumn: 'sort_name',
    emailColumn: 'primary_email',
  });
}

export function companiesCandidatesSql(actor: Actor, query: SearchQuery): SQL | null {
  return rankedMatches({
    table: 'companies',
    workspaceId: actor.workspaceId,
    query,
    scope: scopeCondition(actor, 'companies', sql`t.owner_id`),
    taxCodes: true,
  });
}

const idList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
const andScope = (scope: SQL | null) => (scope ? sql` AND ${scope}` : sql``);

/** What a contact hit shows, for these ids, under RLS (exported for the benchmark). */
export function contactsPresentSql(actor: Actor, ids: string[]): SQL {
  // The employer in the subtitle follows the caller's rights on companies too.
  const company = can(actor, 'companies', 'read')
    ? sql`(SELECT co.name FROM contact_companies cc
           JOIN companies co ON co.workspace_id = cc.workspace_id AND co.id = cc.company_id
           WHERE cc.contact_id = c.id AND co.deleted_at IS NULL${andScope(
             scopeCondition(actor, 'companies', sql`co.owner_id`),
           )}
           ORDER BY cc.is_primary DESC, cc.created_at LIMIT 1)`
    : sql`NULL::text`;
  return sql`SELECT c.id, c.display_name, c.owner_id, c.primary_email, c.primary_phone,
                    ${company} AS company_name
             FROM contacts c
             WHERE c.id IN (${idList(ids)}) AND c.deleted_at IS NULL${andScope(
               scopeCondition(actor, 'contacts', sql`c.owner_id`),
             )}`;
}

export function companiesPresentSql(actor: Actor, ids: string[]): SQL {
  return sql`SELECT c.id, c.name, c.owner_id, c.tax_code, c.province_code
             FROM companies c
             WHERE c.id IN (${idList(ids)}) AND c.deleted_at IS NULL${andScope(
               scopeCondition(actor, 'companies', sql`c.owner_id`),
             )}`;
}

async function candidates(tx: Tx, statement: SQL | null): Promise<SearchCandidate[]> {
  if (!statement) return [];
  const rows = await queryRows<{ id: string; rank: number | string; search_name: string }>(
    tx,
    statement,
  );
  return rows.map((r) => ({ id: r.id, rank: Number(r.rank), sortKey: r.search_name }));
}

/** Hits for the candidates that `rows` (loaded under RLS) still contains, in candidate order. */
function hitsOf<R extends { id: string }>(
  found: SearchCandidate[],
  rows: R[],
  show: (row: R) => Omit<SearchHit, keyof SearchCandidate>,
): SearchHit[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return found.flatMap((c) => {
    const row = byId.get(c.id);
    return row ? [{ ...c, ...show(row) }] : [];
  });
}

function joinParts(parts: (string | null)[]): string | null {
  const kept = parts.filter((p): p is string => !!p);
  return kept.length > 0 ? kept.join(' · ') : null;
}

interface ContactRow {
  id: string;
  display_name: string;
  owner_id: string | null;
  primary_email: string | null;
  primary_phone: string | null;
  company_name: string | null;
}

interface CompanyRow {
  id: string;
  name: string;
  owner_id: string | null;
  tax_code: string | null;
  province_code: string | null;
}

/** The contacts' search (declared by the contacts object). */
export const contactsSearch: Omit<SearchProvider, 'type'> = {
  candidates: (tx, actor, query) => candidates(tx, contactsCandidatesSql(actor, query)),
  present: async (tx, actor, found) => {
    const rows = await queryRows<ContactRow>(
      tx,
      contactsPresentSql(
        actor,
        found.map((c) => c.id),
      ),
    );
    return hitsOf(found, rows, (r) => ({
      type: 'contacts',
      title: r.display_name,
      subtitle: joinParts([
        r.primary_email,
        r.primary_phone ? formatPhoneNational(r.primary_phone) : null,
        r.company_name,
      ]),
      ownerId: r.owner_id,
    }));
  },
};

/** The companies' search (declared by the companies object). */
export const companiesSearch: Omit<SearchProvider, 'type'> = {
  candidates: (tx, actor, query) => candidates(tx, companiesCandidatesSql(actor, query)),
  present: async (tx, actor, found) => {
    const rows = await queryRows<CompanyRow>(
      tx,
      companiesPresentSql(
        actor,
        found.map((c) => c.id),
      ),
    );
    return hitsOf(found, rows, (r) => ({
      type: 'companies',
      title: r.name,
      subtitle: joinParts([
        r.tax_code ? `MST ${r.tax_code}` : null,
        r.province_code ? (getProvince(r.province_code)?.name ?? null) : null,
      ]),
      ownerId: r.owner_id,
    }));
  },
};
