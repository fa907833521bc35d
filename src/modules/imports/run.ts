import { createHash } from 'node:crypto';
import { getTableName, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { defineJob, type JobContext, type JobDefinition } from '../../core/jobs.js';
import type { Actor } from '../../core/permissions.js';
import type { Database, Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { foldForSearch } from '../../lib/vn/names.js';
import { loadCustomFields } from '../custom-fields/values.js';
import { workspaceOptions } from '../field-options/field-options.service.js';
import { recordObjectDefinition, type RecordObjectDefinition } from '../records/define.js';
import type { DuplicateKey } from '../records/duplicates.js';
import { importFile, removeImportFile } from './files.js';
import type { ImportRow } from './imports.table.js';
import * as repo from './imports.repository.js';
import { dataRecords, recordErrorText, sourceSettings } from './source.js';
import { importTargets } from './targets-of.js';
import type { ImportEnv, ImportTarget } from './targets.js';
import { createMany, matchKeysOf, matchMany, type Match, type Prepared } from './bulk.js';
import type { SourceRecord } from './formats/csv.js';

/** Rows per transaction: each batch commits its writes, its row outcomes and the progress. */
export const BATCH_ROWS = 500;

export const duplicatePolicies = ['skip', 'update', 'create'] as const;
export type DuplicatePolicy = (typeof duplicatePolicies)[number];

export const importOptions = z.strictObject({
  /** What a row matching an existing record does. */
  duplicates: z.enum(duplicatePolicies).default('skip'),
  /** The object's duplicate keys to match on (default: all it declares). */
  matchKeys: z.array(z.string().max(64)).max(20).optional(),
});
export type ImportOptions = z.infer<typeof importOptions>;

/** Column index → target key (null: not imported). */
export const importMapping = z.array(z.string().max(200).nullable()).max(500);
export type ImportMapping = z.infer<typeof importMapping>;

export interface RowError {
  /** The column's header, or the field's label when no one column is to blame. */
  column: string | null;
  message: LocalisedText;
}

export interface RowResult {
  outcome: 'created' | 'updated' | 'skipped' | 'failed';
  recordId?: string | null;
  errors?: RowError[];
  before?: unknown;
}

export interface ImportPlan {
  def: RecordObjectDefinition;
  headers: string[];
  columns: { index: number; header: string; target: ImportTarget }[];
  policy: DuplicatePolicy;
  matchKeys: DuplicateKey[];
  env: ImportEnv;
}

const msg = {
  tooManyCells: (n: number, width: number) => ({
    vi: `Dòng có ${n} ô, nhiều hơn ${width} cột của dòng tiêu đề.`,
    en: `The row has ${n} cells, more than the header's ${width} columns.`,
  }),
  nothingMapped: {
    vi: 'Dòng không có giá trị nào ở các cột được nhập.',
    en: 'The row has no value in the imported columns.',
  },
  duplicate: (key: string, value: string, name: string) => ({
    vi: `Trùng với "${name}" (${key}: ${value}): bỏ qua.`,
    en: `Matches "${name}" (${key}: ${value}): skipped.`,
  }),
  duplicateHidden: (key: string, value: string) => ({
    vi: `Trùng với một bản ghi bạn không được xem (${key}: ${value}): bỏ qua.`,
    en: `Matches a record you may not see (${key}: ${value}): skipped.`,
  }),
  forbidden: {
    vi: 'Bạn không có quyền ghi bản ghi này.',
    en: 'You may not write this record.',
  },
} satisfies Record<string, LocalisedText | ((...a: never[]) => LocalisedText)>;

/** The workspace's lookups the targets use (members by email and name, option lists). */
export async function importEnv(tx: Tx, objectKey: string): Promise<ImportEnv> {
  const members = await repo.activeMembers(tx);
  const memberByKey = new Map<string, string>();
  for (const m of members) {
    memberByKey.set(foldForSearch(m.email), m.userId);
    if (!memberByKey.has(foldForSearch(m.name))) memberByKey.set(foldForSearch(m.name), m.userId);
  }
  const lists = await workspaceOptions(tx, objectKey);
  const options = new Map([...lists].map(([k, v]) => [k, v.map((o) => ({ ...o }))]));
  return { memberByKey, options };
}

/** The plan of an import: mapped columns with their targets, the policy and match keys. */
export async function importPlan(
  tx: Tx,
  imp: Pick<ImportRow, 'object' | 'headers' | 'mapping' | 'options'>,
): Promise<ImportPlan> {
  const def = recordObjectDefinition(imp.object);
  if (!def) throw new AppError('NOT_FOUND');
  const targets = importTargets(def, await loadCustomFields(tx, def.key));
  const byKey = new Map(targets.map((t) => [t.key, t]));
  const mapping = importMapping.parse(imp.mapping ?? []);
  const options = importOptions.parse(imp.options ?? {});
  const columns: ImportPlan['columns'] = [];
  mapping.forEach((key, index) => {
    const target = key ? byKey.get(key) : undefined;
    if (target && index < imp.headers.length) {
      columns.push({ index, header: imp.headers[index]!, target });
    }
  });
  const declared = def.duplicateKeys ?? [];
  const matchKeys = options.matchKeys
    ? declared.filter((k) => options.matchKeys!.includes(k.key))
    : declared;
  return {
    def,
    headers: imp.headers,
    columns,
    policy: options.duplicates,
    matchKeys,
    env: await importEnv(tx, def.key),
  };
}

/** The write body of a row (and the `$` extras), or why its cells cannot be read. */
export function rowBody(
  plan: ImportPlan,
  cells: string[],
): { body: Record<string, unknown>; extras: Record<string, unknown>; errors: RowError[] } {
  const body: Record<string, unknown> = {};
  const errors: RowError[] = [];
  const width = plan.headers.length;
  const extra = cells.slice(width).filter((c) => c.trim() !== '').length;
  if (extra > 0) {
    errors.push({ column: null, message: msg.tooManyCells(width + extra, width) });
  }
  let mapped = 0;
  for (const { index, header, target } of plan.columns) {
    const text = (cells[index] ?? '').trim();
    if (text === '') continue;
    mapped++;
    const problem = target.apply(body, text, plan.env);
    if (problem) errors.push({ column: header, message: problem });
  }
  if (mapped === 0 && errors.length === 0) {
    errors.push({ column: null, message: msg.nothingMapped });
  }
  const extras: Record<string, unknown> = {};
  for (const key of Object.keys(body)) {
    if (key.startsWith('$')) {
      extras[key.slice(1)] = body[key];
      delete body[key];
    }
  }
  return { body, extras, errors };
}

/** The label of a field path in an error ("phones.0.value" → the Phones column or field). */
function columnOf(plan: ImportPlan, path: string): string | null {
  const head = path.split('.')[0] ?? '';
  const key = head === 'custom' ? path.split('.').slice(0, 2).join('.') : head;
  const column = plan.columns.find((c) => c.target.key === key || c.target.key === path);
  if (column) return column.header;
  const field = plan.def.fields.find((f) => f.key === key);
  return field ? field.label.vi : null;
}

export function errorsOf(plan: ImportPlan, err: unknown): RowError[] | null {
  if (!(err instanceof AppError)) return null;
  if (err.code === 'VALIDATION_FAILED') {
    const fields = (
      err.details as { fields?: { path: string; text?: LocalisedText; message: string }[] }
    )?.fields;
    if (fields?.length) {
      return fields.map((f) => ({
        column: columnOf(plan, f.path),
        message: f.text ?? { vi: f.message, en: f.message },
      }));
    }
  }
  if (err.code === 'FORBIDDEN') return [{ column: null, message: msg.forbidden }];
  return [
    { column: null, message: err.text ?? { vi: err.messageIn('vi'), en: err.messageIn('en') } },
  ];
}

/** The write body through the object's schema, or the row's failure. */
function parseBody(
  plan: ImportPlan,
  body: Record<string, unknown>,
): { input: Record<string, unknown> } | RowResult {
  const parsed = plan.def.schemas.create.safeParse(body);
  if (parsed.success) return { input: parsed.data as Record<string, unknown> };
  return {
    outcome: 'failed',
    errors: parsed.error.issues.map((i) => ({
      column: columnOf(plan, i.path.join('.')),
      message: { vi: 'Giá trị không hợp lệ.', en: i.message },
    })),
  };
}

/** A row skipped because it matches an existing record. */
function skippedAs(plan: ImportPlan, match: Match): RowResult {
  const label = columnOf(plan, match.key) ?? match.key;
  return {
    outcome: 'skipped',
    recordId: match.id,
    errors: [
      {
        column: null,
        message:
          match.id === null
            ? msg.duplicateHidden(label, match.value)
            : msg.duplicate(label, match.value, match.name),
      },
    ],
  };
}

/** A batch read into bodies, without the database: the rows that failed already, and the rest. */
export interface ReadBatch {
  records: Pick<SourceRecord, 'cells' | 'error'>[];
  results: (RowResult | undefined)[];
  prepared: Prepared[];
}

/**
 * The reading half of a batch (cells to bodies, the object's schema): plain computation, so the
 * run reads the next batch while the database writes the one before (runImport).
 */
export function readBatch(
  plan: ImportPlan,
  records: Pick<SourceRecord, 'cells' | 'error'>[],
): ReadBatch {
  const results: (RowResult | undefined)[] = new Array(records.length);
  const prepared: Prepared[] = [];
  records.forEach((record, index) => {
    if (record.error) {
      results[index] = {
        outcome: 'failed',
        errors: [{ column: null, message: recordErrorText(record.error) }],
      };
      return;
    }
    const { body, extras, errors } = rowBody(plan, record.cells);
    if (errors.length > 0) {
      results[index] = { outcome: 'failed', errors };
      return;
    }
    const parsed = parseBody(plan, body);
    if ('outcome' in parsed) results[index] = parsed;
    else prepared.push({ index, input: parsed.input, extras, keys: [] });
  });
  return { records, results, prepared };
}

/**
 * The writing half of a batch, in the caller's transaction: matched together, the new records
 * created at once (bulk.ts), the rest (updates, rows matching an earlier row of the batch, a
 * batch the database refused at once) one by one through importRow, after the bulk insert so
 * they see its records. Results in the rows' order.
 */
export async function writeBatch(
  tx: Tx,
  actor: Actor,
  plan: ImportPlan,
  read: ReadBatch,
): Promise<RowResult[]> {
  const { records, results, prepared } = read;
  const oneByOne: number[] = [];
  let bulk: Prepared[] = [];
  if (plan.policy === 'create') {
    bulk = prepared;
  } else {
    const matches = await matchMany(tx, actor, plan, prepared);
    const seen = new Set<string>();
    for (const row of prepared) {
      const match = matches.get(row.index);
      const keys = matchKeysOf(plan, row.input);
      if (match && (plan.policy === 'skip' || match.id === null)) {
        results[row.index] = skippedAs(plan, match);
      } else if (match || keys.some((k) => seen.has(k))) {
        oneByOne.push(row.index);
      } else {
        bulk.push(row);
      }
      for (const k of keys) seen.add(k);
    }
  }
  if (bulk.length > 0) {
    const env = {
      customFields: await loadCustomFields(tx, plan.def.key),
      activeMembers: new Set((await repo.activeMembers(tx)).map((m) => m.userId)),
    };
    const created = await createMany(
      tx,
      actor,
      plan,
      env,
      bulk,
      (err) => errorsOf(plan, err) ?? [],
    );
    if (created) for (const [index, result] of created) results[index] = result;
    else oneByOne.push(...bulk.map((row) => row.index));
  }
  oneByOne.sort((a, b) => a - b);
  for (const index of oneByOne) results[index] = await importRow(tx, actor, plan, records[index]!);
  return results.map((r) => r ?? { outcome: 'failed', errors: [] });
}

/** The live record a row matches on one of the keys (the first key that matches wins). */
async function matchRow(
  tx: Tx,
  actor: Actor,
  plan: ImportPlan,
  input: Record<string, unknown>,
): Promise<Match | null> {
  const found = await matchMany(tx, actor, plan, [{ index: 0, input, extras: {}, keys: [] }]);
  return found.get(0) ?? null;
}

/**
 * One row, in a savepoint of the batch's transaction: read its cells into a body, match it,
 * then create, update or skip through the object's own kind (the same validation, owner
 * checks, option lists, custom values and audit as the API). A refusal (validation,
 * permission) fails the row and rolls back only its savepoint.
 */
export async function importRow(
  tx: Tx,
  actor: Actor,
  plan: ImportPlan,
  record: Pick<SourceRecord, 'cells' | 'error'>,
): Promise<RowResult> {
  if (record.error) {
    return {
      outcome: 'failed',
      errors: [{ column: null, message: recordErrorText(record.error) }],
    };
  }
  const { body, extras, errors } = rowBody(plan, record.cells);
  if (errors.length > 0) return { outcome: 'failed', errors };
  const parsed = parseBody(plan, body);
  if ('outcome' in parsed) return parsed;
  const input = parsed.input;
  const match = plan.policy === 'create' ? null : await matchRow(tx, actor, plan, input);
  if (match && (plan.policy === 'skip' || match.id === null)) return skippedAs(plan, match);
  const kind = plan.def.kind;
  // A savepoint per row (the Tx handles of both backends take plain SAVEPOINT statements).
  await tx.execute(sql`SAVEPOINT import_row`);
  try {
    let result: RowResult;
    if (match?.id) {
      const before = await repo.rowSnapshot(tx, plan.def, match.id);
      await kind.update(tx, actor, match.id, input);
      await plan.def.import?.afterWrite?.(tx, actor, match.id, extras);
      result = { outcome: 'updated', recordId: match.id, before };
    } else {
      const id = await kind.create(tx, actor, input);
      await plan.def.import?.afterWrite?.(tx, actor, id, extras);
      result = { outcome: 'created', recordId: id };
    }
    await tx.execute(sql`RELEASE SAVEPOINT import_row`);
    return result;
  } catch (err) {
    const rowErrors = errorsOf(plan, err);
    if (!rowErrors) throw err;
    await tx.execute(sql`ROLLBACK TO SAVEPOINT import_row`);
    await tx.execute(sql`RELEASE SAVEPOINT import_row`);
    return { outcome: 'failed', errors: rowErrors };
  }
}

/** An advisory lock key per import: one worker runs an import at a time, on any node. */
export function importLockKey(importId: string): number {
  return 0x5e000000 + (createHash('sha256').update(importId).digest().readUInt32BE(0) & 0xffffff);
}

async function* skipTo<T extends { rowNo: number }>(
  source: AsyncGenerator<T>,
  after: number,
): AsyncGenerator<T> {
  for await (const r of source) if (r.rowNo > after) yield r;
}

/**
 * Run (or resume) an import: batches of rows, each in one transaction with its rows'
 * outcomes and the progress, so a crash at any point resumes after the last committed batch
 * with nothing done twice and nothing lost.
 */
/** The planner's estimate of a table's rows (0 before its first ANALYZE). */
async function tableRows(db: Database, table: string): Promise<number> {
  const [row] = await db.system((tx) =>
    queryRows<{ n: number }>(
      tx,
      sql`SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = to_regclass(${table})`,
    ),
  );
  return Number(row?.n ?? 0);
}

export async function runImport(
  db: Database,
  job: Pick<JobContext, 'config' | 'logger'>,
  ids: { importId: string; workspaceId: string },
  batchRows = BATCH_ROWS,
): Promise<void> {
  await db.withLock(importLockKey(ids.importId), async () => {
    const head = await repo.loadForRun(db, ids);
    if (!head || (head.status !== 'queued' && head.status !== 'running')) return;
    const actor = await repo.actorOf(db, head);
    if (!actor) {
      await repo.finish(db, ids, 'failed', {
        code: 'OWNER_GONE',
        message: {
          vi: 'Người bắt đầu lần nhập này không còn là thành viên đang hoạt động.',
          en: 'The member who started this import is no longer active.',
        },
      });
      return;
    }
    await repo.markRunning(db, actor, ids.importId);
    const plan = await db.tenant(actor, (tx) => importPlan(tx, head));
    const source = sourceSettings.parse(head.source);
    const file = importFile(job.config.dataDir, ids.workspaceId, ids.importId);
    let batch: (SourceRecord & { rowNo: number })[] = [];
    let done = head.rowsDone;
    // The planner's statistics of the object's table: a big import into a small table makes
    // them stale (the matching then walks a wrong index), and PGlite has no autovacuum to
    // refresh them. Refreshed whenever the import has doubled what it had written at the last
    // refresh and has written at least a fifth of what the table held (as the connecting user:
    // ANALYZE needs the table's owner; it takes a second or two on a million rows, for nothing
    // when the import is small beside them).
    const table = getTableName(plan.def.table);
    let analyzedAt = Math.max(500, (await tableRows(db, table)) / 10);
    // One batch's transaction at a time, in order; the next batch is read meanwhile.
    let writing: Promise<void> = Promise.resolve();
    const write = async (rows: typeof batch, read: ReadBatch) => {
      await db.tenant(actor, async (tx) => {
        // The progress is the lock: a second worker (after a lease mix-up) never redoes rows.
        const current = await repo.lockProgress(tx, ids.importId);
        if (current !== done)
          throw new Error(`import ${ids.importId} moved from ${done} to ${current}`);
        const outcomes = await writeBatch(tx, actor, plan, read);
        const results = rows.map((r, i) => ({
          ...outcomes[i]!,
          rowNo: r.rowNo,
          line: r.line,
          cells: r.cells,
        }));
        await repo.saveRows(tx, ids.importId, actor.workspaceId, results);
        await repo.advance(tx, ids.importId, results);
      });
      done += rows.length;
      if (done - head.rowsDone >= 2 * analyzedAt) {
        analyzedAt = done - head.rowsDone;
        await db.executeSql(`ANALYZE "${table}"`);
      }
    };
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      const read = readBatch(plan, rows);
      await writing;
      writing = write(rows, read);
      // Awaited by the next flush or at the end; handled now so a failure is not "unhandled"
      // while the next batch is being read.
      writing.catch(() => undefined);
    };
    try {
      for await (const record of skipTo(dataRecords(file, source), done)) {
        batch.push(record);
        if (batch.length >= batchRows) await flush();
      }
      await flush();
    } finally {
      // Never leave the lock with a batch still being written (a reading error, say).
      await writing.catch(() => undefined);
    }
    await writing;
    await repo.finish(db, ids, 'done', null);
    await removeImportFile(job.config.dataDir, ids.workspaceId, ids.importId);
  });
}

export const importJob = defineJob({
  name: 'imports.run',
  payload: z.object({
    importId: z.uuid(),
    workspaceId: z.uuid(),
    mode: z.enum(['run', 'undo']),
  }),
  retryLimit: 5,
  handler: async (payload, ctx) => {
    if (payload.mode === 'undo') {
      const { undoImport } = await import('./undo.js');
      await undoImport(ctx.db, payload);
    } else {
      await runImport(ctx.db, ctx, payload);
    }
  },
});

export const importsJobs = [importJob] as unknown as JobDefinition<never>[];
