import { z } from 'zod';

/**
 * The conversion of a lead (POST /leads/:id/convert): what the person chose in the dialog. Each
 * part says whether it creates a record, uses an existing one or (company, deal) none.
 */
export const convertBody = z.strictObject({
  /** Default: a new contact from the lead's name, phones, emails, addresses and source. */
  contact: z
    .strictObject({
      mode: z.enum(['new', 'existing']),
      /** The existing contact (mode existing). */
      id: z.uuid().optional(),
      /**
       * Create the new contact although a contact already has one of the lead's emails or
       * phones (otherwise 409 DUPLICATE_FOUND with the matches, as HubSpot warns).
       */
      allowDuplicate: z.boolean().optional(),
    })
    .optional(),
  /** Default: a new company when the lead names one, else none. */
  company: z
    .strictObject({
      mode: z.enum(['none', 'new', 'existing']),
      id: z.uuid().optional(),
      /** The new company's name (default: the lead's company name). */
      name: z.string().max(200).optional(),
      /** Create it although a company already has the lead's tax code. */
      allowDuplicate: z.boolean().optional(),
    })
    .optional(),
  /** Default: no deal. */
  deal: z
    .strictObject({
      create: z.boolean(),
      /** Default: "<company or person> – <today>". */
      name: z.string().max(300).optional(),
      amount: z.number().int().min(0).max(1e15).optional(),
      /** Default: the deals' defaults (the first pipeline, its first stage). */
      pipelineId: z.uuid().optional(),
      stageId: z.uuid().optional(),
      expectedCloseDate: z.iso.date().nullable().optional(),
      /** Default: the lead's owner. */
      ownerId: z.uuid().nullable().optional(),
      /** The contact's role in the deal (người quyết định, kế toán…). */
      role: z.string().max(200).nullable().optional(),
    })
    .optional(),
});
export type ConvertInput = z.infer<typeof convertBody>;

const made = z.object({
  id: z.uuid(),
  name: z.string(),
  /** Created by this conversion (false: an existing record was used). */
  created: z.boolean(),
});

export const convertResponse = z.object({
  leadId: z.uuid(),
  contact: made,
  company: made.nullable(),
  deal: made.nullable(),
  /** Notes and attachments moved from the lead to the contact. */
  moved: z.object({ notes: z.number().int(), attachments: z.number().int() }),
});
export type ConvertResult = z.infer<typeof convertResponse>;

const matchedContact = z.object({
  id: z.uuid(),
  name: z.string(),
  primaryEmail: z.string().nullable(),
  primaryPhone: z.string().nullable(),
  /** The lead's values it holds: `email`, `phone`. */
  matchedOn: z.array(z.enum(['email', 'phone'])),
});

const matchedCompany = z.object({
  id: z.uuid(),
  name: z.string(),
  taxCode: z.string().nullable(),
  /** `taxCode`: the same company; `name`: the same name only (a weaker suggestion). */
  matchedOn: z.enum(['taxCode', 'name']),
});

/** GET /leads/:id/convert/preview: what the conversion dialog proposes. */
export const convertPreviewResponse = z.object({
  /** Contacts holding one of the lead's emails or phones (those the caller may see). */
  contacts: z.array(matchedContact),
  /** Some contact the caller may not see holds one of them too (never which). */
  contactsOutsideScope: z.boolean(),
  /** Companies with the lead's tax code, then those with exactly its company name. */
  companies: z.array(matchedCompany),
  companiesOutsideScope: z.boolean(),
  /** The dialog's starting values. */
  defaults: z.object({
    companyName: z.string().nullable(),
    dealName: z.string(),
    ownerId: z.uuid().nullable(),
  }),
});
export type ConvertPreview = z.infer<typeof convertPreviewResponse>;
