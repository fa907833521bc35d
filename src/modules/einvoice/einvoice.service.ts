import net from 'node:net';
import { auditChange, recordAudit } from '../../core/audit.js';
import type { AppContext } from '../../core/context.js';
import { AppError, fieldError, type LocalisedText } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import { isAllowedAddress } from '../../lib/http/ssrf-safe.js';
import { decryptSecret, encryptSecret, SecretDecryptError } from '../../lib/secrets.js';
import { normalizeTaxCode } from '../../lib/vn/tax-code.js';
import { issueWithoutDuplicate, type IssueOptions } from './einvoice.issue.js';
import { eInvoiceAdapter, type EInvoiceAdapter } from './einvoice.registry.js';
import * as repo from './einvoice.repository.js';
import {
  eInvoiceDocumentSchema,
  settingsInputSchema,
  type SettingsInput,
} from './einvoice.schemas.js';
import type {
  EInvoiceSettingsRow,
  EInvoiceSubmissionRow,
  SubmissionStatus,
} from './einvoice.table.js';
import {
  EInvoiceError,
  excerpt,
  type EInvoiceDocument,
  type EInvoiceDocumentKind,
  type EInvoiceFile,
  type EInvoiceProvider,
  type EInvoiceRef,
  type EInvoiceState,
} from './einvoice.types.js';

/** The permission object: read submissions and files, create = issue, update = settings, delete = cancel. */
export const PERMISSION = 'einvoices';

/** A submission still 'submitting' after this long was left by a node that stopped: retake it. */
const STALE_CLAIM_MS = 5 * 60_000;

// ---------------------------------------------------------------------------------------------
// Settings

export interface PresentedSettings {
  provider: string;
  providerName: LocalisedText;
  baseUrl: string;
  username: string;
  hasPassword: boolean;
  supplierTaxCode: string;
  templateCode: string;
  series: string;
  enabled: boolean;
  updatedAt: Date;
}

function presentSettings(row: EInvoiceSettingsRow): PresentedSettings {
  const adapter = eInvoiceAdapter(row.provider);
  return {
    provider: row.provider,
    providerName: adapter?.name ?? { vi: row.provider, en: row.provider },
    baseUrl: row.baseUrl,
    username: row.username,
    hasPassword: row.secretEncrypted.length > 0,
    supplierTaxCode: row.supplierTaxCode,
    templateCode: row.templateCode,
    series: row.series,
    enabled: row.enabled,
    updatedAt: row.updatedAt,
  };
}

/** The secret's additional data: bound to its workspace and purpose. */
const secretContext = (workspaceId: string) => `einvoice_settings:${workspaceId}`;

export async function getEInvoiceSettings(
  ctx: AppContext,
  actor: Actor,
): Promise<PresentedSettings | null> {
  authorize(actor, PERMISSION, 'update');
  const row = await ctx.db.tenant(actor, (tx) => repo.getSettings(tx));
  return row ? presentSettings(row) : null;
}

