import { sql } from 'drizzle-orm';
import { hiddenFields } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import { queryRows } from '../../db/sql.js';
import type { SearchProvider } from '../search/registry.js';
import { rankedMatches } from '../search/search.sql.js';

interface Row {
  id: string;
  name: string;
  sku: string;
  owner_id: string | null;
  unit_price: string | number;
  unit: string;
}

const price = new Intl.NumberFormat('vi-VN');

/** Products in the search box: by name or SKU; "SKU · price / unit" under the name. */
export const productsSearch: Omit<SearchProvider, 'type'> = {
  async candidates(tx, actor, query) {
    const statement = rankedMatches({
      table: 'products',
      workspaceId: actor.workspaceId,
      query,
      scope: scopeCondition(actor, 'products', sql`t.owner_id`),
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
    const scope = scopeCondition(actor, 'products', sql`p.owner_id`);
    const rows = await queryRows<Row>(
      tx,
      sql`SELECT p.id, p.name, p.sku, p.owner_id, p.unit_price, p.unit FROM products p
           WHERE p.id IN (${sql.join(
             found.map((c) => sql`${c.id}::uuid`),
             sql`, `,
           )}) AND p.deleted_at IS NULL${scope ? sql` AND ${scope}` : sql``}`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const priceHidden = hiddenFields(actor, 'products').has('unitPrice');
    return found.flatMap((c) => {
      const r = byId.get(c.id);
      return r
        ? [
            {
              ...c,
              type: 'products',
              title: r.name,
              subtitle: priceHidden
                ? `${r.sku} · ${r.unit}`
                : `${r.sku} · ${price.format(Number(r.unit_price))} đ / ${r.unit}`,
              ownerId: r.owner_id,
            },
          ]
        : [];
    });
  },
};
