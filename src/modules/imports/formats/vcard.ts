import fs from 'node:fs';
import { pipeline } from 'node:stream';
import iconv from 'iconv-lite';
import type { LocalisedText } from '../../../core/errors.js';
import type { SourceRecord } from './csv.js';
import { detectEncoding, type TextEncoding } from './encoding.js';

/**
 * vCard 2.1 / 3.0 / 4.0 files (Android, iPhone and Apple Contacts, Google Contacts, Outlook,
 * Thunderbird) as records: a header of fixed Vietnamese column names, then one record per card.
 *
 * A small line parser of our own, not a library. The npm candidates were checked (2026): `vcf`
 * leaves quoted-printable and CHARSET undecoded on purpose (its maintainer declined it:
 * jhermsmeier/node-vcf#50), `vcard4` parses RFC 6350 (4.0) only, and `ical.js` reads 3.0 and
 * 4.0 but not 2.1 (kewisch/ical.js#187 is open; the 2.1 work in progress refuses
 * quoted-printable). Every Android phone and Outlook export is 2.1 with quoted-printable
 * Vietnamese names, so none would do, and all three parse a whole string where this reads the
 * file as a stream. The format's syntax is small: the parts that need care are unfolding
 * (3.0/4.0: a line starting with a space or tab continues the previous one; 2.1: a
 * quoted-printable value ending in `=` continues on the next line), the per-value encodings
 * (ENCODING=QUOTED-PRINTABLE or BASE64/b, CHARSET=) and the escapes (`\,` `\;` `\n`).
 *
 * Bytes, not text, are split into lines (0x0A), so every value can be decoded with its own
 * CHARSET (UTF-8 by default; Windows-1258 and the rest through iconv-lite). The file's own
 * encoding is detected from its first bytes: a UTF-16 file is transcoded to UTF-8 first, and
 * an 8-bit Vietnamese file (Windows-1258, TCVN3, VISCII) sets the default charset. A value
 * that is not valid in its charset makes its card a bad record, never mojibake.
 *
 * Bounded memory: one card at a time is kept, at most `maxCardBytes` (1 MB) of it. A bigger card
 * (a huge photo) is dropped line by line as it is read and comes out as a record with
 * `error: 'card_too_large'` and no cells; a single line is never buffered past that limit.
 */

export const VCARD_PHONE_COLUMNS = 5;
export const VCARD_EMAIL_COLUMNS = 3;
/** A card (all its lines, photo included) may not exceed this many bytes. */
export const VCARD_MAX_CARD_BYTES = 1024 * 1024;

/** The header record: fixed column names the import's mapping recognises. */
export const VCARD_HEADER: readonly string[] = [
  'Họ và tên',
  'Họ',
  'Tên đệm',
  'Tên',
  ...Array.from({ length: VCARD_PHONE_COLUMNS }, (_, i) => `Điện thoại ${i + 1}`),
  ...Array.from({ length: VCARD_EMAIL_COLUMNS }, (_, i) => `Email ${i + 1}`),
  'Công ty',
  'Chức danh',
  'Địa chỉ',
  'Ngày sinh',
  'Ghi chú',
  'Trang web',
];

/** Why a card became a bad record (`SourceRecord.error`). */
export type VcardRecordError = 'card_too_large' | 'card_unterminated' | 'card_encoding';

export const VCARD_RECORD_ERRORS: Record<VcardRecordError, LocalisedText> = {
  card_too_large: {
    vi: 'Danh bạ quá lớn (trên 1 MB, thường do ảnh đại diện), đã bỏ qua',
    en: 'Contact card too large (over 1 MB, usually its photo), skipped',
  },
  card_unterminated: {
    vi: 'Danh bạ không có dòng END:VCARD, đã bỏ qua',
    en: 'Contact card without an END:VCARD line, skipped',
  },
  card_encoding: {
    vi: 'Danh bạ có ký tự không đọc được theo bảng mã đã khai báo, đã bỏ qua',
    en: 'Contact card with characters that are invalid in its declared encoding, skipped',
  },
};

