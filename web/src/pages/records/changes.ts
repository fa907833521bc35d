/**
 * A record's field changes in words, for the timeline: "Thêm Công ty: Hồng Hà (Trưởng phòng mua
 * hàng)", "Người phụ trách: An → Bình", "Đặt Ngày sinh là 02/09/1990". Values are shown the way
 * the record page shows them (option labels, dates, money), ids by the names the server sent
 * with the event (`names`), and lists (tags, linked companies, phones) as what was added and
 * removed rather than two long lists.
 */
import type { TFunction } from 'i18next';
import { fieldChoices, fieldLabel, type FieldMeta } from '../../api/records';
import { auditFieldLabel } from '../../lib/labels';
import type { useFormat } from '../../lib/format';
import { presentationOf } from './fieldPresentations';
import { valueText } from './fields';

type Fmt = ReturnType<typeof useFormat>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

interface Ctx {
  t: TFunction;
  fmt: Fmt;
  names: Record<string, string>;
  field: FieldMeta | undefined;
}

/** One sentence per change, in the UI language. */
export function describeChanges(
  t: TFunction,
  fmt: Fmt,
  fields: FieldMeta[] | undefined,
  changes: Change[],
  names: Record<string, string>,
): string[] {
  const labels = Object.fromEntries((fields ?? []).map((f) => [f.key, fieldLabel(f, fmt.lang)]));
  return changes.flatMap((c) => {
    const field = fields?.find((f) => f.key === c.field || f.key === `custom.${c.field}`);
    // A timestamp the system keeps (last activity, in stage since) is no one's doing.
    if (field?.readOnly && field.type === 'datetime') return [];
    const label = auditFieldLabel(t, c.field, labels);
    // A field its declaration says how to show (a document's lines).
    const presentation = presentationOf(field);
    if (presentation) return presentation.change(t, fmt, label, c.from, c.to);
    return describe({ t, fmt, names, field }, label, c.from, c.to);
  });
}

function describe(ctx: Ctx, label: string, from: unknown, to: unknown): string[] {
  const { t } = ctx;
  if (Array.isArray(from) || Array.isArray(to)) {
    const before = Array.isArray(from) ? from : from == null ? [] : [from];
    const after = Array.isArray(to) ? to : to == null ? [] : [to];
    return describeList(ctx, label, before, after);
  }
  const a = text(ctx, from);
  const b = text(ctx, to);
  if (a === b) return [];
  if (!a) return [t('records.timeline.change.set', { field: label, to: b })];
  if (!b) return [t('records.timeline.change.cleared', { field: label, from: a })];
  return [t('records.timeline.change.changed', { field: label, from: a, to: b })];
}

/**
 * A list: items are matched by their id (a link's `companyId`…) or, without one, by their whole
 * value; the sentences name what was added, removed, and changed in place.
 */
function describeList(ctx: Ctx, label: string, from: unknown[], to: unknown[]): string[] {
  const { t } = ctx;
  const keyOf = (v: unknown) => idOf(v) ?? JSON.stringify(v);
  const before = new Map(from.map((v) => [keyOf(v), v]));
  const after = new Map(to.map((v) => [keyOf(v), v]));
  const added = [...after].filter(([k]) => !before.has(k)).map(([, v]) => itemText(ctx, v));
  const removed = [...before].filter(([k]) => !after.has(k)).map(([, v]) => itemText(ctx, v));
  const out: string[] = [];
  if (added.length > 0) {
    out.push(t('records.timeline.change.added', { field: label, items: added.join(', ') }));
  }
  if (removed.length > 0) {
    out.push(t('records.timeline.change.removed', { field: label, items: removed.join(', ') }));
  }
  for (const [k, v] of after) {
    const old = before.get(k);
    if (old === undefined) continue;
    const a = itemText(ctx, old);
    const b = itemText(ctx, v);
    if (a !== b) out.push(t('records.timeline.change.changed', { field: label, from: a, to: b }));
  }
  return out;
}

/** The id an item of a list is known by: its `…Id` member (a link), or itself when an id. */
function idOf(v: unknown): string | null {
  if (typeof v === 'string' && UUID.test(v)) return v;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (/Id$/.test(k) && typeof x === 'string') return x;
    }
  }
  return null;
}

/** A list item in words: a link as its target's name and its details ("Hồng Hà (Kế toán)"). */
function itemText(ctx: Ctx, v: unknown): string {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const id = idOf(v);
    const o = v as Record<string, unknown>;
    // Ids and codes are not words; a phone shows its national form rather than +84….
    const details = Object.entries(o)
      .filter(([k, x]) => !/(Id|Code)$/.test(k) && (typeof x === 'string' || typeof x === 'number'))
      .filter(([k]) => !(k === 'value' && typeof o.national === 'string'))
      .map(([, x]) => plain(ctx, x))
      .filter(Boolean);
    const name = id ? (ctx.names[id] ?? ctx.t('records.timeline.change.unknown')) : null;
    if (name) return details.length > 0 ? `${name} (${details.join(', ')})` : name;
    return details.join(', ') || '…';
  }
  return scalar(ctx, v);
}

function text(ctx: Ctx, v: unknown): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'object') return itemText(ctx, v);
  return scalar(ctx, v);
}

/** A single value as the record page shows it (option label, date, money, a name for an id). */
function scalar(ctx: Ctx, v: unknown): string {
  if (typeof v === 'string' && UUID.test(v)) {
    // An option that is a row of the workspace (a deal's pipeline, its stage) by its label.
    const option =
      ctx.field?.type === 'select'
        ? fieldChoices(ctx.field, ctx.fmt.lang).find((c) => c.value === v)?.label
        : undefined;
    return ctx.names[v] ?? option ?? ctx.t('records.timeline.change.unknown');
  }
  if (ctx.field && ctx.field.type !== 'json') {
    // A list's items one by one: a tag as itself, a multi-select's item by its option label.
    const type: FieldMeta['type'] | null =
      ctx.field.type === 'tags' ? 'text' : ctx.field.type === 'multi_select' ? 'select' : null;
    const field: FieldMeta = type ? { ...ctx.field, type } : ctx.field;
    const shown = valueText(ctx.t, ctx.fmt, field, v);
    if (shown) return shown;
  }
  return plain(ctx, v);
}

function plain(ctx: Ctx, v: unknown): string {
  if (typeof v === 'boolean') return v ? ctx.t('common.yes') : ctx.t('common.no');
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return ctx.fmt.dateTime(v);
  if (typeof v === 'number') return ctx.fmt.number(v);
  return String(v ?? '');
}
