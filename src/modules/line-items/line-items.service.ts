import { asc, eq, sql } from 'drizzle-orm';
import { auditChange } from '../../core/audit.js';
import type { AppContext } from '../../core/context.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, fieldAccess, type Actor } from '../../core/permissions.js';
import type { Locale } from '../../core/errors.js';
import type { Tx } from '../../db/database.js';
import { queryRows, uuidArray } from '../../db/sql.js';
import { documentMargin, lineMargin } from '../../lib/selling/amounts.js';
import { amountInWords } from '../../lib/vn/amount-in-words.js';
import type { VatRate } from '../products/products.table.js';
import { loadAccessibleRecord } from '../records/access.js';
import { recordObjectDefinition } from '../records/define.js';
import { FieldErrors } from '../records/normalize.js';
import { checkVersion } from '../records/records.service.js';
import { getRecordObject } from '../records/registry.js';
import { computeLines, type ComputedLine, type LineDraft } from './compute.js';
import type { LineItemsDeclaration } from './define.js';
import type { LineItemRow } from './line-items.columns.js';
import type { LineItem, LineItemInput, LineItemsResponse } from './line-items.schemas.js';

export const messages = {
  tooMany: (max: number): LocalisedText => ({
    vi: `Một chứng từ có tối đa ${max} dòng.`,
    en: `A document has at most ${max} lines.`,
  }),
  productNotFound: {
    vi: 'Không tìm thấy sản phẩm này.',
    en: 'No such product.',
  },
  productTrashed: {
    vi: 'Sản phẩm này đang trong thùng rác: hãy khôi phục nó hoặc bỏ dòng này.',
    en: 'This product is in the trash: restore it or remove the line.',
  },
  nameRequired: {
    vi: 'Cần chọn sản phẩm hoặc nhập tên hàng.',
    en: 'Choose a product or type what is sold.',
  },
  costNotWritable: {
    vi: 'Vai trò của bạn không được sửa giá vốn.',
    en: 'Your role may not change cost prices.',
  },
};

/**
 * Whether the actor sees the lines' cost and margin: the declaration's `cost` field is not
 * hidden from their role (define.ts). No `cost`: nobody does.
 */
export function costVisible(actor: Actor, decl: LineItemsDeclaration): boolean {
  if (!decl.cost) return false;
  return fieldAccess(actor, decl.cost.object, decl.cost.field) !== 'hidden';
}

/** Whether the actor may write the lines' cost price (visible and not read-only). */
function costWritable(actor: Actor, decl: LineItemsDeclaration): boolean {
  return !!decl.cost && fieldAccess(actor, decl.cost.object, decl.cost.field) === 'write';
}

function declarationOf(objectKey: string): LineItemsDeclaration {
  const decl = recordObjectDefinition(objectKey)?.lineItems;
  if (!decl) throw new AppError('NOT_FOUND');
  return decl;
}

function present(row: LineItemRow & { productDeleted?: boolean }): LineItem {
  return {
    id: row.id,
    position: row.position,
    productId: row.productId,
    productDeleted: row.productDeleted ?? false,
    name: row.name,
    sku: row.sku,
    description: row.description,
    unit: row.unit,
    quantity: Number(row.quantity),
    unitPrice: Number(row.unitPrice),
    discount:
      row.discountKind && row.discountValue !== null
        ? { kind: row.discountKind, value: Number(row.discountValue) }
        : null,
    vatRate: row.vatRate,
    grossAmount: Number(row.grossAmount),
    discountAmount: Number(row.discountAmount),
    netAmount: Number(row.netAmount),
    vatAmount: Number(row.vatAmount),
  };
}

/** The lines of a record, in order (no permission check: the caller made it). */
export async function linesOf(tx: Tx, objectKey: string, id: string): Promise<LineItem[]> {
  const decl = declarationOf(objectKey);
  const t = decl.table;
  const rows = await tx
    .select({
      line: t,
      productDeleted: sql<boolean>`EXISTS (SELECT 1 FROM products p WHERE p.id = ${t.productId} AND p.deleted_at IS NOT NULL)`,
    })
    .from(t)
    .where(eq(t.parentId, id))
    .orderBy(asc(t.position));
  return rows.map((r) => present({ ...r.line, productDeleted: r.productDeleted }));
}

/** A document's totals from its lines (the same arithmetic as the write). */
export function totalsOf(lines: LineItem[]) {
  const computed = computeLines(
    lines.map((l) => ({
      quantity: String(l.quantity),
      unitPrice: l.unitPrice,
      discount: l.discount,
      vatRate: l.vatRate,
    })),
  );
  return { ...computed.totals, totalInWords: amountInWords(computed.totals.total) };
}

async function versionOf(tx: Tx, objectKey: string, id: string): Promise<number> {
  const object = getRecordObject(objectKey);
  if (!object) throw new AppError('NOT_FOUND');
  const [row] = await queryRows<{ version: number }>(
    tx,
    sql`SELECT version FROM ${object.table} WHERE id = ${id}`,
  );
  if (!row) throw new AppError('NOT_FOUND');
  return Number(row.version);
}

