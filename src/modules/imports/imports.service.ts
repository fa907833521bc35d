import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { AppError, type Locale, type LocalisedText } from '../../core/errors.js';
import { authorize, can, type Actor } from '../../core/permissions.js';
import type { AppContext } from '../../core/context.js';
import { queryRows } from '../../db/sql.js';
import { loadCustomFields } from '../custom-fields/values.js';
import { recordObjectDefinition, type RecordObjectDefinition } from '../records/define.js';
import { csvCell } from '../records/export.js';
import { loadRecords } from '../records/kinds.js';
import { importFile, importsDir, removeImportFile } from './files.js';
import * as repo from './imports.repository.js';
import type { ImportRow } from './imports.table.js';
import {
  importJob,
  importOptions,
  importPlan,
  importRow,
  type ImportMapping,
  type ImportOptions,
  type RowResult,
} from './run.js';
import { analyzeFile, dataRecords, sourceSettings, UnreadableFile } from './source.js';
import { importTargets } from './targets-of.js';
import { suggestMapping, foldHeader } from './targets.js';

/** Days an import can be undone after it finished. */
export const UNDO_DAYS = 30;
const PREVIEW_ROWS = 10;

const unreadable: Record<UnreadableFile['reason'], LocalisedText> = {
  empty: { vi: 'Tệp trống.', en: 'The file is empty.' },
  no_header: { vi: 'Không tìm thấy dòng tiêu đề.', en: 'No header row was found.' },
  no_rows: {
    vi: 'Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.',
    en: 'The file has a header row and no data rows.',
  },
  unknown_format: {
    vi: 'Không nhận ra định dạng tệp. Sen nhập được CSV, Excel (.xlsx), vCard (.vcf) và bảng trong Word (.docx).',
    en: 'Unknown file format. Sen imports CSV, Excel (.xlsx), vCard (.vcf) and tables in Word (.docx).',
  },
  encoding_mixed: {
    vi: 'Tệp trộn lẫn nhiều bảng mã (một phần UTF-8, một phần mã cũ). Hãy mở tệp trong Excel và lưu lại dạng "CSV UTF-8".',
    en: 'The file mixes encodings (part UTF-8, part a legacy one). Open it in Excel and save it again as "CSV UTF-8".',
  },
  encoding_unknown: {
    vi: 'Không nhận ra bảng mã của tệp (không phải UTF-8, Windows-1258, TCVN3 hay VISCII). Hãy lưu lại tệp dạng "CSV UTF-8".',
    en: 'The file’s encoding is not recognised (not UTF-8, Windows-1258, TCVN3 or VISCII). Save it again as "CSV UTF-8".',
  },
  binary: {
    vi: 'Tệp không phải là văn bản hay bảng tính.',
    en: 'The file is neither text nor a spreadsheet.',
  },
  zip: {
    vi: 'Tệp Excel/Word bị hỏng hoặc vượt giới hạn an toàn (quá nhiều hoặc quá lớn khi giải nén).',
    en: 'The Excel/Word file is damaged or over the safety limits (too many or too large parts when unpacked).',
  },
  csv: {
    vi: 'Tệp CSV bị lỗi cấu trúc (ví dụ một dấu ngoặc kép không được đóng).',
    en: 'The CSV file is malformed (for example a quote that is never closed).',
  },
  vcard: {
    vi: 'Tệp không phải là danh bạ vCard hợp lệ.',
    en: 'The file is not a valid vCard address book.',
  },
  docx: {
    vi: 'Tệp Word bị hỏng hoặc không đọc được (có thể chứa DOCTYPE hay XML lỗi).',
    en: 'The Word file is damaged or cannot be read (it may hold a DOCTYPE or broken XML).',
  },
  no_table: {
    vi: 'Tài liệu Word không có bảng nào. Sen nhập danh sách nằm trong bảng của Word.',
    en: 'The Word document has no table. Sen imports lists kept in Word tables.',
  },
  sheet_missing: { vi: 'Không có trang tính này.', en: 'No such sheet.' },
};

/** A byte count as people read it: "64 KB", "200 MB", "1,5 MB" (vi) / "1.5 MB" (en). */
function sizeText(bytes: number, locale: Locale): string {
  const mb = bytes / (1024 * 1024);
  const [value, unit] = mb >= 1 ? [mb, 'MB'] : [bytes / 1024, 'KB'];
  const rounded = Math.round(value * 10) / 10;
  return `${locale === 'vi' ? String(rounded).replace('.', ',') : String(rounded)} ${unit}`;
}

