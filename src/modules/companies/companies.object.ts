import { sql } from 'drizzle-orm';
import { companiesImport } from './companies.import.js';
import { can } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import { companies } from '../../db/schema/index.js';
import { queryRows, uuidArray } from '../../db/sql.js';
import { companyFields } from './companies.fields.js';
import { companyCreateBody, companyPatchBody, companyResponse } from './companies.schemas.js';
import { companyKind } from './companies.service.js';
import { customerRecordDefaults } from '../records/defaults.js';
import { defineRecordObject } from '../records/define.js';
import { messages as priceListMessages } from '../price-lists/price-lists.service.js';
import { emailKey, phoneKey, taxCodeKey } from '../records/duplicates.js';
import { messages } from '../records/normalize.js';
import { companiesSearch } from './companies.search.js';

/** Companies: the organisations a business sells to (docs/customer-records.md). */
export const companiesObject = defineRecordObject({
  key: 'companies',
  label: { one: { vi: 'Công ty', en: 'Company' }, many: { vi: 'Công ty', en: 'Companies' } },
  table: companies,
  columns: {
    id: companies.id,
    workspaceId: companies.workspaceId,
    ownerId: companies.ownerId,
    deletedAt: companies.deletedAt,
    name: companies.name,
  },
  permissions: { defaults: customerRecordDefaults },
  fields: companyFields,
  schemas: { create: companyCreateBody, patch: companyPatchBody, response: companyResponse },
  kind: companyKind,
  search: companiesSearch,
  // A company's timeline shows its contacts' events (those the caller may see).
  timelineRelations: [
    {
      relatedObject: 'contacts',
      async load(tx, actor, companyId) {
        if (!can(actor, 'contacts', 'read')) return [];
        const scope = scopeCondition(actor, 'contacts', sql`c.owner_id`);
        return queryRows<{ id: string; name: string }>(
          tx,
          sql`SELECT c.id, c.display_name AS name
                FROM contact_companies cc JOIN contacts c ON c.id = cc.contact_id
               WHERE cc.company_id = ${companyId} AND c.deleted_at IS NULL${
                 scope ? sql` AND ${scope}` : sql``
               }`,
        );
      },
    },
  ],
  // A company's parent may be purged before the company: the subsidiary loses its parent.
  purge: async (tx, _object, ids) => {
    await tx.execute(
      sql`UPDATE companies SET parent_id = NULL WHERE parent_id = ANY(${uuidArray(ids)})`,
    );
  },
  constraints: {
    companies_owner_fk: { path: 'ownerId', text: messages.owner },
    companies_parent_fk: { path: 'parentId', text: messages.parentNotFound },
    companies_parent_not_self: { path: 'parentId', text: messages.parentCycle },
    companies_price_list_fk: { path: 'priceListId', text: priceListMessages.listNotFound },
  },
  // A merge re-points the subsidiaries of the merged companies to the survivor.
  mergeRefs: [{ table: companies, column: companies.parentId }],
  duplicateKeys: [
    taxCodeKey('taxCode', companies.taxCode),
    phoneKey('phones', companies.phones),
    emailKey('emails', companies.emails),
  ],
  exportColumns: [
    'name',
    'taxCode',
    'type',
    'industry',
    'phones',
    'emails',
    'website',
    'addresses',
    'provinceCode',
    'priceListId',
    'ownerId',
    'tags',
    'contactCount',
    'createdAt',
  ],
  import: companiesImport,
  // Notes, files and activities (tasks, calls, meetings) move the customer's last activity.
  activity: { column: 'last_activity_at' },
  presentation: {
    icon: 'building',
    order: 20,
    titleField: 'name',
    subtitleFields: ['taxCode', 'provinceCode'],
    defaultColumns: [
      'name',
      'taxCode',
      'type',
      'primaryPhone',
      'industry',
      'ownerId',
      'provinceCode',
      'contactCount',
      'tags',
      'updatedAt',
    ],
    kanbanField: 'type',
    headerFacts: ['taxCode', 'type', 'industry', 'website', 'ownerId'],
    form: {
      quick: ['name', 'taxCode', 'type', 'industry', 'phones', 'emails', 'ownerId'],
      more: ['size', 'parentId', 'website', 'addresses', 'priceListId', 'tags'],
      inputs: { phones: 'phones', emails: 'emails', addresses: 'address' },
      defaults: { type: 'prospect' },
    },
    panels: ['companyContacts'],
  },
});