/** The lines with their cost and margin, and the document's margin (amounts.ts). */
async function withMargins(
  tx: Tx,
  decl: LineItemsDeclaration,
  id: string,
  items: LineItem[],
): Promise<{ items: LineItem[]; margin: ReturnType<typeof documentMargin> }> {
  const t = decl.table;
  const rows = await tx
    .select({ id: t.id, costPrice: t.costPrice })
    .from(t)
    .where(eq(t.parentId, id));
  const costs = new Map(rows.map((r) => [r.id, r.costPrice === null ? null : Number(r.costPrice)]));
  const lines = items.map((item) => {
    const costPrice = costs.get(item.id) ?? null;
    const m = lineMargin({ quantity: item.quantity, net: item.netAmount }, costPrice);
    return {
      item: {
        ...item,
        costPrice,
        costAmount: m?.cost ?? null,
        margin: m?.margin ?? null,
        marginPercent: m?.percent ?? null,
      },
      net: item.netAmount,
      margin: m,
    };
  });
  return { items: lines.map((l) => l.item), margin: documentMargin(lines) };
}

async function response(
  tx: Tx,
  actor: Actor,
  objectKey: string,
  id: string,
  locale: Locale,
): Promise<LineItemsResponse> {
  const decl = declarationOf(objectKey);
  const lines = await linesOf(tx, objectKey, id);
  const locked = (await decl.lockedReason?.(tx, id)) ?? null;
  // Cost and margin only for a role that may see the declared cost field (define.ts `cost`).
  const costed = costVisible(actor, decl) ? await withMargins(tx, decl, id, lines) : null;
  const items = costed?.items ?? lines;
  return {
    items,
    totals: { ...totalsOf(lines), ...(costed ? { margin: costed.margin } : {}) },
    locked: locked ? locked[locale] : null,
    version: await versionOf(tx, objectKey, id),
  };
}

export async function getLineItems(
  ctx: AppContext,
  actor: Actor,
  objectKey: string,
  id: string,
  locale: Locale,
): Promise<LineItemsResponse> {
  declarationOf(objectKey);
  authorize(actor, objectKey, 'read');
  return ctx.db.read(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, objectKey, id, 'read');
    return response(tx, actor, objectKey, id, locale);
  });
}

/** Replace a record's lines (PUT): see define.ts. */
export async function replaceLineItems(
  ctx: AppContext,
  actor: Actor,
  objectKey: string,
  id: string,
  items: LineItemInput[],
  opts: { version?: number; locale: Locale },
): Promise<LineItemsResponse> {
  declarationOf(objectKey);
  authorize(actor, objectKey, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const def = recordObjectDefinition(objectKey);
    if (!def) throw new AppError('NOT_FOUND');
    if (opts.version !== undefined) {
      await checkVersion(tx, actor, def.kind, id, opts.version);
    } else {
      await loadAccessibleRecord(tx, actor, objectKey, id, 'update');
      await lockRecord(tx, objectKey, id);
    }
    await writeLineItems(tx, actor, objectKey, id, items);
    return response(tx, actor, objectKey, id, opts.locale);
  });
}

async function lockRecord(tx: Tx, objectKey: string, id: string): Promise<void> {
  const object = getRecordObject(objectKey);
  if (!object) throw new AppError('NOT_FOUND');
  await queryRows(tx, sql`SELECT 1 FROM ${object.table} WHERE id = ${id} FOR UPDATE`);
}

interface ProductFacts {
  id: string;
  name: string;
  sku: string;
  unit: string;
  unitPrice: number;
  costPrice: number | null;
  vatRate: VatRate;
  deleted: boolean;
}

/**
 * Write a record's lines inside the caller's transaction (the caller checked update permission
 * on the record and locked it): validate every line (all problems reported together, by
 * `items.<n>.<field>`), fill in what the product gives, compute the amounts, replace the lines,
 * store the totals on the record, audit, then the object's afterChange.
 */
