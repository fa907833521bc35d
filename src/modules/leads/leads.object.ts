import { sql } from 'drizzle-orm';
import { defineRecordObject } from '../records/define.js';
import { emailKey, phoneKey } from '../records/duplicates.js';
import { messages } from '../records/normalize.js';
import { leadFields } from './leads.fields.js';
import { leadsImport } from './leads.import.js';
import { leadCreateBody, leadPatchBody, leadResponse } from './leads.schemas.js';
import { leadsSearch } from './leads.search.js';
import { leadKind } from './leads.service.js';
import { leads } from './leads.table.js';
import { deleteEventsOf } from '../scoring/scoring.repository.js';
import { convertedInto } from './leads.convert.js';
import { refuseConvertedMerge } from './leads.repository.js';

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
 * Leads: unqualified inbound interest from every source (forms, ads, Zalo, events, calls,
 * imports), scored by the workspace's rules (src/modules/scoring) and later converted into a
 * contact, company and deal. Sales reps work their own leads; marketing, which brings them in,
 * and managers see all of them.
 */
export const leadsObject = defineRecordObject({
  key: 'leads',
  label: {
    one: { vi: 'Khách hàng tiềm năng', en: 'Lead' },
    many: { vi: 'Khách hàng tiềm năng', en: 'Leads' },
  },
  table: leads,
  columns: {
    id: leads.id,
    workspaceId: leads.workspaceId,
    ownerId: leads.ownerId,
    deletedAt: leads.deletedAt,
    name: leads.displayName,
  },
  permissions: {
    defaults: {
      manager: all,
      marketing: all,
      sales: { read: true, create: true, update: true, delete: true, export: true, scope: 'own' },
      support: { read: true, scope: 'all' },
      viewer: { read: true, scope: 'all' },
    },
  },
  fields: leadFields,
  schemas: { create: leadCreateBody, patch: leadPatchBody, response: leadResponse },
  kind: leadKind,
  search: leadsSearch,
  // What a lead became shows its history: the contact's, company's and deal's timelines carry
  // the lead's events (created, changes, the conversion itself).
  timelineRelations: [
    { object: 'contacts', relatedObject: 'leads', load: convertedInto('contact') },
    { object: 'companies', relatedObject: 'leads', load: convertedInto('company') },
    { object: 'deals', relatedObject: 'leads', load: convertedInto('deal') },
  ],
  // A converted lead is read-only: its update refuses (leads.service.ts), and so does a merge.
  beforeMerge: refuseConvertedMerge,
  // Score events have no foreign key to the leads they count for.
  purge: (tx, _object, ids) => deleteEventsOf(tx, 'leads', ids),
  constraints: { leads_owner_fk: { path: 'ownerId', text: messages.owner } },
  exportColumns: [
    'displayName',
    'primaryPhone',
    'primaryEmail',
    'companyName',
    'taxCode',
    'jobTitle',
    'provinceCode',
    'source',
    'campaign',
    'utmSource',
    'utmMedium',
    'utmCampaign',
    'utmTerm',
    'utmContent',
    'referrer',
    'landingPage',
    'status',
    'disqualifiedReason',
    'score',
    'grade',
    'ownerId',
    'tags',
    'createdAt',
  ],
  import: leadsImport,
  duplicateKeys: [phoneKey('phones', leads.phones), emailKey('emails', leads.emails)],
  // Alike names alone are no evidence (Vietnamese names repeat): pairs come from phones and emails.
  fuzzyDuplicates: false,
  // Assignment rules (Settings → Phân công tự động) place new leads created without an owner;
  // open work for "fewest open" = not converted, not disqualified.
  assignment: { open: sql`r.status NOT IN ('converted', 'disqualified')` },
  presentation: {
    icon: 'target',
    order: 25,
    titleField: 'displayName',
    subtitleFields: ['companyName', 'primaryPhone'],
    defaultColumns: [
      'displayName',
      'companyName',
      'primaryPhone',
      'primaryEmail',
      'source',
      'status',
      'score',
      'grade',
      'ownerId',
      'createdAt',
    ],
    kanbanField: 'status',
    headerFacts: [
      'status',
      'score',
      'grade',
      'source',
      'primaryPhone',
      'primaryEmail',
      'companyName',
      'ownerId',
    ],
    form: {
      quick: ['fullName', 'phones', 'emails', 'companyName', 'source', 'status', 'ownerId'],
      more: [
        'jobTitle',
        'taxCode',
        'addresses',
        'disqualifiedReason',
        'campaign',
        'utmSource',
        'utmMedium',
        'utmCampaign',
        'utmTerm',
        'utmContent',
        'referrer',
        'landingPage',
        'tags',
      ],
      inputs: {
        fullName: 'personName',
        phones: 'phones',
        emails: 'emails',
        addresses: 'address',
        // A new lead starts on "Tự động phân công": no owner sent, the assignment rules decide.
        ownerId: 'assignableOwner',
      },
      defaults: { status: 'new' },
    },
    panels: ['leadScore'],
    // "Chuyển đổi" in the header; a converted lead's page links to what it became, without Edit.
    actions: ['convertLead'],
    banners: ['leadConverted'],
    readOnlyWhen: { field: 'status', value: 'converted' },
  },
});
