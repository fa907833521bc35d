import { sql } from 'drizzle-orm';
import { scopeCondition } from '../../core/scope.js';
import { queryRows } from '../../db/sql.js';
import { formatPhoneNational } from '../../lib/vn/phone.js';
import { andScope, candidates, hitsOf, idList, joinParts } from '../records/search.js';
import type { SearchProvider } from '../search/registry.js';
import { rankedMatches } from '../search/search.sql.js';

interface LeadHitRow {
  id: string;
  display_name: string;
  owner_id: string | null;
  primary_email: string | null;
  primary_phone: string | null;
  company_name: string | null;
}

/**
 * Leads in the search box: by name, phone, email and company name (search_text holds them all),
 * as contacts; "company · email · phone" under the name.
 */
export const leadsSearch: Omit<SearchProvider, 'type'> = {
  candidates: (tx, actor, query) =>
    candidates(
      tx,
      rankedMatches({
        table: 'leads',
        workspaceId: actor.workspaceId,
        query,
        scope: scopeCondition(actor, 'leads', sql`t.owner_id`),
        givenNameColumn: 'sort_name',
        emailColumn: 'primary_email',
      }),
    ),
  present: async (tx, actor, found) => {
    const rows = await queryRows<LeadHitRow>(
      tx,
      sql`SELECT l.id, l.display_name, l.owner_id, l.primary_email, l.primary_phone, l.company_name
            FROM leads l
           WHERE l.id IN (${idList(found.map((c) => c.id))}) AND l.deleted_at IS NULL${andScope(
             scopeCondition(actor, 'leads', sql`l.owner_id`),
           )}`,
    );
    return hitsOf(found, rows, (r) => ({
      type: 'leads',
      title: r.display_name,
      subtitle: joinParts([
        r.company_name,
        r.primary_email,
        r.primary_phone ? formatPhoneNational(r.primary_phone) : null,
      ]),
      ownerId: r.owner_id,
    }));
  },
};
