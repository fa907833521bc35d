import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { isoText } from '../../db/sql.js';
import { products, type ProductRow, type VatRate } from './products.table.js';

export type ProductValues = Omit<
  typeof products.$inferInsert,
  'id' | 'workspaceId' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'deletedBy'
>;

/** A product as it is presented: timestamps as ISO text, the owner's name. */
export interface ProductRecordRow {
  id: string;
  sku: string;
  name: string;
  unit: string;
  unitPrice: number | string;
  costPrice: number | string | null;
  vatRate: VatRate;
  category: string | null;
  description: string | null;
  active: boolean;
  reorderLevel: number | string | null;
  allowBackorder: boolean;
  ownerId: string | null;
  ownerName: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/** The presented columns of products `r` (a ProductRecordRow). */
export function productColumns(): SQL {
  return sql`r.id, r.sku, r.name, r.unit, r.unit_price AS "unitPrice",
    r.cost_price AS "costPrice", r.vat_rate AS "vatRate",
    r.category, r.description, r.active, r.reorder_level AS "reorderLevel",
    r.allow_backorder AS "allowBackorder",
    r.owner_id AS "ownerId", (SELECT u.name FROM users u WHERE u.id = r.owner_id) AS "ownerName",
    r.tags, r.custom,
    ${isoText(sql`r.created_at`)} AS "createdAt", ${isoText(sql`r.updated_at`)} AS "updatedAt",
    ${isoText(sql`r.deleted_at`)} AS "deletedAt"`;
}

export async function getProductRow(
  tx: Tx,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ProductRow | undefined> {
  const q = tx
    .select()
    .from(products)
    .where(and(eq(products.id, id), isNull(products.deletedAt)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}

/** The live product with this SKU, if any (another one than `exceptId`). */
export async function findBySku(
  tx: Tx,
  sku: string,
  exceptId: string | null,
): Promise<{ id: string; name: string } | undefined> {
  const [row] = await tx
    .select({ id: products.id, name: products.name })
    .from(products)
    .where(
      and(
        eq(products.sku, sku),
        isNull(products.deletedAt),
        exceptId ? sql`${products.id} <> ${exceptId}` : undefined,
      ),
    )
    .limit(1);
  return row;
}

export async function insertProduct(
  tx: Tx,
  workspaceId: string,
  values: ProductValues,
): Promise<ProductRow> {
  const [row] = await tx
    .insert(products)
    .values({ ...values, workspaceId })
    .returning();
  if (!row) throw new Error('product insert returned nothing');
  return row;
}

export async function updateProduct(
  tx: Tx,
  id: string,
  values: Partial<ProductValues>,
): Promise<ProductRow> {
  const [row] = await tx
    .update(products)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(products.id, id))
    .returning();
  if (!row) throw new Error('product update returned nothing');
  return row;
}