/** The file is not a vCard file at all. */
export class VcardFormatError extends Error {
  constructor(
    readonly reason: 'not_vcard',
    readonly line: number | null,
  ) {
    super(`vCard ${reason} at line ${line ?? '?'}`);
  }
}

export interface VcardOptions {
  maxCardBytes?: number;
}

const HEAD_BYTES = 64 * 1024;
const BEGIN = /^begin:vcard\s*$/i;
const END = /^end:vcard\s*$/i;
const BINARY_PROPERTIES = new Set(['PHOTO', 'LOGO', 'SOUND', 'KEY']);

/** The records of a vCard file, streamed (see the module comment). */
export async function* vcardRecords(
  file: string,
  options: VcardOptions = {},
): AsyncGenerator<SourceRecord> {
  const maxCardBytes = options.maxCardBytes ?? VCARD_MAX_CARD_BYTES;
  const { head, size } = await readHead(file);
  const guess = detectEncoding(head, size <= head.length);
  let defaultCharset: string = 'utf8';
  let start = 0;
  let transcode: TextEncoding | null = null;
  if (guess.ok) {
    if (guess.encoding === 'utf16le' || guess.encoding === 'utf16be') transcode = guess.encoding;
    else if (guess.encoding !== 'utf8') defaultCharset = guess.encoding;
    else start = guess.bom;
  } else if (guess.reason === 'binary') {
    throw new VcardFormatError('not_vcard', 1);
  }
  // Otherwise ('mixed', 'unknown'): UTF-8 by default, each value checked as it is decoded.

  const source = fs.createReadStream(file, { start });
  const bytes: NodeJS.ReadableStream = transcode
    ? pipeline(
        source,
        iconv.decodeStream(transcode),
        iconv.encodeStream('utf8'),
        () => undefined, // errors reach the iterator below
      )
    : source;
  const reader = new CardReader(defaultCharset, maxCardBytes);
  const splitter = new LineSplitter(maxCardBytes + 1, (line, overflow) =>
    reader.line(line, overflow),
  );
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      splitter.push(chunk);
      yield* reader.take();
    }
    splitter.end();
    reader.end();
    yield* reader.take();
  } finally {
    source.destroy();
  }
}

async function readHead(file: string): Promise<{ head: Buffer; size: number }> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(size, HEAD_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { head: buffer.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
  }
}

/**
 * Splits bytes into lines (LF or CRLF), each as a latin1 string (one character per byte, so a
 * value's bytes come back exactly with Buffer.from(text, 'latin1')). A line longer than `max`
 * bytes is not kept: it is reported empty with `overflow` set.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private overflow = false;

  constructor(
    private readonly max: number,
    private readonly onLine: (line: string, overflow: boolean) => void,
  ) {}

  push(chunk: Buffer): void {
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, from);
      this.add(chunk.subarray(from, newline === -1 ? chunk.length : newline));
      if (newline === -1) return;
      this.flush();
      from = newline + 1;
    }
  }

  end(): void {
    if (this.size > 0 || this.overflow) this.flush();
  }

  private add(piece: Buffer): void {
    if (this.overflow || piece.length === 0) return;
    if (this.size + piece.length > this.max) {
      this.overflow = true;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(piece);
    this.size += piece.length;
  }

  private flush(): void {
    let line = this.parts.length === 1 ? this.parts[0]!.toString('latin1') : '';
    if (this.parts.length > 1) line = Buffer.concat(this.parts).toString('latin1');
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const overflow = this.overflow;
    this.parts = [];
    this.size = 0;
    this.overflow = false;
    this.onLine(line, overflow);
  }
}

interface OpenCard {
  begin: number;
  bytes: number;
  lines: string[];
  tooLarge: boolean;
}

/** Physical lines in, records out: the card state machine. */
class CardReader {
  private lineNo = 0;
  private started = false;
  private card: OpenCard | null = null;
  private out: SourceRecord[] = [];

  constructor(
    private readonly defaultCharset: string,
    private readonly maxCardBytes: number,
  ) {}

  take(): SourceRecord[] {
    const records = this.out;
    this.out = [];
    return records;
  }

