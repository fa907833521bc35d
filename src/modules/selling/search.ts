import { sql } from 'drizzle-orm';
import { scopeCondition } from '../../core/scope.js';
import { queryRows } from '../../db/sql.js';
import { formatVnd } from '../../lib/vn/money.js';
import type { SearchProvider } from '../search/registry.js';
import { rankedMatches } from '../search/search.sql.js';

interface Row {
  id: string;
  number: string;
  subject: string | null;
  owner_id: string | null;
  total: string | number;
  company: string | null;
}

/**
 * A selling document's search provider (quotes, orders, invoices): found by number and subject;
 * the subject, the customer's company and the total under the number.
 */
export function documentSearch(
  table: 'quotes' | 'orders' | 'invoices' | 'payments',
  subjectColumn: 'subject' | 'reference' = 'subject',
): Omit<SearchProvider, 'type'> {
  return {
    async candidates(tx, actor, query) {
      const statement = rankedMatches({
        table,
        workspaceId: actor.workspaceId,
        query,
        scope: scopeCondition(actor, table, sql`t.owner_id`),
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
      const scope = scopeCondition(actor, table, sql`d.owner_id`);
      const rows = await queryRows<Row>(
        tx,
        sql`SELECT d.id, d.number, d.${sql.identifier(subjectColumn)} AS subject, d.owner_id,
                   ${table === 'payments' ? sql`d.amount` : sql`d.total`} AS total,
                   (SELECT co.name FROM companies co WHERE co.id = d.company_id) AS company
              FROM ${sql.identifier(table)} d
             WHERE d.id IN (${sql.join(
               found.map((c) => sql`${c.id}::uuid`),
               sql`, `,
             )}) AND d.deleted_at IS NULL${scope ? sql` AND ${scope}` : sql``}`,
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return found.flatMap((c) => {
        const r = byId.get(c.id);
        if (!r) return [];
        const parts = [r.subject, r.company, formatVnd(Number(r.total))].filter(Boolean);
        return [
          { ...c, type: table, title: r.number, subtitle: parts.join(' · '), ownerId: r.owner_id },
        ];
      });
    },
  };
}
