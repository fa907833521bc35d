import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { pricesFor } from '../price-lists/price-lists.service.js';
import { defineRecordObject } from '../records/define.js';
import { messages as recordMessages } from '../records/normalize.js';
import { orderFields } from './orders.fields.js';
import { orderCreateBody, orderPatchBody, orderResponse } from './orders.schemas.js';
import { documentsOf } from '../selling/documents.js';
import { documentSearch } from '../selling/search.js';
import { orderKind, orderLockedReason } from './orders.service.js';
import { orderLines, orders } from './orders.table.js';

async function orderPrices(tx: Tx, id: string, productIds: string[]) {
  const [o] = await queryRows<{ companyId: string | null; contactId: string | null }>(
    tx,
    sql`SELECT company_id AS "companyId", contact_id AS "contactId" FROM orders WHERE id = ${id}`,
  );
  const prices = await pricesFor(tx, o ?? {}, productIds);
  return new Map([...prices].map(([productId, p]) => [productId, p.unitPrice]));
}

const all = {
  read: true,
  create: true,
  update: true,
  delete: true,
  export: true,
  import: true,
  scope: 'all',
} as const;

/**
 * Orders and contracts (đơn hàng, hợp đồng): from an accepted quote or written directly; line
 * items; confirmed → goods reserved in a warehouse; delivered in one or more deliveries (stock
 * issued); cancelled with a reason (reservation released); a contract's renewal reminded.
 */
export const ordersObject = defineRecordObject({
  key: 'orders',
  label: {
    one: { vi: 'Đơn hàng', en: 'Order' },
    many: { vi: 'Đơn hàng / hợp đồng', en: 'Orders and contracts' },
  },
  table: orders,
  columns: {
    id: orders.id,
    workspaceId: orders.workspaceId,
    ownerId: orders.ownerId,
    deletedAt: orders.deletedAt,
    name: orders.number,
  },
  permissions: {
    actions: ['read', 'create', 'update', 'delete', 'export'],
    defaults: {
      manager: all,
      sales: { read: true, create: true, update: true, export: true, scope: 'own' },
      marketing: { read: true, scope: 'all' },
      support: { read: true, scope: 'all' },
      viewer: { read: true, scope: 'all' },
    },
  },
  fields: orderFields,
  schemas: { create: orderCreateBody, patch: orderPatchBody, response: orderResponse },
  kind: orderKind,
  search: documentSearch('orders'),
  timelineRelations: [
    documentsOf('orders', 'company_id', 'companies'),
    documentsOf('orders', 'contact_id', 'contacts'),
    documentsOf('orders', 'deal_id', 'deals'),
    documentsOf('orders', 'quote_id', 'quotes'),
  ],
  constraints: { orders_owner_fk: { path: 'ownerId', text: recordMessages.owner } },
  exportColumns: [
    'number',
    'kind',
    'subject',
    'status',
    'deliveryStatus',
    'companyId',
    'contactId',
    'orderDate',
    'signedOn',
    'renewalDate',
    'subtotal',
    'vatTotal',
    'total',
    'ownerId',
    'createdAt',
  ],
  fuzzyDuplicates: false,
  lineItems: {
    table: orderLines,
    // Cost and margin of the lines: seen only by roles that see products' cost price.
    cost: { object: 'products', field: 'costPrice' },
    totals: {
      subtotal: orders.subtotal,
      discountTotal: orders.discountTotal,
      vatTotal: orders.vatTotal,
      total: orders.total,
      vatLines: orders.vatLines,
      discountPercent: orders.discountPercent,
    },
    lockedReason: orderLockedReason,
    prices: orderPrices,
    pdf: {
      title: { vi: 'ĐƠN ĐẶT HÀNG', en: 'SALES ORDER' },
      dates: [
        { field: 'orderDate', label: { vi: 'Ngày', en: 'Date' } },
        { field: 'signedOn', label: { vi: 'Ngày ký', en: 'Signed on' } },
      ],
      termsField: 'terms',
      signatures: [
        { vi: 'Bên mua', en: 'Buyer' },
        { vi: 'Bên bán', en: 'Seller' },
      ],
    },
  },
  presentation: {
    icon: 'receipt',
    order: 28,
    titleField: 'number',
    subtitleFields: ['companyId', 'total'],
    defaultColumns: [
      'number',
      'kind',
      'companyId',
      'status',
      'deliveryStatus',
      'total',
      'orderDate',
      'renewalDate',
      'ownerId',
      'updatedAt',
    ],
    headerFacts: [
      'status',
      'deliveryStatus',
      'total',
      'companyId',
      'contactId',
      'quoteId',
      'orderDate',
      'renewalDate',
    ],
    panels: ['lineItems', 'orderDeliveries'],
    actions: ['orderActions'],
    form: {
      quick: ['kind', 'companyId', 'contactId', 'dealId', 'subject', 'orderDate'],
      more: [
        'signedOn',
        'endDate',
        'renewalDate',
        'renewalReminderDays',
        'terms',
        'ownerId',
        'tags',
      ],
      defaults: { kind: 'order' },
    },
  },
});
