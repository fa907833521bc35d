import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgTableWithColumns } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/database.js';

/**
 * The row access every selling document's writer needs (quotes, orders, invoices, payments):
 * a live row (locked for an update), an insert and an update, each returning the row.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function documentRows<T extends PgTableWithColumns<any>>(table: T, label: string) {
  type Row = T['$inferSelect'];
  type Insert = T['$inferInsert'];
  // Drizzle's query builders cannot be typed over a generic table: the rows are typed by T.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const t = table as any;
  return {
    async get(tx: Tx, id: string, opts: { forUpdate?: boolean } = {}): Promise<Row | undefined> {
      const q = tx
        .select()
        .from(t)
        .where(and(eq(t.id, id), isNull(t.deletedAt)));
      const [row] = opts.forUpdate ? await q.for('update') : await q;
      return row as Row | undefined;
    },
    async insert(tx: Tx, workspaceId: string, values: Omit<Insert, 'workspaceId'>): Promise<Row> {
      const [row] = (await tx
        .insert(t)
        .values({ ...values, workspaceId })
        .returning()) as Row[];
      if (!row) throw new Error(`${label} insert returned nothing`);
      return row as Row;
    },
    async update(tx: Tx, id: string, values: Partial<Insert>): Promise<Row> {
      const [row] = (await tx
        .update(t)
        .set({ ...values, updatedAt: sql`now()` })
        .where(eq(t.id, id))
        .returning()) as Row[];
      if (!row) throw new Error(`${label} update returned nothing`);
      return row as Row;
    },
  };
}

/**
 * The number of the document a row `r` came from (an order's quote, an invoice's order), when
 * the caller may see it: `visible` is the scope condition on `x` (undefined: all), null when the
 * caller may not read that object at all.
 */
export function linkedNumber(
  table: 'quotes' | 'orders',
  column: 'quote_id' | 'order_id',
  visible: SQL | undefined | null,
): SQL {
  if (visible === null) return sql`NULL::text`;
  return sql`(SELECT x.number FROM ${sql.identifier(table)} x
    WHERE x.id = r.${sql.identifier(column)} AND x.deleted_at IS NULL AND ${visible ?? sql`true`})`;
}
