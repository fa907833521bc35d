import { randomBytes } from 'node:crypto';
import { auditChange } from '../../core/audit.js';
import type { AppContext } from '../../core/context.js';
import { AppError, type LocalisedText, type Locale } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { CustomFieldRow } from '../../db/schema/index.js';
import { iso, isoOrNull } from '../../http/schemas.js';
import { loadCustomFields } from '../custom-fields/values.js';
import { workspaceOptions } from '../field-options/field-options.service.js';
import { FieldErrors } from '../records/normalize.js';
import { formableFields, type FormableField } from './lead-forms.fields.js';
import { snippetOf } from './lead-forms.page.js';
import * as repo from './lead-forms.repository.js';
import type {
  FormCreateInput,
  FormPatchInput,
  FormView,
  submissionList,
} from './lead-forms.schemas.js';
import type { FormFieldConfig, LeadFormRow } from './lead-forms.table.js';
import type { z } from 'zod';

/**
 * Settings → Biểu mẫu thu thập: the workspace's lead capture forms (questions, what follows a
 * submission, source and campaign, the public key, the rate limits) and their submissions.
 * Permission object `lead_forms` (admins, managers and marketing). The public side (the hosted
 * page and the submissions endpoint) is lead-forms.submit.ts.
 */
export const PERMISSION = 'lead_forms';
const AUDIT_OBJECT = 'lead_form';

export const DEFAULT_SUBMIT: LocalisedText = { vi: 'Gửi thông tin', en: 'Submit' };
export const DEFAULT_THANK_YOU: LocalisedText = {
  vi: 'Cảm ơn bạn! Chúng tôi đã nhận được thông tin và sẽ liên hệ lại sớm.',
  en: 'Thank you! We have received your details and will get back to you soon.',
};

const messages = {
  unknownField: {
    vi: 'Trường này không thể đưa vào biểu mẫu.',
    en: 'This field cannot be asked on a form.',
  },
  duplicateField: { vi: 'Trường này đã có trong biểu mẫu.', en: 'This field is already asked.' },
  nameNeeded: {
    vi: 'Biểu mẫu cần hỏi tên (Họ và tên hoặc Tên) và bắt buộc nhập.',
    en: 'A form must ask for the name (Full name or Given name), as required.',
  },
  contactNeeded: {
    vi: 'Biểu mẫu cần hỏi email hoặc số điện thoại.',
    en: 'A form must ask for an email or a phone number.',
  },
  redirectUrl: {
    vi: 'Địa chỉ chuyển hướng phải là một URL http:// hoặc https:// hợp lệ.',
    en: 'The redirect address must be a valid http:// or https:// URL.',
  },
  source: {
    vi: 'Nguồn này không có (hoặc đã lưu trữ) trong danh sách nguồn khách hàng tiềm năng.',
    en: 'This source is not (or no longer) in the lead sources list.',
  },
  hasSubmissions: {
    vi: 'Biểu mẫu đã có lượt gửi nên không thể xoá: hãy tắt biểu mẫu thay vì xoá.',
    en: 'This form has submissions and cannot be deleted: turn it off instead.',
  },
} satisfies Record<string, LocalisedText>;

/** A new public key: 144 random bits, URL-safe. */
export const newPublicKey = () => randomBytes(18).toString('base64url');

export function catalogueOf(custom: CustomFieldRow[]): Map<string, FormableField> {
  return new Map(formableFields(custom).map((f) => [f.key, f]));
}

/** Where the app is reached (SEN_PUBLIC_URL, else the request's own origin) and its language. */
export interface Presentation {
  origin: string;
  locale: Locale;
}