  line(text: string, overflow: boolean): void {
    this.lineNo++;
    if (!overflow && BEGIN.test(text)) {
      if (this.card) this.fail(this.card, 'card_unterminated');
      if (!this.started) {
        this.started = true;
        this.out.push({ cells: [...VCARD_HEADER], line: 0 });
      }
      this.card = { begin: this.lineNo, bytes: 0, lines: [], tooLarge: false };
      return;
    }
    const card = this.card;
    if (!card) {
      // Before the first card only blank lines (and a BOM) may come; between cards, anything
      // else is ignored.
      if (!this.started && (overflow || text.replace(/^\xef\xbb\xbf/, '').trim() !== '')) {
        throw new VcardFormatError('not_vcard', this.lineNo);
      }
      return;
    }
    if (!overflow && END.test(text)) {
      this.card = null;
      if (card.tooLarge) this.fail(card, 'card_too_large');
      else this.out.push(parseCard(card.lines, card.begin, this.defaultCharset));
      return;
    }
    if (card.tooLarge) return;
    card.bytes += text.length + 1;
    if (overflow || card.bytes > this.maxCardBytes) {
      card.tooLarge = true;
      card.lines = [];
      return;
    }
    card.lines.push(text);
  }

  end(): void {
    // An empty file (or blank lines only) yields nothing, not even the header.
    if (this.card) this.fail(this.card, 'card_unterminated');
    this.card = null;
  }

  private fail(card: OpenCard, error: VcardRecordError): void {
    this.out.push({ cells: [], line: card.begin, error });
  }
}

// ---------------------------------------------------------------------------------------------
// One card

interface Property {
  name: string;
  params: Map<string, string[]>;
  types: Set<string>;
  /** The raw value, latin1 (bytes as characters). */
  raw: string;
}

/** A line starts a property whose value is quoted-printable (so `=` at its end folds it). */
function isQuotedPrintable(line: string): boolean {
  const colon = line.indexOf(':');
  return colon > 0 && /quoted-printable/i.test(line.slice(0, colon));
}

/** Logical lines: folded 3.0/4.0 continuations and 2.1 quoted-printable soft breaks joined. */
export function unfold(lines: readonly string[]): string[] {
  const logical: string[] = [];
  let qp = false;
  for (const line of lines) {
    const last = logical.length - 1;
    if (last >= 0 && qp && logical[last]!.endsWith('=')) {
      // A soft line break: the next line is the value's next characters, spaces included.
      logical[last] = logical[last]!.slice(0, -1) + line;
      continue;
    }
    if (last >= 0 && (line.startsWith(' ') || line.startsWith('\t'))) {
      logical[last] += line.slice(1);
      continue;
    }
    if (line.trim() === '') continue;
    logical.push(line);
    qp = isQuotedPrintable(line);
  }
  return logical;
}

/** Index of the first `ch` outside double quotes, or -1. */
function indexOutsideQuotes(text: string, ch: string, from = 0): number {
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === ch && !quoted) return i;
  }
  return -1;
}

function splitOutsideQuotes(text: string, ch: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const at = indexOutsideQuotes(text, ch, from);
    if (at === -1) {
      parts.push(text.slice(from));
      return parts;
    }
    parts.push(text.slice(from, at));
    from = at + 1;
  }
}

const ENCODING_WORDS = new Set(['QUOTED-PRINTABLE', 'BASE64', 'B', '8BIT', '7BIT']);

