/**
 * Field presentations: how the web app shows a field whose type says too little (a json field),
 * by the key its declaration names (`presentation` of the field: FieldDef.presentation on the
 * server, `presentation` in GET /objects/:object/fields). The shared pages ask here, never for
 * an object or a field by name: adding a presentation is adding an entry.
 */
import type { TFunction } from 'i18next';

/** The formatters a presentation uses (a subset of useFormat()'s, lib/format.ts). */
export interface Fmt {
  number(v: number): string;
  money(v: number): string;
}

export interface FieldPresentation {
  /** Listed among the record's fields (Thông tin); false: a panel of the page shows it. */
  listed: boolean;
  /** The timeline's sentences for a change of the field from `from` to `to`. */
  change(t: TFunction, fmt: Fmt, label: string, from: unknown, to: unknown): string[];
}

/** A document's line as its audit keeps it (line-items.service.ts, auditView). */
interface AuditLine {
  name: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  discount: { kind: 'percent' | 'amount'; value: number } | null;
  vatRate: string;
  netAmount: number;
}

function auditLines(v: unknown): AuditLine[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter((x): x is Record<string, unknown> => !!x && typeof x === 'object')
    .map((x) => ({
      name: typeof x.name === 'string' ? x.name : '',
      quantity: Number(x.quantity ?? 0),
      unit: typeof x.unit === 'string' ? x.unit : '',
      unitPrice: Number(x.unitPrice ?? 0),
      discount:
        x.discount && typeof x.discount === 'object'
          ? {
              kind: (x.discount as { kind?: unknown }).kind === 'amount' ? 'amount' : 'percent',
              value: Number((x.discount as { value?: unknown }).value ?? 0),
            }
          : null,
      vatRate: String(x.vatRate ?? ''),
      netAmount: Number(x.netAmount ?? 0),
    }));
}

/** "2 dòng, thành tiền 2.908.000 ₫" (the lines' amount after discounts, before VAT). */
function summary(t: TFunction, fmt: Fmt, lines: AuditLine[]): string {
  const amount = lines.reduce((sum, l) => sum + l.netAmount, 0);
  return t('lineItems.change.summary', { count: lines.length, amount: fmt.money(amount) });
}

/** "10 hộp × 250.000 ₫, CK 15 %, Thuế 10 %" (or "…, Không chịu thuế"). */
function lineTerms(t: TFunction, fmt: Fmt, l: AuditLine): string {
  const parts = [`${fmt.number(l.quantity)} ${l.unit} × ${fmt.money(l.unitPrice)}`];
  if (l.discount && l.discount.value > 0) {
    const value =
      l.discount.kind === 'percent'
        ? t('lineItems.percent', { value: fmt.number(l.discount.value) })
        : fmt.money(l.discount.value);
    parts.push(t('lineItems.discountShort', { value }));
  }
  parts.push(
    l.vatRate === 'none'
      ? t('lineItems.vat.none')
      : t('lineItems.vatShort', { value: t(`lineItems.vat.${l.vatRate}`) }),
  );
  return parts.join(', ');
}

/**
 * A document's lines: their count and amount, then the lines added, removed and changed (matched
 * by name, in order). A first save or a document made from another says only the summary.
 */
const lineItems: FieldPresentation = {
  listed: false,
  change(t, fmt, label, from, to) {
    const before = auditLines(from);
    const after = auditLines(to);
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    if (after.length === 0) return [t('lineItems.change.emptied')];
    const totals =
      before.length === 0
        ? t('lineItems.change.set', { field: label, summary: summary(t, fmt, after) })
        : t('records.timeline.change.changed', {
            field: label,
            from: summary(t, fmt, before),
            to: summary(t, fmt, after),
          });
    if (before.length === 0) return [totals];
    // Lines matched by name, each name's n-th line with the other side's n-th.
    const keyed = (lines: AuditLine[]) => {
      const seen = new Map<string, number>();
      return lines.map((l) => {
        const n = seen.get(l.name) ?? 0;
        seen.set(l.name, n + 1);
        return [`${l.name}\u0000${n}`, l] as const;
      });
    };
    const old = new Map(keyed(before));
    const now = new Map(keyed(after));
    const out: string[] = [];
    for (const [k, l] of now) {
      const was = old.get(k);
      if (!was) {
        out.push(t('lineItems.change.added', { name: l.name, terms: lineTerms(t, fmt, l) }));
        continue;
      }
      const a = lineTerms(t, fmt, was);
      const b = lineTerms(t, fmt, l);
      if (a !== b) out.push(t('lineItems.change.edited', { name: l.name, from: a, to: b }));
    }
    for (const [k, l] of old) {
      if (!now.has(k)) out.push(t('lineItems.change.removed', { name: l.name }));
    }
    const same = summary(t, fmt, before) === summary(t, fmt, after);
    // Lines reordered only: the summary says nothing changed, and nothing was added or edited.
    if (same && out.length === 0) return [t('lineItems.change.reordered')];
    return same ? out : [totals, ...out];
  },
};

export const fieldPresentations: Record<string, FieldPresentation> = { lineItems };

/** The presentation a field's declaration names, if the web app has it. */
export function presentationOf(field: { presentation?: string | null } | undefined) {
  return field?.presentation ? fieldPresentations[field.presentation] : undefined;
}
