import { and, sql, type SQL } from 'drizzle-orm';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, can, hiddenFields, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { AppContext } from '../../core/context.js';
import type { Tx } from '../../db/database.js';
import { queryOne, queryRows } from '../../db/sql.js';
import { workspaceOptions } from '../field-options/field-options.service.js';
import { bucketsOf, periodOf, todayIn, type Period, type PeriodKind } from './periods.js';
import type { SalesReport, SalesReportQuery } from './sales-reports.schemas.js';

const amountsHidden: LocalisedText = {
  vi: 'Vai trò của bạn không được xem giá trị cơ hội, nên không xem được báo cáo bán hàng.',
  en: 'Your role may not see deal amounts, so it cannot see the sales report.',
};

/** The workspace's time zone (its calendar: periods, weeks, "today"). */
export async function workspaceTimezone(tx: Tx): Promise<string> {
  const row = await queryOne<{ timezone: string }>(
    tx,
    sql`SELECT timezone FROM workspaces WHERE id = sen_workspace_id()`,
  );
  return row?.timezone ?? 'Asia/Ho_Chi_Minh';
}

/** A local date's midnight in the workspace's time zone, as a timestamptz. */
const midnight = (date: string, tz: string): SQL =>
  sql`(${date}::date::timestamp AT TIME ZONE ${tz})`;

interface Filters {
  pipelineId?: string | undefined;
  ownerId?: string | undefined;
  teamId?: string | undefined;
}

