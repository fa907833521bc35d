/**
 * Writing vCard 4.0 (RFC 6350): the syntax only, for objects whose declaration has
 * `export.vcard` (contacts/contacts.export.ts says what goes into a card). Values are escaped
 * (`\\` `\,` `\;` `\n`, RFC 6350 §3.4), lines end in CRLF and are folded at 75 octets of UTF-8
 * (§3.2: a continuation line starts with one space) without ever cutting a character in two.
 */

/** A text value (or one component of a structured one): \ , ; and line breaks escaped. */
export function vcardText(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[\\,;]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A structured value (N, ADR, ORG): its components escaped, then joined with `;`. */
export const vcardStructured = (components: (string | null | undefined)[]) =>
  components.map((c) => vcardText(c ?? '')).join(';');

/** A list value (CATEGORIES): its items escaped, then joined with `,`. */
export const vcardList = (items: string[]) => items.map(vcardText).join(',');

const MAX_OCTETS = 75;

/** One content line, folded: at most 75 octets per physical line, continuation lines indented. */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= MAX_OCTETS) return `${line}\r\n`;
  let out = '';
  let current = '';
  let octets = 0;
  // The first line holds 75 octets; each continuation line a space and 74 more.
  let limit = MAX_OCTETS;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      out += `${current}\r\n `;
      current = '';
      octets = 0;
      limit = MAX_OCTETS - 1;
    }
    current += ch;
    octets += size;
  }
  return `${out}${current}\r\n`;
}

export interface VcardProperty {
  name: string;
  /** Parameters, already valid parameter values (TYPE=cell, PREF=1, VALUE=uri). */
  params?: Record<string, string | undefined>;
  /** The value as it is written: escape text with vcardText / vcardStructured first. */
  value: string;
}

/** A whole card: BEGIN, VERSION 4.0, the properties (empty values left out), END. */
export function vcard(properties: VcardProperty[]): string {
  let card = 'BEGIN:VCARD\r\nVERSION:4.0\r\n';
  for (const p of properties) {
    if (p.value === '' || /^;*$/.test(p.value)) continue;
    const params = Object.entries(p.params ?? {})
      .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
      .map(([k, v]) => `;${k}=${v}`)
      .join('');
    card += foldLine(`${p.name}${params}:${p.value}`);
  }
  return `${card}END:VCARD\r\n`;
}
