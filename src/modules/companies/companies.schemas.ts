import { customerFigureResponse } from '../selling/figures.js';
import { z } from 'zod';
import { companyTypes } from '../../db/schema/index.js';
import {
  addressesInput,
  customInput,
  emailsInput,
  phonesInput,
  recordBase,
  ref,
  tagsInput,
} from '../records/records.schemas.js';

export const companyWritable = {
  name: z.string().max(200).optional(),
  taxCode: z.string().max(30).nullable().optional(),
  type: z.enum(companyTypes).optional(),
  industry: z.string().max(100).nullable().optional(),
  size: z.string().max(50).nullable().optional(),
  website: z.string().max(500).nullable().optional(),
  phones: phonesInput.optional(),
  emails: emailsInput.optional(),
  addresses: addressesInput.optional(),
  parentId: z.uuid().nullable().optional(),
  /** One of the workspace's active price lists (null: none, the default list applies). */
  priceListId: z.uuid().nullable().optional(),
  /** Days an invoice gives to pay (null: the business profile's). */
  paymentTermsDays: z.number().int().min(0).max(365).nullable().optional(),
  ownerId: z.uuid().nullable().optional(),
  tags: tagsInput.optional(),
  custom: customInput.optional(),
};

export const companyCreateBody = z.strictObject(companyWritable);
export const companyPatchBody = z.strictObject(companyWritable);
export type CompanyInput = z.infer<typeof companyCreateBody>;

export const companyResponse = z.object({
  ...recordBase,
  name: z.string(),
  taxCode: z.string().nullable(),
  type: z.enum(companyTypes),
  industry: z.string().nullable(),
  size: z.string().nullable(),
  website: z.string().nullable(),
  provinceCode: z.string().nullable(),
  wardCode: z.string().nullable(),
  parentId: z.uuid().nullable(),
  parent: ref.nullable(),
  priceListId: z.uuid().nullable(),
  paymentTermsDays: z.number().int().nullable(),
  ...customerFigureResponse,
  contactCount: z.number().int(),
});
export type CompanyResponse = z.infer<typeof companyResponse>;
