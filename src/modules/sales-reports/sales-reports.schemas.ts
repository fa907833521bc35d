import { z } from 'zod';
import { periodKinds } from './periods.js';
import { reportTables } from './sales-reports.export.js';

const text = z.object({ vi: z.string(), en: z.string() });

export const salesReportQuery = z.strictObject({
  period: z.enum(periodKinds).default('month'),
  /** Any day of the period (default: today in the workspace's time zone). */
  date: z.iso.date().optional(),
  pipelineId: z.uuid().optional(),
  ownerId: z.uuid().optional(),
  teamId: z.uuid().optional(),
});
export type SalesReportQuery = z.infer<typeof salesReportQuery>;

export const salesReportExportQuery = salesReportQuery.extend({
  table: z.enum(reportTables),
  format: z.enum(['csv', 'xlsx']).default('xlsx'),
});

const money = z.number().int();
const rate = z.number().nullable();

export const salesReport = z.object({
  period: z.object({ kind: z.enum(periodKinds), start: z.string(), end: z.string() }),
  timezone: z.string(),
  totals: z.object({
    wonAmount: money,
    wonCount: z.number().int(),
    lostCount: z.number().int(),
    /** Won ÷ (won + lost) of the deals closed in the period. */
    winRate: rate,
    averageDealSize: money.nullable(),
    /** Days from creation to winning, on average, of the deals won in the period. */
    salesCycleDays: z.number().nullable(),
    /** Open deals expected to close in the period. */
    openAmount: money,
    openCount: z.number().int(),
    /** Σ amount × stage probability of those open deals. */
    weightedAmount: money,
    /** Won + every open deal expected to close in the period. */
    bestCaseAmount: money,
    target: money.nullable(),
    attainment: rate,
  }),
  byOwner: z.array(
    z.object({
      ownerId: z.uuid().nullable(),
      name: z.string().nullable(),
      wonAmount: money,
      wonCount: z.number().int(),
      lostCount: z.number().int(),
      openAmount: money,
      weightedAmount: money,
      target: money.nullable(),
      attainment: rate,
    }),
  ),
  overTime: z.array(
    z.object({ start: z.string(), end: z.string(), wonAmount: money, weightedAmount: money }),
  ),
  funnel: z
    .object({
      pipelineId: z.uuid(),
      pipelineName: z.string(),
      stages: z.array(
        z.object({
          stageId: z.uuid(),
          name: z.string(),
          reached: z.number().int(),
          /** Share of the deals that reached this stage and went on to the next (or won). */
          conversion: rate,
        }),
      ),
      won: z.number().int(),
    })
    .nullable(),
  leadsBySource: z.array(
    z.object({
      source: z.string().nullable(),
      label: text,
      leads: z.number().int(),
      converted: z.number().int(),
      conversionRate: rate,
      wonAmount: money,
    }),
  ),
  snapshots: z.array(
    z.object({
      takenOn: z.string(),
      wonAmount: money,
      weightedAmount: money,
      openAmount: money,
      /** What the forecast promised that day: won so far + weighted open. */
      forecastAmount: money,
    }),
  ),
});
export type SalesReport = z.infer<typeof salesReport>;

export const targetsQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });

export const targetsView = z.object({
  year: z.number().int(),
  items: z.array(
    z.object({
      userId: z.uuid(),
      name: z.string(),
      /** Month (`YYYY-MM`) → target in đồng; months without a target are absent. */
      months: z.record(z.string(), money),
    }),
  ),
});

export const targetBody = z.strictObject({
  userId: z.uuid(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'A month: YYYY-MM'),
  /** Integer đồng; null removes the target. */
  amount: z.number().int().min(0).max(1e15).nullable(),
});
