import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { pricesFor } from '../price-lists/price-lists.service.js';
import { defineRecordObject } from '../records/define.js';
import { messages as recordMessages } from '../records/normalize.js';
import { quoteFields } from './quotes.fields.js';
import { quoteCreateBody, quotePatchBody, quoteResponse } from './quotes.schemas.js';
import { documentsOf } from '../selling/documents.js';
import { documentSearch } from '../selling/search.js';
import { linesChanged, quoteKind, quoteLockedReason } from './quotes.service.js';
import { quoteLines, quotes } from './quotes.table.js';

/** The customer's price list prices the quote's products (src/modules/price-lists). */
async function quotePrices(tx: Tx, id: string, productIds: string[]) {
  const [q] = await queryRows<{ companyId: string | null; contactId: string | null }>(
    tx,
    sql`SELECT company_id AS "companyId", contact_id AS "contactId" FROM quotes WHERE id = ${id}`,
  );
  const prices = await pricesFor(tx, q ?? {}, productIds);
  return new Map([...prices].map(([productId, p]) => [productId, p.unitPrice]));
}

const all = {
  read: true,
  create: true,
  update: true,
  delete: true,
  export: true,
  import: true,
  approve: true,
  scope: 'all',
} as const;

/**
 * Quotes (báo giá): line items in đồng with VAT per rate, from a deal or for a company or
 * contact; draft → sent → accepted / rejected / expired; numbered per workspace (BG-2026-0001);
 * a discount above the sender's limit needs a manager's approval before it is sent.
 */
export const quotesObject = defineRecordObject({
  key: 'quotes',
  label: { one: { vi: 'Báo giá', en: 'Quote' }, many: { vi: 'Báo giá', en: 'Quotes' } },
  table: quotes,
  columns: {
    id: quotes.id,
    workspaceId: quotes.workspaceId,
    ownerId: quotes.ownerId,
    deletedAt: quotes.deletedAt,
    name: quotes.number,
  },
  permissions: {
    actions: ['read', 'create', 'update', 'delete', 'export', 'approve'],
    defaults: {
      manager: all,
      sales: { read: true, create: true, update: true, delete: true, export: true, scope: 'own' },
      marketing: { read: true, scope: 'all' },
      support: { read: true, scope: 'all' },
      viewer: { read: true, scope: 'all' },
    },
  },
  fields: quoteFields,
  schemas: { create: quoteCreateBody, patch: quotePatchBody, response: quoteResponse },
  kind: quoteKind,
  search: documentSearch('quotes'),
  timelineRelations: [
    documentsOf('quotes', 'company_id', 'companies'),
    documentsOf('quotes', 'contact_id', 'contacts'),
    documentsOf('quotes', 'deal_id', 'deals'),
  ],
  constraints: {
    quotes_owner_fk: { path: 'ownerId', text: recordMessages.owner },
  },
  exportColumns: [
    'number',
    'subject',
    'status',
    'companyId',
    'contactId',
    'dealId',
    'issueDate',
    'validUntil',
    'subtotal',
    'discountTotal',
    'vatTotal',
    'total',
    'ownerId',
    'createdAt',
  ],
  fuzzyDuplicates: false,
  lineItems: {
    table: quoteLines,
    // Cost and margin of the lines: seen only by roles that see products' cost price.
    cost: { object: 'products', field: 'costPrice' },
    totals: {
      subtotal: quotes.subtotal,
      discountTotal: quotes.discountTotal,
      vatTotal: quotes.vatTotal,
      total: quotes.total,
      vatLines: quotes.vatLines,
      discountPercent: quotes.discountPercent,
    },
    lockedReason: quoteLockedReason,
    prices: quotePrices,
    afterChange: linesChanged,
    pdf: {
      title: { vi: 'BÁO GIÁ', en: 'QUOTATION' },
      dates: [
        { field: 'issueDate', label: { vi: 'Ngày', en: 'Date' } },
        { field: 'validUntil', label: { vi: 'Hiệu lực đến', en: 'Valid until' } },
      ],
      termsField: 'terms',
      signatures: [
        { vi: 'Khách hàng', en: 'Customer' },
        { vi: 'Người lập báo giá', en: 'Prepared by' },
      ],
    },
  },
  presentation: {
    icon: 'file-invoice',
    order: 27,
    titleField: 'number',
    subtitleFields: ['companyId', 'total'],
    defaultColumns: [
      'number',
      'subject',
      'companyId',
      'contactId',
      'status',
      'total',
      'issueDate',
      'validUntil',
      'ownerId',
      'updatedAt',
    ],
    headerFacts: [
      'status',
      'total',
      'companyId',
      'contactId',
      'dealId',
      'issueDate',
      'validUntil',
      'approvalStatus',
    ],
    panels: ['lineItems'],
    actions: ['quoteActions'],
    form: {
      quick: ['dealId', 'companyId', 'contactId', 'subject', 'issueDate', 'validUntil'],
      more: ['terms', 'ownerId', 'tags'],
    },
  },
});
