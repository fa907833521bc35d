import { sql } from 'drizzle-orm';
import type { AppContext } from '../../src/core/context.js';
import { queryRows } from '../../src/db/sql.js';

/**
 * `n` bare Sen invoices of a workspace, for the e-invoice tests that build their documents by
 * hand: a submission names a real invoice (FK einvoice_submissions → invoices, migration 0048).
 */
export async function invoiceRows(ctx: AppContext, workspaceId: string, n: number) {
  const rows = await ctx.db.system((tx) =>
    queryRows<{ id: string }>(
      tx,
      sql`INSERT INTO invoices (workspace_id, number, issue_date, due_date)
          SELECT ${workspaceId}, 'EI-TEST-' || g || '-' || md5(random()::text), current_date, current_date
            FROM generate_series(1, ${n}::int) g
          RETURNING id`,
    ),
  );
  return rows.map((r) => r.id);
}
