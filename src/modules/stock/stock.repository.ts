import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { isoText, queryOne, queryRows, uuidArray } from '../../db/sql.js';
import { escapeLike } from '../search/search.sql.js';
import type { StockMovementKind } from './stock.table.js';

/** All SQL of stock: warehouses, levels and movements. Quantities travel as numeric text. */

export interface WarehouseRow {
  id: string;
  name: string;
  address: string | null;
  isDefault: boolean;
  archived: boolean;
  productCount: number;
  hasMovements: boolean;
  createdAt: string;
}

const warehouseColumns = sql`w.id, w.name, w.address, w.is_default AS "isDefault",
  (w.archived_at IS NOT NULL) AS archived,
  (SELECT count(*)::int FROM stock_levels l
    WHERE l.warehouse_id = w.id AND (l.on_hand <> 0 OR l.reserved <> 0)) AS "productCount",
  EXISTS (SELECT 1 FROM stock_movements m WHERE m.warehouse_id = w.id) AS "hasMovements",
  ${isoText(sql`w.created_at`)} AS "createdAt"`;

export function listWarehouses(tx: Tx, includeArchived: boolean): Promise<WarehouseRow[]> {
  return queryRows<WarehouseRow>(
    tx,
    sql`SELECT ${warehouseColumns} FROM warehouses w
         WHERE ${includeArchived ? sql`true` : sql`w.archived_at IS NULL`}
         ORDER BY w.is_default DESC, w.archived_at NULLS FIRST, w.id`,
  );
}

