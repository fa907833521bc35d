import { z } from 'zod';
import { contactCompanies } from '../../db/schema/index.js';
import { cleanText, messages } from '../records/normalize.js';
import { defineRelation } from '../relations/define.js';

/**
 * A contact works at companies, with a job title; one of them is their primary company.
 * Offered by the contacts declaration: GET/POST /contacts/:id/companies,
 * DELETE /contacts/:id/companies/:companyId and the companies' panel GET /companies/:id/contacts.
 */
export const contactCompaniesRelation = defineRelation({
  key: 'contact_companies',
  table: contactCompanies,
  workspaceColumn: contactCompanies.workspaceId,
  from: { object: 'contacts', column: contactCompanies.contactId, segment: 'companies' },
  to: {
    object: 'companies',
    column: contactCompanies.companyId,
    segment: 'contacts',
    idField: 'companyId',
    notFound: messages.companyNotFound,
  },
  attributes: {
    jobTitle: {
      column: contactCompanies.jobTitle,
      input: z.string().max(200).nullable(),
      output: z.string().nullable(),
      normalize: (v: string | null) => cleanText(v),
    },
  },
  primary: { field: 'isPrimary', column: contactCompanies.isPrimary },
});
