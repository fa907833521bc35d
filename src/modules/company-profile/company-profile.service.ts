import { createHash } from 'node:crypto';
import { diff, recordAudit } from '../../core/audit.js';
import type { AppContext } from '../../core/context.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { iso } from '../../http/schemas.js';
import { normalizeEmail } from '../../lib/vn/email.js';
import { normalizePhone } from '../../lib/vn/phone.js';
import { normalizeTaxCode } from '../../lib/vn/tax-code.js';
import { sniffContentType } from '../notes/sniff.js';
import { FieldErrors } from '../records/normalize.js';
import { bankByBin, type VietnameseBank } from './company-profile.banks.js';
import {
  normalizeAccountName,
  normalizeAccountNumber,
  normalizeWebsite,
} from './company-profile.normalize.js';
import * as repo from './company-profile.repository.js';
import type { CompanyProfileInput, CompanyProfileView } from './company-profile.schemas.js';
import { LOGO_MAX_BYTES } from './company-profile.table.js';
import type { VatRate } from '../products/products.table.js';

/** Permission object of Settings → Thông tin doanh nghiệp, and the audit entries' type. */
export const COMPANY_PROFILE = 'company_profile';

export const PROFILE_DEFAULTS = {
  paymentTermsDays: 30,
  quoteValidityDays: 15,
  defaultVatRate: '10',
} as const;

/** What a quote, an invoice or a statement prints, and what VietQR encodes. */
export interface CompanyProfile {
  legalName: string | null;
  shortName: string | null;
  address: string | null;
  taxCode: string | null;
  /** E.164 ("+842838123456"). */
  phone: string | null;
  email: string | null;
  website: string | null;
  bank: VietnameseBank | null;
  bankAccountNumber: string | null;
  bankAccountName: string | null;
  paymentTermsDays: number;
  quoteValidityDays: number;
  /** '10', '8', '5', '0' or 'none' (products.table.ts `vatRates`). */
  defaultVatRate: VatRate;
  logo: { contentType: 'image/png' | 'image/jpeg'; data: Buffer } | null;
}

/**
 * The current workspace's business profile with its logo's bytes, for the PDFs and VietQR: call
 * it in the document's own transaction (a tenant transaction; no permission check here, the
 * caller's document is what is authorised). A workspace that never saved one gets the defaults
 * and nulls.
 */
export async function getCompanyProfile(tx: Tx): Promise<CompanyProfile> {
  const row = await repo.getRow(tx);
  return {
    legalName: row?.legalName ?? null,
    shortName: row?.shortName ?? null,
    address: row?.address ?? null,
    taxCode: row?.taxCode ?? null,
    phone: row?.phone ?? null,
    email: row?.email ?? null,
    website: row?.website ?? null,
    bank: row?.bankBin ? (bankByBin(row.bankBin) ?? null) : null,
    bankAccountNumber: row?.bankAccountNumber ?? null,
    bankAccountName: row?.bankAccountName ?? null,
    paymentTermsDays: row?.paymentTermsDays ?? PROFILE_DEFAULTS.paymentTermsDays,
    quoteValidityDays: row?.quoteValidityDays ?? PROFILE_DEFAULTS.quoteValidityDays,
    defaultVatRate: row?.defaultVatRate ?? PROFILE_DEFAULTS.defaultVatRate,
    logo:
      row?.logo && row.logoType
        ? { contentType: row.logoType as 'image/png' | 'image/jpeg', data: row.logo }
        : null,
  };
}

const LOGO_URL = '/api/v1/settings/company-profile/logo';

function present(row: repo.CompanyProfileFields | undefined): CompanyProfileView {
  const bank = row?.bankBin ? (bankByBin(row.bankBin) ?? null) : null;
  return {
    legalName: row?.legalName ?? null,
    shortName: row?.shortName ?? null,
    address: row?.address ?? null,
    taxCode: row?.taxCode ?? null,
    phone: row?.phone ?? null,
    email: row?.email ?? null,
    website: row?.website ?? null,
    bankBin: row?.bankBin ?? null,
    bank,
    bankAccountNumber: row?.bankAccountNumber ?? null,
    bankAccountName: row?.bankAccountName ?? null,
    paymentTermsDays: row?.paymentTermsDays ?? PROFILE_DEFAULTS.paymentTermsDays,
    quoteValidityDays: row?.quoteValidityDays ?? PROFILE_DEFAULTS.quoteValidityDays,
    defaultVatRate: row?.defaultVatRate ?? PROFILE_DEFAULTS.defaultVatRate,
    logo:
      row?.logoType && row.logoBytes !== null && row.logoSha256 && row.logoUpdatedAt
        ? {
            contentType: row.logoType,
            bytes: row.logoBytes,
            sha256: row.logoSha256,
            url: `${LOGO_URL}?v=${row.logoSha256.slice(0, 16)}`,
            updatedAt: iso(row.logoUpdatedAt),
          }
        : null,
    updatedAt: row ? iso(row.updatedAt) : null,
  };
}

