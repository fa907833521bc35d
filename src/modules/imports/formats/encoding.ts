import iconv from 'iconv-lite';

/**
 * The text encoding of an uploaded text file (CSV, vCard), read from its first bytes.
 *
 * - A byte order mark decides: UTF-8, UTF-16 LE or UTF-16 BE.
 * - Without one, bytes that are valid UTF-8 are UTF-8 (ASCII included).
 * - Otherwise the file is one of the 8-bit Vietnamese encodings of the 1990s–2000s: Windows-1258
 *   (Excel's "CSV" on a Vietnamese Windows), TCVN3 (ABC, the .VnTime fonts) or VISCII. Their
 *   bytes overlap, so each is tried and the decoded words are checked against the shape of a
 *   Vietnamese syllable; the encoding whose words are nearly all plausible wins. When none
 *   does (mixed encodings, another language, binary data) the file is refused: importing it
 *   would store mojibake.
 */
export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'windows1258' | 'tcvn' | 'viscii';

export const LEGACY_ENCODINGS = ['windows1258', 'tcvn', 'viscii'] as const;

export type EncodingGuess =
  | { ok: true; encoding: TextEncoding; bom: number }
  | { ok: false; reason: 'mixed' | 'unknown' | 'binary' };

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
// Onset + vowel nucleus + coda of a Vietnamese syllable, tone marks removed (NFC, lower case).
const SYLLABLE =
  /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[aăâeêioôơuưy]{1,3}(ch|ng|nh|[cmnpt])?$/u;

/** A word with letters beyond ASCII that reads as one Vietnamese syllable. */
export function plausibleSyllable(word: string): boolean {
  const nfd = word.normalize('NFD');
  const tones = nfd.match(TONE_MARKS)?.length ?? 0;
  if (tones > 1) return false;
  const bare = nfd.replace(TONE_MARKS, '').normalize('NFC');
  const lower = bare.toLowerCase();
  // Lower case, upper case or capitalised; never a capital inside a word.
  if (bare !== lower && bare !== bare.toUpperCase() && bare.slice(1) !== lower.slice(1)) {
    return false;
  }
  return SYLLABLE.test(lower);
}

/** Share of the words with non-ASCII letters that are plausible syllables (null: none). */
export function vietnameseScore(text: string): number | null {
  let seen = 0;
  let good = 0;
  // Any character outside ASCII that is not a letter or mark (box drawing, C1 controls,
  // currency signs inside words…) counts as a bad word of its own.
  for (const token of text.normalize('NFC').split(/[\s,;"'()/\\.:|\t\-_0-9!?@#$%&*+=<>[\]{}]+/u)) {
    if (!/[^\p{ASCII}]/u.test(token)) continue;
    seen++;
    if (/^[\p{L}\p{M}]+$/u.test(token) && plausibleSyllable(token)) good++;
  }
  return seen === 0 ? null : good / seen;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** How many bytes of a cut-off multibyte UTF-8 sequence end `head` (0–3). */
function cutSequenceLength(head: Buffer): number {
  for (let back = 1; back <= Math.min(3, head.length); back++) {
    const byte = head[head.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation: look further back
    if ((byte & 0xc0) === 0xc0) {
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return need > back ? back : 0;
    }
    return 0;
  }
  return 0;
}

/**
 * Guess the encoding of a text file from its first bytes (`complete`: `head` is the whole
 * file, so a multibyte sequence cut at its end is an error, not the sample's edge).
 */
export function detectEncoding(head: Buffer, complete: boolean): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { ok: true, encoding: 'utf8', bom: 3 };
  }
  if (head[0] === 0xff && head[1] === 0xfe) return { ok: true, encoding: 'utf16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { ok: true, encoding: 'utf16be', bom: 2 };
  const sample = complete ? head : head.subarray(0, head.length - cutSequenceLength(head));
  // NUL bytes do not occur in text files (UTF-16 without a BOM is not supported: every
  // program that writes UTF-16 writes the BOM).
  if (sample.includes(0)) return { ok: false, reason: 'binary' };
  try {
    utf8.decode(sample);
    return { ok: true, encoding: 'utf8', bom: 0 };
  } catch {
    // not UTF-8: one of the legacy encodings, or none
  }

  // Valid UTF-8 runs (Vietnamese letters as UTF-8) next to invalid bytes: two encodings in one
  // file (a CSV pasted together from two sources).
  const lenient = sample.toString('utf8');
  const replaced = lenient.split('\ufffd').length - 1;
  const multibyte = [...lenient].filter((ch) => ch > '\x7f' && ch !== '\ufffd').length;
  if (multibyte > 0 && replaced > 0 && multibyte >= replaced / 4) {
    return { ok: false, reason: 'mixed' };
  }

  let best: { encoding: TextEncoding; score: number } | null = null;
  let second = 0;
  for (const encoding of LEGACY_ENCODINGS) {
    const score = vietnameseScore(iconv.decode(sample, encoding)) ?? 0;
    if (!best || score > best.score) {
      second = best?.score ?? 0;
      best = { encoding, score };
    } else if (score > second) {
      second = score;
    }
  }
  if (best && best.score >= 0.9 && best.score - second >= 0.1) {
    return { ok: true, encoding: best.encoding, bom: 0 };
  }
  return { ok: false, reason: 'unknown' };
}

/** A decoding stream for `encoding` (output: NFC text). */
export function decoderStream(encoding: TextEncoding): NodeJS.ReadWriteStream {
  return iconv.decodeStream(encoding === 'utf8' ? 'utf8' : encoding, { stripBOM: true });
}

/** Decode a whole buffer (previews, small files). */
export function decodeText(buffer: Buffer, encoding: TextEncoding): string {
  return iconv.decode(buffer, encoding, { stripBOM: true }).normalize('NFC');
}
