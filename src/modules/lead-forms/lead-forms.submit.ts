import type { AppContext } from '../../core/context.js';
import { AppError, type LocalisedText, type Locale } from '../../core/errors.js';
import type { Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { normalizeEmail } from '../../lib/vn/email.js';
import { normalizePhone } from '../../lib/vn/phone.js';
import { loadCustomFields } from '../custom-fields/values.js';
import * as leadsRepo from '../leads/leads.repository.js';
import type { LeadInput } from '../leads/leads.schemas.js';
import type { LeadRow } from '../leads/leads.table.js';
import { leadKind } from '../leads/leads.service.js';
import { FieldErrors } from '../records/normalize.js';
import { recordScoreEvent, withEventOnCreate } from '../scoring/scoring.events.js';
import {
  answerText,
  HONEYPOT,
  LANGUAGE_FIELD,
  leadInputOf,
  questionOf,
  trackingFields,
  trackingMax,
  type Answer,
  type FormableField,
  type TrackingKey,
} from './lead-forms.fields.js';
import * as repo from './lead-forms.repository.js';
import { catalogueOf } from './lead-forms.service.js';
import type { SubmissionOutcome, SubmittedValue } from './lead-forms.table.js';

/**
 * The public side of lead capture forms: a submission to a form's public key (the hosted page
 * /f/:key or POST /api/v1/public/forms/:key/submissions from the embed snippet or any client).
 *
 * 1. The form by its key (as sen_system: no workspace yet); unknown or turned off → 404.
 * 2. The rate limits, counted in the database (form_rate_windows: one fixed window a minute, one
 *    counter per form and one per form and client IP) in the same call as the form's lookup,
 *    committed on their own, so they hold across app nodes; past either → RATE_LIMITED (429,
 *    Retry-After), nothing stored.
 * 3. The answers: unknown fields, too long values, choices not offered → 400 naming them. A
 *    filled honeypot → stored as spam, answered as a success, nothing created.
 * 4. Required answers → 400. Then, as the form (a system actor of the workspace, channel
 *    `form`, audited as "Biểu mẫu <name>"): a live contact with the same email or phone gets the
 *    submission on its timeline and no lead; else an open lead (not converted nor disqualified)
 *    with the same email or phone gets it, a form_submitted score event and its empty fields
 *    filled; else a new lead through the leads' writer (normalisation, option lists, scoring,
 *    assignment rules) with its form_submitted event. Every stored submission names its outcome.
 */

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  /** The Referer header: the page the form was on (the landing page when none was sent). */
  referer: string | null;
  /** The Accept-Language header's language, when the submission does not say (`_lang`). */
  locale: Locale | null;
}

export interface SubmitResult {
  form: repo.PublicForm;
  locale: Locale;
  outcome: SubmissionOutcome;
  recordId: string | null;
}

const WINDOW_SECONDS = 60;

const messages = {
  unknown: { vi: 'Biểu mẫu không có trường này.', en: 'The form has no such field.' },
  tooLong: (max: number): LocalisedText => ({
    vi: `Tối đa ${max.toLocaleString('vi-VN')} ký tự.`,
    en: `At most ${max.toLocaleString('en-US')} characters.`,
  }),
  required: { vi: 'Vui lòng nhập thông tin này.', en: 'Please fill this in.' },
  choice: { vi: 'Lựa chọn này không có trong danh sách.', en: 'This choice is not offered.' },
  notText: { vi: 'Giá trị phải là văn bản.', en: 'The value must be text.' },
  rateLimited: {
    vi: 'Bạn đã gửi quá nhiều lần trong một phút. Vui lòng thử lại sau ít phút.',
    en: 'Too many submissions in a minute. Please try again in a little while.',
  },
} satisfies Record<string, LocalisedText | ((n: number) => LocalisedText)>;

export const rateLimitedText = messages.rateLimited;

