import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/database.js';
import { queryRows } from '../../src/db/sql.js';

let tableNames: string[] | null = null;

/**
 * The row count of every table of the app's schema (pg-boss's excluded: jobs are not data),
 * in one statement, as the system role: "nothing changed" for a refused request means these
 * are equal before and after (the audit log included).
 */
export async function tableCounts(db: Database): Promise<Record<string, number>> {
  tableNames ??= (
    await db.system((tx) =>
      queryRows<{ name: string }>(
        tx,
        sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT LIKE '\\_\\_%'
            ORDER BY 1`,
      ),
    )
  ).map((r) => r.name);
  const select = tableNames
    .map((name) => `(SELECT count(*)::int FROM "${name}") AS "${name}"`)
    .join(', ');
  const [row] = await db.system((tx) =>
    queryRows<Record<string, number>>(tx, sql.raw(`SELECT ${select}`)),
  );
  return row ?? {};
}