export async function writeLineItems(
  tx: Tx,
  actor: Actor,
  objectKey: string,
  id: string,
  items: (LineItemInput & { sourceLineId?: string | null })[],
): Promise<void> {
  const decl = declarationOf(objectKey);
  const object = getRecordObject(objectKey);
  if (!object) throw new AppError('NOT_FOUND');
  const locked = await decl.lockedReason?.(tx, id);
  if (locked) throw new AppError('RECORD_LOCKED', { text: locked });
  const errors = new FieldErrors();
  const max = decl.maxLines ?? 500;
  if (items.length > max) errors.add('items', messages.tooMany(max), 'too_many');
  errors.throwIfAny();

  const before = await linesOf(tx, objectKey, id);
  const productIds = [...new Set(items.flatMap((i) => (i.productId ? [i.productId] : [])))];
  const products = new Map<string, ProductFacts>();
  if (productIds.length > 0) {
    const rows = await queryRows<ProductFacts>(
      tx,
      sql`SELECT id, name, sku, unit, unit_price AS "unitPrice", cost_price AS "costPrice",
                 vat_rate AS "vatRate",
                 deleted_at IS NOT NULL AS deleted
            FROM products WHERE id = ANY(${uuidArray(productIds)})`,
    );
    for (const r of rows) {
      products.set(r.id, {
        ...r,
        unitPrice: Number(r.unitPrice),
        costPrice: r.costPrice === null ? null : Number(r.costPrice),
      });
    }
  }
  const listed =
    decl.prices && productIds.length > 0 ? await decl.prices(tx, id, productIds) : null;
  const onBefore = new Set(before.flatMap((l) => (l.productId ? [l.productId] : [])));
  const mayWriteCost = costWritable(actor, decl);

  const drafts: (LineDraft & { meta: Omit<Meta, 'position'> })[] = [];
  items.forEach((item, n) => {
    const at = (field: string) => `items.${n}.${field}`;
    const product = item.productId ? products.get(item.productId) : undefined;
    if (item.productId && !product)
      errors.add(at('productId'), messages.productNotFound, 'not_found');
    if (product?.deleted && !onBefore.has(product.id)) {
      errors.add(at('productId'), messages.productTrashed, 'trashed');
    }
    const name = (item.name ?? '').trim() || product?.name || '';
    if (!name) errors.add(at('name'), messages.nameRequired, 'required');
    // The cost price as given (a role that may write costs), else the product's: margin.
    if (item.costPrice !== undefined && !mayWriteCost) {
      errors.add(at('costPrice'), messages.costNotWritable, 'not_writable');
    }
    drafts.push({
      quantity: typeof item.quantity === 'number' ? String(item.quantity) : item.quantity,
      unitPrice: item.unitPrice ?? listed?.get(item.productId ?? '') ?? product?.unitPrice ?? 0,
      discount: item.discount ?? null,
      vatRate: item.vatRate ?? product?.vatRate ?? '10',
      meta: {
        productId: item.productId ?? null,
        name,
        sku: item.sku !== undefined ? item.sku : (product?.sku ?? null),
        description: item.description?.trim() || null,
        unit: (item.unit ?? '').trim() || product?.unit || 'cái',
        sourceLineId: item.sourceLineId ?? null,
        costPrice: item.costPrice !== undefined ? item.costPrice : (product?.costPrice ?? null),
      },
    });
  });
  const computed = computeLines(drafts, (n, field, text, reason) =>
    errors.add(`items.${n}.${field}`, text, reason),
  );
  errors.throwIfAny();

  const t = decl.table;
  await tx.delete(t).where(eq(t.parentId, id));
  if (drafts.length > 0) {
    await tx.insert(t).values(
      computed.lines.map((line: ComputedLine, n: number) => {
        const meta = drafts[n]!.meta;
        return {
          workspaceId: actor.workspaceId,
          parentId: id,
          position: n,
          ...meta,
          quantity: line.quantity,
          unitPrice: line.unitPrice,
          discountKind: line.discount?.kind ?? null,
          discountValue: line.discount ? String(line.discount.value) : null,
          vatRate: line.vatRate,
          grossAmount: line.grossAmount,
          discountAmount: line.discountAmount,
          netAmount: line.netAmount,
          vatAmount: line.vatAmount,
        };
      }),
    );
  }
  const totals = computed.totals;
  const c = decl.totals;
  await tx.execute(sql`
    UPDATE ${object.table} SET
      ${sql.identifier(c.subtotal.name)} = ${totals.subtotal},
      ${sql.identifier(c.discountTotal.name)} = ${totals.discountTotal},
      ${sql.identifier(c.vatTotal.name)} = ${totals.vatTotal},
      ${sql.identifier(c.total.name)} = ${totals.total},
      ${sql.identifier(c.vatLines.name)} = ${JSON.stringify(totals.vatLines)}::jsonb,
      ${c.discountPercent ? sql`${sql.identifier(c.discountPercent.name)} = ${totals.discountPercent},` : sql``}
      updated_at = now(), updated_by = ${actor.userId}
    WHERE id = ${id}`);
  const after = await linesOf(tx, objectKey, id);
  await auditChange(
    tx,
    actor,
    objectKey,
    id,
    { lineItems: before.map(auditView) },
    { lineItems: after.map(auditView) },
  );
  await decl.afterChange?.(tx, actor, id);
}

interface Meta {
  sourceLineId: string | null;
  costPrice: number | null;
  productId: string | null;
  name: string;
  sku: string | null;
  description: string | null;
  unit: string;
  position: number;
}

/** What the audit log keeps of a line. */
function auditView(l: LineItem) {
  return {
    name: l.name,
    quantity: l.quantity,
    unit: l.unit,
    unitPrice: l.unitPrice,
    discount: l.discount,
    vatRate: l.vatRate,
    netAmount: l.netAmount,
  };
}