/** The form, acting: it may create and update leads and read contacts, nothing else. */
export function formActor(form: repo.PublicForm, requestId: string | null): Actor {
  const rights = { read: true, create: true, update: true, scope: 'all' } as const;
  return {
    type: 'system',
    userId: null,
    apiKeyId: null,
    name: `Biểu mẫu ${form.name}`,
    workspaceId: form.workspaceId,
    role: {
      key: null,
      isAdmin: false,
      permissions: {
        leads: { ...rights, delete: false, export: false, import: false, approve: false },
        contacts: {
          read: true,
          create: false,
          update: false,
          delete: false,
          export: false,
          import: false,
          approve: false,
          scope: 'all',
        },
      },
    },
    teamMateIds: [],
    keyScopes: null,
    channel: 'form',
    requestId,
  };
}

/** The form of a public key, if it takes submissions. */
export async function activeForm(ctx: AppContext, key: string): Promise<repo.PublicForm> {
  const form = await ctx.db.system((tx) => repo.formByKey(tx, key));
  if (!form || !form.active) throw new AppError('NOT_FOUND');
  return form;
}

/** The questions the form asks, with the workspace's custom fields (as the form's actor). */
export async function questionsOf(
  ctx: AppContext,
  form: repo.PublicForm,
): Promise<Map<string, FormableField>> {
  const usesCustom = form.fields.some((f) => f.key.startsWith('custom.'));
  const custom = usesCustom
    ? await ctx.db.read(formActor(form, null), (tx) => loadCustomFields(tx, 'leads'))
    : [];
  return catalogueOf(custom);
}

export function pageLocale(form: repo.PublicForm, asked: unknown): Locale {
  if (asked === 'vi' || asked === 'en') return asked;
  return form.workspaceLocale === 'en' ? 'en' : 'vi';
}

/**
 * The form of a public key, with this submission counted: one call (repo.countedFormByKey);
 * throws NOT_FOUND for an unknown or inactive form and RATE_LIMITED past the form's or the
 * IP's limit this minute.
 */
async function countedForm(
  ctx: AppContext,
  key: string,
  ip: string | null,
): Promise<repo.PublicForm> {
  const now = Date.now();
  const start = new Date(Math.floor(now / (WINDOW_SECONDS * 1000)) * WINDOW_SECONDS * 1000);
  const counted = await repo.countedFormByKey(ctx.db, key, ip ?? 'unknown', start);
  if (!counted || !counted.form.active) throw new AppError('NOT_FOUND');
  const { form, hits } = counted;
  if (hits.ip > form.ratePerIp || hits.form > form.ratePerForm) {
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil((start.getTime() + WINDOW_SECONDS * 1000 - now) / 1000),
    );
    throw new AppError('RATE_LIMITED', {
      text: messages.rateLimited,
      details: { retryAfterSeconds },
    });
  }
  return form;
}

interface Parsed {
  answers: Map<string, Answer>;
  tracking: Partial<Record<TrackingKey, string>>;
  spam: boolean;
  locale: unknown;
}

const asText = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;

