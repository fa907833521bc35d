import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import { queryRows } from '../../db/sql.js';
import { getProvince } from '../../lib/vn/admin-units.js';
import { andScope, candidates, hitsOf, idList, joinParts } from '../records/search.js';
import type { SearchProvider, SearchQuery } from '../search/registry.js';
import { rankedMatches } from '../search/search.sql.js';

/** The companies' search: by name and tax code. */

/** The candidate statement of companies (exported for the benchmark's raw-SQL baseline). */
export function companiesCandidatesSql(actor: Actor, query: SearchQuery): SQL | null {
  return rankedMatches({
    table: 'companies',
    workspaceId: actor.workspaceId,
    query,
    scope: scopeCondition(actor, 'companies', sql`t.owner_id`),
    taxCodes: true,
  });
}

export function companiesPresentSql(actor: Actor, ids: string[]): SQL {
  return sql`SELECT c.id, c.name, c.owner_id, c.tax_code, c.province_code
             FROM companies c
             WHERE c.id IN (${idList(ids)}) AND c.deleted_at IS NULL${andScope(
               scopeCondition(actor, 'companies', sql`c.owner_id`),
             )}`;
}

interface CompanyRow {
  id: string;
  name: string;
  owner_id: string | null;
  tax_code: string | null;
  province_code: string | null;
}

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