/** `[group.]NAME[;param…]:value`; null for a line that is none. */
export function parseProperty(line: string): Property | null {
  const colon = indexOutsideQuotes(line, ':');
  if (colon <= 0) return null;
  const [nameWithGroup = '', ...rawParams] = splitOutsideQuotes(line.slice(0, colon), ';');
  const name = nameWithGroup
    .slice(nameWithGroup.lastIndexOf('.') + 1)
    .trim()
    .toUpperCase();
  if (!/^[A-Z0-9-]+$/.test(name)) return null;
  const params = new Map<string, string[]>();
  const types = new Set<string>();
  for (const param of rawParams) {
    const eq = param.indexOf('=');
    // 2.1 writes bare values: TEL;CELL;PREF:…, ADR;QUOTED-PRINTABLE:…
    let key = eq === -1 ? '' : param.slice(0, eq).trim().toUpperCase();
    const value = eq === -1 ? param.trim() : param.slice(eq + 1).trim();
    if (!key) key = ENCODING_WORDS.has(value.toUpperCase()) ? 'ENCODING' : 'TYPE';
    const unquoted = value.replace(/^"(.*)"$/s, '$1');
    // TYPE=cell,voice and TYPE="cell,voice" are lists; other values are kept whole.
    const values = key === 'TYPE' ? unquoted.split(',').map((v) => v.trim()) : [unquoted];
    const list = params.get(key) ?? [];
    for (const v of values) {
      if (!v) continue;
      list.push(v);
      if (key === 'TYPE') types.add(v.toLowerCase());
    }
    params.set(key, list);
  }
  // 4.0: PREF=1 (the most preferred); 3.0 and 2.1: TYPE=pref / PREF.
  if (params.has('PREF')) types.add('pref');
  return { name, params, types, raw: line.slice(colon + 1) };
}

class CardEncodingError extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeQuotedPrintable(raw: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x3d) {
      const hex = raw.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
      if (i === raw.length - 1) continue; // a trailing soft break
    }
    bytes.push(c & 0xff);
  }
  return Buffer.from(bytes);
}

function charsetOf(name: string | undefined, fallback: string): string {
  if (!name) return fallback;
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (key === 'utf8' || key === 'usascii' || key === 'ascii') return 'utf8';
  if (!iconv.encodingExists(name)) throw new CardEncodingError(`unknown charset ${name}`);
  return name;
}

/** A property's value as text (NFC, CRLF → LF), its encoding and charset applied. */
function decodeValue(prop: Property, defaultCharset: string): string {
  const encoding = (prop.params.get('ENCODING')?.[0] ?? '').toUpperCase();
  const bytes =
    encoding === 'QUOTED-PRINTABLE'
      ? decodeQuotedPrintable(prop.raw)
      : encoding === 'B' || encoding === 'BASE64'
        ? Buffer.from(prop.raw.replace(/\s+/g, ''), 'base64')
        : Buffer.from(prop.raw, 'latin1');
  const charset = charsetOf(prop.params.get('CHARSET')?.[0], defaultCharset);
  let text: string;
  if (charset === 'utf8') {
    try {
      text = utf8.decode(bytes);
    } catch (err) {
      throw new CardEncodingError('invalid UTF-8', { cause: err });
    }
  } else {
    text = iconv.decode(bytes, charset);
  }
  return text.replace(/\r\n?/g, '\n').normalize('NFC');
}

/**
 * A structured value (N, ADR, ORG): components split on unescaped `;`, each a list split on
 * unescaped `,` (3.0/4.0 only; 2.1 has no lists), escapes resolved.
 */
export function splitStructured(text: string, version: string): string[][] {
  const components: string[][] = [];
  let items: string[] = [];
  let current = '';
  const lists = version !== '2.1';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      current += unescapeChar(text[++i]!, version);
    } else if (c === ';') {
      items.push(current);
      components.push(items);
      items = [];
      current = '';
    } else if (c === ',' && lists) {
      items.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  items.push(current);
  components.push(items);
  return components;
}

function unescapeChar(c: string, version: string): string {
  if (c === 'n' || c === 'N') return version === '2.1' ? `\\${c}` : '\n';
  if (c === ';' || c === ',' || c === '\\' || c === ':') return c;
  return `\\${c}`;
}

/** A single text value with its escapes resolved. */
export function unescapeText(text: string, version: string): string {
  return text.replace(/\\(.)/gs, (_m, c: string) => unescapeChar(c, version));
}

/** BDAY as yyyy-mm-dd; a date without a year as --mm-dd; anything else as written. */
export function birthday(value: string, omitYear?: string): string {
  const text = value.trim();
  const full = /^(\d{4})-?(\d{2})-?(\d{2})(?:$|T)/.exec(text);
  const validDay = (m: string, d: string) =>
    Number(m) >= 1 && Number(m) <= 12 && Number(d) >= 1 && Number(d) <= 31;
  if (full && validDay(full[2]!, full[3]!)) {
    // Apple Contacts writes a birthday without a year as 1604 with X-APPLE-OMIT-YEAR=1604.
    if (full[1] === omitYear || full[1] === '0000') return `--${full[2]}-${full[3]}`;
    return `${full[1]}-${full[2]}-${full[3]}`;
  }
  const noYear = /^--(\d{2})-?(\d{2})$/.exec(text);
  if (noYear && validDay(noYear[1]!, noYear[2]!)) return `--${noYear[1]}-${noYear[2]}`;
  return text;
}