function present(
  row: LeadFormRow,
  stats: repo.FormStats,
  catalogue: Map<string, FormableField>,
  p: Presentation,
): FormView {
  return {
    id: row.id,
    name: row.name,
    fields: row.fields,
    submitLabel: row.submitLabel,
    afterSubmit: row.afterSubmit,
    thankYou: row.thankYou,
    redirectUrl: row.redirectUrl,
    source: row.source,
    campaign: row.campaign,
    active: row.active,
    publicKey: row.publicKey,
    ratePerIp: row.ratePerIp,
    ratePerForm: row.ratePerForm,
    submissions: stats.submissions,
    lastSubmittedAt: isoOrNull(stats.lastSubmittedAt),
    hostedUrl: `${p.origin}/f/${encodeURIComponent(row.publicKey)}`,
    snippet: snippetOf(row, catalogue, p.origin, p.locale),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

/** The questions a form may ask, the workspace's custom fields of leads included. */
export async function listFormableFields(ctx: AppContext, actor: Actor) {
  authorize(actor, PERMISSION, 'read');
  const custom = await ctx.db.read(actor, (tx) => loadCustomFields(tx, 'leads'));
  return {
    items: formableFields(custom).map((f) => ({
      key: f.key,
      label: f.label,
      input: f.input,
      custom: f.custom === true,
    })),
  };
}

export async function listForms(ctx: AppContext, actor: Actor, p: Presentation) {
  authorize(actor, PERMISSION, 'read');
  return ctx.db.read(actor, async (tx) => {
    const [rows, custom] = [await repo.listForms(tx), await loadCustomFields(tx, 'leads')];
    const catalogue = catalogueOf(custom);
    return { items: rows.map((r) => present(r, r, catalogue, p)) };
  });
}

async function view(tx: Tx, row: LeadFormRow, p: Presentation): Promise<FormView> {
  const catalogue = catalogueOf(await loadCustomFields(tx, 'leads'));
  return present(row, await repo.formStats(tx, row.id), catalogue, p);
}

export async function getForm(ctx: AppContext, actor: Actor, id: string, p: Presentation) {
  authorize(actor, PERMISSION, 'read');
  return ctx.db.read(actor, async (tx) => {
    const row = await repo.getForm(tx, id);
    if (!row) throw new AppError('NOT_FOUND');
    return view(tx, row, p);
  });
}

function validUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** The form's values after `input` over `before`, checked: every problem a field error. */
async function formValues(
  tx: Tx,
  before: LeadFormRow | null,
  input: FormPatchInput,
): Promise<Omit<repo.NewForm, 'workspaceId' | 'publicKey'>> {
  const errors = new FieldErrors();
  const fields: FormFieldConfig[] = input.fields ?? before?.fields ?? [];
  if (input.fields) {
    const catalogue = catalogueOf(await loadCustomFields(tx, 'leads'));
    const seen = new Set<string>();
    input.fields.forEach((f, i) => {
      if (!catalogue.has(f.key)) errors.add(`fields.${i}.key`, messages.unknownField, 'unknown');
      else if (seen.has(f.key)) errors.add(`fields.${i}.key`, messages.duplicateField, 'duplicate');
      seen.add(f.key);
    });
    if (!fields.some((f) => (f.key === 'fullName' || f.key === 'givenName') && f.required)) {
      errors.add('fields', messages.nameNeeded, 'name_required');
    }
    if (!fields.some((f) => f.key === 'email' || f.key === 'phone')) {
      errors.add('fields', messages.contactNeeded, 'contact_required');
    }
  }
  const afterSubmit = input.afterSubmit ?? before?.afterSubmit ?? 'message';
  const redirectUrl =
    input.redirectUrl !== undefined ? input.redirectUrl || null : (before?.redirectUrl ?? null);
  if (redirectUrl !== null && !validUrl(redirectUrl)) {
    errors.add('redirectUrl', messages.redirectUrl, 'invalid_url');
  } else if (afterSubmit === 'redirect' && redirectUrl === null) {
    errors.add('redirectUrl', messages.redirectUrl, 'required');
  }
  const source = input.source ?? before?.source ?? 'website';
  if (input.source !== undefined && input.source !== before?.source) {
    const sources = (await workspaceOptions(tx, 'leads')).get('source') ?? [];
    if (!sources.some((o) => o.key === source && !o.archived)) {
      errors.add('source', messages.source, 'not_an_option');
    }
  }
  errors.throwIfAny();
  return {
    name: input.name ?? before!.name,
    fields,
    submitLabel: input.submitLabel ?? before?.submitLabel ?? DEFAULT_SUBMIT,
    afterSubmit,
    thankYou: input.thankYou ?? before?.thankYou ?? DEFAULT_THANK_YOU,
    redirectUrl,
    source,
    campaign: input.campaign !== undefined ? input.campaign || null : (before?.campaign ?? null),
    active: input.active ?? before?.active ?? true,
    ratePerIp: input.ratePerIp ?? before?.ratePerIp ?? 10,
    ratePerForm: input.ratePerForm ?? before?.ratePerForm ?? 300,
  };
}

const audited = (row: LeadFormRow) => {
  const { publicKey: _key, createdAt: _c, updatedAt: _u, ...rest } = row;
  return rest as Record<string, unknown>;
};

export async function createForm(
  ctx: AppContext,
  actor: Actor,
  input: FormCreateInput,
  p: Presentation,
) {
  authorize(actor, PERMISSION, 'create');
  return ctx.db.tenant(actor, async (tx) => {
    const values = await formValues(tx, null, input);
    const row = await repo.insertForm(tx, {
      ...values,
      workspaceId: actor.workspaceId,
      publicKey: newPublicKey(),
      createdBy: actor.userId,
    });
    await auditChange(tx, actor, AUDIT_OBJECT, row.id, null, audited(row));
    return view(tx, row, p);
  });
}

export async function updateForm(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: FormPatchInput,
  p: Presentation,
) {
  authorize(actor, PERMISSION, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getForm(tx, id, true);
    if (!before) throw new AppError('NOT_FOUND');
    const values = await formValues(tx, before, input);
    const row = await repo.updateForm(tx, id, values);
    await auditChange(tx, actor, AUDIT_OBJECT, id, audited(before), audited(row));
    return view(tx, row, p);
  });
}

/** A new public key: the old one (the hosted link, embedded snippets) stops working at once. */
export async function regenerateKey(ctx: AppContext, actor: Actor, id: string, p: Presentation) {
  authorize(actor, PERMISSION, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getForm(tx, id, true);
    if (!before) throw new AppError('NOT_FOUND');
    const row = await repo.updateForm(tx, id, { publicKey: newPublicKey() });
    await auditChange(tx, actor, AUDIT_OBJECT, id, { publicKey: 'old' }, { publicKey: 'new' });
    return view(tx, row, p);
  });
}

