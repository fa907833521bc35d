import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { isoText, queryOne, queryRows, uuidArray } from '../../db/sql.js';
import { nameCollator } from '../../lib/vn/names.js';
import type { PriceListItemView, PriceListView } from './price-lists.schemas.js';

/** Vietnamese alphabet order (Đ after D, not after Z as the bytes would have it). */
const byName = (a: { name: string }, b: { name: string }) => nameCollator.compare(a.name, b.name);

/** All SQL of price lists (tables in price-lists.table.ts). Every statement runs under RLS. */

const listColumns = sql`pl.id, pl.name, pl.description, pl.active, pl.is_default AS "isDefault",
  (SELECT count(*)::int FROM price_list_items i WHERE i.price_list_id = pl.id) AS "itemCount",
  (SELECT count(*)::int FROM companies c
    WHERE c.price_list_id = pl.id AND c.deleted_at IS NULL) AS "companyCount",
  (SELECT count(*)::int FROM contacts c
    WHERE c.price_list_id = pl.id AND c.deleted_at IS NULL) AS "contactCount",
  ${isoText(sql`pl.created_at`)} AS "createdAt", ${isoText(sql`pl.updated_at`)} AS "updatedAt"`;

const view = (r: PriceListView): PriceListView => ({
  ...r,
  itemCount: Number(r.itemCount),
  companyCount: Number(r.companyCount),
  contactCount: Number(r.contactCount),
});

/** The workspace's lists: the default first, then by name (a workspace has a few). */
export async function listPriceLists(tx: Tx): Promise<PriceListView[]> {
  const rows = await queryRows<PriceListView>(tx, sql`SELECT ${listColumns} FROM price_lists pl`);
  return rows.map(view).sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || byName(a, b));
}

