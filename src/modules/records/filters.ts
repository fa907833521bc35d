import { and, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { normalizeEmail } from '../../lib/vn/email.js';
import { foldForSearch } from '../../lib/vn/names.js';
import { normalizePhone } from '../../lib/vn/phone.js';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { FieldDef, FieldType, RelationFilter } from './fields.js';
import { FieldErrors } from './normalize.js';

/**
 * The filter tree of lists, counts, exports and saved views (docs/customer-records.md):
 *
 *   { "and": [ { "field": "provinceCode", "op": "is", "value": "01" },
 *              { "or": [ { "field": "custom.hang", "op": "in", "value": ["gold"] }, … ] } ] }
 *
 * The shape is checked with zod at the HTTP edge (filterParam); fields, operators and values are
 * checked against the object's field registry when the tree is compiled to SQL (compileFilter),
 * each problem a field error at its path in the tree ("filter.and.1.or.0.op").
 */
export const filterOps = [
  'contains',
  'not_contains',
  'is',
  'is_not',
  'is_empty',
  'is_not_empty',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'before',
  'after',
  // Relative to today in the workspace's time zone, so a saved view stays true: the value is a
  // number of days ("no order for 90 days": lastOrderDate more_than_days_ago 90).
  'more_than_days_ago',
  'within_last_days',
  'in',
  'not_in',
] as const;
export type FilterOp = (typeof filterOps)[number];

export interface FilterCondition {
  field: string;
  op: FilterOp;
  value?: unknown;
}
export type FilterNode = FilterCondition | { and: FilterNode[] } | { or: FilterNode[] };

const MAX_DEPTH = 4;
const MAX_CONDITIONS = 50;

/**
 * One node: a group ({ and: [...] } / { or: [...] }) or a condition ({ field, op, value }). One
 * object schema rather than a union, so an error names the offending key ("filter.and.0.op").
 */
export const filterNode: z.ZodType<FilterNode, unknown> = z
  .lazy(
    () =>
      z
        .strictObject({
          and: z.array(filterNode).max(MAX_CONDITIONS).optional(),
          or: z.array(filterNode).max(MAX_CONDITIONS).optional(),
          field: z.string().min(1).max(100).optional(),
          op: z.enum(filterOps).optional(),
          value: z.unknown().optional(),
        })
        .superRefine((n, ctx) => {
          const isCondition = n.field !== undefined || n.op !== undefined;
          const kinds = [n.and !== undefined, n.or !== undefined, isCondition].filter(Boolean);
          if (kinds.length !== 1) {
            ctx.addIssue({
              code: 'custom',
              message:
                'A filter is { "and": [...] }, { "or": [...] } or { "field", "op", "value" }',
            });
          } else if (isCondition && n.field === undefined) {
            ctx.addIssue({ code: 'custom', path: ['field'], message: 'Required' });
          } else if (isCondition && n.op === undefined) {
            ctx.addIssue({ code: 'custom', path: ['op'], message: 'Required' });
          }
        })
        .transform((n): FilterNode => {
          if (n.and) return { and: n.and };
          if (n.or) return { or: n.or };
          return { field: n.field ?? '', op: n.op ?? 'is', value: n.value };
        }),
    // Named, so that OpenAPI refers to it (recursive) as #/components/schemas/FilterNode.
  )
  .meta({ id: 'FilterNode' });

function depthAndSize(node: FilterNode, depth = 1): { depth: number; size: number } {
  if ('field' in node) return { depth, size: 1 };
  const children = 'and' in node ? node.and : node.or;
  let max = depth;
  let size = 0;
  for (const c of children) {
    const r = depthAndSize(c, depth + 1);
    max = Math.max(max, r.depth);
    size += r.size;
  }
  return { depth: max, size };
}

/** A filter tree in a JSON body, bounded like the `filter` query parameter. */
export const filterTree = filterNode.refine((node) => {
  const { depth, size } = depthAndSize(node);
  return depth <= MAX_DEPTH && size <= MAX_CONDITIONS;
}, `At most ${MAX_DEPTH} levels and ${MAX_CONDITIONS} conditions`);

/** The `filter` query parameter: JSON text of a filter tree. */
export const filterParam = z
  .string()
  .max(20_000)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Invalid JSON' });
      return z.NEVER;
    }
  })
  .pipe(filterNode)
  .refine((node) => {
    const { depth, size } = depthAndSize(node);
    return depth <= MAX_DEPTH && size <= MAX_CONDITIONS;
  }, `At most ${MAX_DEPTH} levels and ${MAX_CONDITIONS} conditions`);

