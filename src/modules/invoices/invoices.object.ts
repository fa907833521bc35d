import { defineRecordObject } from '../records/define.js';
import { messages as recordMessages } from '../records/normalize.js';
import { documentsOf } from '../selling/documents.js';
import { documentSearch } from '../selling/search.js';
import { invoiceFields } from './invoices.fields.js';
import { invoiceCreateBody, invoicePatchBody, invoiceResponse } from './invoices.schemas.js';
import { invoiceKind, invoiceLockedReason } from './invoices.service.js';
import { invoiceLines, invoices } from './invoices.table.js';

/**
 * Invoices (hoá đơn bán hàng): from an order's deliveries or written directly; numbered at
 * creation and never deleted (void keeps the number); issued and voided by roles with `approve`;
 * paid by payments (src/modules/payments); overdue past the due date (a daily job). The PDF has a
 * VietQR code for the transfer of the balance.
 */
export const invoicesObject = defineRecordObject({
  key: 'invoices',
  label: { one: { vi: 'Hoá đơn', en: 'Invoice' }, many: { vi: 'Hoá đơn', en: 'Invoices' } },
  table: invoices,
  columns: {
    id: invoices.id,
    workspaceId: invoices.workspaceId,
    ownerId: invoices.ownerId,
    deletedAt: invoices.deletedAt,
    name: invoices.number,
  },
  permissions: {
    // No delete: an invoice's number is never given back (void it instead).
    actions: ['read', 'create', 'update', 'export', 'approve'],
    defaults: {
      manager: {
        read: true,
        create: true,
        update: true,
        export: true,
        approve: true,
        scope: 'all',
      },
      sales: { read: true, create: true, update: true, export: true, scope: 'own' },
      marketing: { read: true, scope: 'all' },
      support: { read: true, scope: 'all' },
      viewer: { read: true, scope: 'all' },
    },
  },
  fields: invoiceFields,
  schemas: { create: invoiceCreateBody, patch: invoicePatchBody, response: invoiceResponse },
  kind: invoiceKind,
  search: documentSearch('invoices'),
  timelineRelations: [
    documentsOf('invoices', 'company_id', 'companies'),
    documentsOf('invoices', 'contact_id', 'contacts'),
    documentsOf('invoices', 'deal_id', 'deals'),
    documentsOf('invoices', 'order_id', 'orders'),
  ],
  constraints: { invoices_owner_fk: { path: 'ownerId', text: recordMessages.owner } },
  exportColumns: [
    'number',
    'status',
    'companyId',
    'contactId',
    'issueDate',
    'dueDate',
    'subtotal',
    'vatTotal',
    'total',
    'paidAmount',
    'balance',
    'ownerId',
  ],
  fuzzyDuplicates: false,
  lineItems: {
    table: invoiceLines,
    // Cost and margin of the lines: seen only by roles that see products' cost price.
    cost: { object: 'products', field: 'costPrice' },
    totals: {
      subtotal: invoices.subtotal,
      discountTotal: invoices.discountTotal,
      vatTotal: invoices.vatTotal,
      total: invoices.total,
      vatLines: invoices.vatLines,
      discountPercent: invoices.discountPercent,
    },
    lockedReason: invoiceLockedReason,
    pdf: {
      title: { vi: 'HOÁ ĐƠN BÁN HÀNG', en: 'SALES INVOICE' },
      dates: [
        { field: 'issueDate', label: { vi: 'Ngày', en: 'Date' } },
        { field: 'dueDate', label: { vi: 'Hạn thanh toán', en: 'Due date' } },
      ],
      termsField: 'terms',
      signatures: [
        { vi: 'Người mua hàng', en: 'Buyer' },
        { vi: 'Người bán hàng', en: 'Seller' },
      ],
      vietQr: { amountField: 'balance' },
    },
  },
  presentation: {
    icon: 'file-dollar',
    order: 29,
    titleField: 'number',
    subtitleFields: ['companyId', 'balance'],
    defaultColumns: [
      'number',
      'companyId',
      'status',
      'total',
      'paidAmount',
      'balance',
      'issueDate',
      'dueDate',
      'ownerId',
    ],
    headerFacts: [
      'status',
      'total',
      'paidAmount',
      'balance',
      'companyId',
      'orderId',
      'issueDate',
      'dueDate',
    ],
    panels: ['lineItems'],
    actions: ['invoiceActions'],
    form: {
      quick: ['companyId', 'contactId', 'dealId', 'subject', 'issueDate', 'paymentTermsDays'],
      more: ['dueDate', 'terms', 'ownerId', 'tags'],
    },
  },
});
