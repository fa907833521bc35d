import { recordAudit } from '../../core/audit.js';
import type { AppContext } from '../../core/context.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { pgErrorCode, queryOne } from '../../db/sql.js';
import { normalizeText } from '../../lib/vn/names.js';
import { sql } from 'drizzle-orm';
import { FieldErrors } from '../records/normalize.js';
import * as repo from './price-lists.repository.js';
import type {
  PriceListCreate,
  PriceListItemsInput,
  PriceListItemView,
  PriceListPatch,
  PriceListView,
} from './price-lists.schemas.js';

const OBJECT = 'price_lists';

export const messages = {
  nameTaken: {
    vi: 'Đã có một bảng giá mang tên này.',
    en: 'A price list with this name already exists.',
  },
  nameRequired: { vi: 'Cần nhập tên bảng giá.', en: 'A name is required.' },
  productTwice: {
    vi: 'Sản phẩm này đã có ở một dòng khác của bảng giá.',
    en: 'This product is already on another line of the list.',
  },
  productNotFound: {
    vi: 'Không tìm thấy sản phẩm này.',
    en: 'No such product.',
  },
  productInTrash: {
    vi: 'Sản phẩm này đang trong thùng rác: hãy khôi phục nó trước khi thêm vào bảng giá.',
    en: 'This product is in the trash: restore it before adding it to a price list.',
  },
  listNotFound: { vi: 'Không tìm thấy bảng giá này.', en: 'No such price list.' },
  listInactive: (name: string): LocalisedText => ({
    vi: `Bảng giá "${name}" đang ngừng áp dụng.`,
    en: `The price list "${name}" is inactive.`,
  }),
  defaultInactive: {
    vi: 'Bảng giá mặc định phải đang áp dụng.',
    en: 'The default price list must be active.',
  },
};

/** A list's name as stored (NFC, single spaces) and its key for uniqueness (lower case). */
function names(input: string): { name: string; nameKey: string } {
  const name = normalizeText(input);
  return { name, nameKey: name.toLocaleLowerCase('vi') };
}

function changesOf(before: Record<string, unknown>, after: Record<string, unknown>) {
  return Object.fromEntries(
    Object.keys(after)
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      .map((k) => [k, { from: before[k] ?? null, to: after[k] ?? null }]),
  );
}

/** A unique index refusing the write under concurrency becomes the same error as the check. */
async function mapUnique<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (pgErrorCode(err) === '23505' && String(err).includes('price_lists_name_key')) {
      const errors = new FieldErrors();
      errors.add('name', messages.nameTaken, 'duplicate');
      errors.throwIfAny();
    }
    throw err;
  }
}

async function oneList(tx: Tx, id: string, forUpdate = false): Promise<PriceListView> {
  const list = await repo.getPriceList(tx, id, { forUpdate });
  if (!list) throw new AppError('NOT_FOUND');
  return list;
}

export async function listPriceLists(ctx: AppContext, actor: Actor): Promise<PriceListView[]> {
  authorize(actor, OBJECT, 'read');
  return ctx.db.read(actor, (tx) => repo.listPriceLists(tx));
}

export async function getPriceList(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<PriceListView> {
  authorize(actor, OBJECT, 'read');
  return ctx.db.read(actor, (tx) => oneList(tx, id));
}

/** The values of a create (before null) or update, checked; every problem reported together. */
async function listValues(
  tx: Tx,
  id: string | null,
  before: PriceListView | null,
  input: PriceListPatch,
): Promise<repo.PriceListValues> {
  const errors = new FieldErrors();
  const { name, nameKey } = names(input.name ?? before?.name ?? '');
  if (!name) errors.add('name', messages.nameRequired, 'required');
  else if (await repo.findByNameKey(tx, nameKey, id)) {
    errors.add('name', messages.nameTaken, 'duplicate');
  }
  const active = input.active ?? before?.active ?? true;
  let isDefault = input.isDefault ?? before?.isDefault ?? false;
  // Deactivating the default list also ends it being the default; asking for both is an error.
  if (!active && isDefault) {
    if (input.isDefault === true) errors.add('isDefault', messages.defaultInactive, 'inactive');
    isDefault = false;
  }
  errors.throwIfAny();
  const description =
    input.description === undefined
      ? (before?.description ?? null)
      : input.description === null
        ? null
        : normalizeText(input.description) || null;
  return { name, nameKey, description, active, isDefault };
}

const audited = (v: PriceListView | repo.PriceListValues) => ({
  name: v.name,
  description: v.description,
  active: v.active,
  isDefault: v.isDefault,
});

export async function createPriceList(
  ctx: AppContext,
  actor: Actor,
  input: PriceListCreate,
): Promise<PriceListView> {
  authorize(actor, OBJECT, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const values = await listValues(tx, null, null, input);
    if (values.isDefault) await repo.clearDefault(tx, null);
    const id = await mapUnique(() => repo.insertPriceList(tx, actor.workspaceId, values));
    await recordAudit(tx, actor, {
      action: 'create',
      objectType: 'price_list',
      objectId: id,
      changes: changesOf({}, audited(values)),
    });
    return oneList(tx, id);
  });
}

