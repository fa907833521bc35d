import type { LocalisedText } from '../../core/errors.js';
import type { CustomFieldRow } from '../../db/schema/index.js';
import { listProvinces } from '../../lib/vn/admin-units.js';
import type { LeadInput } from '../leads/leads.schemas.js';

/**
 * What a form may ask: the lead's writable fields a person fills in about themselves (the
 * name, email, phone, company, tax code, job title, province) and the workspace's custom fields
 * of leads whose type a web form can take. Source, campaign, UTM, referrer and landing page are
 * not questions: the form and the page's URL set them. Each question has an input type, a
 * maximum length and the part of the lead's write body it fills.
 */
export type FormInputType =
  | 'text'
  | 'textarea'
  | 'email'
  | 'tel'
  | 'number'
  | 'date'
  | 'url'
  | 'checkbox'
  | 'select'
  | 'multiselect';

export interface FormableField {
  key: string;
  label: LocalisedText;
  input: FormInputType;
  maxLength: number;
  options?: { key: string; label: LocalisedText }[];
  custom?: boolean;
}

const CUSTOM = 'custom.';

export const standardFormFields: FormableField[] = [
  { key: 'fullName', label: { vi: 'Họ và tên', en: 'Full name' }, input: 'text', maxLength: 200 },
  { key: 'familyName', label: { vi: 'Họ', en: 'Family name' }, input: 'text', maxLength: 100 },
  { key: 'givenName', label: { vi: 'Tên', en: 'Given name' }, input: 'text', maxLength: 100 },
  { key: 'email', label: { vi: 'Email', en: 'Email' }, input: 'email', maxLength: 320 },
  { key: 'phone', label: { vi: 'Số điện thoại', en: 'Phone' }, input: 'tel', maxLength: 50 },
  { key: 'companyName', label: { vi: 'Công ty', en: 'Company' }, input: 'text', maxLength: 300 },
  { key: 'jobTitle', label: { vi: 'Chức danh', en: 'Job title' }, input: 'text', maxLength: 200 },
  { key: 'taxCode', label: { vi: 'Mã số thuế', en: 'Tax code' }, input: 'text', maxLength: 30 },
  {
    key: 'provinceCode',
    label: { vi: 'Tỉnh/Thành phố', en: 'Province/City' },
    input: 'select',
    maxLength: 10,
  },
];

const customInputs: Partial<Record<CustomFieldRow['type'], FormInputType>> = {
  text: 'text',
  long_text: 'textarea',
  number: 'number',
  money: 'number',
  date: 'date',
  boolean: 'checkbox',
  select: 'select',
  multi_select: 'multiselect',
  url: 'url',
  email: 'email',
  phone: 'tel',
};

/** The hidden fields every form takes besides its questions (filled from the page's URL). */
export const trackingFields = {
  utm_source: 'utmSource',
  utm_medium: 'utmMedium',
  utm_campaign: 'utmCampaign',
  utm_term: 'utmTerm',
  utm_content: 'utmContent',
  referrer: 'referrer',
  landing_page: 'landingPage',
} as const;
export type TrackingKey = keyof typeof trackingFields;
export const trackingMax: Record<TrackingKey, number> = {
  utm_source: 300,
  utm_medium: 300,
  utm_campaign: 300,
  utm_term: 300,
  utm_content: 300,
  referrer: 2000,
  landing_page: 2000,
};

/** The honeypot: hidden from people, filled by bots; a filled one makes the submission spam. */
export const HONEYPOT = 'website';
/** The page's language (the thank-you page answers in it). */
export const LANGUAGE_FIELD = '_lang';

/** Every question a workspace's forms may ask (its custom fields of leads included). */
export function formableFields(custom: CustomFieldRow[]): FormableField[] {
  const provinces = listProvinces().map((p) => ({
    key: p.code,
    label: { vi: p.name, en: p.nameEn },
  }));
  const standard = standardFormFields.map((f) =>
    f.key === 'provinceCode' ? { ...f, options: provinces } : f,
  );
  const own: FormableField[] = [];
  for (const c of custom) {
    const input = customInputs[c.type];
    if (!input) continue;
    own.push({
      key: `${CUSTOM}${c.key}`,
      label: { vi: c.label, en: c.label },
      input,
      maxLength: input === 'textarea' ? 5000 : 1000,
      custom: true,
      ...(c.options.choices
        ? {
            options: c.options.choices.map((o) => ({
              key: o.key,
              label: { vi: o.label, en: o.label },
            })),
          }
        : {}),
    });
  }
  return [...standard, ...own];
}

/** A submitted answer: one text, or several (a multi-select's checked boxes). */
export type Answer = string | string[];

function customValue(field: FormableField, answer: Answer): unknown {
  const one = Array.isArray(answer) ? (answer[0] ?? '') : answer;
  switch (field.input) {
    case 'checkbox':
      return ['on', 'true', '1', 'yes', 'có'].includes(one.trim().toLowerCase());
    case 'number': {
      const n = Number(one.replace(/[\s.,](?=\d{3}\b)/g, '').replace(',', '.'));
      return one.trim() === '' ? null : Number.isFinite(n) ? n : one;
    }
    case 'multiselect':
      return (Array.isArray(answer) ? answer : [answer]).filter((v) => v !== '');
    default:
      return one.trim() === '' ? null : one;
  }
}

/**
 * The lead's write body from the answers (already checked against the form's questions).
 * Empty answers write nothing.
 */
export function leadInputOf(
  fields: FormableField[],
  answers: Map<string, Answer>,
): Omit<LeadInput, 'source' | 'campaign'> {
  const input: LeadInput = {};
  const custom: Record<string, unknown> = {};
  for (const field of fields) {
    const answer = answers.get(field.key);
    if (answer === undefined) continue;
    if (field.custom) {
      const v = customValue(field, answer);
      if (v !== null) custom[field.key.slice(CUSTOM.length)] = v;
      continue;
    }
    const text = (Array.isArray(answer) ? (answer[0] ?? '') : answer).trim();
    if (text === '') continue;
    switch (field.key) {
      case 'email':
        input.emails = [{ value: text }];
        break;
      case 'phone':
        input.phones = [{ value: text }];
        break;
      case 'provinceCode':
        input.addresses = [{ provinceCode: text }];
        break;
      default:
        (input as Record<string, string>)[field.key] = text;
    }
  }
  if (Object.keys(custom).length > 0) input.custom = custom;
  return input;
}

/** The form's question a field error of the lead's write belongs to (emails.0.value → email). */
export function questionOf(path: string): string {
  if (path.startsWith('emails')) return 'email';
  if (path.startsWith('phones')) return 'phone';
  if (path.startsWith('addresses')) return 'provinceCode';
  if (path === 'displayName' || path === 'middleName') return 'fullName';
  return path;
}

/** An answer in words for the timeline: a choice's label, "Có"/"Không" for a box. */
export function answerText(field: FormableField, answer: Answer, locale: 'vi' | 'en'): string {
  const values = Array.isArray(answer) ? answer : [answer];
  if (field.input === 'checkbox') {
    const yes = customValue(field, answer) === true;
    return locale === 'vi' ? (yes ? 'Có' : 'Không') : yes ? 'Yes' : 'No';
  }
  if (field.options) {
    return values
      .map((v) => field.options!.find((o) => o.key === v)?.label[locale] ?? v)
      .join(', ');
  }
  return values.join(', ');
}