/** Preferred first, otherwise in file order. */
function byPreference(props: Property[]): Property[] {
  return [...props].sort((a, b) => Number(b.types.has('pref')) - Number(a.types.has('pref')));
}

/** `k` columns of values; extras joined into the last with "; ". */
function columns(values: string[], k: number): string[] {
  const cells = values.slice(0, k);
  if (values.length > k) cells[k - 1] = values.slice(k - 1).join('; ');
  while (cells.length < k) cells.push('');
  return cells;
}

const clean = (s: string | undefined) => (s ?? '').trim();

/** One card's lines (between BEGIN and END) as a record. */
export function parseCard(lines: readonly string[], begin: number, charset: string): SourceRecord {
  const props = new Map<string, Property[]>();
  let version = '3.0';
  for (const line of unfold(lines)) {
    // A photo is skipped before its kilobytes are parsed.
    const name = /^(?:[^.;:]*\.)?([^.;:]*)/.exec(line)?.[1]?.trim().toUpperCase() ?? '';
    if (BINARY_PROPERTIES.has(name)) continue;
    const prop = parseProperty(line);
    if (!prop || BINARY_PROPERTIES.has(prop.name)) continue;
    if (prop.name === 'VERSION') version = prop.raw.trim();
    const list = props.get(prop.name) ?? [];
    list.push(prop);
    props.set(prop.name, list);
  }
  try {
    const text = (name: string) =>
      byPreference(props.get(name) ?? []).map((p) =>
        unescapeText(decodeValue(p, charset), version).trim(),
      );
    const structured = (name: string) =>
      byPreference(props.get(name) ?? []).map((p) =>
        splitStructured(decodeValue(p, charset), version),
      );

    const n = structured('N')[0] ?? [];
    const nPart = (i: number) =>
      (n[i] ?? [])
        .map((s) => s.trim())
        .filter(Boolean)
        .join(' ');
    const family = nPart(0);
    const given = nPart(1);
    const middle = nPart(2);
    const fullName = clean(text('FN')[0]) || [family, middle, given].filter(Boolean).join(' ');

    const phones = text('TEL')
      .map((t) => t.replace(/^tel:/i, '').trim())
      .filter(Boolean);
    const emails = text('EMAIL')
      .map((t) => t.replace(/^mailto:/i, '').trim())
      .filter(Boolean);
    const company = clean(structured('ORG')[0]?.[0]?.join(', '));
    const adr = structured('ADR')[0] ?? [];
    // ADR: post office box; extended address; street; locality; region; postal code; country.
    const address = [1, 2, 3, 4, 6]
      .map((i) =>
        (adr[i] ?? [])
          .map((s) => s.replace(/\s*\n\s*/g, ', ').trim())
          .filter(Boolean)
          .join(', '),
      )
      .filter(Boolean)
      .join(', ');
    const bdayProp = props.get('BDAY')?.[0];
    const bday = bdayProp
      ? birthday(
          unescapeText(decodeValue(bdayProp, charset), version),
          bdayProp.params.get('X-APPLE-OMIT-YEAR')?.[0],
        )
      : '';

    const cells = [
      fullName,
      family,
      middle,
      given,
      ...columns(phones, VCARD_PHONE_COLUMNS),
      ...columns(emails, VCARD_EMAIL_COLUMNS),
      company,
      clean(text('TITLE')[0]),
      address,
      bday,
      text('NOTE').filter(Boolean).join('\n'),
      text('URL').filter(Boolean).join('; '),
    ];
    return { cells, line: begin };
  } catch (err) {
    if (err instanceof CardEncodingError) return { cells: [], line: begin, error: 'card_encoding' };
    throw err;
  }
}
