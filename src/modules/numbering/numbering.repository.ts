import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryOne, queryRows } from '../../db/sql.js';
import { documentNumberFormats, documentSequences } from './numbering.table.js';

/** The regular expression periodKey() (numbering.format.ts) tests: a format that shows the year. */
const YEARLY = '\\{YYYY\\}|\\{YY\\}';

const workspaceTz = sql`(SELECT w.timezone FROM workspaces w WHERE w.id = sen_workspace_id())`;

/**
 * The calendar date a document's number is taken for: a JS Date (an instant) in the workspace's
 * time zone, a 'YYYY-MM-DD' string as that date.
 */
function localDate(date: Date | string): SQL {
  return typeof date === 'string'
    ? sql`${date}::date`
    : sql`(${date.toISOString()}::timestamptz AT TIME ZONE ${workspaceTz})::date`;
}

export interface TakenNumber {
  format: string;
  year: number;
  month: number;
  period: string;
  value: number;
}

/**
 * Take the next number of a document type in the current workspace: ONE statement that reads the
 * workspace's format (or `defaultFormat`) and time zone, and inserts the period's counter or moves
 * it by one (INSERT … ON CONFLICT DO UPDATE … RETURNING). The counter row stays locked until the
 * caller's transaction ends: a concurrent caller waits, then moves the committed value; a
 * rollback undoes the move.
 */
export async function takeNumber(
  tx: Tx,
  docType: string,
  defaultFormat: string,
  date: Date | string,
): Promise<TakenNumber> {
  const row = await queryOne<{
    format: string;
    year: number;
    month: number;
    period: string;
    value: string | number;
  }>(
    tx,
    sql`WITH cfg AS (
          SELECT coalesce(f.format, ${defaultFormat}) AS format,
                 extract(year FROM d.day)::int AS year, extract(month FROM d.day)::int AS month
            FROM (SELECT ${localDate(date)} AS day) d
            LEFT JOIN document_number_formats f
              ON f.workspace_id = sen_workspace_id() AND f.doc_type = ${docType}
        ), per AS (
          SELECT cfg.*, CASE WHEN cfg.format ~ ${YEARLY} THEN cfg.year::text ELSE '' END AS period
            FROM cfg
        ), taken AS (
          INSERT INTO document_sequences AS s (workspace_id, doc_type, period, next_value)
          SELECT sen_workspace_id(), ${docType}, per.period, 2 FROM per
          ON CONFLICT (workspace_id, doc_type, period)
            DO UPDATE SET next_value = s.next_value + 1, updated_at = now()
          RETURNING s.next_value - 1 AS value
        )
        SELECT per.format, per.year, per.month, per.period, taken.value FROM per, taken`,
  );
  if (!row) throw new Error(`document number of ${docType} not taken`);
  return { ...row, value: Number(row.value) };
}

/** The workspace's calendar today (its time zone): year and month. */
export async function today(tx: Tx): Promise<{ year: number; month: number; date: string }> {
  const row = await queryOne<{ year: number; month: number; date: string }>(
    tx,
    sql`SELECT extract(year FROM d)::int AS year, extract(month FROM d)::int AS month,
               to_char(d, 'YYYY-MM-DD') AS date
          FROM (SELECT (now() AT TIME ZONE ${workspaceTz})::date AS d) x`,
  );
  if (!row) throw new Error('no workspace today');
  return row;
}

export async function localYearMonth(
  tx: Tx,
  date: Date | string,
): Promise<{ year: number; month: number }> {
  const row = await queryOne<{ year: number; month: number }>(
    tx,
    sql`SELECT extract(year FROM d)::int AS year, extract(month FROM d)::int AS month
          FROM (SELECT ${localDate(date)} AS d) x`,
  );
  if (!row) throw new Error('no local date');
  return row;
}

export async function formats(tx: Tx): Promise<Map<string, string>> {
  const rows = await tx
    .select({ docType: documentNumberFormats.docType, format: documentNumberFormats.format })
    .from(documentNumberFormats);
  return new Map(rows.map((r) => [r.docType, r.format]));
}

export async function formatOf(tx: Tx, docType: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ format: documentNumberFormats.format })
    .from(documentNumberFormats)
    .where(eq(documentNumberFormats.docType, docType));
  return row?.format;
}

export async function saveFormat(
  tx: Tx,
  workspaceId: string,
  docType: string,
  format: string,
  userId: string | null,
): Promise<void> {
  await tx
    .insert(documentNumberFormats)
    .values({ workspaceId, docType, format, updatedBy: userId })
    .onConflictDoUpdate({
      target: [documentNumberFormats.workspaceId, documentNumberFormats.docType],
      set: { format, updatedBy: userId, updatedAt: sql`now()` },
    });
}

/** Every counter of the given periods: `${docType}\u0000${period}` → next value. */
export async function counters(tx: Tx, periods: string[]): Promise<Map<string, number>> {
  const rows = await queryRows<{ doc_type: string; period: string; next_value: string | number }>(
    tx,
    sql`SELECT doc_type, period, next_value FROM document_sequences
         WHERE period = ANY(${`{${periods.map((p) => `"${p}"`).join(',')}}`}::text[])`,
  );
  return new Map(rows.map((r) => [`${r.doc_type}\u0000${r.period}`, Number(r.next_value)]));
}

/** The counter of one period, locked until the transaction ends; undefined when missing. */
export async function counterForUpdate(
  tx: Tx,
  docType: string,
  period: string,
): Promise<number | undefined> {
  const [row] = await tx
    .select({ nextValue: documentSequences.nextValue })
    .from(documentSequences)
    .where(and(eq(documentSequences.docType, docType), eq(documentSequences.period, period)))
    .for('update');
  return row?.nextValue;
}

/** The counter of one period, created at 1 if missing, locked until the transaction ends. */
export async function lockCounter(
  tx: Tx,
  workspaceId: string,
  docType: string,
  period: string,
): Promise<number> {
  await tx.insert(documentSequences).values({ workspaceId, docType, period }).onConflictDoNothing();
  const [row] = await tx
    .select({ nextValue: documentSequences.nextValue })
    .from(documentSequences)
    .where(and(eq(documentSequences.docType, docType), eq(documentSequences.period, period)))
    .for('update');
  if (!row) throw new Error('document counter not found after insert');
  return row.nextValue;
}

export async function setCounter(
  tx: Tx,
  docType: string,
  period: string,
  nextValue: number,
): Promise<void> {
  await tx
    .update(documentSequences)
    .set({ nextValue, updatedAt: sql`now()` })
    .where(and(eq(documentSequences.docType, docType), eq(documentSequences.period, period)));
}
