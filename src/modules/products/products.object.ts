import { defineRecordObject } from '../records/define.js';
import { productsImport } from './products.import.js';
import { codeKey } from '../records/duplicates.js';
import { productFields } from './products.fields.js';
import { productCreateBody, productPatchBody, productResponse } from './products.schemas.js';
import { messages } from './products.service.js';
import { productKind } from './products.service.js';
import { productsSearch } from './products.search.js';
import { products } from './products.table.js';

const everyone = { read: true, export: true, scope: 'all' } as const;

/**
 * The product catalogue that deals, quotes and orders use. Everyone reads it; managers (and
 * admins) keep it.
 */
export const productsObject = defineRecordObject({
  key: 'products',
  label: { one: { vi: 'Sản phẩm', en: 'Product' }, many: { vi: 'Sản phẩm', en: 'Products' } },
  table: products,
  columns: {
    id: products.id,
    workspaceId: products.workspaceId,
    ownerId: products.ownerId,
    deletedAt: products.deletedAt,
    name: products.name,
  },
  permissions: {
    defaults: {
      manager: {
        read: true,
        create: true,
        update: true,
        delete: true,
        export: true,
        import: true,
        scope: 'all',
      },
      sales: everyone,
      marketing: everyone,
      support: { read: true, scope: 'all' },
      viewer: { read: true, scope: 'all' },
    },
  },
  fields: productFields,
  schemas: { create: productCreateBody, patch: productPatchBody, response: productResponse },
  kind: productKind,
  search: productsSearch,
  constraints: { products_sku_key: { path: 'sku', text: messages.skuTakenRace } },
  duplicateKeys: [codeKey('sku', products.sku)],
  exportColumns: [
    'sku',
    'name',
    'unit',
    'unitPrice',
    'costPrice',
    'vatRate',
    'category',
    'active',
    'reorderLevel',
    'allowBackorder',
    'description',
    'tags',
    'createdAt',
  ],
  import: productsImport,
  presentation: {
    icon: 'package',
    order: 30,
    titleField: 'name',
    subtitleFields: ['sku', 'unitPrice'],
    defaultColumns: [
      'name',
      'sku',
      'unit',
      'unitPrice',
      'vatRate',
      'category',
      'active',
      'updatedAt',
    ],
    headerFacts: ['sku', 'unitPrice', 'unit', 'vatRate', 'category', 'active'],
    form: {
      quick: ['name', 'sku', 'unit', 'unitPrice', 'costPrice', 'vatRate', 'category'],
      more: ['description', 'active', 'reorderLevel', 'allowBackorder', 'tags'],
      defaults: { unit: 'cái', vatRate: '10', active: true, allowBackorder: false },
    },
  },
});
