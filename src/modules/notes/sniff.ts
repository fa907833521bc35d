/**
 * The content type of an upload, from its first bytes: the client's Content-Type and file name
 * are never trusted for what the bytes are. Anything not recognised is application/octet-stream.
 */
export const SNIFF_BYTES = 8192;

const OOXML: [marker: string, type: string][] = [
  ['word/', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['xl/', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['ppt/', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
];

const startsWith = (buf: Buffer, bytes: number[], offset = 0) =>
  buf.length >= offset + bytes.length && bytes.every((b, i) => buf[offset + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** UTF-8 text with no control characters but tab, newline, form feed and carriage return. */
function isPlainText(head: Buffer): boolean {
  if (head.length === 0) return false;
  for (const b of head) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) return false;
    if (b === 0x7f) return false;
  }
  try {
    // stream: a multi-byte character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

export function sniffContentType(head: Buffer, fileName: string): string {
  if (startsWith(head, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    // Office Open XML files are ZIPs whose first entries name their parts.
    const names = head.toString('latin1');
    if (names.includes('[Content_Types].xml')) {
      for (const [marker, type] of OOXML) if (names.includes(marker)) return type;
    }
    return 'application/zip';
  }
  if (isPlainText(head)) {
    // Markup (HTML, SVG, XML) could run script if rendered: it stays an opaque download.
    const start = head
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (start.startsWith('<')) return 'application/octet-stream';
    return /\.csv$/i.test(fileName) ? 'text/csv' : 'text/plain';
  }
  return 'application/octet-stream';
}

/** Types a browser may show inline safely; everything else is served as octet-stream. */
const INLINE_SAFE = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
]);

export function downloadContentType(stored: string): string {
  return INLINE_SAFE.has(stored) ? stored : 'application/octet-stream';
}
