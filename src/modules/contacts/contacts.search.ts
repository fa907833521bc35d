import { sql, type SQL } from 'drizzle-orm';
import { can, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import { queryRows } from '../../db/sql.js';
import { formatPhoneNational } from '../../lib/vn/phone.js';
import { andScope, candidates, hitsOf, idList, joinParts } from '../records/search.js';
import type { SearchProvider, SearchQuery } from '../search/registry.js';
import { rankedMatches } from '../search/search.sql.js';

/** The contacts' search: by name, email, phone and its fragments (docs/customer-records.md). */

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

interface ContactRow {
  id: string;
  display_name: string;
  owner_id: string | null;
  primary_email: string | null;
  primary_phone: string | null;
  company_name: string | null;
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