/** Only a form nobody submitted yet: submissions are on records' timelines (turn it off instead). */
export async function deleteForm(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, PERMISSION, 'delete');
  await ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getForm(tx, id, true);
    if (!before) throw new AppError('NOT_FOUND');
    if ((await repo.formStats(tx, id)).submissions > 0) {
      throw new AppError('CONFLICT', { text: messages.hasSubmissions });
    }
    await repo.deleteForm(tx, id);
    await auditChange(tx, actor, AUDIT_OBJECT, id, audited(before), null);
  });
}

export async function listSubmissions(
  ctx: AppContext,
  actor: Actor,
  id: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<z.infer<typeof submissionList>> {
  authorize(actor, PERMISSION, 'read');
  return ctx.db.read(actor, async (tx) => {
    if (!(await repo.getForm(tx, id))) throw new AppError('NOT_FOUND');
    const rows = await repo.listSubmissions(tx, id, query.limit + 1, query.cursor);
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((s) => ({
        id: s.id,
        submittedAt: iso(s.submittedAt),
        outcome: s.outcome,
        recordType: s.recordType,
        recordId: s.recordId,
        recordName: s.recordName,
        values: s.values,
        utmSource: s.utmSource,
        utmMedium: s.utmMedium,
        utmCampaign: s.utmCampaign,
        utmTerm: s.utmTerm,
        utmContent: s.utmContent,
        referrer: s.referrer,
        landingPage: s.landingPage,
      })),
      nextCursor: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
    };
  });
}