/** A file over SEN_IMPORT_MAX_BYTES: the 413, naming the limit. */
export function fileTooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', {
    text: {
      vi: `Tệp lớn hơn giới hạn ${sizeText(maxBytes, 'vi')} cho một lần nhập. Hãy chia tệp thành nhiều phần.`,
      en: `The file is larger than the ${sizeText(maxBytes, 'en')} limit of one import. Split it into several files.`,
    },
  });
}

function unreadableError(err: UnreadableFile): AppError {
  const text = unreadable[err.reason];
  const line = err.detail.line;
  return new AppError('VALIDATION_FAILED', {
    text:
      line !== undefined && line !== null
        ? { vi: `${text.vi} (dòng ${line})`, en: `${text.en} (line ${line})` }
        : text,
    details: { fields: [{ path: 'file', message: text.en, text, reason: err.reason }] },
  });
}

function definitionOf(object: string): RecordObjectDefinition {
  const def = recordObjectDefinition(object);
  if (!def) throw new AppError('NOT_FOUND');
  return def;
}

/** Stream an upload into the workspace's imports folder, counting and hashing it. */
async function storeUpload(
  dir: string,
  source: Readable,
): Promise<{ path: string; size: number; sha256: string }> {
  await fs.promises.mkdir(dir, { recursive: true });
  const path = `${dir}/.upload-${randomUUID()}`;
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, tap, fs.createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    await fs.promises.rm(path, { force: true });
    throw err;
  }
  return { path, size, sha256: hash.digest('hex') };
}

/**
 * Queue an import's run or undo. A node without a job runner (SEN_JOBS=false) leaves it queued:
 * a node with jobs picks it up when it starts (resumeImports).
 */
async function queueImport(
  ctx: AppContext,
  payload: { importId: string; workspaceId: string; mode: 'run' | 'undo' },
): Promise<void> {
  await ctx.jobs?.send(importJob, payload);
}

/** Upload and analyse a file: its format, header, rows, and a suggested mapping. */
export async function uploadImport(
  ctx: AppContext,
  actor: Actor,
  object: string,
  upload: { fileName: string; stream: Readable; truncated: () => boolean; sheet?: string },
) {
  const def = definitionOf(object);
  authorize(actor, object, 'import');
  authorize(actor, object, 'create');
  const dir = importsDir(ctx.config.dataDir, actor.workspaceId);
  const stored = await storeUpload(dir, upload.stream);
  try {
    if (upload.truncated()) throw fileTooLarge(ctx.config.importMaxBytes);
    const analysis = await analyzeFile(stored.path, upload.sheet).catch((err: unknown) => {
      throw err instanceof UnreadableFile ? unreadableError(err) : err;
    });
    const imp = await ctx.db.tenant(actor, async (tx) => {
      const targets = importTargets(def, await loadCustomFields(tx, def.key));
      const templates = await repo.listTemplates(tx, def.key);
      const mapping =
        mappingFromTemplates(analysis.headers, templates) ??
        suggestMapping(analysis.headers, targets);
      return repo.insertImport(tx, {
        workspaceId: actor.workspaceId,
        object,
        status: 'analyzed',
        fileName: upload.fileName.normalize('NFC').slice(0, 255) || 'import',
        format: analysis.format,
        sizeBytes: stored.size,
        sha256: stored.sha256,
        source: analysis.source,
        headers: analysis.headers,
        totalRows: analysis.totalRows,
        sample: analysis.sample,
        mapping,
        options: importOptions.parse({}),
        createdBy: actor.userId!,
      });
    });
    await fs.promises.rename(
      stored.path,
      importFile(ctx.config.dataDir, actor.workspaceId, imp.id),
    );
    return presentImport(ctx, actor, imp);
  } finally {
    await fs.promises.rm(stored.path, { force: true });
  }
}

/** A saved template whose headers all appear in this file, applied by header name. */
function mappingFromTemplates(
  headers: string[],
  templates: { mapping: unknown }[],
): ImportMapping | null {
  const folded = headers.map(foldHeader);
  for (const t of templates) {
    const entries = t.mapping as { header: string; target: string | null }[];
    if (!Array.isArray(entries) || entries.length === 0) continue;
    const byHeader = new Map(entries.map((e) => [foldHeader(e.header), e.target]));
    if (!folded.every((h) => byHeader.has(h))) continue;
    return folded.map((h) => byHeader.get(h) ?? null);
  }
  return null;
}

