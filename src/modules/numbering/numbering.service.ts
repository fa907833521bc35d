import { recordAudit } from '../../core/audit.js';
import type { AppContext } from '../../core/context.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { FieldErrors } from '../records/normalize.js';
import { formatProblem, formatProblemText, periodKey, renderNumber } from './numbering.format.js';
import { documentType, documentTypes, type DocumentType } from './numbering.registry.js';
import * as repo from './numbering.repository.js';
import type { NumberingPatchInput, NumberingTypeView, NumberingView } from './numbering.schemas.js';

/** Permission object of Settings → Đánh số chứng từ (admins), and the audit entries' type. */
export const NUMBERING = 'document_numbering';

function registered(key: string): DocumentType {
  const type = documentType(key);
  if (!type) throw new Error(`document type ${key} is not registered (registerDocumentType)`);
  return type;
}

/**
 * The next number of a document type, e.g. 'BG-2026-0013', taken INSIDE the transaction that
 * writes the document (a tenant transaction: the workspace is the transaction's). The counter's
 * move is part of that transaction: if it rolls back, the number was never used, and a
 * concurrent document waits for this one to end (no gap, no duplicate). `date` is the document's
 * date: an instant (Date) read in the workspace's time zone, or a 'YYYY-MM-DD' calendar date.
 */
export async function nextNumber(
  tx: Tx,
  type: string,
  date: Date | string = new Date(),
): Promise<string> {
  return (await takeNextNumber(tx, type, date)).number;
}

/** nextNumber() with its parts: the counter value and period it took. */
export async function takeNextNumber(tx: Tx, type: string, date: Date | string = new Date()) {
  const t = registered(type);
  const taken = await repo.takeNumber(tx, t.key, t.defaultFormat, date);
  return {
    number: renderNumber(taken.format, taken.value, taken.year, taken.month),
    value: taken.value,
    period: taken.period,
  };
}

/** The number the next document of `type` dated `date` would get now (nothing is taken). */
export async function peekNextNumber(
  tx: Tx,
  type: string,
  date: Date | string = new Date(),
): Promise<string> {
  const t = registered(type);
  const format = (await repo.formatOf(tx, t.key)) ?? t.defaultFormat;
  const { year, month } = await repo.localYearMonth(tx, date);
  const period = periodKey(format, year);
  const next = (await repo.counters(tx, [period])).get(`${t.key}\u0000${period}`) ?? 1;
  return renderNumber(format, next, year, month);
}

async function view(tx: Tx): Promise<NumberingView> {
  const today = await repo.today(tx);
  const yearly = String(today.year);
  const [formats, counters] = await Promise.all([
    repo.formats(tx),
    repo.counters(tx, [yearly, '']),
  ]);
  return {
    today,
    types: documentTypes().map((t): NumberingTypeView => {
      const format = formats.get(t.key) ?? t.defaultFormat;
      const period = periodKey(format, today.year);
      const c = {
        yearly: counters.get(`${t.key}\u0000${yearly}`) ?? 1,
        continuous: counters.get(`${t.key}\u0000`) ?? 1,
      };
      const nextValue = period ? c.yearly : c.continuous;
      return {
        key: t.key,
        label: t.label,
        format,
        defaultFormat: t.defaultFormat,
        period,
        nextValue,
        nextNumber: renderNumber(format, nextValue, today.year, today.month),
        counters: c,
      };
    }),
  };
}

export function getNumbering(ctx: AppContext, actor: Actor): Promise<NumberingView> {
  authorize(actor, NUMBERING, 'read');
  return ctx.db.read(actor, view);
}

const belowUsed = (next: number): LocalisedText => ({
  vi: `Số tiếp theo không được nhỏ hơn ${next}: các số trước đó đã được dùng hoặc giữ chỗ. Chỉ có thể tăng số tiếp theo.`,
  en: `The next number cannot be lower than ${next}: the numbers before it are used or reserved. It can only be raised.`,
});

/**
 * Change a type's format and/or raise its counter (of the current period of the format after
 * the change). Existing documents keep their numbers: only later numbers follow the new format.
 */
export function updateNumbering(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: NumberingPatchInput,
): Promise<NumberingTypeView> {
  authorize(actor, NUMBERING, 'update');
  const type = documentType(key);
  if (!type) throw new AppError('NOT_FOUND');
  const errors = new FieldErrors();
  if (input.format !== undefined) {
    const problem = formatProblem(input.format);
    if (problem) errors.add('format', formatProblemText[problem], problem);
  }
  errors.throwIfAny();
  return ctx.db.tenant(actor, async (tx) => {
    const before = (await repo.formatOf(tx, key)) ?? type.defaultFormat;
    const format = input.format ?? before;
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (format !== before) {
      await repo.saveFormat(tx, actor.workspaceId, key, format, actor.userId);
      changes.format = { from: before, to: format };
    }
    if (input.nextValue !== undefined) {
      const { year } = await repo.today(tx);
      const period = periodKey(format, year);
      // A counter never used is 1; its row is created only to raise it.
      let current = await repo.counterForUpdate(tx, key, period);
      if (current === undefined && input.nextValue > 1) {
        current = await repo.lockCounter(tx, actor.workspaceId, key, period);
      }
      current ??= 1;
      if (input.nextValue < current) {
        errors.add('nextValue', belowUsed(current), 'below_used');
        errors.throwIfAny();
      }
      if (input.nextValue !== current) {
        await repo.setCounter(tx, key, period, input.nextValue);
        changes.nextValue = { from: current, to: input.nextValue };
      }
    }
    if (Object.keys(changes).length > 0) {
      await recordAudit(tx, actor, {
        action: 'update',
        objectType: NUMBERING,
        objectId: key,
        changes,
      });
    }
    const out = await view(tx);
    return out.types.find((t) => t.key === key)!;
  });
}
