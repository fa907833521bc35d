import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import yauzl from 'yauzl';
import { MAX_RECORD_CHARS, type SourceRecord } from './csv.js';
import { inspectZip } from './zip.js';

/**
 * The tables of a Word .docx (customer lists often live in Word tables), streamed.
 *
 * The zip passes inspectZip() first (entry count, sizes, zip-bomb ratio). Then the main document
 * part (found through `_rels/.rels`, normally `word/document.xml`) is inflated as a stream and
 * read with saxes, a SAX parser (already in the tree through exceljs) that never expands
 * entities: a document with a DOCTYPE is refused outright (Word never writes one), and an
 * undefined entity is an XML error. No DOM, no mammoth: only table rows are kept, one at a time.
 *
 * Tables are the top-level `w:tbl`s in document order (a table nested in a cell adds its text to
 * that cell; a text box's table counts once, its `mc:Fallback` copy is skipped). A cell's text is
 * its paragraphs joined with "\n" (empty ones at its start and end dropped), `w:tab` as a space,
 * `w:br`/`w:cr` as "\n", NFC; deleted text (tracked changes) and field codes are left out.
 * Merged cells keep the columns in line: a cell spanning n grid columns (gridSpan) is followed by
 * n-1 empty cells, a vertically merged continuation (vMerge) is empty, and `w:gridBefore` puts
 * empty cells before a row's first. A row's `line` is its number in its table (1-based, empty
 * rows counted but not yielded).
 */

const W_NS = new Set([
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  'http://purl.oclc.org/ooxml/wordprocessingml/main', // Strict OOXML
]);
const MC_NS = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
const REL_NS = new Set(['http://schemas.openxmlformats.org/package/2006/relationships']);
const OFFICE_DOCUMENT = /\/officeDocument$/;

/** No row wider than this (Excel's column limit): a forged gridSpan cannot blow a row up. */
export const MAX_ROW_CELLS = 16_384;
/** One merge may span at most this many grid columns (Word allows 63 columns). */
const MAX_SPAN = 64;
/** docxTables() lists at most this many tables. */
export const MAX_TABLES = 1_000;
/** `_rels/.rels` is a few hundred bytes; anything near this is not a Word file. */
const MAX_RELS_BYTES = 1024 * 1024;

export class DocxFormatError extends Error {
  constructor(
    readonly reason: 'not_docx' | 'doctype' | 'malformed' | 'row_too_long',
    readonly detail: { table?: number; line?: number } = {},
    cause?: unknown,
  ) {
    super(`docx ${reason}`, { cause });
  }
}

export interface TableInfo {
  /** 0-based, in document order: what docxRecords() takes. */
  index: number;
  /** Non-empty rows. */
  rows: number;
  /** The first rows (for header detection and the preview). */
  sample: SourceRecord[];
}

/** The tables of a document, in order, with their first rows (at most MAX_TABLES). */
export async function docxTables(file: string, sampleRows = 25): Promise<TableInfo[]> {
  const tables: TableInfo[] = [];
  for await (const event of tableEvents(file, null)) {
    if (event.table >= MAX_TABLES) break;
    let info = tables[event.table];
    if (!info) {
      info = { index: event.table, rows: 0, sample: [] };
      tables[event.table] = info;
    }
    if (event.row) {
      info.rows++;
      if (info.sample.length < sampleRows) info.sample.push(event.row);
    }
  }
  return tables;
}

/** The non-empty rows of one table, streamed (nothing when there is no such table). */
export async function* docxRecords(file: string, tableIndex: number): AsyncGenerator<SourceRecord> {
  for await (const event of tableEvents(file, tableIndex)) {
    if (event.row) yield event.row;
  }
}

/** A table seen (row: null, when it starts) or one of its non-empty rows. */
interface TableEvent {
  table: number;
  row: SourceRecord | null;
}

