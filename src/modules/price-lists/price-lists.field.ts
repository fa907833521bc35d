import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { selectField, type FieldDef, type FieldOption } from '../records/fields.js';
import { priceListOptionRows } from './price-lists.repository.js';

/** The workspace's price lists by name: the options of a customer's `priceListId`. */
async function priceListOptions(tx: Tx): Promise<FieldOption[]> {
  const rows = await priceListOptionRows(tx);
  // An inactive list stays on the customers that name it, but is not offered for new values.
  return rows.map((r) => ({
    key: r.id,
    label: { vi: r.name, en: r.name },
    ...(r.active ? {} : { archived: true }),
  }));
}

/**
 * "Bảng giá": the price list of a company or a contact (column `price_list_id`), a select
 * whose options are the workspace's lists (forms, filters, imports by name, exports by name).
 * Sorted by the list's name.
 */
export function priceListField(): FieldDef {
  return {
    ...selectField('priceListId', 'price_list_id', { vi: 'Bảng giá', en: 'Price list' }, []),
    loadOptions: priceListOptions,
    sortExpr: sql`(SELECT pl.name FROM price_lists pl WHERE pl.id = r.price_list_id)`,
    sortCast: 'text',
    nullable: true,
  };
}