export async function updatePriceList(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: PriceListPatch,
): Promise<PriceListView> {
  authorize(actor, OBJECT, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const before = await oneList(tx, id, true);
    const values = await listValues(tx, id, before, input);
    if (values.isDefault && !before.isDefault) await repo.clearDefault(tx, id);
    await mapUnique(() => repo.updatePriceList(tx, id, values));
    const changes = changesOf(audited(before), audited(values));
    if (Object.keys(changes).length > 0) {
      await recordAudit(tx, actor, {
        action: 'update',
        objectType: 'price_list',
        objectId: id,
        changes,
      });
    }
    return oneList(tx, id);
  });
}

/** Delete a list: its prices go with it; its companies and contacts are left with no list. */
export async function deletePriceList(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, OBJECT, 'update');
  await ctx.db.tenant(actor, async (tx) => {
    const before = await oneList(tx, id, true);
    await repo.deletePriceList(tx, id);
    await recordAudit(tx, actor, {
      action: 'delete',
      objectType: 'price_list',
      objectId: id,
      changes: {
        name: { from: before.name, to: null },
        itemCount: { from: before.itemCount, to: null },
        companyCount: { from: before.companyCount, to: 0 },
        contactCount: { from: before.contactCount, to: 0 },
      },
    });
  });
}

export async function listItems(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ priceList: PriceListView; items: PriceListItemView[] }> {
  authorize(actor, OBJECT, 'read');
  return ctx.db.read(actor, async (tx) => ({
    priceList: await oneList(tx, id),
    items: await repo.listItems(tx, id),
  }));
}

/** At most this many changed prices are named one by one in the audit entry. */
const AUDITED_PRICES = 100;

/**
 * Replace a list's prices with `input.items` (one request, all or nothing). Each product must
 * be one of the workspace's (another workspace's is unknown here: RLS), named once, and not in
 * the trash unless the list already prices it (a list keeps a trashed product's price: a quote
 * may still name it). Prices: integer đồng ≥ 0 (the schema's).
 */
export async function saveItems(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: PriceListItemsInput,
): Promise<{ priceList: PriceListView; items: PriceListItemView[] }> {
  authorize(actor, OBJECT, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    await oneList(tx, id, true);
    const before = await repo.itemPrices(tx, id);
    const products = await repo.productsIn(
      tx,
      input.items.map((i) => i.productId),
    );
    const errors = new FieldErrors();
    const seen = new Set<string>();
    input.items.forEach((item, i) => {
      const path = `items.${i}.productId`;
      const product = products.get(item.productId);
      if (seen.has(item.productId)) errors.add(path, messages.productTwice, 'duplicate');
      else if (!product) errors.add(path, messages.productNotFound, 'not_found');
      else if (product.deleted && !before.has(item.productId)) {
        errors.add(path, messages.productInTrash, 'in_trash');
      }
      seen.add(item.productId);
    });
    errors.throwIfAny();
    await repo.replaceItems(tx, actor.workspaceId, id, input.items);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    let named = 0;
    const sku = (productId: string) => products.get(productId)?.sku ?? productId;
    for (const item of input.items) {
      const from = before.get(item.productId) ?? null;
      if (from !== item.unitPrice && named++ < AUDITED_PRICES) {
        changes[sku(item.productId)] = { from, to: item.unitPrice };
      }
    }
    for (const [productId, from] of before) {
      if (!seen.has(productId) && named++ < AUDITED_PRICES) {
        const gone = await queryOne<{ sku: string }>(
          tx,
          sql`SELECT sku FROM products WHERE id = ${productId}`,
        );
        changes[gone?.sku ?? productId] = { from, to: null };
      }
    }
    if (named > 0) {
      changes.itemCount = { from: before.size, to: input.items.length };
      await recordAudit(tx, actor, {
        action: 'update',
        objectType: 'price_list',
        objectId: id,
        changes,
      });
    }
    return { priceList: await oneList(tx, id), items: await repo.listItems(tx, id) };
  });
}

