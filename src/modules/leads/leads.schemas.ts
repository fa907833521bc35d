import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import {
  addressesInput,
  customInput,
  emailsInput,
  phonesInput,
  recordBase,
  ref,
  tagsInput,
} from '../records/records.schemas.js';
import { leadGrades, leadStatuses } from './leads.table.js';

const namePart = z.string().max(100).nullable().optional();
const text = (max: number) => z.string().max(max).nullable().optional();

/** Fields of a lead a client may write (create and update). */
export const leadWritable = {
  familyName: namePart,
  middleName: namePart,
  givenName: namePart,
  /** Split into the three parts (Vietnamese order) when they are not given. */
  fullName: z.string().max(200).optional(),
  /** Computed from the parts unless given. */
  displayName: z.string().max(200).nullable().optional(),
  emails: emailsInput.optional(),
  phones: phonesInput.optional(),
  companyName: text(300),
  /** Normalised like a company's (10 digits, a branch's 10-3, a person's 12). */
  taxCode: z.string().max(30).nullable().optional(),
  jobTitle: text(200),
  addresses: addressesInput.optional(),
  /** A key of the workspace's lead sources (checked against its option list). */
  source: z.string().max(64).nullable().optional(),
  campaign: text(300),
  utmSource: text(300),
  utmMedium: text(300),
  utmCampaign: text(300),
  utmTerm: text(300),
  utmContent: text(300),
  referrer: text(2000),
  landingPage: text(2000),
  /** `converted` is refused: only the conversion sets it. */
  status: z.enum(leadStatuses).optional(),
  /** A key of the workspace's disqualification reasons; required with status disqualified. */
  disqualifiedReason: z.string().max(64).nullable().optional(),
  ownerId: z.uuid().nullable().optional(),
  tags: tagsInput.optional(),
  custom: customInput.optional(),
};

export const leadCreateBody = z.strictObject(leadWritable);
export const leadPatchBody = z.strictObject(leadWritable);
export type LeadInput = z.infer<typeof leadCreateBody>;

export const scoreReason = z.object({
  label: z.object({ vi: z.string(), en: z.string() }),
  points: z.number().int(),
});

export const leadResponse = z.object({
  ...recordBase,
  familyName: z.string().nullable(),
  middleName: z.string().nullable(),
  givenName: z.string().nullable(),
  displayName: z.string(),
  primaryEmail: z.string().nullable(),
  primaryPhone: z.string().nullable(),
  companyName: z.string().nullable(),
  taxCode: z.string().nullable(),
  jobTitle: z.string().nullable(),
  provinceCode: z.string().nullable(),
  wardCode: z.string().nullable(),
  source: z.string().nullable(),
  campaign: z.string().nullable(),
  utmSource: z.string().nullable(),
  utmMedium: z.string().nullable(),
  utmCampaign: z.string().nullable(),
  utmTerm: z.string().nullable(),
  utmContent: z.string().nullable(),
  referrer: z.string().nullable(),
  landingPage: z.string().nullable(),
  status: z.enum(leadStatuses),
  disqualifiedReason: z.string().nullable(),
  score: z.number().int(),
  grade: z.enum(leadGrades),
  scoreReasons: z.array(scoreReason),
  convertedAt: isoDate.nullable(),
  convertedContactId: z.uuid().nullable(),
  convertedCompanyId: z.uuid().nullable(),
  convertedDealId: z.uuid().nullable(),
  /** What the lead became, when the caller may see it (the record page's links). */
  convertedContact: ref.nullable(),
  convertedCompany: ref.nullable(),
  convertedDeal: ref.nullable(),
});
export type LeadResponse = z.infer<typeof leadResponse>;
