import type { Tx } from '../../db/database.js';
import { foldForSearch, normalizeText } from '../../lib/vn/names.js';
import type { RecordKind } from '../records/kinds.js';
import { recordWriter } from '../records/writer.js';
import { cleanText, FieldErrors, normalizeTags, searchText } from '../records/normalize.js';
import * as repo from './products.repository.js';
import { productCreateBody, type ProductInput, type ProductResponse } from './products.schemas.js';
import type { ProductRow } from './products.table.js';

const OBJECT = 'products';

export const messages = {
  nameRequired: { vi: 'Cần nhập tên sản phẩm.', en: 'A product name is required.' },
  skuRequired: { vi: 'Cần nhập mã SKU.', en: 'A SKU is required.' },
  skuTaken: (name: string) => ({
    vi: `Mã SKU này đã dùng cho sản phẩm "${name}".`,
    en: `This SKU is already used by "${name}".`,
  }),
  skuTakenRace: {
    vi: 'Mã SKU này đã dùng cho một sản phẩm khác.',
    en: 'This SKU is already used by another product.',
  },
};

/** The columns of a product after applying `input` to `before` (null when creating). */
export function productValues(before: ProductRow | null, input: ProductInput, errors: FieldErrors) {
  const name = input.name !== undefined ? normalizeText(input.name) : (before?.name ?? '');
  if (!name) errors.add('name', messages.nameRequired, 'required');
  const sku = input.sku !== undefined ? normalizeText(input.sku) : (before?.sku ?? '');
  if (!sku) errors.add('sku', messages.skuRequired, 'required');
  const unit = (input.unit !== undefined ? normalizeText(input.unit) : before?.unit) || 'cái';
  const category =
    input.category !== undefined ? cleanText(input.category) : (before?.category ?? null);
  const folded = foldForSearch(name);
  return {
    name,
    sku,
    unit,
    unitPrice: input.unitPrice ?? before?.unitPrice ?? 0,
    costPrice: input.costPrice !== undefined ? input.costPrice : (before?.costPrice ?? null),
    vatRate: input.vatRate ?? before?.vatRate ?? '10',
    category,
    description:
      input.description !== undefined
        ? input.description?.normalize('NFC').trim() || null
        : (before?.description ?? null),
    active: input.active ?? before?.active ?? true,
    reorderLevel:
      input.reorderLevel !== undefined ? input.reorderLevel : (before?.reorderLevel ?? null),
    allowBackorder: input.allowBackorder ?? before?.allowBackorder ?? false,
    tags: input.tags ? normalizeTags(input.tags) : (before?.tags ?? []),
    searchName: folded,
    sortName: folded,
    searchText: searchText([name, sku, category]),
  };
}

async function checkSku(tx: Tx, sku: string, id: string | null, errors: FieldErrors) {
  if (!sku) return;
  const other = await repo.findBySku(tx, sku, id);
  if (other) errors.add('sku', messages.skuTaken(other.name), 'duplicate');
}

function presentProduct(r: repo.ProductRecordRow): ProductResponse {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    unit: r.unit,
    unitPrice: Number(r.unitPrice),
    costPrice: r.costPrice === null ? null : Number(r.costPrice),
    vatRate: r.vatRate,
    category: r.category,
    description: r.description,
    active: r.active,
    reorderLevel: r.reorderLevel === null ? null : Number(r.reorderLevel),
    allowBackorder: r.allowBackorder,
    ownerId: r.ownerId,
    owner: r.ownerId ? { id: r.ownerId, name: r.ownerName ?? '' } : null,
    tags: r.tags,
    custom: r.custom,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    deletedAt: r.deletedAt,
  };
}

export const productKind: RecordKind<ProductResponse, ProductInput, repo.ProductRecordRow> = {
  ...recordWriter({
    objectKey: OBJECT,
    load: repo.getProductRow,
    normalize: productValues,
    // The SKU is checked when it is set or changed.
    check: async (tx, { id, before, values, errors }) => {
      if (values.sku !== before?.sku) await checkSku(tx, values.sku, id, errors);
    },
    insert: repo.insertProduct,
    update: repo.updateProduct,
  }),
  columns: () => repo.productColumns(),
  present: presentProduct,
  patchSchema: productCreateBody,
};
