import { and, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, hiddenFields, type Actor } from '../../core/permissions.js';
import type { AppContext } from '../../core/context.js';
import { queryRows } from '../../db/sql.js';
import type { RecordKind } from './kinds.js';
import {
  DEFAULT_SORT,
  encodeCursor,
  FieldResolver,
  listWhere,
  orderBy,
  resolveSort,
  sortValueText,
  type ListParams,
} from './list.js';
import { redact } from './field-access.js';
import type { FieldDef } from './fields.js';
import { invalid } from './normalize.js';
import { listQuery } from './records.schemas.js';
import { recordObjectDefinition } from './define.js';
import { getRecordObject } from './registry.js';

/**
 * A kanban board in one request (issue #17): every column's first cards and every column's
 * count, for the records a list with the same filter, `q` and sort shows (the same scope,
 * permission and filter machinery: list.ts). Two statements: one GROUP BY for the counts, then
 * one UNION ALL of one ordered, limited query per non-empty column, each of which walks the
 * (workspace, field, updated_at) index of a stage-like field. A column's cursor continues in
 * the ordinary list (`filter` AND field is the column's value, same `sort`).
 *
 * Columns: the workspace's options in their order (an archived option only while records hold
 * it), then values records hold that are not in the list (free text typed before the field was
 * a list), then "no value" for a field that may be empty.
 */
export const BOARD_LIMIT = 20;
export const BOARD_MAX_LIMIT = 100;

export const boardQuery = listQuery.pick({ filter: true, sort: true, q: true }).extend({
  groupBy: z.string().max(120),
  limit: z.coerce.number().int().min(1).max(BOARD_MAX_LIMIT).optional(),
  scope: z
    .string()
    .max(64)
    .optional()
    .describe(
      "A value of the groupBy field's `scopedBy` field (a deal board: its pipeline's id): only its records and its options' columns.",
    ),
});
export type BoardParams = Omit<ListParams, 'trash' | 'cursor'> & {
  groupBy: string;
  scope?: string | undefined;
};

const notGroupable: LocalisedText = {
  vi: 'Chỉ nhóm được theo một trường chọn (select).',
  en: 'A board groups by a select field only.',
};

export interface BoardColumn<Out> {
  /** The value of the column; null = records without a value. */
  value: string | null;
  label: LocalisedText | null;
  color: string | null;
  archived: boolean;
  /** The value is an option of the list (else a value typed before the field was a list). */
  listed: boolean;
  count: number;
  /** The object's kanbanSums over the column's records, by key. */
  sums: Record<string, number>;
  items: Out[];
  nextCursor: string | null;
}

export const boardResponse = <T extends z.ZodType>(item: T) =>
  z.object({
    groupBy: z.string(),
    total: z.number().int(),
    columns: z.array(
      z.object({
        value: z.string().nullable(),
        label: z.object({ vi: z.string(), en: z.string() }).nullable(),
        color: z.string().nullable(),
        archived: z.boolean(),
        listed: z.boolean(),
        count: z.number().int(),
        sums: z.record(z.string(), z.number()),
        items: z.array(item),
        nextCursor: z.string().nullable(),
      }),
    ),
  });

/**
 * Only the records of `scope` (a value of the scoping field). A value among the field's options
 * is compared in the column's own type, so that an index on it serves the board (a uuid column
 * cast to text reads every row); any other value is compared as text (it matches nothing
 * there, and an ill-formed uuid is no error).
 */
function scopeCondition(scoped: FieldDef | undefined, scope: string | undefined): SQL | undefined {
  if (!scoped?.expr || scope === undefined) return undefined;
  return scoped.options?.some((o) => o.key === scope)
    ? sql`${scoped.expr} = ${scope}`
    : sql`(${scoped.expr})::text = ${scope}`;
}

// A kind's input type is only known to the kind itself.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyKind<Out> = RecordKind<Out, any>;