/** The condition on an owner column for the report's owner / team filters. */
function ownerFilter(f: Filters, column: SQL): SQL | undefined {
  return and(
    f.ownerId ? sql`${column} = ${f.ownerId}::uuid` : undefined,
    f.teamId
      ? sql`${column} IN (SELECT tm.user_id FROM team_members tm WHERE tm.team_id = ${f.teamId}::uuid)`
      : undefined,
  );
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const num = (v: unknown): number => Number(v ?? 0);

interface OwnerBucketRow {
  owner_id: string | null;
  bucket: string;
  won_count: number;
  won_amount: string;
  lost_count: number;
  cycle_seconds: string;
  open_count: number;
  open_amount: string;
  weighted: string;
}

/**
 * The sales report of a period (issue #19, "Forecast and sales reports"): won revenue, the
 * weighted and best-case forecast of open deals expected to close in it, targets and
 * attainment, win rate, average deal size, sales cycle, by owner and over time; a pipeline's
 * stage-to-stage funnel of the deals created in the period; leads by source with their
 * conversion and the revenue they brought; the weekly forecast snapshots of the period. Every
 * figure counts only the deals (and leads) the caller may see.
 */
export async function salesReport(
  ctx: AppContext,
  actor: Actor,
  q: SalesReportQuery,
): Promise<SalesReport> {
  authorize(actor, 'deals', 'read');
  // Every figure but counts is made of amounts: a role that may not see them gets no report.
  if (hiddenFields(actor, 'deals').has('amount')) {
    throw new AppError('FORBIDDEN', { text: amountsHidden });
  }
  return ctx.db.read(actor, async (tx) => {
    const tz = await workspaceTimezone(tx);
    const period = periodOf(q.period, q.date ?? todayIn(tz));
    return buildReport(tx, actor, tz, period, q);
  });
}

async function buildReport(
  tx: Tx,
  actor: Actor,
  tz: string,
  period: Period,
  f: Filters,
): Promise<SalesReport> {
  const scope = scopeCondition(actor, 'deals', sql`r.owner_id`);
  const base = and(
    scope ?? undefined,
    f.pipelineId ? sql`r.pipeline_id = ${f.pipelineId}::uuid` : undefined,
    ownerFilter(f, sql`r.owner_id`),
  );
  const unit = period.kind === 'month' ? 'week' : 'month';

  // Won and lost deals closed in the period, open deals expected to close in it: by owner and
  // sub-period, from the daily figures the database keeps per pipeline, owner and status
  // (deal_rollups: a closed deal's day is its closing day in the workspace's time zone, an open
  // one's its expected close date) — a quarter is a few thousand rows, not every deal in it.
  const rows = await queryRows<OwnerBucketRow>(
    tx,
    sql`SELECT r.owner_id,
               greatest(date_trunc(${unit}, r.day::timestamp)::date, ${period.start}::date)::text
                 AS bucket,
               coalesce(sum(r.deals) FILTER (WHERE r.status = 'won'), 0)::int AS won_count,
               coalesce(sum(r.amount) FILTER (WHERE r.status = 'won'), 0)::text AS won_amount,
               coalesce(sum(r.deals) FILTER (WHERE r.status = 'lost'), 0)::int AS lost_count,
               coalesce(sum(r.cycle_seconds) FILTER (WHERE r.status = 'won'), 0)::text
                 AS cycle_seconds,
               coalesce(sum(r.deals) FILTER (WHERE r.status = 'open'), 0)::int AS open_count,
               coalesce(sum(r.amount) FILTER (WHERE r.status = 'open'), 0)::text AS open_amount,
               coalesce(sum(r.weighted) FILTER (WHERE r.status = 'open'), 0)::text AS weighted
          FROM deal_rollups r
         WHERE r.day >= ${period.start}::date AND r.day < ${period.end}::date
           AND ${base ?? sql`true`}
         GROUP BY 1, 2
        HAVING sum(r.deals) <> 0`,
  );

  const targets = await queryRows<{ user_id: string; amount: string }>(
    tx,
    sql`SELECT t.user_id, sum(t.amount)::text AS amount FROM sales_targets t
         WHERE t.month >= ${period.start}::date AND t.month < ${period.end}::date
           AND ${and(scopeCondition(actor, 'deals', sql`t.user_id`) ?? undefined, ownerFilter(f, sql`t.user_id`)) ?? sql`true`}
         GROUP BY t.user_id`,
  );
  const targetOf = new Map(targets.map((t) => [t.user_id, num(t.amount)]));

  // Totals, by owner, over time.
  const owners = new Map<string | null, OwnerTotals>();
  const buckets = new Map(
    bucketsOf(period).map((b) => [b.start, { ...b, wonAmount: 0, weightedAmount: 0 }]),
  );
  for (const r of rows) {
    const o = owners.get(r.owner_id) ?? emptyOwner();
    o.wonCount += num(r.won_count);
    o.wonAmount += num(r.won_amount);
    o.lostCount += num(r.lost_count);
    o.cycleSeconds += num(r.cycle_seconds);
    o.openCount += num(r.open_count);
    o.openAmount += num(r.open_amount);
    o.weightedAmount += num(r.weighted);
    owners.set(r.owner_id, o);
    const b = buckets.get(r.bucket);
    if (b) {
      b.wonAmount += num(r.won_amount);
      b.weightedAmount += num(r.weighted);
    }
  }
  for (const userId of targetOf.keys()) if (!owners.has(userId)) owners.set(userId, emptyOwner());
  const names = await userNames(
    tx,
    [...owners.keys()].filter((k): k is string => k !== null),
  );

  const total = emptyOwner();
  for (const o of owners.values()) {
    total.wonCount += o.wonCount;
    total.wonAmount += o.wonAmount;
    total.lostCount += o.lostCount;
    total.cycleSeconds += o.cycleSeconds;
    total.openCount += o.openCount;
    total.openAmount += o.openAmount;
    total.weightedAmount += o.weightedAmount;
  }
  const targetTotal = targets.length > 0 ? [...targetOf.values()].reduce((a, b) => a + b, 0) : null;

  return {
    period: { kind: period.kind, start: period.start, end: period.end },
    timezone: tz,
    totals: {
      wonAmount: total.wonAmount,
      wonCount: total.wonCount,
      lostCount: total.lostCount,
      winRate: ratio(total.wonCount, total.wonCount + total.lostCount),
      averageDealSize: total.wonCount > 0 ? Math.round(total.wonAmount / total.wonCount) : null,
      salesCycleDays:
        total.wonCount > 0
          ? Math.round((total.cycleSeconds / total.wonCount / 86400) * 10) / 10
          : null,
      openAmount: total.openAmount,
      openCount: total.openCount,
      weightedAmount: Math.round(total.weightedAmount),
      bestCaseAmount: total.wonAmount + total.openAmount,
      target: targetTotal,
      attainment: targetTotal === null ? null : ratio(total.wonAmount, targetTotal),
    },
    byOwner: [...owners.entries()]
      .map(([ownerId, o]) => {
        const target = ownerId ? (targetOf.get(ownerId) ?? null) : null;
        return {
          ownerId,
          name: ownerId ? (names.get(ownerId) ?? '') : null,
          wonAmount: o.wonAmount,
          wonCount: o.wonCount,
          lostCount: o.lostCount,
          openAmount: o.openAmount,
          weightedAmount: Math.round(o.weightedAmount),
          target,
          attainment: target === null ? null : ratio(o.wonAmount, target),
        };
      })
      .sort((a, b) => b.wonAmount - a.wonAmount || b.weightedAmount - a.weightedAmount),
    overTime: [...buckets.values()].map((b) => ({
      start: b.start,
      end: b.end,
      wonAmount: b.wonAmount,
      weightedAmount: Math.round(b.weightedAmount),
    })),
    funnel: await funnel(tx, actor, tz, period, f),
    leadsBySource: await leadsBySource(tx, actor, tz, period, f),
    snapshots: await snapshots(tx, actor, period, f),
  };
}

interface OwnerTotals {
  wonCount: number;
  wonAmount: number;
  lostCount: number;
  cycleSeconds: number;
  openCount: number;
  openAmount: number;
  weightedAmount: number;
}
const emptyOwner = (): OwnerTotals => ({
  wonCount: 0,
  wonAmount: 0,
  lostCount: 0,
  cycleSeconds: 0,
  openCount: 0,
  openAmount: 0,
  weightedAmount: 0,
});

async function userNames(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{ id: string; name: string }>(
    tx,
    sql`SELECT id, name FROM users WHERE id IN (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Stage-to-stage conversion in one pipeline (the filter's, else the first): of the deals
 * created in the period, how many reached each stage (or a later one, by their stage history;
 * a won deal went through them all, even when it skipped some), and how many were won.
 */
async function funnel(tx: Tx, actor: Actor, tz: string, period: Period, f: Filters) {
  const pipeline = await queryOne<{ id: string; name: string }>(
    tx,
    f.pipelineId
      ? sql`SELECT id, name FROM pipelines WHERE id = ${f.pipelineId}::uuid`
      : sql`SELECT id, name FROM pipelines ORDER BY position, created_at LIMIT 1`,
  );
  if (!pipeline) return null;
  const scope = scopeCondition(actor, 'deals', sql`r.owner_id`);
  const cohort = and(
    sql`r.deleted_at IS NULL`,
    sql`r.pipeline_id = ${pipeline.id}::uuid`,
    sql`r.created_at >= ${midnight(period.start, tz)} AND r.created_at < ${midnight(period.end, tz)}`,
    scope ?? undefined,
    ownerFilter(f, sql`r.owner_id`),
  );
  const stageRows = await queryRows<{ id: string; name: string }>(
    tx,
    sql`SELECT s.id, s.name FROM pipeline_stages s
         WHERE s.pipeline_id = ${pipeline.id}::uuid
         ORDER BY s.position, s.created_at`,
  );
  const stageIds = `{${stageRows.map((s) => s.id).join(',')}}`;
  // Each deal of the cohort reads its own stage history (an index-only probe per deal, never
  // the whole history table) for the furthest stage it reached, by the stages' order; counted
  // by (furthest stage, won) in the same pass, then added up here for every stage.
  const furthest = await queryRows<{ pos: number | null; won: boolean; n: number }>(
    tx,
    sql`SELECT x.pos, x.won, count(*)::int AS n
          FROM (SELECT r.status = 'won' AS won,
                       (SELECT max(array_position(${stageIds}::uuid[], h.stage_id))
                          FROM deal_stage_history h WHERE h.deal_id = r.id) AS pos
                  FROM deals r WHERE ${cohort}) x
         GROUP BY 1, 2`,
  );
  const stages = stageRows.map((s, i) => ({
    ...s,
    reached: furthest
      .filter((g) => g.pos !== null && (num(g.pos) >= i + 1 || g.won))
      .reduce((sum, g) => sum + num(g.n), 0),
  }));
  const wonCount = furthest.filter((g) => g.won).reduce((sum, g) => sum + num(g.n), 0);
  return {
    pipelineId: pipeline.id,
    pipelineName: pipeline.name,
    stages: stages.map((s, i) => {
      const next = i + 1 < stages.length ? num(stages[i + 1]!.reached) : wonCount;
      return {
        stageId: s.id,
        name: s.name,
        reached: num(s.reached),
        conversion: ratio(next, num(s.reached)),
      };
    }),
    won: wonCount,
  };
}

const noSource: LocalisedText = { vi: '(Không rõ nguồn)', en: '(No source)' };

/**
 * Acquisition by source (the seeds' QCI model): leads created in the period by source, how many
 * were converted, and the revenue won in the period from deals converted from leads of each
 * source. Leads count only when the caller may see them.
 */
async function leadsBySource(tx: Tx, actor: Actor, tz: string, period: Period, f: Filters) {
  if (!can(actor, 'leads', 'read')) return [];
  const leadScope = scopeCondition(actor, 'leads', sql`r.owner_id`);
  const leadRows = await queryRows<{ source: string | null; leads: number; converted: number }>(
    tx,
    sql`SELECT r.source, count(*)::int AS leads,
               count(*) FILTER (WHERE r.status = 'converted')::int AS converted
          FROM leads r
         WHERE r.deleted_at IS NULL
           AND r.created_at >= ${midnight(period.start, tz)} AND r.created_at < ${midnight(period.end, tz)}
           AND ${and(leadScope ?? undefined, ownerFilter(f, sql`r.owner_id`)) ?? sql`true`}
         GROUP BY r.source`,
  );
  const dealScope = scopeCondition(actor, 'deals', sql`r.owner_id`);
  const revenue = await queryRows<{ source: string | null; amount: string }>(
    tx,
    sql`SELECT l.source, sum(r.amount)::text AS amount
          FROM deals r JOIN leads l ON l.id = r.source_lead_id
         WHERE r.deleted_at IS NULL AND r.status = 'won'
           AND r.closed_at >= ${midnight(period.start, tz)} AND r.closed_at < ${midnight(period.end, tz)}
           AND ${
             and(
               dealScope ?? undefined,
               f.pipelineId ? sql`r.pipeline_id = ${f.pipelineId}::uuid` : undefined,
               ownerFilter(f, sql`r.owner_id`),
             ) ?? sql`true`
           }
         GROUP BY l.source`,
  );
  const options = (await workspaceOptions(tx, 'leads')).get('source') ?? [];
  const label = (key: string | null): LocalisedText =>
    key === null ? noSource : (options.find((o) => o.key === key)?.label ?? { vi: key, en: key });
  const sources = new Set([...leadRows.map((r) => r.source), ...revenue.map((r) => r.source)]);
  return [...sources]
    .map((source) => {
      const l = leadRows.find((r) => r.source === source);
      const leads = num(l?.leads);
      const converted = num(l?.converted);
      return {
        source,
        label: label(source),
        leads,
        converted,
        conversionRate: ratio(converted, leads),
        wonAmount: num(revenue.find((r) => r.source === source)?.amount),
      };
    })
    .sort((a, b) => b.leads - a.leads || b.wonAmount - a.wonAmount);
}

/** The weekly snapshots taken during the period (a year: none; it is not snapshotted). */
async function snapshots(tx: Tx, actor: Actor, period: Period, f: Filters) {
  if (period.kind === 'year') return [];
  const rows = await queryRows<{
    taken_on: string;
    won_amount: string;
    weighted_amount: string;
    open_amount: string;
  }>(
    tx,
    sql`SELECT r.taken_on::text AS taken_on, sum(r.won_amount)::text AS won_amount,
               sum(r.weighted_amount)::text AS weighted_amount, sum(r.open_amount)::text AS open_amount
          FROM forecast_snapshots r
         WHERE r.period_kind = ${period.kind} AND r.period_start = ${period.start}::date
           AND ${
             and(
               scopeCondition(actor, 'deals', sql`r.owner_id`) ?? undefined,
               f.pipelineId ? sql`r.pipeline_id = ${f.pipelineId}::uuid` : undefined,
               ownerFilter(f, sql`r.owner_id`),
             ) ?? sql`true`
           }
         GROUP BY r.taken_on ORDER BY r.taken_on`,
  );
  return rows.map((r) => ({
    takenOn: r.taken_on,
    wonAmount: num(r.won_amount),
    weightedAmount: num(r.weighted_amount),
    openAmount: num(r.open_amount),
    forecastAmount: num(r.won_amount) + num(r.weighted_amount),
  }));
}

/**
 * Take the forecast snapshot of one workspace for the periods (month, quarter) that contain
 * its today: per pipeline and owner, won so far and the open deals expected to close in the
 * period (kept as the database computes them, so a later report compares them with the
 * actual). Taken twice the same day, the later one replaces the earlier.
 */
export async function takeSnapshot(tx: Tx, kinds: PeriodKind[] = ['month', 'quarter']) {
  const tz = await workspaceTimezone(tx);
  const today = todayIn(tz);
  let written = 0;
  for (const kind of kinds) {
    const period = periodOf(kind, today);
    const rows = await queryRows<{ n: number }>(
      tx,
      sql`WITH figures AS (
            SELECT r.workspace_id, r.pipeline_id, r.owner_id,
                   coalesce(sum(r.amount) FILTER (WHERE r.status = 'won'), 0) AS won_amount,
                   count(*) FILTER (WHERE r.status = 'won')::int AS won_count,
                   coalesce(round(sum(r.amount * r.probability / 100.0) FILTER (WHERE r.status = 'open')), 0) AS weighted_amount,
                   coalesce(sum(r.amount) FILTER (WHERE r.status = 'open'), 0) AS open_amount,
                   count(*) FILTER (WHERE r.status = 'open')::int AS open_count
              FROM deals r
             WHERE r.deleted_at IS NULL
               AND ((r.status = 'won' AND r.closed_at >= ${midnight(period.start, tz)}
                     AND r.closed_at < ${midnight(period.end, tz)})
                 OR (r.status = 'open' AND r.expected_close_date >= ${period.start}::date
                     AND r.expected_close_date < ${period.end}::date))
             GROUP BY r.workspace_id, r.pipeline_id, r.owner_id)
          INSERT INTO forecast_snapshots (workspace_id, taken_on, period_kind, period_start,
                 pipeline_id, owner_id, won_amount, weighted_amount, open_amount, open_count, won_count)
          SELECT workspace_id, ${today}::date, ${kind}, ${period.start}::date, pipeline_id, owner_id,
                 won_amount, weighted_amount, open_amount, open_count, won_count
            FROM figures
          ON CONFLICT ON CONSTRAINT forecast_snapshots_key DO UPDATE SET
                 won_amount = EXCLUDED.won_amount, weighted_amount = EXCLUDED.weighted_amount,
                 open_amount = EXCLUDED.open_amount, open_count = EXCLUDED.open_count,
                 won_count = EXCLUDED.won_count
          RETURNING 1 AS n`,
    );
    written += rows.length;
  }
  return written;
}