export async function saveEInvoiceSettings(
  ctx: AppContext,
  actor: Actor,
  raw: SettingsInput,
): Promise<PresentedSettings> {
  authorize(actor, PERMISSION, 'update');
  const parsed = settingsInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fieldError(issue?.path.join('.') ?? 'body', {
      vi: 'Giá trị không hợp lệ.',
      en: issue?.message ?? 'Invalid value.',
    });
  }
  const input = parsed.data;
  if (!eInvoiceAdapter(input.provider)) {
    throw fieldError('provider', {
      vi: `Sen chưa hỗ trợ nhà cung cấp “${input.provider}”.`,
      en: `Sen has no adapter for the provider “${input.provider}”.`,
    });
  }
  checkBaseUrl(input.baseUrl, ctx.config.outboundAllow);
  const taxCode = normalizeTaxCode(input.supplierTaxCode);
  if (!taxCode.ok) {
    throw fieldError('supplierTaxCode', {
      vi: 'Mã số thuế không hợp lệ.',
      en: 'The tax code is not valid.',
    });
  }
  if (
    input.password !== undefined &&
    ctx.config.env === 'production' &&
    ctx.config.secretsKeyIsDefault
  ) {
    throw new AppError('SERVICE_UNAVAILABLE', {
      text: {
        vi: 'Máy chủ chưa đặt SEN_SECRETS_KEY nên Sen không lưu mật khẩu của nhà cung cấp. Quản trị hệ thống cần đặt biến này (ít nhất 32 ký tự) rồi khởi động lại.',
        en: 'SEN_SECRETS_KEY is not set on the server, so Sen will not store the provider’s password. The system administrator must set it (32 characters or more) and restart.',
      },
    });
  }
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getSettings(tx);
    if (!before && input.password === undefined) {
      throw fieldError('password', { vi: 'Cần nhập mật khẩu.', en: 'The password is required.' });
    }
    const secretEncrypted =
      input.password !== undefined
        ? encryptSecret(ctx.config.secretsKey, input.password, secretContext(actor.workspaceId))
        : before!.secretEncrypted;
    const row = await repo.upsertSettings(tx, {
      workspaceId: actor.workspaceId,
      provider: input.provider,
      baseUrl: input.baseUrl.replace(/\/+$/, ''),
      username: input.username,
      secretEncrypted,
      supplierTaxCode: taxCode.value.code,
      templateCode: input.templateCode,
      series: input.series,
      enabled: input.enabled,
      updatedBy: actor.userId,
    });
    const audited = (r: EInvoiceSettingsRow | undefined) =>
      r && {
        provider: r.provider,
        baseUrl: r.baseUrl,
        username: r.username,
        supplierTaxCode: r.supplierTaxCode,
        templateCode: r.templateCode,
        series: r.series,
        enabled: r.enabled,
      };
    await auditChange(tx, actor, 'einvoice_settings', actor.workspaceId, audited(before) ?? null, {
      ...audited(row),
      ...(input.password !== undefined ? { passwordChanged: true } : {}),
    });
    return presentSettings(row);
  });
}

