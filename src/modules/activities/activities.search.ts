import { sql } from 'drizzle-orm';
import { scopeCondition } from '../../core/scope.js';
import { queryRows } from '../../db/sql.js';
import type { SearchProvider } from '../search/registry.js';
import { rankedMatches } from '../search/search.sql.js';
import type { ActivityKind } from './activities.table.js';

interface Row {
  id: string;
  title: string;
  kind: ActivityKind;
  owner_id: string | null;
  owner_name: string | null;
}

/** Activities in the search box: by title; the assignee under it. */
export const activitiesSearch: Omit<SearchProvider, 'type'> = {
  async candidates(tx, actor, query) {
    const statement = rankedMatches({
      table: 'activities',
      workspaceId: actor.workspaceId,
      query,
      scope: scopeCondition(actor, 'activities', sql`t.owner_id`),
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
    const scope = scopeCondition(actor, 'activities', sql`a.owner_id`);
    const rows = await queryRows<Row>(
      tx,
      sql`SELECT a.id, a.title, a.kind, a.owner_id, u.name AS owner_name
            FROM activities a LEFT JOIN users u ON u.id = a.owner_id
           WHERE a.id IN (${sql.join(
             found.map((c) => sql`${c.id}::uuid`),
             sql`, `,
           )}) AND a.deleted_at IS NULL${scope ? sql` AND ${scope}` : sql``}`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return found.flatMap((c) => {
      const r = byId.get(c.id);
      if (!r) return [];
      return [
        {
          ...c,
          type: 'activities',
          title: r.title,
          subtitle: r.owner_name,
          ownerId: r.owner_id,
        },
      ];
    });
  },
};
