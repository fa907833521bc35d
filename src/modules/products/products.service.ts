import { AppError } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { foldForSearch, normalizeText } from '../../lib/vn/names.js';
import {
  checkOwner,
  customValuesFor,
  mapWriteError,
  recordWritten,
  type RecordKind,
} from '../records/kinds.js';
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
    vatRate: input.vatRate ?? before?.vatRate ?? '10',
    category,
    description:
      input.description !== undefined
        ? input.description?.normalize('NFC').trim() || null
        : (before?.description ?? null),
    active: input.active ?? before?.active ?? true,
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

async function createProduct(tx: Tx, actor: Actor, input: ProductInput): Promise<string> {
  const errors = new FieldErrors();
  const values = productValues(null, input, errors);
  const ownerId = input.ownerId === undefined ? actor.userId : input.ownerId;
  await checkOwner(tx, actor, OBJECT, 'create', ownerId, errors);
  await checkSku(tx, values.sku, null, errors);
  const { fields, custom } = await customValuesFor(tx, OBJECT, input.custom, null, errors);
  errors.throwIfAny();
  const row = await mapWriteError(() =>
    repo.insertProduct(tx, actor.workspaceId, {
      ...values,
      ownerId,
      custom,
      createdBy: actor.userId,
      updatedBy: actor.userId,
    }),
  );
  await recordWritten(tx, actor, OBJECT, fields, null, row);
  return row.id;
}

async function updateProduct(tx: Tx, actor: Actor, id: string, input: ProductInput) {
  const before = await repo.getProductRow(tx, id, { forUpdate: true });
  if (!before) throw new AppError('NOT_FOUND');
  authorize(actor, OBJECT, 'update', { ownerId: before.ownerId });
  const errors = new FieldErrors();
  const values = productValues(before, input, errors);
  const ownerId = input.ownerId === undefined ? before.ownerId : input.ownerId;
  if (ownerId !== before.ownerId) await checkOwner(tx, actor, OBJECT, 'update', ownerId, errors);
  if (values.sku !== before.sku) await checkSku(tx, values.sku, id, errors);
  const { fields, custom } = await customValuesFor(tx, OBJECT, input.custom, before.custom, errors);
  errors.throwIfAny();
  const after = await mapWriteError(() =>
    repo.updateProduct(tx, id, { ...values, ownerId, custom, updatedBy: actor.userId }),
  );
  await recordWritten(tx, actor, OBJECT, fields, before, after);
}

function presentProduct(r: repo.ProductRecordRow): ProductResponse {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    unit: r.unit,
    unitPrice: Number(r.unitPrice),
    vatRate: r.vatRate,
    category: r.category,
    description: r.description,
    active: r.active,
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
  key: OBJECT,
  create: createProduct,
  update: updateProduct,
  columns: () => repo.productColumns(),
  present: presentProduct,
  patchSchema: productCreateBody,
};