type OpGroup = 'text' | 'number' | 'date' | 'select' | 'multi' | 'boolean';

const opsByGroup: Record<OpGroup, readonly FilterOp[]> = {
  text: ['contains', 'not_contains', 'is', 'is_not', 'is_empty', 'is_not_empty'],
  number: ['is', 'is_not', 'gt', 'gte', 'lt', 'lte', 'between', 'is_empty', 'is_not_empty'],
  date: [
    'is',
    'before',
    'after',
    'between',
    'more_than_days_ago',
    'within_last_days',
    'is_empty',
    'is_not_empty',
  ],
  select: ['is', 'is_not', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  multi: ['contains', 'not_contains', 'is_empty', 'is_not_empty'],
  boolean: ['is'],
};

export function opGroup(type: FieldType): OpGroup | null {
  switch (type) {
    case 'text':
    case 'long_text':
    case 'url':
    case 'email':
    case 'phone':
      return 'text';
    case 'number':
    case 'money':
      return 'number';
    case 'date':
    case 'datetime':
      return 'date';
    case 'select':
    case 'user':
    case 'link':
      return 'select';
    case 'multi_select':
    case 'tags':
      return 'multi';
    case 'boolean':
      return 'boolean';
    case 'json':
      return null;
  }
}

export const operatorsFor = (type: FieldType): readonly FilterOp[] => {
  const g = opGroup(type);
  return g ? opsByGroup[g] : [];
};

const msg = {
  unknownField: { vi: 'Không có trường này.', en: 'There is no such field.' },
  notFilterable: { vi: 'Không lọc được theo trường này.', en: 'This field cannot be filtered.' },
  unknownOp: {
    vi: 'Phép so sánh này không dùng được cho loại trường này.',
    en: 'This operator does not apply to this type of field.',
  },
  value: { vi: 'Giá trị lọc không hợp lệ.', en: 'Invalid filter value.' },
  choice: { vi: 'Giá trị không có trong danh sách.', en: 'Not one of the choices.' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** LIKE pattern for "contains": the user's %, _ and \ match themselves. */
export const containsPattern = (s: string) => `%${s.replace(/[\\%_]/g, '\\$&')}%`;

const list = (values: readonly unknown[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

export interface FilterContext {
  /** The field of a key (system or `custom.<key>`), or undefined. */
  resolve(key: string): FieldDef | undefined;
  /**
   * The table of a relation's target object and the caller's scope on it as a condition on the
   * alias `t` (null: every record); undefined when the caller may not read that object at all.
   */
  linked?(target: string): { table: PgTable; scope: SQL | null } | undefined;
}

/**
 * Compile a filter tree to a SQL condition on the alias `r`. Throws VALIDATION_FAILED with every
 * problem found (unknown field or operator, wrong value) at its path under `filter`.
 */
export function compileFilter(node: FilterNode, ctx: FilterContext): SQL | undefined {
  const errors = new FieldErrors();
  const out = compileNode(node, ctx, 'filter', errors);
  errors.throwIfAny();
  return out;
}

function compileNode(
  node: FilterNode,
  ctx: FilterContext,
  path: string,
  errors: FieldErrors,
): SQL | undefined {
  if ('and' in node) {
    const parts = node.and.map((c, i) => compileNode(c, ctx, `${path}.and.${i}`, errors));
    return parts.length === 0 ? undefined : and(...parts);
  }
  if ('or' in node) {
    const parts = node.or.map((c, i) => compileNode(c, ctx, `${path}.or.${i}`, errors));
    const defined = parts.filter((p): p is SQL => p !== undefined);
    return defined.length === 0 ? undefined : sql`(${or(...defined)})`;
  }
  const field = ctx.resolve(node.field);
  if (!field) {
    errors.add(`${path}.field`, msg.unknownField, 'unknown_field');
    return undefined;
  }
  const group = opGroup(field.type);
  if (!field.expr || !group) {
    errors.add(`${path}.field`, msg.notFilterable, 'not_filterable');
    return undefined;
  }
  if (!opsByGroup[group].includes(node.op)) {
    errors.add(`${path}.op`, msg.unknownOp, 'unknown_operator');
    return undefined;
  }
  const fail: Fail = (text, reason = 'invalid_value') => {
    errors.add(`${path}.value`, text, reason);
    return undefined;
  };
  if (field.relation) return relationCondition(field, field.relation, group, node, ctx, fail);
  return compileCondition(field, group, node, fail);
}

/** The positive form of a negative operator on a relation: "not X" = no link matches X. */
const positiveOp: Partial<Record<FilterOp, FilterOp>> = {
  is_not: 'is',
  not_in: 'in',
  not_contains: 'contains',
  is_empty: 'is_not_empty',
};

/**
 * A condition on a field of a link table: EXISTS a link from `r` to a live record of the target
 * that the caller may see (their scope on it, as the presented relation) and that matches; a
 * negative operator is NOT EXISTS of its positive form, so "company is not X" keeps a contact
 * who also works elsewhere out, and "job title is empty" means no link with a job title. The
 * subquery starts from the link table's key (from, to) or, for a given target id, its index on
 * (workspace_id, to).
 */
function relationCondition(
  field: FieldDef,
  relation: RelationFilter,
  group: OpGroup,
  c: FilterCondition,
  ctx: FilterContext,
  fail: Fail,
): SQL | undefined {
  const op = positiveOp[c.op] ?? c.op;
  const match = compileCondition(field, group, { ...c, op }, fail);
  if (!match) return undefined;
  const linked = ctx.linked?.(relation.target);
  const exists = linked
    ? sql`EXISTS (SELECT 1 FROM ${sql.identifier(relation.table)} l
                   JOIN ${linked.table} t ON t.workspace_id = l.workspace_id AND t.id = ${sql.raw(`l.${relation.to}`)}
                  WHERE ${sql.raw(`l.${relation.from}`)} = r.id AND t.deleted_at IS NULL
                    AND ${linked.scope ?? sql`true`} AND ${match})`
    : sql`false`;
  return op === c.op ? exists : sql`(NOT ${exists})`;
}

type Fail = (text: { vi: string; en: string }, reason?: string) => undefined;

function compileCondition(
  field: FieldDef,
  group: OpGroup,
  c: FilterCondition,
  fail: Fail,
): SQL | undefined {
  const expr = field.expr!;
  const custom = field.customKey;
  if (c.op === 'is_empty' || c.op === 'is_not_empty') {
    const empty = isEmpty(field, expr);
    return c.op === 'is_empty' ? empty : sql`NOT (${empty})`;
  }
  switch (group) {
    case 'text':
      return textCondition(field, expr, c, fail);
    case 'number':
      return numberCondition(field, expr, c, fail);
    case 'date':
      return dateCondition(field, expr, c, fail);
    case 'select':
      return selectCondition(field, expr, c, fail);
    case 'multi': {
      const values = stringList(c.value);
      if (!values) return fail(msg.value);
      if (!checkChoices(field, values)) return fail(msg.choice, 'invalid_choice');
      const any = custom
        ? sql`(${or(...values.map((v) => contains(custom, [v])))})`
        : sql`${expr} && ARRAY[${list(values)}]::text[]`;
      return c.op === 'contains' ? any : sql`NOT ${any}`;
    }
    case 'boolean': {
      if (typeof c.value !== 'boolean') return fail(msg.value);
      if (custom) {
        const isTrue = contains(custom, true);
        return c.value ? isTrue : sql`NOT ${isTrue}`;
      }
      return c.value ? sql`${expr} IS TRUE` : sql`${expr} IS NOT TRUE`;
    }
  }
}

/** `custom @> {"key": value}`: served by the GIN jsonb_path_ops index. */
const contains = (key: string, value: unknown): SQL =>
  sql`(r.custom @> ${JSON.stringify({ [key]: value })}::jsonb)`;

function isEmpty(field: FieldDef, expr: SQL): SQL {
  if (field.customKey) {
    return sql`(coalesce(r.custom->${field.customKey}, 'null'::jsonb) IN ('null'::jsonb, '""'::jsonb, '[]'::jsonb))`;
  }
  if (field.type === 'tags' || field.type === 'multi_select')
    return sql`(cardinality(${expr}) = 0)`;
  if (opGroup(field.type) === 'text') return sql`(${expr} IS NULL OR ${expr} = '')`;
  return sql`(${expr} IS NULL)`;
}

const nullOr = (expr: SQL, cond: SQL): SQL => sql`(${expr} IS NULL OR NOT ${cond})`;

function textCondition(
  field: FieldDef,
  expr: SQL,
  c: FilterCondition,
  fail: Fail,
): SQL | undefined {
  if (typeof c.value !== 'string' || c.value.length > 500) return fail(msg.value);
  const value = c.value;
  if (c.op === 'contains' || c.op === 'not_contains') {
    const f = foldForSearch(value);
    const like = sql`(${field.foldedExpr ?? expr} LIKE ${containsPattern(f)})`;
    return c.op === 'contains' ? like : nullOr(expr, like);
  }
  // is / is_not
  let eq: SQL;
  if (field.type === 'email' || field.type === 'phone') {
    const r = field.type === 'email' ? normalizeEmail(value) : normalizePhone(value);
    const normalised = r.ok ? r.value : value.trim();
    eq = field.customKey ? contains(field.customKey, normalised) : sql`(${expr} = ${normalised})`;
  } else {
    eq = sql`(${field.foldedExpr ?? expr} = ${foldForSearch(value)})`;
  }
  return c.op === 'is' ? eq : nullOr(expr, eq);
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim());
  return null;
}

const compareOps = { gt: '>', gte: '>=', lt: '<', lte: '<=', before: '<', after: '>' } as const;

function numberCondition(
  field: FieldDef,
  expr: SQL,
  c: FilterCondition,
  fail: Fail,
): SQL | undefined {
  const num = field.customKey ? sql`(${expr})::numeric` : expr;
  if (c.op === 'between') {
    const range = Array.isArray(c.value) ? c.value.map(toNumber) : [];
    const [lo, hi] = range;
    if (range.length !== 2 || lo === null || hi === null || lo === undefined || hi === undefined)
      return fail(msg.value);
    return sql`(${num} BETWEEN ${lo} AND ${hi})`;
  }
  const n = toNumber(c.value);
  if (n === null) return fail(msg.value);
  if (c.op === 'is' || c.op === 'is_not') {
    const eq = field.customKey ? contains(field.customKey, n) : sql`(${num} = ${n})`;
    return c.op === 'is' ? eq : nullOr(expr, eq);
  }
  const op = compareOps[c.op as 'gt' | 'gte' | 'lt' | 'lte'];
  return sql`(${num} ${sql.raw(op)} ${n})`;
}

/** The workspace's time zone (IANA name), read under RLS from its own row. */
const WORKSPACE_TZ = sql`(SELECT w.timezone FROM workspaces w WHERE w.id = sen_workspace_id())`;
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A datetime filter value as a timestamptz: with an explicit offset as given; a date or a local
 * date-time ("2026-11-23", "2026-11-23T08:00") in the workspace's time zone, as its users read
 * their calendar (not the database session's, which is UTC).
 */
function instant(v: string, nextDay = false): SQL {
  if (HAS_OFFSET.test(v) && !DATE.test(v)) return sql`${v}::timestamptz`;
  const local = nextDay ? sql`(${v}::date + 1)::timestamp` : sql`${v}::timestamp`;
  return sql`(${local} AT TIME ZONE ${WORKSPACE_TZ})`;
}

function dateCondition(
  field: FieldDef,
  expr: SQL,
  c: FilterCondition,
  fail: Fail,
): SQL | undefined {
  const isDate = field.type === 'date';
  const valid = (v: unknown): v is string =>
    typeof v === 'string' && (isDate ? DATE.test(v) : DATETIME.test(v)) && !isNaN(Date.parse(v));
  const cast = sql.raw(isDate ? 'date' : 'timestamptz');
  const value = field.customKey ? sql`(${expr})::${cast}` : expr;
  const at = (v: string, nextDay = false) => (isDate ? sql`${v}::date` : instant(v, nextDay));
  if (c.op === 'between') {
    const range = Array.isArray(c.value) ? c.value : [];
    const [lo, hi] = range;
    if (range.length !== 2 || !valid(lo) || !valid(hi)) return fail(msg.value);
    if (!isDate && DATE.test(hi)) {
      // A whole last day: until the start of the next one.
      return sql`(${value} >= ${at(lo)} AND ${value} < ${at(hi, true)})`;
    }
    return sql`(${value} BETWEEN ${at(lo)} AND ${at(hi)})`;
  }
  if (c.op === 'more_than_days_ago' || c.op === 'within_last_days') {
    const days = c.value;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > 36_500) {
      return fail(msg.value);
    }
    const today = sql`(now() AT TIME ZONE ${WORKSPACE_TZ})::date`;
    const from = isDate
      ? sql`(${today} - ${days}::int)`
      : sql`((${today} - ${days}::int)::timestamp AT TIME ZONE ${WORKSPACE_TZ})`;
    return c.op === 'more_than_days_ago' ? sql`(${value} < ${from})` : sql`(${value} >= ${from})`;
  }
  if (!valid(c.value)) return fail(msg.value);
  const v = c.value;
  if (c.op === 'is') {
    if (!isDate && DATE.test(v)) return sql`(${value} >= ${at(v)} AND ${value} < ${at(v, true)})`;
    return sql`(${value} = ${at(v)})`;
  }
  const op = compareOps[c.op as 'before' | 'after'];
  return sql`(${value} ${sql.raw(op)} ${at(v)})`;
}

function checkChoices(field: FieldDef, values: string[]): boolean {
  if (!field.options || field.options.length === 0) return true;
  // Values typed before the field became a list are kept, and can be filtered on.
  if (field.optionList?.keepUnlisted) return true;
  const keys = new Set(field.options.map((o) => o.key));
  return values.every((v) => keys.has(v));
}

function stringList(v: unknown): string[] | null {
  const arr = Array.isArray(v) ? v : [v];
  if (arr.length === 0 || arr.length > 200) return null;
  if (!arr.every((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 200))
    return null;
  return arr;
}

function selectCondition(
  field: FieldDef,
  expr: SQL,
  c: FilterCondition,
  fail: Fail,
): SQL | undefined {
  const many = c.op === 'in' || c.op === 'not_in';
  if (!many && Array.isArray(c.value)) return fail(msg.value);
  const values = stringList(c.value);
  if (!values) return fail(msg.value);
  const ids = field.type === 'user' || field.type === 'link';
  if (ids && !values.every((v) => UUID.test(v))) return fail(msg.value);
  if (!checkChoices(field, values)) return fail(msg.choice, 'invalid_choice');
  const normalised = ids ? values.map((v) => v.toLowerCase()) : values;
  let match: SQL;
  if (field.customKey) {
    const key = field.customKey;
    match =
      normalised.length === 1
        ? contains(key, normalised[0])
        : sql`(${or(...normalised.map((v) => contains(key, v)))})`;
  } else if (ids) {
    match = sql`(${expr} IN (${sql.join(
      normalised.map((v) => sql`${v}::uuid`),
      sql`, `,
    )}))`;
  } else {
    match = sql`(${expr} IN (${list(normalised)}))`;
  }
  return c.op === 'is' || c.op === 'in' ? match : nullOr(expr, match);
}