async function loadImport(ctx: AppContext, actor: Actor, id: string): Promise<ImportRow> {
  const imp = await ctx.db.tenant(actor, (tx) => repo.getImport(tx, id));
  if (!imp) throw new AppError('NOT_FOUND');
  authorize(actor, imp.object, 'import');
  return imp;
}

export async function presentImport(ctx: AppContext, actor: Actor, imp: ImportRow) {
  const def = definitionOf(imp.object);
  const targets = await ctx.db.tenant(actor, async (tx) =>
    importTargets(def, await loadCustomFields(tx, def.key)),
  );
  const source = sourceSettings.parse(imp.source);
  const elapsed =
    imp.startedAt && imp.rowsDone > 0
      ? ((imp.finishedAt ?? new Date()).getTime() - imp.startedAt.getTime()) / 1000
      : 0;
  const rate = elapsed > 0 ? imp.rowsDone / elapsed : null;
  const finished = imp.finishedAt;
  return {
    id: imp.id,
    object: imp.object,
    status: imp.status,
    fileName: imp.fileName,
    format: imp.format,
    sizeBytes: imp.sizeBytes,
    encoding: source.format === 'csv' ? source.encoding : null,
    delimiter: source.format === 'csv' ? source.delimiter : null,
    sheet: source.format === 'xlsx' || source.format === 'docx' ? source.sheet : null,
    sheets: source.format === 'xlsx' || source.format === 'docx' ? source.sheets : [],
    headers: imp.headers,
    sample: imp.sample,
    totalRows: imp.totalRows,
    mapping: (imp.mapping ?? []) as ImportMapping,
    options: importOptions.parse(imp.options ?? {}),
    targets: targets.map((t) => ({ key: t.key, label: t.label, multiple: t.multiple ?? false })),
    matchKeys: (def.duplicateKeys ?? []).map((k) => ({
      key: k.key,
      label: def.fields.find((f) => f.key === k.key)?.label ?? { vi: k.key, en: k.key },
    })),
    rowsDone: imp.rowsDone,
    created: imp.created,
    updated: imp.updated,
    skipped: imp.skipped,
    failed: imp.failed,
    rowsPerSecond: rate === null ? null : Math.round(rate),
    secondsLeft:
      rate && imp.status === 'running'
        ? Math.max(0, Math.round((imp.totalRows - imp.rowsDone) / rate))
        : null,
    error: (imp.error as { code: string; message: LocalisedText } | null) ?? null,
    createdAt: imp.createdAt.toISOString(),
    startedAt: imp.startedAt?.toISOString() ?? null,
    finishedAt: finished?.toISOString() ?? null,
    undoneAt: imp.undoneAt?.toISOString() ?? null,
    canUndo:
      imp.status === 'done' &&
      imp.created + imp.updated > 0 &&
      !!finished &&
      Date.now() - finished.getTime() < UNDO_DAYS * 86_400_000,
  };
}

export async function getImport(ctx: AppContext, actor: Actor, id: string) {
  return presentImport(ctx, actor, await loadImport(ctx, actor, id));
}

export async function listImports(ctx: AppContext, actor: Actor, object: string) {
  definitionOf(object);
  authorize(actor, object, 'import');
  const rows = await ctx.db.tenant(actor, (tx) => repo.listImports(tx, object, 50));
  return { items: await Promise.all(rows.map((r) => presentImport(ctx, actor, r))) };
}

/** Re-read an XLSX upload from another of its sheets. */
export async function chooseSheet(ctx: AppContext, actor: Actor, id: string, sheet: string) {
  const imp = await loadImport(ctx, actor, id);
  if (imp.status !== 'analyzed' || (imp.format !== 'xlsx' && imp.format !== 'docx')) {
    throw new AppError('CONFLICT');
  }
  const def = definitionOf(imp.object);
  const analysis = await analyzeFile(
    importFile(ctx.config.dataDir, actor.workspaceId, id),
    sheet,
  ).catch((err: unknown) => {
    throw err instanceof UnreadableFile ? unreadableError(err) : err;
  });
  const updated = await ctx.db.tenant(actor, async (tx) => {
    const targets = importTargets(def, await loadCustomFields(tx, def.key));
    await repo.updateImport(tx, id, {
      source: analysis.source,
      headers: analysis.headers,
      totalRows: analysis.totalRows,
      sample: analysis.sample,
      mapping: suggestMapping(analysis.headers, targets),
    });
    return repo.getImport(tx, id);
  });
  return presentImport(ctx, actor, updated!);
}

