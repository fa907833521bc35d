import { customerFigureResponse } from '../selling/figures.js';
import { z } from 'zod';
import { genders, salutations } from '../../db/schema/index.js';
import {
  addressesInput,
  customInput,
  emailsInput,
  phonesInput,
  recordBase,
  tagsInput,
} from '../records/records.schemas.js';

const namePart = z.string().max(100).nullable().optional();

const consentEntry = z.strictObject({
  status: z.enum(['opted_in', 'opted_out', 'unknown']),
  at: z.iso.datetime({ offset: true }).nullable().optional(),
  method: z.string().max(100).nullable().optional(),
});

export const consentInput = z.strictObject({
  email: consentEntry.optional(),
  sms: consentEntry.optional(),
  zalo: consentEntry.optional(),
});

/** Fields of a contact a client may write (create and update). */
export const contactWritable = {
  familyName: namePart,
  middleName: namePart,
  givenName: namePart,
  /** Split into the three parts (Vietnamese order) when they are not given. */
  fullName: z.string().max(200).optional(),
  /** Computed from the parts unless given. */
  displayName: z.string().max(200).nullable().optional(),
  salutation: z.enum(salutations).nullable().optional(),
  gender: z.enum(genders).nullable().optional(),
  birthday: z.iso.date().nullable().optional(),
  emails: emailsInput.optional(),
  phones: phonesInput.optional(),
  addresses: addressesInput.optional(),
  source: z.string().max(100).nullable().optional(),
  ownerId: z.uuid().nullable().optional(),
  tags: tagsInput.optional(),
  /** A key of the workspace's lifecycle stages (checked against its option list). */
  lifecycleStage: z.string().max(64).optional(),
  consent: consentInput.optional(),
  /** One of the workspace's active price lists (null: none, the default list applies). */
  priceListId: z.uuid().nullable().optional(),
  /** Days an invoice gives to pay (null: the business profile's). */
  paymentTermsDays: z.number().int().min(0).max(365).nullable().optional(),
  custom: customInput.optional(),
};

export const contactCreateBody = z.strictObject(contactWritable);
export const contactPatchBody = z.strictObject(contactWritable);
export type ContactInput = z.infer<typeof contactCreateBody>;

export const contactCompany = z.object({
  companyId: z.uuid(),
  name: z.string(),
  jobTitle: z.string().nullable(),
  isPrimary: z.boolean(),
});

export const contactResponse = z.object({
  ...recordBase,
  familyName: z.string().nullable(),
  middleName: z.string().nullable(),
  givenName: z.string().nullable(),
  displayName: z.string(),
  salutation: z.enum(salutations).nullable(),
  gender: z.enum(genders).nullable(),
  birthday: z.string().nullable(),
  primaryEmail: z.string().nullable(),
  primaryPhone: z.string().nullable(),
  provinceCode: z.string().nullable(),
  wardCode: z.string().nullable(),
  companies: z.array(contactCompany),
  source: z.string().nullable(),
  lifecycleStage: z.string(),
  priceListId: z.uuid().nullable(),
  paymentTermsDays: z.number().int().nullable(),
  ...customerFigureResponse,
  consent: z.record(
    z.string(),
    z.object({
      status: z.string(),
      at: z.string().nullable(),
      method: z.string().nullable(),
    }),
  ),
});
export type ContactResponse = z.infer<typeof contactResponse>;