export async function getPriceList(
  tx: Tx,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<PriceListView | undefined> {
  const row = await queryOne<PriceListView>(
    tx,
    sql`SELECT ${listColumns} FROM price_lists pl WHERE pl.id = ${id}${
      opts.forUpdate ? sql` FOR UPDATE` : sql``
    }`,
  );
  return row && view(row);
}

/** The id of the list named `nameKey` (folded), other than `exceptId`. */
export async function findByNameKey(
  tx: Tx,
  nameKey: string,
  exceptId: string | null,
): Promise<string | undefined> {
  const row = await queryOne<{ id: string }>(
    tx,
    sql`SELECT id FROM price_lists WHERE name_key = ${nameKey}
          AND id IS DISTINCT FROM ${exceptId}::uuid`,
  );
  return row?.id;
}

export interface PriceListValues {
  name: string;
  nameKey: string;
  description: string | null;
  active: boolean;
  isDefault: boolean;
}

/** The workspace's default list stops being one (before another becomes it). */
export async function clearDefault(tx: Tx, exceptId: string | null): Promise<void> {
  await tx.execute(
    sql`UPDATE price_lists SET is_default = false, updated_at = now()
         WHERE is_default AND id IS DISTINCT FROM ${exceptId}::uuid`,
  );
}

export async function insertPriceList(
  tx: Tx,
  workspaceId: string,
  v: PriceListValues,
): Promise<string> {
  const row = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO price_lists (workspace_id, name, name_key, description, active, is_default)
        VALUES (${workspaceId}, ${v.name}, ${v.nameKey}, ${v.description}, ${v.active}, ${v.isDefault})
        RETURNING id`,
  );
  if (!row) throw new Error('price list insert returned nothing');
  return row.id;
}

export async function updatePriceList(tx: Tx, id: string, v: PriceListValues): Promise<void> {
  await tx.execute(
    sql`UPDATE price_lists SET name = ${v.name}, name_key = ${v.nameKey},
               description = ${v.description}, active = ${v.active}, is_default = ${v.isDefault},
               updated_at = now()
         WHERE id = ${id}`,
  );
}

/** Delete a list: its items go with it, its customers are left without one (ON DELETE SET NULL). */
export async function deletePriceList(tx: Tx, id: string): Promise<void> {
  await tx.execute(sql`DELETE FROM price_lists WHERE id = ${id}`);
}

/** A list's items with their product beside them, by product name. */
export async function listItems(tx: Tx, priceListId: string): Promise<PriceListItemView[]> {
  const rows = await queryRows<
    Omit<PriceListItemView, 'differencePercent' | 'unitPrice' | 'productUnitPrice'> & {
      unitPrice: string | number;
      productUnitPrice: string | number;
    }
  >(
    tx,
    sql`SELECT i.product_id AS "productId", p.sku, p.name, p.unit, i.unit_price AS "unitPrice",
               p.unit_price AS "productUnitPrice", p.active AS "productActive",
               (p.deleted_at IS NOT NULL) AS "productDeleted"
          FROM price_list_items i
          JOIN products p ON p.workspace_id = i.workspace_id AND p.id = i.product_id
         WHERE i.price_list_id = ${priceListId}
         ORDER BY p.sort_name, p.sku, p.id`,
  );
  return rows.map((r) => {
    const unitPrice = Number(r.unitPrice);
    const productUnitPrice = Number(r.productUnitPrice);
    return {
      ...r,
      unitPrice,
      productUnitPrice,
      differencePercent: difference(unitPrice, productUnitPrice),
    };
  });
}

/** (price − base) / base in %, one decimal; null when the base is 0. */
export function difference(price: number, base: number): number | null {
  if (base === 0) return null;
  return Math.round(((price - base) / base) * 1000) / 10;
}

/** The products among `ids` (visible in the workspace), with whether each is in the trash. */
export async function productsIn(
  tx: Tx,
  ids: string[],
): Promise<Map<string, { sku: string; deleted: boolean }>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{ id: string; sku: string; deleted: boolean }>(
    tx,
    sql`SELECT id, sku, deleted_at IS NOT NULL AS deleted FROM products
         WHERE id = ANY(${uuidArray(ids)})`,
  );
  return new Map(rows.map((r) => [r.id, { sku: r.sku, deleted: r.deleted }]));
}

/** A list's stored prices by product id. */
export async function itemPrices(tx: Tx, priceListId: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ productId: string; unitPrice: string }>(
    tx,
    sql`SELECT product_id AS "productId", unit_price AS "unitPrice" FROM price_list_items
         WHERE price_list_id = ${priceListId}`,
  );
  return new Map(rows.map((r) => [r.productId, Number(r.unitPrice)]));
}

/**
 * Replace a list's items: rows of products left out are deleted, the others inserted or
 * repriced (a row whose price is unchanged is not touched). Two statements whatever the size.
 */
export async function replaceItems(
  tx: Tx,
  workspaceId: string,
  priceListId: string,
  items: { productId: string; unitPrice: number }[],
): Promise<void> {
  await tx.execute(
    sql`DELETE FROM price_list_items WHERE price_list_id = ${priceListId}
          AND NOT (product_id = ANY(${uuidArray(items.map((i) => i.productId))}))`,
  );
  if (items.length === 0) return;
  await tx.execute(
    sql`INSERT INTO price_list_items (workspace_id, price_list_id, product_id, unit_price)
        SELECT ${workspaceId}, ${priceListId}, (e->>'productId')::uuid, (e->>'unitPrice')::bigint
          FROM jsonb_array_elements(${JSON.stringify(items)}::jsonb) e
        ON CONFLICT (price_list_id, product_id) DO UPDATE
           SET unit_price = excluded.unit_price, updated_at = now()
         WHERE price_list_items.unit_price IS DISTINCT FROM excluded.unit_price`,
  );
  await tx.execute(sql`UPDATE price_lists SET updated_at = now() WHERE id = ${priceListId}`);
}

/** The workspace's lists as a select field's options (inactive ones archived). */
export async function priceListOptionRows(
  tx: Tx,
): Promise<{ id: string; name: string; active: boolean }[]> {
  const rows = await queryRows<{ id: string; name: string; active: boolean }>(
    tx,
    sql`SELECT id, name, active FROM price_lists`,
  );
  return rows.sort(byName);
}

export async function priceListState(
  tx: Tx,
  id: string,
): Promise<{ active: boolean; name: string } | undefined> {
  return queryOne(tx, sql`SELECT active, name FROM price_lists WHERE id = ${id}`);
}

export interface PriceRow {
  productId: string;
  productPrice: string | number;
  listPrice: string | number | null;
  priceListId: string | null;
  priceListName: string | null;
}

/**
 * The list that applies (the company's, else the contact's, else the default; the first of
 * them that is active) and, for each product of `productIds`, its price there (null: not in
 * the list) and its own. One statement.
 */
export async function priceRows(
  tx: Tx,
  who: { companyId?: string | null | undefined; contactId?: string | null | undefined },
  productIds: string[],
): Promise<{ list: { id: string; name: string } | null; rows: PriceRow[] }> {
  const chosen = sql`SELECT pl.id, pl.name FROM (
        SELECT 1 AS rank, c.price_list_id AS id FROM companies c WHERE c.id = ${who.companyId ?? null}::uuid
        UNION ALL
        SELECT 2, ct.price_list_id FROM contacts ct WHERE ct.id = ${who.contactId ?? null}::uuid
        UNION ALL
        SELECT 3, d.id FROM price_lists d WHERE d.is_default
      ) s JOIN price_lists pl ON pl.id = s.id AND pl.active
      ORDER BY s.rank LIMIT 1`;
  if (productIds.length === 0) {
    const list = await queryOne<{ id: string; name: string }>(tx, chosen);
    return { list: list ?? null, rows: [] };
  }
  const rows = await queryRows<PriceRow>(
    tx,
    sql`WITH chosen AS (${chosen})
        SELECT p.id AS "productId", p.unit_price AS "productPrice", i.unit_price AS "listPrice",
               ch.id AS "priceListId", ch.name AS "priceListName"
          FROM products p
          LEFT JOIN chosen ch ON true
          LEFT JOIN price_list_items i ON i.price_list_id = ch.id AND i.product_id = p.id
         WHERE p.id = ANY(${uuidArray(productIds)})`,
  );
  let list: { id: string; name: string } | null = null;
  const first = rows[0];
  if (first?.priceListId) list = { id: first.priceListId, name: first.priceListName ?? '' };
  else if (!first) list = (await queryOne<{ id: string; name: string }>(tx, chosen)) ?? null;
  return { list, rows };
}