const mappingProblem = {
  unknownTarget: (column: string, key: string) => ({
    vi: `Cột "${column}": không có trường "${key}" để nhập vào.`,
    en: `Column "${column}": there is no field "${key}" to import into.`,
  }),
  notImportable: (column: string, label: LocalisedText, readOnly: boolean) => ({
    vi: `Cột "${column}": trường "${label.vi}" không nhập được${readOnly ? ' (chỉ đọc)' : ' từ một cột'}.`,
    en: `Column "${column}": the field "${label.en}" cannot be imported${readOnly ? ' (read-only)' : ' from one column'}.`,
  }),
  twice: (label: LocalisedText) => ({
    vi: `Hai cột cùng nhập vào "${label.vi}".`,
    en: `Two columns import into "${label.en}".`,
  }),
  nothing: { vi: 'Chưa chọn cột nào để nhập.', en: 'No column is mapped.' },
  update: {
    vi: 'Bạn không có quyền sửa bản ghi nên không thể chọn "cập nhật bản ghi trùng".',
    en: 'You may not edit records, so "update duplicates" is not available.',
  },
};

/** Check a mapping and options against the object's targets and the caller's rights. */
async function checkPlan(
  ctx: AppContext,
  actor: Actor,
  imp: ImportRow,
  mapping: ImportMapping,
  options: ImportOptions,
) {
  const def = definitionOf(imp.object);
  const targets = await ctx.db.tenant(actor, async (tx) =>
    importTargets(def, await loadCustomFields(tx, def.key)),
  );
  const byKey = new Map(targets.map((t) => [t.key, t]));
  const fields: { path: string; message: string; text: LocalisedText }[] = [];
  const used = new Set<string>();
  mapping.forEach((key, i) => {
    if (key === null) return;
    const target = byKey.get(key);
    if (!target) {
      const column = imp.headers[i] ?? `${i + 1}`;
      const field = def.fields.find((f) => f.key === key);
      const text = field
        ? mappingProblem.notImportable(column, field.label, field.readOnly)
        : mappingProblem.unknownTarget(column, key);
      fields.push({ path: `mapping.${i}`, message: text.en, text });
    } else if (used.has(key) && !target.multiple) {
      const text = mappingProblem.twice(target.label);
      fields.push({ path: `mapping.${i}`, message: text.en, text });
    }
    used.add(key);
  });
  if (used.size === 0) {
    fields.push({
      path: 'mapping',
      message: mappingProblem.nothing.en,
      text: mappingProblem.nothing,
    });
  }
  if (options.duplicates === 'update' && !can(actor, imp.object, 'update')) {
    fields.push({
      path: 'options.duplicates',
      message: mappingProblem.update.en,
      text: mappingProblem.update,
    });
  }
  if (fields.length > 0) throw new AppError('VALIDATION_FAILED', { details: { fields } });
}

interface PreviewRow {
  rowNo: number;
  line: number;
  cells: string[];
  outcome: RowResult['outcome'];
  errors: NonNullable<RowResult['errors']>;
  record: Record<string, unknown> | null;
  matchId: string | null;
}

class PreviewDone extends Error {
  constructor(readonly rows: PreviewRow[]) {
    super('preview');
  }
}

/**
 * The first rows as the run would treat them, with nothing kept: each row goes through the
 * real create or update in a transaction that is rolled back, so the preview shows the values
 * as they would be stored (normalised phones, split names…) and every error.
 */
export async function previewImport(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: { mapping: ImportMapping; options: ImportOptions },
) {
  const imp = await loadImport(ctx, actor, id);
  await checkPlan(ctx, actor, imp, body.mapping, body.options);
  const def = definitionOf(imp.object);
  const file = importFile(ctx.config.dataDir, actor.workspaceId, id);
  const records: { rowNo: number; line: number; cells: string[]; error?: string }[] = [];
  if (imp.status === 'analyzed') {
    for await (const r of dataRecords(file, sourceSettings.parse(imp.source))) {
      records.push(r);
      if (records.length >= PREVIEW_ROWS) break;
    }
  }
  try {
    await ctx.db.tenant(actor, async (tx) => {
      const plan = await importPlan(tx, { ...imp, mapping: body.mapping, options: body.options });
      const rows: PreviewRow[] = [];
      for (const r of records) {
        const result: RowResult = await importRow(tx, actor, plan, r);
        const [record] =
          result.recordId && result.outcome !== 'skipped'
            ? await loadRecords(tx, actor, def.kind, [result.recordId])
            : [];
        rows.push({
          rowNo: r.rowNo,
          line: r.line,
          cells: r.cells,
          outcome: result.outcome,
          errors: result.errors ?? [],
          record: (record as Record<string, unknown> | undefined) ?? null,
          matchId:
            result.outcome === 'updated' || result.outcome === 'skipped'
              ? (result.recordId ?? null)
              : null,
        });
      }
      throw new PreviewDone(rows);
    });
  } catch (err) {
    if (err instanceof PreviewDone) return { rows: err.rows };
    throw err;
  }
  return { rows: [] as PreviewRow[] };
}