export function getProfile(ctx: AppContext, actor: Actor): Promise<CompanyProfileView> {
  authorize(actor, COMPANY_PROFILE, 'read');
  return ctx.db.read(actor, async (tx) => present(await repo.getFields(tx)));
}

const msg = {
  taxCode: {
    vi: 'Mã số thuế không hợp lệ: 10 chữ số (doanh nghiệp), 10 chữ số - 3 chữ số (chi nhánh) hoặc 12 chữ số (cá nhân).',
    en: 'Invalid tax code: 10 digits (a company), 10 digits - 3 digits (a branch) or 12 digits (a person).',
  },
  taxCheckDigit: {
    vi: 'Mã số thuế sai chữ số kiểm tra: hãy kiểm tra lại từng chữ số.',
    en: 'The tax code’s check digit is wrong: check each digit again.',
  },
  phone: { vi: 'Số điện thoại không hợp lệ.', en: 'Invalid phone number.' },
  email: { vi: 'Email không hợp lệ.', en: 'Invalid email address.' },
  website: {
    vi: 'Website phải là một địa chỉ web (ví dụ https://congty.vn).',
    en: 'The website must be a web address (such as https://company.vn).',
  },
  bank: { vi: 'Không có ngân hàng này trong danh sách.', en: 'This bank is not in the list.' },
  bankRequired: {
    vi: 'Hãy chọn ngân hàng của tài khoản.',
    en: 'Choose the bank of the account.',
  },
  accountRequired: {
    vi: 'Hãy nhập số tài khoản ngân hàng.',
    en: 'Enter the bank account number.',
  },
  accountNumber: {
    vi: 'Số tài khoản gồm 4–19 chữ số hoặc chữ cái.',
    en: 'An account number has 4–19 digits or letters.',
  },
  accountName: {
    vi: 'Tên chủ tài khoản chỉ gồm chữ cái, chữ số, khoảng trắng và các dấu . , - & ( ) /.',
    en: 'The account holder holds only letters, digits, spaces and . , - & ( ) /.',
  },
  logoType: {
    vi: 'Logo phải là ảnh PNG hoặc JPEG.',
    en: 'The logo must be a PNG or JPEG image.',
  },
  logoSize: {
    vi: 'Logo tối đa 1 MB.',
    en: 'The logo is at most 1 MB.',
  },
} satisfies Record<string, LocalisedText>;

const blank = (v: string | null | undefined) =>
  v === undefined ? undefined : v === null || v.trim() === '' ? null : v.normalize('NFC').trim();

/** The input's fields as columns, normalised and checked: every problem a field error. */
function columnsOf(input: CompanyProfileInput, errors: FieldErrors): repo.ProfileValues {
  const out: repo.ProfileValues = {};
  const text = (key: 'legalName' | 'shortName' | 'address') => {
    const v = blank(input[key]);
    if (v !== undefined) out[key] = v === null ? null : v.replace(/\s+/g, ' ');
  };
  text('legalName');
  text('shortName');
  text('address');
  const taxCode = blank(input.taxCode);
  if (taxCode !== undefined) {
    if (taxCode === null) out.taxCode = null;
    else {
      const r = normalizeTaxCode(taxCode);
      if (r.ok) out.taxCode = r.value.code;
      else if (r.reason === 'invalid_check_digit')
        errors.add('taxCode', msg.taxCheckDigit, r.reason);
      else errors.add('taxCode', msg.taxCode, r.reason);
    }
  }
  const phone = blank(input.phone);
  if (phone !== undefined) {
    if (phone === null) out.phone = null;
    else {
      const r = normalizePhone(phone);
      if (r.ok) out.phone = r.value;
      else errors.add('phone', msg.phone, r.reason);
    }
  }
  const email = blank(input.email);
  if (email !== undefined) {
    if (email === null) out.email = null;
    else {
      const r = normalizeEmail(email);
      if (r.ok) out.email = r.value;
      else errors.add('email', msg.email, r.reason);
    }
  }
  const website = blank(input.website);
  if (website !== undefined) {
    const url = website === null ? null : normalizeWebsite(website);
    if (website !== null && url === null) errors.add('website', msg.website, 'invalid_url');
    else out.website = url;
  }
  const bin = blank(input.bankBin);
  if (bin !== undefined) {
    if (bin !== null && !bankByBin(bin)) errors.add('bankBin', msg.bank, 'unknown_bank');
    else out.bankBin = bin;
  }
  const number = blank(input.bankAccountNumber);
  if (number !== undefined) {
    const n = number === null ? null : normalizeAccountNumber(number);
    if (number !== null && n === null) {
      errors.add('bankAccountNumber', msg.accountNumber, 'invalid_format');
    } else out.bankAccountNumber = n;
  }
  const name = blank(input.bankAccountName);
  if (name !== undefined) {
    const n = name === null ? null : normalizeAccountName(name);
    if (name !== null && n === null) {
      errors.add('bankAccountName', msg.accountName, 'invalid_characters');
    } else out.bankAccountName = n || null;
  }
  if (input.paymentTermsDays !== undefined) out.paymentTermsDays = input.paymentTermsDays;
  if (input.quoteValidityDays !== undefined) out.quoteValidityDays = input.quoteValidityDays;
  if (input.defaultVatRate !== undefined) out.defaultVatRate = input.defaultVatRate;
  return out;
}