async function* tableEvents(file: string, only: number | null): AsyncGenerator<TableEvent> {
  await inspectZip(file);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, {
      lazyEntries: true,
      validateEntrySizes: true,
      autoClose: false, // the directory is read whole before any entry is opened
    });
  } catch (err) {
    throw new DocxFormatError('not_docx', {}, err);
  }
  let stream: Readable | null = null;
  try {
    // The directory only (no inflating): inspectZip() has capped its size.
    const entries = new Map<string, yauzl.Entry>();
    for await (const entry of zip.eachEntry()) entries.set(entry.fileName, entry);
    const main = entries.get(await mainDocumentName(zip, entries));
    if (!main) throw new DocxFormatError('not_docx');
    stream = await zip.openReadStreamPromise(main);
    const reader = new TableReader(only);
    const decoder = new StringDecoder('utf8');
    let first = true;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let text = decoder.write(chunk);
      if (first) {
        text = text.replace(/^\ufeff/, '');
        first = false;
      }
      reader.write(text);
      yield* reader.take();
      if (reader.done) return;
    }
    reader.write(decoder.end());
    reader.close();
    yield* reader.take();
  } finally {
    stream?.destroy();
    zip.close();
  }
}

/** The main document part's name, from the package relationships (word/document.xml if none). */
async function mainDocumentName(
  zip: yauzl.ZipFile,
  entries: Map<string, yauzl.Entry>,
): Promise<string> {
  const relsEntry = entries.get('_rels/.rels');
  if (!relsEntry) return 'word/document.xml';
  if (relsEntry.uncompressedSize > MAX_RELS_BYTES) throw new DocxFormatError('not_docx');
  const parts: Buffer[] = [];
  for await (const chunk of (await zip.openReadStreamPromise(relsEntry)) as AsyncIterable<Buffer>) {
    parts.push(chunk);
  }
  let target: string | null = null;
  const parser = new SaxesParser({ xmlns: true, position: false });
  parser.on('doctype', () => {
    throw new DocxFormatError('doctype');
  });
  parser.on('opentag', (tag) => {
    if (target === null && tag.local === 'Relationship' && REL_NS.has(tag.uri)) {
      const type = attr(tag, 'Type');
      const t = attr(tag, 'Target');
      if (type && t && OFFICE_DOCUMENT.test(type)) target = t.replace(/^\//, '');
    }
  });
  try {
    parser
      .write(
        Buffer.concat(parts)
          .toString('utf8')
          .replace(/^\ufeff/, ''),
      )
      .close();
  } catch (err) {
    throw err instanceof DocxFormatError ? err : new DocxFormatError('malformed', {}, err);
  }
  return target ?? 'word/document.xml';
}

function attr(tag: SaxesTagNS, local: string): string | undefined {
  for (const a of Object.values(tag.attributes)) if (a.local === local) return a.value;
  return undefined;
}

function intAttr(tag: SaxesTagNS, fallback: number): number {
  const n = Number.parseInt(attr(tag, 'val') ?? '', 10);
  return Number.isFinite(n) ? n : fallback;
}

interface OpenCell {
  paragraphs: string[];
  /** Open paragraphs: a text box's paragraphs sit inside a paragraph. */
  open: string[];
  span: number;
  continued: boolean;
}

/** document.xml in, table rows out (one chunk at a time). */
class TableReader {
  done = false;
  private readonly parser = new SaxesParser({ xmlns: true, position: false });
  private out: TableEvent[] = [];
  private table = -1;
  private depth = 0; // open w:tbl elements
  private rowNo = 0;
  private row: string[] | null = null;
  private rowChars = 0;
  private cell: OpenCell | null = null;
  private inRun = 0;
  private inText = 0;
  private inTabs = 0;
  private fallback = 0; // inside mc:Fallback: a copy of mc:Choice's content

  constructor(private readonly only: number | null) {
    this.parser.on('doctype', () => {
      throw new DocxFormatError('doctype');
    });
    this.parser.on('opentag', (tag) => this.open(tag));
    this.parser.on('closetag', (tag) => this.close_(tag));
    this.parser.on('text', (text) => {
      if (this.inText > 0 && this.fallback === 0) this.append(text);
    });
  }

  write(text: string): void {
    try {
      this.parser.write(text);
    } catch (err) {
      throw err instanceof DocxFormatError ? err : new DocxFormatError('malformed', {}, err);
    }
  }

  close(): void {
    try {
      this.parser.close();
    } catch (err) {
      throw err instanceof DocxFormatError ? err : new DocxFormatError('malformed', {}, err);
    }
  }

  take(): TableEvent[] {
    const events = this.out;
    this.out = [];
    return events;
  }

  private get wanted(): boolean {
    return this.only === null || this.only === this.table;
  }

  private open(tag: SaxesTagNS): void {
    if (tag.uri === MC_NS && tag.local === 'Fallback') this.fallback++;
    if (this.fallback > 0 || !W_NS.has(tag.uri) || this.done) return;
    switch (tag.local) {
      case 'tbl':
        this.depth++;
        if (this.depth === 1) {
          this.table++;
          this.rowNo = 0;
          if (this.only === null) this.out.push({ table: this.table, row: null });
        }
        return;
      case 'tr':
        if (this.depth === 1) {
          this.row = [];
          this.rowChars = 0;
          this.rowNo++;
        }
        return;
      case 'gridBefore':
        if (this.depth === 1 && this.row && !this.cell) {
          this.pad(Math.min(MAX_SPAN, Math.max(0, intAttr(tag, 0))));
        }
        return;
      case 'tc':
        if (this.depth === 1 && this.row) {
          this.cell = { paragraphs: [], open: [], span: 1, continued: false };
        }
        return;
      case 'gridSpan':
        if (this.depth === 1 && this.cell) {
          this.cell.span = Math.min(MAX_SPAN, Math.max(1, intAttr(tag, 1)));
        }
        return;
      case 'vMerge':
        if (this.depth === 1 && this.cell) {
          this.cell.continued = (attr(tag, 'val') ?? 'continue') === 'continue';
        }
        return;
      case 'p':
        this.cell?.open.push('');
        return;
      case 'tabs': // tab stops in paragraph properties, not tab characters
        this.inTabs++;
        return;
      case 'r':
        this.inRun++;
        return;
      case 't':
        if (this.inRun > 0) this.inText++;
        return;
      case 'tab':
        if (this.inRun > 0 && this.inTabs === 0) this.append(' ');
        return;
      case 'br':
      case 'cr':
        if (this.inRun > 0) this.append('\n');
        return;
      case 'noBreakHyphen':
        if (this.inRun > 0) this.append('-');
        return;
    }
  }

  private close_(tag: SaxesTagNS): void {
    if (tag.uri === MC_NS && tag.local === 'Fallback') {
      this.fallback--;
      return;
    }
    if (this.fallback > 0 || !W_NS.has(tag.uri) || this.done) return;
    switch (tag.local) {
      case 'tbl':
        this.depth--;
        if (this.depth === 0 && this.only === this.table) this.done = true;
        return;
      case 'tr':
        if (this.depth === 1 && this.row) {
          const cells = this.row;
          this.row = null;
          while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
          if (cells.length > 0 && this.wanted) {
            this.out.push({ table: this.table, row: { cells, line: this.rowNo } });
          }
        }
        return;
      case 'tc':
        if (this.depth === 1 && this.cell && this.row) {
          const cell = this.cell;
          this.cell = null;
          const paragraphs = cell.paragraphs;
          while (paragraphs.length > 0 && paragraphs[0] === '') paragraphs.shift();
          while (paragraphs.length > 0 && paragraphs[paragraphs.length - 1] === '') {
            paragraphs.pop();
          }
          this.row.push(cell.continued ? '' : paragraphs.join('\n').normalize('NFC'));
          this.pad(cell.span - 1);
        }
        return;
      case 'p': {
        const paragraph = this.cell?.open.pop();
        if (paragraph !== undefined) this.cell!.paragraphs.push(paragraph);
        return;
      }
      case 'tabs':
        this.inTabs = Math.max(0, this.inTabs - 1);
        return;
      case 'r':
        this.inRun = Math.max(0, this.inRun - 1);
        return;
      case 't':
        this.inText = Math.max(0, this.inText - 1);
        return;
    }
  }

  private pad(n: number): void {
    if (!this.row) return;
    if (this.row.length + n > MAX_ROW_CELLS) this.tooLong();
    for (let i = 0; i < n; i++) this.row.push('');
  }

  private append(text: string): void {
    const open = this.cell?.open;
    if (!open || open.length === 0 || !this.wanted) return;
    this.rowChars += text.length;
    if (this.rowChars > MAX_RECORD_CHARS) this.tooLong();
    open[open.length - 1] += text;
  }

  private tooLong(): never {
    throw new DocxFormatError('row_too_long', { table: this.table, line: this.rowNo });
  }
}