/** The body's answers checked against the form's questions: unknown, too long, not offered. */
function parse(
  form: repo.PublicForm,
  questions: Map<string, FormableField>,
  body: Record<string, unknown>,
  errors: FieldErrors,
): Parsed {
  const asked = new Map(form.fields.map((f) => [f.key, questions.get(f.key)]));
  const out: Parsed = { answers: new Map(), tracking: {}, spam: false, locale: undefined };
  for (const [key, raw] of Object.entries(body)) {
    if (key === HONEYPOT) {
      out.spam = (asText(raw) ?? 'x').trim() !== '';
      continue;
    }
    if (key === LANGUAGE_FIELD) {
      out.locale = raw;
      continue;
    }
    if (key in trackingFields) {
      const t = key as TrackingKey;
      const v = asText(raw);
      if (v === null) errors.add(key, messages.notText, 'invalid_type');
      else if (v.length > trackingMax[t])
        errors.add(key, messages.tooLong(trackingMax[t]), 'too_long');
      else if (v.trim() !== '') out.tracking[t] = v.trim();
      continue;
    }
    const field = asked.get(key);
    if (!field) {
      // A question whose custom field was deleted since: an old page may still send it.
      if (!asked.has(key)) errors.add(key, messages.unknown, 'unknown');
      continue;
    }
    const list = Array.isArray(raw) ? raw : [raw];
    const values = list.map(asText);
    if (values.some((v) => v === null) || (Array.isArray(raw) && field.input !== 'multiselect')) {
      errors.add(key, messages.notText, 'invalid_type');
      continue;
    }
    const texts = values as string[];
    if (texts.some((v) => v.length > field.maxLength)) {
      errors.add(key, messages.tooLong(field.maxLength), 'too_long');
      continue;
    }
    if (field.options && texts.some((v) => v !== '' && !field.options!.some((o) => o.key === v))) {
      errors.add(key, messages.choice, 'invalid_choice');
      continue;
    }
    out.answers.set(key, field.input === 'multiselect' ? texts : (texts[0] ?? ''));
  }
  return out;
}

const isEmpty = (a: Answer | undefined) =>
  a === undefined || (Array.isArray(a) ? a.length === 0 : a.trim() === '');

/** The answers in words, in the form's order (the timeline and the submissions list show them). */
function valuesInWords(
  form: repo.PublicForm,
  questions: Map<string, FormableField>,
  answers: Map<string, Answer>,
): SubmittedValue[] {
  const out: SubmittedValue[] = [];
  for (const f of form.fields) {
    const answer = answers.get(f.key);
    const field = questions.get(f.key);
    if (!field || isEmpty(answer)) continue;
    out.push({ key: f.key, label: f.label, value: answerText(field, answer!, 'vi') });
  }
  return out;
}

/** A field error of the lead's write, named after the form's question it came from. */
function asQuestionErrors(err: unknown): never {
  if (err instanceof AppError && err.code === 'VALIDATION_FAILED' && err.details?.fields) {
    throw new AppError('VALIDATION_FAILED', {
      details: {
        ...err.details,
        fields: err.details.fields.map((f) => ({ ...f, path: questionOf(f.path) })),
      },
    });
  }
  throw err;
}

/** The lead's fields still empty that the submission can fill (an open lead that submits again). */
function fillEmpty(lead: LeadRow, input: LeadInput): LeadInput {
  const patch: LeadInput = {};
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  if (input.emails && lead.emails.length === 0) patch.emails = input.emails;
  if (input.phones && lead.phones.length === 0) patch.phones = input.phones;
  if (input.addresses && lead.addresses.length === 0) patch.addresses = input.addresses;
  for (const k of [
    'companyName',
    'jobTitle',
    'taxCode',
    'campaign',
    'utmSource',
    'utmMedium',
    'utmCampaign',
    'utmTerm',
    'utmContent',
    'referrer',
    'landingPage',
  ] as const) {
    if (input[k] && empty(lead[k])) patch[k] = input[k];
  }
  if (input.custom) {
    const custom = Object.fromEntries(
      Object.entries(input.custom).filter(([k]) => empty(lead.custom[k])),
    );
    if (Object.keys(custom).length > 0) patch.custom = custom;
  }
  return patch;
}

async function store(
  tx: Tx,
  form: repo.PublicForm,
  outcome: SubmissionOutcome,
  record: { type: string; id: string } | null,
  values: SubmittedValue[],
  tracking: Partial<Record<TrackingKey, string>>,
  client: ClientInfo,
): Promise<void> {
  await repo.insertSubmission(tx, {
    workspaceId: form.workspaceId,
    formId: form.id,
    outcome,
    recordType: record?.type ?? null,
    recordId: record?.id ?? null,
    values,
    utmSource: tracking.utm_source ?? null,
    utmMedium: tracking.utm_medium ?? null,
    utmCampaign: tracking.utm_campaign ?? null,
    utmTerm: tracking.utm_term ?? null,
    utmContent: tracking.utm_content ?? null,
    referrer: tracking.referrer ?? null,
    landingPage: tracking.landing_page ?? null,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 500) ?? null,
  });
}

