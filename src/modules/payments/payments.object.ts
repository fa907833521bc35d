import { sql } from 'drizzle-orm';
import { defineRecordObject } from '../records/define.js';
import { messages as recordMessages } from '../records/normalize.js';
import { documentsOf } from '../selling/documents.js';
import { documentSearch } from '../selling/search.js';
import { paymentFields } from './payments.fields.js';
import { paymentCreateBody, paymentPatchBody, paymentResponse } from './payments.schemas.js';
import { paymentKind } from './payments.service.js';
import { payments } from './payments.table.js';

/**
 * Payments (phiếu thu): cash, transfer or card from a customer, allocated to its invoices; the
 * rest is its credit, applied later. Recorded once, never edited: reversed with a reason.
 */
export const paymentsObject = defineRecordObject({
  key: 'payments',
  label: { one: { vi: 'Phiếu thu', en: 'Payment' }, many: { vi: 'Phiếu thu', en: 'Payments' } },
  table: payments,
  columns: {
    id: payments.id,
    workspaceId: payments.workspaceId,
    ownerId: payments.ownerId,
    deletedAt: payments.deletedAt,
    name: payments.number,
  },
  permissions: {
    // create: record a payment; approve: reverse one. Never deleted.
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
      sales: { read: true, create: true, update: true, scope: 'own' },
      support: { read: true, scope: 'all' },
      viewer: { read: true, scope: 'all' },
    },
  },
  fields: paymentFields,
  schemas: { create: paymentCreateBody, patch: paymentPatchBody, response: paymentResponse },
  kind: paymentKind,
  search: documentSearch('payments', 'reference'),
  timelineRelations: [
    documentsOf('payments', 'company_id', 'companies'),
    documentsOf('payments', 'contact_id', 'contacts'),
    // An invoice's payments: those allocated to it (reversed allocations too: its history).
    documentsOf(
      'payments',
      (id) =>
        sql`d.id IN (SELECT a.payment_id FROM payment_allocations a WHERE a.invoice_id = ${id})`,
      'invoices',
    ),
  ],
  constraints: { payments_owner_fk: { path: 'ownerId', text: recordMessages.owner } },
  exportColumns: [
    'number',
    'status',
    'paymentDate',
    'method',
    'amount',
    'allocatedAmount',
    'creditAmount',
    'companyId',
    'contactId',
    'reference',
    'ownerId',
  ],
  fuzzyDuplicates: false,
  presentation: {
    icon: 'cash',
    order: 31,
    titleField: 'number',
    subtitleFields: ['companyId', 'amount'],
    defaultColumns: [
      'number',
      'paymentDate',
      'companyId',
      'contactId',
      'method',
      'amount',
      'allocatedAmount',
      'creditAmount',
      'status',
    ],
    headerFacts: [
      'status',
      'amount',
      'allocatedAmount',
      'creditAmount',
      'method',
      'paymentDate',
      'companyId',
      'contactId',
    ],
    actions: ['paymentActions'],
    form: {
      quick: ['companyId', 'contactId', 'amount', 'method', 'paymentDate', 'reference'],
      more: ['note', 'ownerId', 'tags'],
      defaults: { method: 'bank_transfer' },
    },
  },
});