const audited = (row: repo.CompanyProfileFields | undefined): Record<string, unknown> => {
  const v = present(row);
  return {
    legalName: v.legalName,
    shortName: v.shortName,
    address: v.address,
    taxCode: v.taxCode,
    phone: v.phone,
    email: v.email,
    website: v.website,
    bankBin: v.bankBin,
    bankAccountNumber: v.bankAccountNumber,
    bankAccountName: v.bankAccountName,
    paymentTermsDays: v.paymentTermsDays,
    quoteValidityDays: v.quoteValidityDays,
    defaultVatRate: v.defaultVatRate,
    logo: v.logo ? v.logo.sha256 : null,
  };
};

/** Save the fields the body names; the account needs its bank and number together. */
export function saveProfile(
  ctx: AppContext,
  actor: Actor,
  input: CompanyProfileInput,
): Promise<CompanyProfileView> {
  authorize(actor, COMPANY_PROFILE, 'update');
  const errors = new FieldErrors();
  const values = columnsOf(input, errors);
  errors.throwIfAny();
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getFields(tx);
    // The account as it will be: a number needs its bank (VietQR names both), and the reverse.
    const bin = values.bankBin !== undefined ? values.bankBin : (before?.bankBin ?? null);
    const number =
      values.bankAccountNumber !== undefined
        ? values.bankAccountNumber
        : (before?.bankAccountNumber ?? null);
    if (number && !bin) errors.add('bankBin', msg.bankRequired, 'required');
    if (bin && !number) errors.add('bankAccountNumber', msg.accountRequired, 'required');
    errors.throwIfAny();
    // Nothing to change (an empty body, the same values): nothing written, nothing audited.
    const current = present(before) as Record<string, unknown>;
    if (Object.entries(values).every(([k, v]) => current[k] === v)) return present(before);
    await repo.upsert(tx, actor.workspaceId, { ...values, updatedBy: actor.userId });
    const after = await repo.getFields(tx);
    await audit(tx, actor, before, after);
    return present(after);
  });
}

async function audit(
  tx: Tx,
  actor: Actor,
  before: repo.CompanyProfileFields | undefined,
  after: repo.CompanyProfileFields | undefined,
): Promise<void> {
  const changes = diff(audited(before), audited(after));
  if (Object.keys(changes).length === 0) return;
  await recordAudit(tx, actor, {
    action: before ? 'update' : 'create',
    objectType: COMPANY_PROFILE,
    objectId: actor.workspaceId,
    changes,
  });
}

/**
 * A new logo: PNG or JPEG by its bytes (the client's type and name are not trusted), at most
 * 1 MB; anything else is a 400 naming `file`.
 */
export function saveLogo(
  ctx: AppContext,
  actor: Actor,
  data: Buffer,
  truncated: boolean,
): Promise<CompanyProfileView> {
  authorize(actor, COMPANY_PROFILE, 'update');
  const errors = new FieldErrors();
  const type = sniffContentType(data.subarray(0, 64), '');
  if (truncated || data.length > LOGO_MAX_BYTES) errors.add('file', msg.logoSize, 'too_big');
  else if (type !== 'image/png' && type !== 'image/jpeg') {
    errors.add('file', msg.logoType, 'not_an_image');
  }
  errors.throwIfAny();
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getFields(tx);
    await repo.upsert(tx, actor.workspaceId, {
      logo: data,
      logoType: type,
      logoSha256: createHash('sha256').update(data).digest('hex'),
      logoUpdatedAt: new Date(),
      updatedBy: actor.userId,
    });
    const after = await repo.getFields(tx);
    await audit(tx, actor, before, after);
    return present(after);
  });
}

export function deleteLogo(ctx: AppContext, actor: Actor): Promise<CompanyProfileView> {
  authorize(actor, COMPANY_PROFILE, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getFields(tx);
    if (!before?.logoType) return present(before);
    await repo.upsert(tx, actor.workspaceId, {
      logo: null,
      logoType: null,
      logoSha256: null,
      logoUpdatedAt: null,
      updatedBy: actor.userId,
    });
    const after = await repo.getFields(tx);
    await audit(tx, actor, before, after);
    return present(after);
  });
}

export function getLogo(ctx: AppContext, actor: Actor) {
  authorize(actor, COMPANY_PROFILE, 'read');
  return ctx.db.read(actor, async (tx) => {
    const logo = await repo.getLogo(tx);
    if (!logo) throw new AppError('NOT_FOUND');
    return logo;
  });
}