// --- prices for quotes -----------------------------------------------------------------------

export interface QuotePrice {
  /** Integer đồng. */
  unitPrice: number;
  /** Where the price comes from: the customer's list, or the product's own price. */
  source: 'price_list' | 'product';
  /** The list that priced the product (source 'price_list' only). */
  priceListId?: string;
  priceListName?: string;
}

/**
 * The price of each product for a customer, for a quote's lines:
 * - the list that applies is the company's, else the contact's, else the workspace's default
 *   list, the first of them that is active (an inactive list prices nothing);
 * - a product in that list takes the list's price (`source: 'price_list'`), any other product
 *   its own `unit_price` (`source: 'product'`);
 * - inactive products and products in the trash are priced like any other (a quote being
 *   revised may still name them; refusing them is the quote's business);
 * - ids that are no product of the workspace (unknown, or another workspace's under RLS) are
 *   left out of the map.
 * One statement, in the caller's transaction (`tx` under the actor's RLS context), no
 * permission check: the caller (the quotes service) decides who may price.
 */
export async function pricesFor(
  tx: Tx,
  customer: { companyId?: string | null; contactId?: string | null },
  productIds: readonly string[],
): Promise<Map<string, QuotePrice>> {
  const { rows } = await repo.priceRows(tx, customer, [...new Set(productIds)]);
  return new Map(rows.map((r) => [r.productId, quotePrice(r)]));
}

function quotePrice(r: repo.PriceRow): QuotePrice {
  if (r.listPrice !== null && r.priceListId) {
    return {
      unitPrice: Number(r.listPrice),
      source: 'price_list',
      priceListId: r.priceListId,
      priceListName: r.priceListName ?? '',
    };
  }
  return { unitPrice: Number(r.productPrice), source: 'product' };
}

/**
 * GET /price-lists/quote-prices: pricesFor() for the quote editor, with the list that applies.
 * A company or contact named must exist and be visible to the caller (their read scope).
 */
export async function quotePrices(
  ctx: AppContext,
  actor: Actor,
  query: { companyId?: string | undefined; contactId?: string | undefined; productIds: string[] },
) {
  authorize(actor, OBJECT, 'read');
  return ctx.db.read(actor, async (tx) => {
    for (const [object, id] of [
      ['companies', query.companyId],
      ['contacts', query.contactId],
    ] as const) {
      if (!id) continue;
      const row = await queryOne<{ ownerId: string | null }>(
        tx,
        object === 'companies'
          ? sql`SELECT owner_id AS "ownerId" FROM companies WHERE id = ${id}`
          : sql`SELECT owner_id AS "ownerId" FROM contacts WHERE id = ${id}`,
      );
      if (!row) throw new AppError('NOT_FOUND');
      authorize(actor, object, 'read', row);
    }
    const ids = [...new Set(query.productIds)];
    const { list, rows } = await repo.priceRows(tx, query, ids);
    return {
      priceList: list,
      items: rows.map((r) => {
        const p = quotePrice(r);
        return {
          productId: r.productId,
          unitPrice: p.unitPrice,
          source: p.source,
          priceListId: p.priceListId ?? null,
          priceListName: p.priceListName ?? null,
          productUnitPrice: Number(r.productPrice),
        };
      }),
    };
  });
}

// --- the customers' field --------------------------------------------------------------------

/**
 * A company's or contact's write names a list (changed or new): it must be one of the
 * workspace's, and active. Called from their writers' `check`.
 */
export async function checkPriceList(
  tx: Tx,
  value: string | null | undefined,
  before: string | null | undefined,
  errors: FieldErrors,
): Promise<void> {
  if (!value || value === (before ?? null)) return;
  const state = await repo.priceListState(tx, value);
  if (!state) errors.add('priceListId', messages.listNotFound, 'not_found');
  else if (!state.active) errors.add('priceListId', messages.listInactive(state.name), 'archived');
}
