/**
 * Products in the records benchmark (issue #17: "the products list at 100,000 products within
 * the same goals as contacts"). A deterministic catalogue of a Vietnamese distributor's goods,
 * written with the products service's own column rules (productValues: folded name, search
 * text), loaded with COPY like the contacts, and the list page a user opens (newest first)
 * measured beside its raw SQL.
 */
import { sql } from 'drizzle-orm';
import { products } from '../src/modules/products/products.table.js';
import { productValues } from '../src/modules/products/products.service.js';
import { FieldErrors } from '../src/modules/records/normalize.js';
import { copyColumns, copyLine, type BulkTarget } from './records-load.js';

const CATALOGUE: [category: string, unit: string, names: string[]][] = [
  ['Sữa', 'thùng', ['Sữa tươi tiệt trùng', 'Sữa chua uống', 'Sữa đặc có đường', 'Sữa bột']],
  ['Bánh kẹo', 'hộp', ['Bánh quy bơ', 'Kẹo dừa', 'Bánh gạo', 'Bánh trung thu']],
  ['Nước giải khát', 'thùng', ['Nước khoáng', 'Trà xanh', 'Nước tăng lực', 'Nước ngọt có ga']],
  ['Gia vị', 'chai', ['Nước mắm', 'Nước tương', 'Dầu ăn', 'Tương ớt']],
  ['Đồ hộp', 'hộp', ['Cá hộp', 'Thịt hộp', 'Pate gan', 'Ngô ngọt']],
  ['Hoá mỹ phẩm', 'chai', ['Nước rửa chén', 'Dầu gội', 'Sữa tắm', 'Nước giặt']],
  ['Văn phòng phẩm', 'hộp', ['Bút bi', 'Giấy A4', 'Sổ tay', 'Ghim bấm']],
  ['Gạo', 'kg', ['Gạo ST25', 'Gạo tám thơm', 'Gạo nếp cái hoa vàng', 'Gạo lứt']],
];
const BRANDS = ['Hồng Hà', 'Sao Việt', 'Bình Minh', 'Phú Quốc', 'Đông Á', 'Thiên Long', 'An Khang'];
const SIZES = ['180ml', '1 lít', '500g', '1kg', '5kg', '24 gói', '330ml', '250g'];
const VAT = ['10', '8', '5', '0', 'none'] as const;

/** Product i of the catalogue (the same on every run and backend). */
export function productRow(i: number, workspaceId: string, ownerIds: string[], now: Date) {
  const [category, unit, names] = CATALOGUE[i % CATALOGUE.length]!;
  const name = `${names[(i >> 3) % names.length]} ${BRANDS[i % BRANDS.length]} ${SIZES[(i >> 5) % SIZES.length]} #${i + 1}`;
  const errors = new FieldErrors();
  const values = productValues(
    null,
    {
      sku: `SP${String(i + 1).padStart(7, '0')}`,
      name,
      unit,
      unitPrice: 5_000 + ((i * 7919) % 400) * 1_000,
      vatRate: VAT[i % 17 === 0 ? 4 : i % 5 === 0 ? 1 : 0],
      category,
      active: i % 23 !== 0,
    },
    errors,
  );
  errors.throwIfAny();
  // Spread over the last year, so "newest first" reads the index, not a tie.
  const at = new Date(now.getTime() - ((i * 104729) % 31_536_000) * 1000).toISOString();
  return {
    workspaceId,
    ownerId: ownerIds[i % ownerIds.length]!,
    ...values,
    createdAt: at,
    updatedAt: at,
  };
}

/** COPY `count` products into the workspace, then VACUUM ANALYZE the table. */
export async function loadProducts(
  target: BulkTarget,
  count: number,
  workspaceId: string,
  ownerIds: string[],
  now: Date,
): Promise<void> {
  const cols = copyColumns(products, productRow(0, workspaceId, ownerIds, now));
  const chunks = function* () {
    let chunk = '';
    for (let i = 0; i < count; i++) {
      chunk += copyLine(productRow(i, workspaceId, ownerIds, now), cols);
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  };
  await target.copy(
    'products',
    cols.map((c) => c.name),
    chunks(),
  );
  await target.exec('VACUUM ANALYZE products');
}

/** The products page as the web app opens it: newest first, 50 a page. */
export const PRODUCTS_LIST_PATH = '/api/v1/products?sort=-updatedAt&limit=50';

/**
 * The products list page's statement as the records module runs it (the products kind's
 * presented columns, keyset order, LIMIT 51), with the workspace condition RLS would add
 * written out.
 */
export function productsListSql(columns: ReturnType<typeof sql>, workspaceId: string) {
  return sql`SELECT ${columns},
      to_char((r.updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "sortValue"
    FROM products r
    WHERE r.workspace_id = ${workspaceId} AND r.deleted_at IS NULL
    ORDER BY r.updated_at DESC NULLS LAST, r.id DESC NULLS LAST LIMIT 51`;
}