export function getWarehouse(
  tx: Tx,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<WarehouseRow | undefined> {
  return queryOne<WarehouseRow>(
    tx,
    sql`SELECT ${warehouseColumns} FROM warehouses w WHERE w.id = ${id}
        ${opts.forUpdate ? sql`FOR UPDATE OF w` : sql``}`,
  );
}

export function defaultWarehouseId(tx: Tx): Promise<string | undefined> {
  return queryOne<{ id: string }>(tx, sql`SELECT id FROM warehouses WHERE is_default`).then(
    (r) => r?.id,
  );
}

export async function insertWarehouse(
  tx: Tx,
  workspaceId: string,
  v: { name: string; address: string | null; isDefault: boolean },
): Promise<string> {
  const row = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO warehouses (workspace_id, name, address, is_default)
        VALUES (${workspaceId}, ${v.name}, ${v.address}, ${v.isDefault}) RETURNING id`,
  );
  if (!row) throw new Error('warehouse insert returned nothing');
  return row.id;
}

export async function updateWarehouse(
  tx: Tx,
  id: string,
  v: { name: string; address: string | null; archived: boolean },
): Promise<void> {
  await tx.execute(
    sql`UPDATE warehouses SET name = ${v.name}, address = ${v.address},
               archived_at = CASE WHEN ${v.archived} THEN coalesce(archived_at, now()) END,
               updated_at = now()
         WHERE id = ${id}`,
  );
}

export async function makeDefault(tx: Tx, id: string): Promise<void> {
  // Two statements: the partial unique index allows one default at a time.
  await tx.execute(sql`UPDATE warehouses SET is_default = false, updated_at = now()
                        WHERE is_default AND id <> ${id}`);
  await tx.execute(
    sql`UPDATE warehouses SET is_default = true, updated_at = now() WHERE id = ${id}`,
  );
}

export async function deleteWarehouse(tx: Tx, id: string): Promise<void> {
  await tx.execute(sql`DELETE FROM stock_levels WHERE warehouse_id = ${id}`);
  await tx.execute(sql`DELETE FROM warehouses WHERE id = ${id}`);
}

export interface ProductInfo {
  id: string;
  name: string;
  sku: string;
  unit: string;
  allowBackorder: boolean;
}

/** The live products among `ids` (RLS: another workspace's are not found). */
export function productsByIds(tx: Tx, ids: string[]): Promise<ProductInfo[]> {
  return queryRows<ProductInfo>(
    tx,
    sql`SELECT id, name, sku, unit, allow_backorder AS "allowBackorder" FROM products
         WHERE id = ANY(${uuidArray(ids)}) AND deleted_at IS NULL`,
  );
}

export interface LockedLevel {
  productId: string;
  onHand: string;
  reserved: string;
}

/**
 * The level rows of `productIds` (sorted) in a warehouse, created at zero where missing and
 * locked FOR UPDATE, in product id order: two transactions wanting some of the same products
 * queue on the first one they share instead of deadlocking. The missing rows are inserted in
 * the same order, so a transaction waiting on another's uncommitted insert holds nothing that
 * one needs.
 */
export async function lockLevels(
  tx: Tx,
  workspaceId: string,
  warehouseId: string,
  productIds: string[],
): Promise<LockedLevel[]> {
  await tx.execute(
    sql`INSERT INTO stock_levels (workspace_id, product_id, warehouse_id)
        SELECT ${workspaceId}::uuid, p, ${warehouseId}::uuid
          FROM unnest(${uuidArray(productIds)}) WITH ORDINALITY AS u(p, n) ORDER BY n
        ON CONFLICT DO NOTHING`,
  );
  return queryRows<LockedLevel>(
    tx,
    sql`SELECT product_id AS "productId", on_hand::text AS "onHand", reserved::text AS reserved
          FROM stock_levels
         WHERE warehouse_id = ${warehouseId} AND product_id = ANY(${uuidArray(productIds)})
         ORDER BY product_id
           FOR UPDATE`,
  );
}

/** What `ref` still holds reserved per product in a warehouse: reserved − released − issued. */
export async function outstandingFor(
  tx: Tx,
  warehouseId: string,
  ref: { object: string; id: string },
): Promise<Map<string, string>> {
  const rows = await queryRows<{ productId: string; q: string }>(
    tx,
    sql`SELECT product_id AS "productId",
               sum(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END)::text AS q
          FROM stock_movements
         WHERE ref_object = ${ref.object} AND ref_id = ${ref.id} AND warehouse_id = ${warehouseId}
           AND kind IN ('reserve', 'release', 'issue')
         GROUP BY product_id`,
  );
  return new Map(rows.map((r) => [r.productId, r.q]));
}

export interface NewMovement {
  productId: string;
  quantity: string;
  onHand: string;
  reserved: string;
}

/** Write the levels and their movements (one statement each); each movement's id by product. */
export async function writeMovements(
  tx: Tx,
  m: {
    workspaceId: string;
    warehouseId: string;
    kind: StockMovementKind;
    reason: string | null;
    ref: { object: string; id: string } | null;
    userId: string | null;
    actorName: string;
    lines: NewMovement[];
  },
): Promise<Map<string, string>> {
  const lines = JSON.stringify(m.lines.map((l, n) => ({ ...l, n })));
  await tx.execute(
    sql`UPDATE stock_levels l
           SET on_hand = v."onHand"::numeric, reserved = v.reserved::numeric, updated_at = now()
          FROM jsonb_to_recordset(${lines}::jsonb) AS v("productId" uuid, "onHand" text, reserved text)
         WHERE l.warehouse_id = ${m.warehouseId} AND l.product_id = v."productId"`,
  );
  const rows = await queryRows<{ id: string; productId: string }>(
    tx,
    sql`INSERT INTO stock_movements (workspace_id, kind, product_id, warehouse_id, quantity,
                                     on_hand_after, reserved_after, reason, ref_object, ref_id,
                                     user_id, actor_name)
        SELECT ${m.workspaceId}::uuid, ${m.kind}, v."productId", ${m.warehouseId}::uuid,
               v.quantity::numeric, v."onHand"::numeric, v.reserved::numeric, ${m.reason},
               ${m.ref?.object ?? null}, ${m.ref?.id ?? null}::uuid, ${m.userId}::uuid, ${m.actorName}
          FROM jsonb_to_recordset(${lines}::jsonb)
               AS v("productId" uuid, quantity text, "onHand" text, reserved text, n int)
         ORDER BY v.n
        RETURNING id, product_id AS "productId"`,
  );
  return new Map(rows.map((r) => [r.productId, r.id]));
}

export interface LevelRow {
  productId: string;
  productName: string;
  sku: string;
  unit: string;
  warehouseId: string;
  warehouseName: string;
  onHand: string;
  reserved: string;
  available: string;
  reorderLevel: string | null;
  below: boolean;
  allowBackorder: boolean;
  sortName: string;
}

/**
 * Levels: every live product in every live warehouse (or the one asked for, archived or not),
 * zero where nothing moved yet — a product with a reorder level and no stock is below it.
 * Keyset order: product (sort name, id), then warehouse id (creation order).
 */
export function listLevels(
  tx: Tx,
  f: {
    warehouseId?: string | undefined;
    q?: string | undefined;
    below: boolean;
    limit: number;
    after?: { sortName: string; productId: string; warehouseId: string } | undefined;
  },
): Promise<LevelRow[]> {
  const where: SQL[] = [sql`p.deleted_at IS NULL`];
  where.push(f.warehouseId ? sql`w.id = ${f.warehouseId}` : sql`w.archived_at IS NULL`);
  if (f.q) where.push(sql`p.search_text LIKE ${`%${escapeLike(f.q)}%`}`);
  if (f.below) {
    where.push(
      sql`p.reorder_level IS NOT NULL
          AND coalesce(l.on_hand, 0) - coalesce(l.reserved, 0) < p.reorder_level`,
    );
  }
  if (f.after) {
    where.push(
      sql`(p.sort_name, p.id, w.id) > (${f.after.sortName}, ${f.after.productId}::uuid, ${f.after.warehouseId}::uuid)`,
    );
  }
  return queryRows<LevelRow>(
    tx,
    sql`SELECT p.id AS "productId", p.name AS "productName", p.sku, p.unit,
               w.id AS "warehouseId", w.name AS "warehouseName",
               coalesce(l.on_hand, 0)::text AS "onHand", coalesce(l.reserved, 0)::text AS reserved,
               (coalesce(l.on_hand, 0) - coalesce(l.reserved, 0))::text AS available,
               p.reorder_level::text AS "reorderLevel",
               coalesce(p.reorder_level IS NOT NULL
                 AND coalesce(l.on_hand, 0) - coalesce(l.reserved, 0) < p.reorder_level, false) AS below,
               p.allow_backorder AS "allowBackorder", p.sort_name AS "sortName"
          FROM products p
         CROSS JOIN warehouses w
          LEFT JOIN stock_levels l ON l.product_id = p.id AND l.warehouse_id = w.id
         WHERE ${sql.join(where, sql` AND `)}
         ORDER BY p.sort_name, p.id, w.id
         LIMIT ${f.limit}`,
  );
}

export interface MovementRow {
  id: string;
  kind: StockMovementKind;
  productId: string;
  productName: string;
  sku: string;
  unit: string;
  warehouseId: string;
  warehouseName: string;
  quantity: string;
  onHandAfter: string;
  reservedAfter: string;
  reason: string | null;
  refObject: string | null;
  refId: string | null;
  userId: string | null;
  userName: string | null;
  createdAt: string;
}

const movementColumns = sql`m.id, m.kind, m.product_id AS "productId", p.name AS "productName",
  p.sku, p.unit, m.warehouse_id AS "warehouseId", w.name AS "warehouseName",
  m.quantity::text AS quantity, m.on_hand_after::text AS "onHandAfter",
  m.reserved_after::text AS "reservedAfter", m.reason, m.ref_object AS "refObject",
  m.ref_id AS "refId", m.user_id AS "userId",
  coalesce((SELECT u.name FROM users u WHERE u.id = m.user_id), m.actor_name) AS "userName",
  ${isoText(sql`m.created_at`)} AS "createdAt"`;

/** Movements newest first (UUID v7 ids are time-ordered: the id is the cursor). */
export function listMovements(
  tx: Tx,
  f: {
    warehouseId?: string | undefined;
    productId?: string | undefined;
    kind?: StockMovementKind | undefined;
    refObject?: string | undefined;
    refId?: string | undefined;
    ids?: string[] | undefined;
    before?: string | undefined;
    limit: number;
  },
): Promise<MovementRow[]> {
  const where: SQL[] = [sql`true`];
  if (f.warehouseId) where.push(sql`m.warehouse_id = ${f.warehouseId}`);
  if (f.productId) where.push(sql`m.product_id = ${f.productId}`);
  if (f.kind) where.push(sql`m.kind = ${f.kind}`);
  if (f.refObject) where.push(sql`m.ref_object = ${f.refObject}`);
  if (f.refId) where.push(sql`m.ref_id = ${f.refId}`);
  if (f.ids) where.push(sql`m.id = ANY(${uuidArray(f.ids)})`);
  if (f.before) where.push(sql`m.id < ${f.before}`);
  return queryRows<MovementRow>(
    tx,
    sql`SELECT ${movementColumns}
          FROM stock_movements m
          JOIN products p ON p.id = m.product_id
          JOIN warehouses w ON w.id = m.warehouse_id
         WHERE ${sql.join(where, sql` AND `)}
         ORDER BY m.id DESC
         LIMIT ${f.limit}`,
  );
}
