import { contacts } from '../../db/schema/index.js';
import { contactFields } from './contacts.fields.js';
import { contactCreateBody, contactPatchBody, contactResponse } from './contacts.schemas.js';
import { contactKind } from './contacts.service.js';
import { customerRecordDefaults } from '../records/defaults.js';
import { defineRecordObject } from '../records/define.js';
import { messages as priceListMessages } from '../price-lists/price-lists.service.js';
import { emailKey, phoneKey } from '../records/duplicates.js';
import { messages } from '../records/normalize.js';
import { contactCompaniesRelation } from './contacts.relations.js';
import { contactsSearch } from './contacts.search.js';
import { contactsImport } from './contacts.import.js';
import { contactsExport } from './contacts.export.js';

/** Contacts: the people a business sells to (docs/customer-records.md). */
export const contactsObject = defineRecordObject({
  key: 'contacts',
  label: { one: { vi: 'Liên hệ', en: 'Contact' }, many: { vi: 'Liên hệ', en: 'Contacts' } },
  table: contacts,
  columns: {
    id: contacts.id,
    workspaceId: contacts.workspaceId,
    ownerId: contacts.ownerId,
    deletedAt: contacts.deletedAt,
    name: contacts.displayName,
  },
  permissions: { defaults: customerRecordDefaults },
  fields: contactFields,
  schemas: { create: contactCreateBody, patch: contactPatchBody, response: contactResponse },
  kind: contactKind,
  search: contactsSearch,
  constraints: {
    contacts_owner_fk: { path: 'ownerId', text: messages.owner },
    contacts_price_list_fk: { path: 'priceListId', text: priceListMessages.listNotFound },
  },
  exportColumns: [
    'displayName',
    'primaryPhone',
    'primaryEmail',
    'companies',
    'addresses',
    'provinceCode',
    'lifecycleStage',
    'source',
    'priceListId',
    'ownerId',
    'tags',
    'createdAt',
  ],
  export: contactsExport,
  import: contactsImport,
  duplicateKeys: [phoneKey('phones', contacts.phones), emailKey('emails', contacts.emails)],
  // Alike names count only with the same company (names like Nguyễn Văn An are common).
  fuzzyDuplicates: { sameLink: 'contact_companies' },
  relations: [contactCompaniesRelation],
  // Notes, files and activities (tasks, calls, meetings) move the customer's last activity.
  activity: { column: 'last_activity_at' },
  presentation: {
    icon: 'users',
    order: 10,
    titleField: 'displayName',
    subtitleFields: ['primaryPhone', 'companies'],
    defaultColumns: [
      'displayName',
      'primaryPhone',
      'primaryEmail',
      'companies',
      'lifecycleStage',
      'ownerId',
      'provinceCode',
      'tags',
      'updatedAt',
    ],
    kanbanField: 'lifecycleStage',
    headerFacts: ['primaryPhone', 'primaryEmail', 'companies', 'lifecycleStage', 'ownerId'],
    form: {
      quick: ['fullName', 'phones', 'emails', 'companies', 'ownerId'],
      more: [
        'salutation',
        'gender',
        'birthday',
        'lifecycleStage',
        'addresses',
        'source',
        'priceListId',
        'tags',
      ],
      // One "Họ và tên" box split into family / middle / given name; the employer is linked
      // (contact_companies) once the contact exists.
      inputs: {
        fullName: 'personName',
        phones: 'phones',
        emails: 'emails',
        addresses: 'address',
        companies: 'employer',
      },
      defaults: { lifecycleStage: 'lead' },
    },
    panels: ['contactCompanies'],
  },
});