export async function submit(
  ctx: AppContext,
  key: string,
  body: Record<string, unknown>,
  client: ClientInfo,
  requestId: string | null,
): Promise<SubmitResult> {
  const form = await countedForm(ctx, key, client.ip);
  const questions = await questionsOf(ctx, form);

  const errors = new FieldErrors();
  const parsed = parse(form, questions, body, errors);
  errors.throwIfAny();
  const locale = pageLocale(form, parsed.locale ?? client.locale);
  const tracking = parsed.tracking;
  if (!tracking.landing_page && client.referer && client.referer.length <= 2000) {
    tracking.landing_page = client.referer;
  }
  const actor = formActor(form, requestId);
  const values = valuesInWords(form, questions, parsed.answers);

  if (parsed.spam) {
    await ctx.db.tenant(actor, (tx) => store(tx, form, 'spam', null, values, tracking, client));
    return { form, locale, outcome: 'spam', recordId: null };
  }
  for (const f of form.fields) {
    // A question whose custom field was deleted since is no longer asked.
    if (!questions.has(f.key)) continue;
    if (f.required && isEmpty(parsed.answers.get(f.key))) {
      errors.add(f.key, messages.required, 'required');
    }
  }
  errors.throwIfAny();

  const fields = form.fields.flatMap((f) => questions.get(f.key) ?? []);
  const input: LeadInput = {
    ...leadInputOf(fields, parsed.answers),
    source: form.source,
    ...(form.campaign ? { campaign: form.campaign } : {}),
  };
  for (const [k, column] of Object.entries(trackingFields) as [TrackingKey, keyof LeadInput][]) {
    const v = tracking[k];
    if (v) (input as Record<string, unknown>)[column] = v;
  }
  const emails = (input.emails ?? []).flatMap((e) => {
    const r = normalizeEmail(e.value);
    return r.ok ? [r.value] : [];
  });
  const phones = (input.phones ?? []).flatMap((p) => {
    const r = normalizePhone(p.value);
    return r.ok ? [r.value] : [];
  });

  return ctx.db.tenant(actor, async (tx) => {
    const match = await repo.matchingRecord(tx, emails, phones);
    if (match?.object === 'contacts') {
      await store(
        tx,
        form,
        'contact_matched',
        { type: 'contacts', id: match.id },
        values,
        tracking,
        client,
      );
      return { form, locale, outcome: 'contact_matched' as const, recordId: match.id };
    }
    if (match?.object === 'leads') {
      const lead = await leadsRepo.getLeadRow(tx, match.id, { forUpdate: true });
      if (lead) {
        const patch = fillEmpty(lead, input);
        if (Object.keys(patch).length > 0) {
          await leadKind.update(tx, actor, lead.id, patch).catch(asQuestionErrors);
        }
        await recordScoreEvent(tx, actor, 'leads', lead.id, 'form_submitted');
        await store(
          tx,
          form,
          'lead_matched',
          { type: 'leads', id: lead.id },
          values,
          tracking,
          client,
        );
        return { form, locale, outcome: 'lead_matched' as const, recordId: lead.id };
      }
    }
    // The form_submitted event counts in the new lead's first score (one rescore).
    const id = await withEventOnCreate(tx, actor, 'leads', 'form_submitted', () =>
      leadKind.create(tx, actor, input),
    ).catch(asQuestionErrors);
    await store(tx, form, 'lead_created', { type: 'leads', id }, values, tracking, client);
    return { form, locale, outcome: 'lead_created' as const, recordId: id };
  });
}
