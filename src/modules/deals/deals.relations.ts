import { z } from 'zod';
import { cleanText } from '../records/normalize.js';
import { defineRelation } from '../relations/define.js';
import { dealContacts } from './deals.table.js';

/**
 * A deal's contacts, each with their role in it (người quyết định, người dùng, kế toán…); one of
 * them is the primary contact. Offered by the deals declaration: GET/POST /deals/:id/contacts,
 * DELETE /deals/:id/contacts/:contactId and the contacts' panel GET /contacts/:id/deals.
 */
export const dealContactsRelation = defineRelation({
  key: 'deal_contacts',
  table: dealContacts,
  workspaceColumn: dealContacts.workspaceId,
  from: { object: 'deals', column: dealContacts.dealId, segment: 'contacts' },
  to: {
    object: 'contacts',
    column: dealContacts.contactId,
    segment: 'deals',
    idField: 'contactId',
    notFound: {
      vi: 'Không tìm thấy liên hệ này (hoặc đã bị xoá).',
      en: 'This contact does not exist or is in the trash.',
    },
  },
  attributes: {
    role: {
      column: dealContacts.role,
      input: z.string().max(200).nullable(),
      output: z.string().nullable(),
      normalize: (v: string | null) => cleanText(v),
    },
  },
  primary: { field: 'isPrimary', column: dealContacts.isPrimary },
});
