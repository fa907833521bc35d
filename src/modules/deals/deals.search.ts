import { sql } from 'drizzle-orm';
import { can, hiddenFields } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import { queryRows } from '../../db/sql.js';
import type { SearchProvider } from '../search/registry.js';
import { rankedMatches } from '../search/search.sql.js';

interface Row {
  id: string;
  name: string;
  owner_id: string | null;
  amount: string | number;
  stage: string | null;
  company: string | null;
}

const money = new Intl.NumberFormat('vi-VN');

/** Deals in the search box: by name; "stage · amount · company" under it. */
export const dealsSearch: Omit<SearchProvider, 'type'> = {
  async candidates(tx, actor, query) {
    const statement = rankedMatches({
      table: 'deals',
      workspaceId: actor.workspaceId,
      query,
      scope: scopeCondition(actor, 'deals', sql`t.owner_id`),
    });
    if (!statement) return [];
    const rows = await queryRows<{ id: string; rank: number | string; search_name: string }>(
      tx,
      statement,
    );
    return rows.map((r) => ({ id: r.id, rank: Number(r.rank), sortKey: r.search_name }));
  },
  async present(tx, actor, found) {
    if (found.length === 0) return [];
    const scope = scopeCondition(actor, 'deals', sql`d.owner_id`);
    // The company's name only when the caller may see that company.
    const companyScope = can(actor, 'companies', 'read')
      ? (scopeCondition(actor, 'companies', sql`co.owner_id`) ?? sql`true`)
      : sql`false`;
    const rows = await queryRows<Row>(
      tx,
      sql`SELECT d.id, d.name, d.owner_id, d.amount, s.name AS stage,
                 (SELECT co.name FROM companies co WHERE co.id = d.company_id
                     AND co.deleted_at IS NULL AND ${companyScope}) AS company
            FROM deals d LEFT JOIN pipeline_stages s ON s.id = d.stage_id
           WHERE d.id IN (${sql.join(
             found.map((c) => sql`${c.id}::uuid`),
             sql`, `,
           )}) AND d.deleted_at IS NULL${scope ? sql` AND ${scope}` : sql``}`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const amountHidden = hiddenFields(actor, 'deals').has('amount');
    return found.flatMap((c) => {
      const r = byId.get(c.id);
      return r
        ? [
            {
              ...c,
              type: 'deals',
              title: r.name,
              subtitle: [
                r.stage,
                amountHidden ? null : `${money.format(Number(r.amount))} đ`,
                r.company,
              ]
                .filter(Boolean)
                .join(' · '),
              ownerId: r.owner_id,
            },
          ]
        : [];
    });
  },
};
