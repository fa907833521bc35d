import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';
import { afterSubmitKinds, submissionOutcomes } from './lead-forms.table.js';

const both = (max: number) =>
  z.strictObject({ vi: z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max) });
const bothOut = z.object({ vi: z.string(), en: z.string() });

export const formFieldInput = z.strictObject({
  /** A lead field (fullName, email, phone…) or `custom.<key>`: GET /lead-forms/fields. */
  key: z.string().min(1).max(100),
  label: both(200),
  required: z.boolean().default(false),
});

/** Limits per minute: submissions from one client IP, and for the whole form. */
const ratePerIp = z.number().int().min(1).max(1_000_000);
const ratePerForm = z.number().int().min(1).max(1_000_000);

const formWritable = {
  name: z.string().trim().min(1).max(200),
  /** The questions in order (at most 30, each field once). */
  fields: z.array(formFieldInput).min(1).max(30),
  submitLabel: both(100),
  afterSubmit: z.enum(afterSubmitKinds),
  thankYou: both(2000),
  /** Where the person goes after submitting (afterSubmit redirect): an http(s) URL. */
  redirectUrl: z.string().trim().max(2000).nullable(),
  /** The lead's source: a key of the workspace's lead sources (default website). */
  source: z.string().max(64),
  campaign: z.string().trim().max(300).nullable(),
  active: z.boolean(),
  ratePerIp,
  ratePerForm,
};

export const formCreateBody = z.strictObject({
  ...formWritable,
  submitLabel: formWritable.submitLabel.optional(),
  afterSubmit: formWritable.afterSubmit.optional(),
  thankYou: formWritable.thankYou.optional(),
  redirectUrl: formWritable.redirectUrl.optional(),
  source: formWritable.source.optional(),
  campaign: formWritable.campaign.optional(),
  active: formWritable.active.optional(),
  ratePerIp: ratePerIp.optional(),
  ratePerForm: ratePerForm.optional(),
});
export type FormCreateInput = z.infer<typeof formCreateBody>;
export const formPatchBody = formCreateBody.partial();
export type FormPatchInput = z.infer<typeof formPatchBody>;

export const formParams = z.object({ id: z.uuid() });

export const formFieldView = z.object({
  key: z.string(),
  label: bothOut,
  required: z.boolean(),
});

export const formView = z.object({
  id: z.uuid(),
  name: z.string(),
  fields: z.array(formFieldView),
  submitLabel: bothOut,
  afterSubmit: z.enum(afterSubmitKinds),
  thankYou: bothOut,
  redirectUrl: z.string().nullable(),
  source: z.string(),
  campaign: z.string().nullable(),
  active: z.boolean(),
  publicKey: z.string(),
  ratePerIp: z.number().int(),
  ratePerForm: z.number().int(),
  submissions: z.number().int(),
  lastSubmittedAt: isoDate.nullable(),
  /** The hosted page (open it, link to it). */
  hostedUrl: z.string(),
  /** A plain HTML form posting to the public endpoint, for any website. */
  snippet: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type FormView = z.infer<typeof formView>;
export const formList = z.object({ items: z.array(formView) });

export const formableFieldView = z.object({
  key: z.string(),
  label: bothOut,
  input: z.enum([
    'text',
    'textarea',
    'email',
    'tel',
    'number',
    'date',
    'url',
    'checkbox',
    'select',
    'multiselect',
  ]),
  custom: z.boolean(),
});
export const formableFieldList = z.object({ items: z.array(formableFieldView) });

export const submissionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  /** The last submission id of the previous page. */
  cursor: z.uuid().optional(),
});

export const submissionView = z.object({
  id: z.uuid(),
  submittedAt: isoDate,
  outcome: z.enum(submissionOutcomes),
  recordType: z.string().nullable(),
  recordId: z.uuid().nullable(),
  /** The record's name now (null: gone, or not visible to the caller). */
  recordName: z.string().nullable(),
  values: z.array(z.object({ key: z.string(), label: bothOut, value: z.string() })),
  utmSource: z.string().nullable(),
  utmMedium: z.string().nullable(),
  utmCampaign: z.string().nullable(),
  utmTerm: z.string().nullable(),
  utmContent: z.string().nullable(),
  referrer: z.string().nullable(),
  landingPage: z.string().nullable(),
});
export const submissionList = z.object({
  items: z.array(submissionView),
  nextCursor: z.uuid().nullable(),
});

// --- the public endpoint ---------------------------------------------------------------------

export const publicParams = z.object({ key: z.string().min(1).max(100) });

/**
 * A submission: the form's questions by key, the tracking fields (utm_source … utm_content,
 * referrer, landing_page), the honeypot `website` (must stay empty) and `_lang`; as JSON or
 * application/x-www-form-urlencoded. Which keys are allowed depends on the form: an unknown one
 * is a 400 naming it.
 */
export const submissionBody = z.record(
  z.string().max(200),
  z.union([z.string(), z.boolean(), z.number(), z.array(z.string()).max(100)]),
);

export const submissionAnswer = z.object({
  status: z.literal('received'),
  /** The form's thank-you text (null when it redirects). */
  message: z.string().nullable(),
  redirectUrl: z.string().nullable(),
});