export async function boardRecords<Out>(
  ctx: AppContext,
  actor: Actor,
  kind: AnyKind<Out>,
  params: BoardParams,
): Promise<{ groupBy: string; total: number; columns: BoardColumn<Out>[] }> {
  authorize(actor, kind.key, 'read');
  const object = getRecordObject(kind.key);
  if (!object) throw new AppError('NOT_FOUND');
  const limit = params.limit ?? BOARD_LIMIT;
  return ctx.db.read(actor, async (tx) => {
    const resolver = new FieldResolver(kind.key).restrictTo(actor);
    await resolver.prepare(tx, [params.groupBy]);
    const field = resolver.resolve(params.groupBy);
    // Only a select field that is a column of its own (not a filter-only field) makes columns.
    if (!field || field.type !== 'select' || !field.expr || field.relation || field.shownIn) {
      throw invalid('groupBy', notGroupable, 'not_groupable');
    }
    const expr = field.expr;
    const presentation = recordObjectDefinition(kind.key)?.presentation;
    const scoped =
      field.scopedBy && params.scope !== undefined ? resolver.resolve(field.scopedBy) : undefined;
    const shown = presentation?.kanbanFilter;
    const where = await listWhere(
      tx,
      actor,
      resolver,
      {
        ...params,
        filter: shown && params.filter ? { and: [shown, params.filter] } : (shown ?? params.filter),
        trash: false,
      },
      scopeCondition(scoped, params.scope),
    );
    // A total of a field the caller may not see is not computed at all.
    const hidden = hiddenFields(actor, kind.key);
    const sums = (presentation?.kanbanSums ?? []).filter((s) => !s.field || !hidden.has(s.field));
    const sort = resolveSort(resolver, params.sort ?? DEFAULT_SORT);

    const counted = await queryRows<{
      value: string | null;
      count: number;
      sums: (string | null)[] | null;
    }>(
      tx,
      sql`SELECT (${expr})::text AS value, count(*)::int AS count${
        sums.length > 0
          ? sql`, ARRAY[${sql.join(
              sums.map((s) => sql`coalesce(sum(${s.expr}), 0)::text`),
              sql`, `,
            )}] AS sums`
          : sql``
      }
            FROM ${object.table} r
           WHERE ${where ?? sql`true`}
           GROUP BY 1`,
    );
    const counts = new Map(counted.map((r) => [r.value, Number(r.count)]));
    const totals = new Map(
      counted.map((r) => [
        r.value,
        Object.fromEntries(sums.map((s, i) => [s.key, Number(r.sums?.[i] ?? 0)])),
      ]),
    );
    const zero = Object.fromEntries(sums.map((s) => [s.key, 0]));

    const options = (field.options ?? []).filter(
      (o) => !scoped || o.scope === undefined || o.scope === params.scope,
    );
    const listed = new Set(options.map((o) => o.key));
    const columns: BoardColumn<Out>[] = [
      ...options
        .filter((o) => !o.archived || (counts.get(o.key) ?? 0) > 0)
        .map((o) => column(o.key, o.label, o.color ?? null, o.archived ?? false, true)),
      ...[...counts]
        .filter(([value]) => value !== null && !listed.has(value))
        .sort(([a, x], [b, y]) => y - x || String(a).localeCompare(String(b), 'vi'))
        .map(([value]) => column(value, null, null, false, false)),
      ...(field.nullable !== false || (counts.get(null) ?? 0) > 0
        ? [column(null, null, null, false, true)]
        : []),
    ];
    function column(
      value: string | null,
      label: LocalisedText | null,
      color: string | null,
      archived: boolean,
      isListed: boolean,
    ): BoardColumn<Out> {
      const count = counts.get(value) ?? 0;
      return {
        value,
        label,
        color,
        archived,
        listed: isListed,
        count,
        sums: totals.get(value) ?? zero,
        items: [],
        nextCursor: null,
      };
    }

    const filled = columns.map((c, i) => ({ c, i })).filter(({ c }) => c.count > 0);
    if (filled.length > 0) {
      // Each branch orders and limits ids only (the index does the work); the presented
      // columns, with their sub-selects, are computed once for the rows kept. The rank keeps
      // each column's order through the UNION (SQL promises none).
      const branch = (value: string | null, i: number): SQL => {
        const match = value === null ? sql`${expr} IS NULL` : sql`${expr} = ${value}`;
        return sql`(SELECT r.id AS "boardId", ${sortValueText(sort.expr, sort.cast)} AS "sortValue",
                           ${i}::int AS "boardColumn",
                           row_number() OVER (ORDER BY ${orderBy(sort)}) AS "boardRank"
                      FROM ${object.table} r
                     WHERE ${and(where, match)}
                     ORDER BY ${orderBy(sort)}
                     LIMIT ${limit + 1})`;
      };
      const rows = await queryRows<{
        id: string;
        sortValue: string | null;
        boardColumn: number;
        boardRank: number;
      }>(
        tx,
        sql`SELECT ${kind.columns(actor)}, b."sortValue", b."boardColumn", b."boardRank"
              FROM (${sql.join(
                filled.map(({ c, i }) => branch(c.value, i)),
                sql` UNION ALL `,
              )}) b
              JOIN ${object.table} r ON r.id = b."boardId"
             ORDER BY b."boardColumn", b."boardRank"`,
      );
      const byColumn = new Map<number, typeof rows>();
      for (const row of rows) {
        const list = byColumn.get(Number(row.boardColumn)) ?? [];
        list.push(row);
        byColumn.set(Number(row.boardColumn), list);
      }
      for (const { c, i } of filled) {
        const got = byColumn.get(i) ?? [];
        const page = got.slice(0, limit);
        const last = page[page.length - 1];
        c.items = page.map(({ sortValue: _s, boardColumn: _c, boardRank: _r, ...row }) =>
          redact(actor, kind.key, kind.present(row)),
        );
        c.nextCursor =
          got.length > limit && last
            ? encodeCursor({ s: sort.key, v: last.sortValue, id: last.id })
            : null;
      }
    }
    const total = columns.reduce((sum, c) => sum + c.count, 0);
    return { groupBy: field.key, total, columns };
  });
}