/** Start the run: save the mapping (and a template), queue the job. */
export async function startImport(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: { mapping: ImportMapping; options: ImportOptions; template?: string | undefined },
) {
  const imp = await loadImport(ctx, actor, id);
  await checkPlan(ctx, actor, imp, body.mapping, body.options);
  const started = await ctx.db.tenant(actor, async (tx) => {
    const locked = await repo.getImportForUpdate(tx, id);
    if (!locked || locked.status !== 'analyzed') throw new AppError('CONFLICT');
    await repo.updateImport(tx, id, {
      status: 'queued',
      mapping: body.mapping,
      options: body.options,
    });
    if (body.template?.trim()) {
      await repo.saveTemplate(tx, {
        workspaceId: actor.workspaceId,
        object: imp.object,
        name: body.template.trim(),
        mapping: imp.headers.map((header, i) => ({ header, target: body.mapping[i] ?? null })),
        createdBy: actor.userId,
      });
    }
    return repo.getImport(tx, id);
  });
  await queueImport(ctx, { importId: id, workspaceId: actor.workspaceId, mode: 'run' });
  return presentImport(ctx, actor, started!);
}

/** Undo a finished import (within UNDO_DAYS): queued as a job. */
export async function startUndo(ctx: AppContext, actor: Actor, id: string) {
  const imp = await loadImport(ctx, actor, id);
  authorize(actor, imp.object, 'delete');
  const presented = await presentImport(ctx, actor, imp);
  if (!presented.canUndo) throw new AppError('CONFLICT');
  const undoing = await ctx.db.tenant(actor, async (tx) => {
    const locked = await repo.getImportForUpdate(tx, id);
    if (!locked || locked.status !== 'done') throw new AppError('CONFLICT');
    await repo.updateImport(tx, id, { status: 'undoing', undoneBy: actor.userId });
    return repo.getImport(tx, id);
  });
  await queueImport(ctx, { importId: id, workspaceId: actor.workspaceId, mode: 'undo' });
  return presentImport(ctx, actor, undoing!);
}

/**
 * The error file: every failed or skipped row with its original cells and the reasons, in the
 * caller's language, as CSV (UTF-8 with BOM for Excel, formulas neutralised).
 */
export async function* errorFile(
  ctx: AppContext,
  actor: Actor,
  id: string,
  locale: Locale,
): AsyncGenerator<string> {
  const imp = await loadImport(ctx, actor, id);
  const reason = locale === 'vi' ? 'Lý do' : 'Reason';
  const line = locale === 'vi' ? 'Dòng' : 'Line';
  yield '\ufeff' + [line, ...imp.headers, reason].map(csvCell).join(',') + '\r\n';
  let after = 0;
  for (;;) {
    const rows = await ctx.db.tenant(actor, (tx) =>
      repo.rowsOf(tx, id, ['failed', 'skipped'], after, 1000),
    );
    if (rows.length === 0) return;
    let chunk = '';
    for (const r of rows) {
      const cells = imp.headers.map((_, i) => r.cells?.[i] ?? '');
      const extra = (r.cells ?? []).slice(imp.headers.length);
      const why = (r.errors ?? [])
        .map((e) => (e.column ? `${e.column}: ` : '') + e.message[locale])
        .join('; ');
      // The reason under its header; cells beyond the header's columns after it.
      chunk += [String(r.line), ...cells, why, ...extra].map(csvCell).join(',') + '\r\n';
    }
    yield chunk;
    after = rows[rows.length - 1]!.rowNo;
  }
}

/** Queue again the imports a stopped node left queued, running or undoing (at start-up). */
export async function resumeImports(ctx: AppContext): Promise<number> {
  const rows = await ctx.db.system((tx) =>
    queryRows<{ id: string; workspace_id: string; status: string }>(
      tx,
      sql`SELECT id, workspace_id, status FROM imports
           WHERE status IN ('queued', 'running', 'undoing') ORDER BY created_at`,
    ),
  );
  for (const r of rows) {
    await queueImport(ctx, {
      importId: r.id,
      workspaceId: r.workspace_id,
      mode: r.status === 'undoing' ? 'undo' : 'run',
    });
  }
  return rows.length;
}

export { removeImportFile };