/** http/https only; an IP literal must be one the SSRF guard lets through (names: at connect). */
function checkBaseUrl(baseUrl: string, allow: readonly string[]): void {
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw fieldError('baseUrl', {
      vi: 'Địa chỉ phải bắt đầu bằng https://',
      en: 'The address must start with https://',
    });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) !== 0 && !isAllowedAddress(host, allow)) {
    throw new AppError('EINVOICE_DESTINATION_BLOCKED', {
      details: { fields: [{ path: 'baseUrl', message: 'A private network address' }] },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Submissions

export interface PresentedSubmission {
  id: string;
  object: 'invoices';
  recordId: string;
  provider: string;
  transactionId: string;
  status: SubmissionStatus;
  attempts: number;
  templateCode: string | null;
  series: string | null;
  invoiceNumber: string | null;
  lookupCode: string | null;
  taxAuthorityCode: string | null;
  providerStatus: string | null;
  issuedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  errorCode: string | null;
  errorText: string | null;
  updatedAt: Date;
}

function presentSubmission(row: EInvoiceSubmissionRow): PresentedSubmission {
  return {
    id: row.id,
    object: 'invoices',
    recordId: row.recordId,
    provider: row.provider,
    transactionId: row.transactionId,
    status: row.status,
    attempts: row.attempts,
    templateCode: row.templateCode,
    series: row.series,
    invoiceNumber: row.invoiceNumber,
    lookupCode: row.lookupCode,
    taxAuthorityCode: row.taxAuthorityCode,
    providerStatus: row.providerStatus,
    issuedAt: row.issuedAt,
    cancelledAt: row.cancelledAt,
    cancelReason: row.cancelReason,
    errorCode: row.errorCode,
    errorText: row.errorText,
    updatedAt: row.updatedAt,
  };
}

/** The provider of the workspace, its password decrypted, or EINVOICE_NOT_CONFIGURED. */
async function providerOf(
  ctx: AppContext,
  actor: Actor,
  timeoutMs?: number,
): Promise<{
  provider: EInvoiceProvider;
  adapter: EInvoiceAdapter;
  settings: EInvoiceSettingsRow;
}> {
  const settings = await ctx.db.tenant(actor, (tx) => repo.getSettings(tx));
  const adapter = settings && eInvoiceAdapter(settings.provider);
  if (!settings || !settings.enabled || !adapter) throw new AppError('EINVOICE_NOT_CONFIGURED');
  let password: string;
  try {
    password = decryptSecret(
      ctx.config.secretsKey,
      settings.secretEncrypted,
      secretContext(actor.workspaceId),
    );
  } catch (error) {
    if (!(error instanceof SecretDecryptError)) throw error;
    throw new AppError('EINVOICE_NOT_CONFIGURED', {
      text: {
        vi: 'Không giải mã được mật khẩu nhà cung cấp hóa đơn điện tử (SEN_SECRETS_KEY đã đổi?). Hãy nhập lại mật khẩu trong Cài đặt → Hóa đơn điện tử.',
        en: 'The e-invoice provider’s password cannot be decrypted (did SEN_SECRETS_KEY change?). Enter it again in Settings → E-invoices.',
      },
    });
  }
  const provider = adapter.create({
    baseUrl: settings.baseUrl,
    username: settings.username,
    password,
    supplierTaxCode: settings.supplierTaxCode,
    templateCode: settings.templateCode,
    series: settings.series,
    outboundAllow: ctx.config.outboundAllow,
    timeoutMs,
  });
  return { provider, adapter, settings };
}

/** A provider's failure as the AppError the user reads, in both languages. */
export function toAppError(error: unknown, providerName: LocalisedText): AppError {
  if (!(error instanceof EInvoiceError)) {
    return error instanceof AppError ? error : new AppError('INTERNAL');
  }
  const name = providerName;
  const details = {
    providerCode: error.providerCode,
    providerMessage: error.providerMessage,
    retryable: error.retryable,
  };
  switch (error.kind) {
    case 'auth':
      return new AppError('EINVOICE_AUTH_FAILED', {
        details,
        text: {
          vi: `${name.vi} từ chối tên đăng nhập hoặc mật khẩu. Hãy kiểm tra lại tài khoản trong Cài đặt → Hóa đơn điện tử.`,
          en: `${name.en} refused the user name or password. Check the account in Settings → E-invoices.`,
        },
      });
    case 'timeout':
      return new AppError('EINVOICE_TIMEOUT', {
        details,
        text: {
          vi: `${name.vi} không trả lời kịp. Hóa đơn có thể đã được lập: khi thử lại, Sen hỏi nhà cung cấp trước nên sẽ không lập trùng.`,
          en: `${name.en} did not answer in time. The invoice may have been issued: when you try again Sen asks the provider first, so it will not be issued twice.`,
        },
      });
    case 'unavailable':
      return new AppError('EINVOICE_UNAVAILABLE', {
        details,
        text: {
          vi: `${name.vi} đang gặp sự cố. Hãy thử lại sau: Sen hỏi nhà cung cấp trước khi gửi lại nên hóa đơn không bị lập trùng.`,
          en: `${name.en} is having problems. Try again later: Sen asks the provider before sending again, so the invoice is not issued twice.`,
        },
      });
    case 'rejected':
      return new AppError('EINVOICE_REJECTED', {
        details,
        text: {
          vi: `${name.vi} từ chối: ${error.providerMessage ?? error.message}`,
          en: `${name.en} refused: ${error.providerMessage ?? error.message}`,
        },
      });
    case 'not_found':
      return new AppError('NOT_FOUND', {
        details,
        text: {
          vi: `${name.vi} không có hóa đơn này.`,
          en: `${name.en} has no such invoice.`,
        },
      });
    case 'blocked':
      return new AppError('EINVOICE_DESTINATION_BLOCKED', {
        details,
        text: {
          vi: `Địa chỉ của ${name.vi} là địa chỉ mạng nội bộ nên Sen không gửi tới. Nếu nhà cung cấp đặt trong mạng nội bộ của bạn, quản trị hệ thống thêm địa chỉ IP vào SEN_OUTBOUND_ALLOW.`,
          en: `${name.en}’s address is a private network address, so Sen does not call it. If the provider runs on your own network, the system administrator adds its IP to SEN_OUTBOUND_ALLOW.`,
        },
      });
    case 'bad_response':
      return new AppError('EINVOICE_UNAVAILABLE', {
        details,
        text: {
          vi: `${name.vi} trả lời một nội dung Sen không đọc được. Hãy thử lại sau.`,
          en: `${name.en} answered something Sen cannot read. Try again later.`,
        },
      });
  }
}

/** The document's own consistency: totals are the sums of the lines, a valid buyer tax code. */
function checkDocument(raw: EInvoiceDocument): EInvoiceDocument {
  const parsed = eInvoiceDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fieldError(issue?.path.join('.') ?? 'document', {
      vi: 'Dữ liệu hóa đơn không hợp lệ.',
      en: issue?.message ?? 'Invalid invoice data.',
    });
  }
  const doc = parsed.data as EInvoiceDocument;
  const before = doc.lines.reduce((s, l) => s + l.amountBeforeVat, 0);
  const vat = doc.lines.reduce((s, l) => s + l.vatAmount, 0);
  if (
    before !== doc.totals.amountBeforeVat ||
    vat !== doc.totals.vatAmount ||
    before + vat !== doc.totals.total
  ) {
    throw fieldError('totals', {
      vi: 'Tổng tiền không bằng tổng các dòng.',
      en: 'The totals are not the sums of the lines.',
    });
  }
  if (doc.buyer.taxCode) {
    const tc = normalizeTaxCode(doc.buyer.taxCode);
    if (!tc.ok) {
      throw fieldError('buyer.taxCode', {
        vi: 'Mã số thuế người mua không hợp lệ.',
        en: 'The buyer’s tax code is not valid.',
      });
    }
    doc.buyer.taxCode = tc.value.code;
  }
  return doc;
}

export async function getEInvoiceSubmission(
  ctx: AppContext,
  actor: Actor,
  recordId: string,
): Promise<PresentedSubmission | null> {
  authorize(actor, PERMISSION, 'read');
  return getEInvoiceSubmissionUnchecked(ctx, actor, recordId);
}

/** getEInvoiceSubmission for a caller that checked the permission itself (invoices: `approve`). */
export async function getEInvoiceSubmissionUnchecked(
  ctx: AppContext,
  actor: Actor,
  recordId: string,
): Promise<PresentedSubmission | null> {
  const row = await ctx.db.tenant(actor, (tx) => repo.getSubmission(tx, recordId));
  return row ? presentSubmission(row) : null;
}

/**
 * Issue the legal e-invoice of a Sen invoice. Idempotent: one submission per invoice, its
 * transaction id the invoice's id; an invoice already issued returns its submission without
 * calling the provider; a submission that failed with a timeout or 5xx is looked up at the
 * provider before anything is sent again; two callers at once: the second gets
 * EINVOICE_IN_PROGRESS. No database transaction is held while the provider is called.
 */
export async function issueEInvoice(
  ctx: AppContext,
  actor: Actor,
  document: EInvoiceDocument,
  options: Pick<IssueOptions, 'attempts' | 'backoffMs'> & { timeoutMs?: number } = {},
): Promise<PresentedSubmission> {
  authorize(actor, PERMISSION, 'create');
  return issueEInvoiceUnchecked(ctx, actor, document, options);
}

/** issueEInvoice for a caller that checked the permission itself (invoices: `approve`). */
export async function issueEInvoiceUnchecked(
  ctx: AppContext,
  actor: Actor,
  document: EInvoiceDocument,
  options: Pick<IssueOptions, 'attempts' | 'backoffMs'> & { timeoutMs?: number } = {},
): Promise<PresentedSubmission> {
  const doc = checkDocument(document);
  const { timeoutMs, ...retry } = options;
  const { provider, adapter, settings } = await providerOf(ctx, actor, timeoutMs);
  const recordId = doc.senInvoiceId;

  const claim = await ctx.db.tenant(actor, async (tx) => {
    const inserted = await repo.insertSubmission(tx, {
      workspaceId: actor.workspaceId,
      object: 'invoices',
      recordId,
      provider: settings.provider,
      transactionId: recordId,
      status: 'submitting',
      claimedAt: new Date(),
      templateCode: settings.templateCode,
      series: settings.series,
      createdBy: actor.userId,
    });
    if (inserted) return { row: inserted, done: false, maybeSent: false };
    const existing = (await repo.getSubmission(tx, recordId, true))!;
    if (existing.status !== 'submitting' && existing.status !== 'failed') {
      return { row: existing, done: true, maybeSent: true };
    }
    if (
      existing.status === 'submitting' &&
      existing.claimedAt &&
      Date.now() - existing.claimedAt.getTime() < STALE_CLAIM_MS
    ) {
      throw new AppError('EINVOICE_IN_PROGRESS');
    }
    const row = await repo.updateSubmission(tx, existing.id, {
      status: 'submitting',
      claimedAt: new Date(),
    });
    // Any earlier attempt may have reached the provider, and so may a claim left by a node that
    // stopped mid-call (its attempts were never written).
    return {
      row,
      done: false,
      maybeSent: existing.attempts > 0 || existing.status === 'submitting',
    };
  });
  if (claim.done) return presentSubmission(claim.row);

  let attempts = claim.row.attempts;
  try {
    const outcome = await issueWithoutDuplicate(
      provider,
      doc,
      { transactionId: claim.row.transactionId },
      { ...retry, maybeSent: claim.maybeSent, onAttempt: () => attempts++ },
    );
    const inv = outcome.invoice;
    return await ctx.db.tenant(actor, async (tx) => {
      const row = await repo.updateSubmission(tx, claim.row.id, {
        status: 'issued',
        attempts,
        claimedAt: null,
        invoiceNumber: inv.invoiceNumber,
        providerInvoiceId: inv.providerInvoiceId,
        lookupCode: inv.lookupCode,
        taxAuthorityCode: inv.taxAuthorityCode,
        issuedAt: inv.issuedAt ?? new Date(),
        errorCode: null,
        errorText: null,
        rawExcerpt: excerpt(inv.raw),
      });
      await recordAudit(tx, actor, {
        action: 'einvoice_issue',
        objectType: 'invoices',
        objectId: recordId,
        changes: {
          einvoiceNumber: { from: null, to: inv.invoiceNumber },
          einvoiceProvider: { from: null, to: settings.provider },
        },
      });
      return presentSubmission(row);
    });
  } catch (error) {
    const appError = toAppError(error, adapter.name);
    await ctx.db.tenant(actor, (tx) =>
      repo.updateSubmission(tx, claim.row.id, {
        status: 'failed',
        attempts,
        claimedAt: null,
        errorCode: appError.code,
        errorText: appError.messageIn('en'),
        rawExcerpt: error instanceof EInvoiceError && error.raw ? excerpt(error.raw) : null,
      }),
    );
    throw appError;
  }
}

const stateToStatus: Record<Exclude<EInvoiceState, 'not_found'>, SubmissionStatus> = {
  issued: 'issued',
  cancelled: 'cancelled',
  replaced: 'replaced',
  adjusted: 'adjusted',
};

export function notSubmittedError(): AppError {
  return new AppError('NOT_FOUND', {
    text: {
      vi: 'Hóa đơn này chưa được gửi sang nhà cung cấp hóa đơn điện tử.',
      en: 'This invoice has not been submitted as an e-invoice.',
    },
  });
}

async function submissionOrNotFound(ctx: AppContext, actor: Actor, recordId: string) {
  const row = await ctx.db.tenant(actor, (tx) => repo.getSubmission(tx, recordId));
  if (!row) throw notSubmittedError();
  return row;
}

function refOf(row: EInvoiceSubmissionRow): EInvoiceRef {
  return {
    transactionId: row.transactionId,
    invoiceNumber: row.invoiceNumber,
    issuedAt: row.issuedAt,
  };
}

/** Ask the provider for the invoice's state now and keep it on the submission. */
export async function refreshEInvoiceStatus(
  ctx: AppContext,
  actor: Actor,
  recordId: string,
): Promise<PresentedSubmission> {
  authorize(actor, PERMISSION, 'read');
  return refreshEInvoiceStatusUnchecked(ctx, actor, recordId);
}

/** refreshEInvoiceStatus for a caller that checked the permission itself (invoices: `approve`). */
export async function refreshEInvoiceStatusUnchecked(
  ctx: AppContext,
  actor: Actor,
  recordId: string,
): Promise<PresentedSubmission> {
  const row = await submissionOrNotFound(ctx, actor, recordId);
  const { provider, adapter } = await providerOf(ctx, actor);
  let st;
  try {
    st = await provider.status(refOf(row));
  } catch (error) {
    throw toAppError(error, adapter.name);
  }
  return ctx.db.tenant(actor, async (tx) => {
    if (st.state === 'not_found') {
      // Nothing at the provider: an issue that never arrived. Leave 'submitting' to its caller.
      const patch =
        row.status === 'submitting'
          ? { providerStatus: null }
          : { status: 'failed' as const, providerStatus: null, invoiceNumber: null };
      if (row.status === 'issued' || row.status === 'failed') {
        return presentSubmission(await repo.updateSubmission(tx, row.id, patch));
      }
      return presentSubmission(row);
    }
    const inv = st.invoice;
    return presentSubmission(
      await repo.updateSubmission(tx, row.id, {
        status: stateToStatus[st.state],
        providerStatus: st.providerStatus,
        claimedAt: null,
        ...(inv
          ? {
              invoiceNumber: inv.invoiceNumber,
              lookupCode: inv.lookupCode ?? row.lookupCode,
              issuedAt: inv.issuedAt ?? row.issuedAt,
            }
          : {}),
        rawExcerpt: excerpt(st.raw),
      }),
    );
  });
}

export async function cancelEInvoice(
  ctx: AppContext,
  actor: Actor,
  recordId: string,
  reason: string,
): Promise<PresentedSubmission> {
  authorize(actor, PERMISSION, 'delete');
  return cancelEInvoiceUnchecked(ctx, actor, recordId, reason);
}

/** cancelEInvoice for a caller that checked the permission itself (invoices: `approve`). */
export async function cancelEInvoiceUnchecked(
  ctx: AppContext,
  actor: Actor,
  recordId: string,
  reason: string,
): Promise<PresentedSubmission> {
  const why = reason.trim();
  if (!why) throw fieldError('reason', { vi: 'Cần ghi lý do hủy.', en: 'A reason is required.' });
  const row = await submissionOrNotFound(ctx, actor, recordId);
  if (row.status !== 'issued') {
    throw new AppError('CONFLICT', {
      text: {
        vi: 'Chỉ hủy được hóa đơn điện tử đã lập và chưa bị hủy.',
        en: 'Only an issued e-invoice that is not cancelled can be cancelled.',
      },
    });
  }
  const { provider, adapter } = await providerOf(ctx, actor);
  let raw: string;
  try {
    raw = (await provider.cancel(refOf(row), why)).raw;
  } catch (error) {
    throw toAppError(error, adapter.name);
  }
  return ctx.db.tenant(actor, async (tx) => {
    const updated = await repo.updateSubmission(tx, row.id, {
      status: 'cancelled',
      cancelledAt: new Date(),
      cancelReason: why,
      rawExcerpt: excerpt(raw),
    });
    await recordAudit(tx, actor, {
      action: 'einvoice_cancel',
      objectType: 'invoices',
      objectId: recordId,
      changes: {
        einvoiceStatus: { from: 'issued', to: 'cancelled' },
        einvoiceCancelReason: { from: null, to: why },
      },
    });
    return presentSubmission(updated);
  });
}

/** The signed XML or the PDF of an issued (or later cancelled) e-invoice, from the provider. */
export async function fetchEInvoiceDocument(
  ctx: AppContext,
  actor: Actor,
  recordId: string,
  kind: EInvoiceDocumentKind,
): Promise<EInvoiceFile> {
  authorize(actor, PERMISSION, 'read');
  return fetchEInvoiceDocumentUnchecked(ctx, actor, recordId, kind);
}

/** fetchEInvoiceDocument for a caller that checked the permission itself (invoices: `approve`). */
export async function fetchEInvoiceDocumentUnchecked(
  ctx: AppContext,
  actor: Actor,
  recordId: string,
  kind: EInvoiceDocumentKind,
): Promise<EInvoiceFile> {
  const row = await submissionOrNotFound(ctx, actor, recordId);
  if (!row.invoiceNumber) {
    throw new AppError('CONFLICT', {
      text: {
        vi: 'Hóa đơn điện tử chưa được lập nên chưa có tệp.',
        en: 'The e-invoice has not been issued, so there is no file yet.',
      },
    });
  }
  const { provider, adapter } = await providerOf(ctx, actor);
  try {
    return await provider.fetchDocument(refOf(row), kind);
  } catch (error) {
    throw toAppError(error, adapter.name);
  }
}
