/**
 * Vietnamese personal names, text normalisation and the accent-insensitive search fold.
 *
 * A Vietnamese name is written family name, middle name(s), given name: "Nguyễn Văn An". People
 * are called by their given name ("anh An"), so lists sort by given name first.
 */

export interface NameParts {
  familyName?: string | null;
  middleName?: string | null;
  givenName?: string | null;
}

export type NameOrder = 'vi' | 'en';

/** Zero-width characters that ride along with text copied from web pages and chat apps. */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

/** NFC, no zero-width characters, trimmed, runs of whitespace collapsed to one space. */
export function normalizeText(s: string): string {
  return s.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/**
 * The name to show for a person.
 * - 'vi': family + middle + given, "Nguyễn Văn An" (how Vietnamese write and say it);
 * - 'en': given + middle + family, "An Văn Nguyễn" (the Western given-name-first order that
 *   English-language CRMs expect; the middle name stays between the two, diacritics are kept).
 * Empty parts are skipped.
 */
export function composeDisplayName(parts: NameParts, order: NameOrder = 'vi'): string {
  const family = normalizeText(parts.familyName ?? '');
  const middle = normalizeText(parts.middleName ?? '');
  const given = normalizeText(parts.givenName ?? '');
  const ordered = order === 'vi' ? [family, middle, given] : [given, middle, family];
  return ordered.filter((p) => p !== '').join(' ');
}

/**
 * Splits a full name written in Vietnamese order (for imports): the first word is the family
 * name, the last the given name, the words between the middle name. One word is a given name.
 * Absent parts are ''. A heuristic: compound family names ("Tôn Nữ") and Western-order names
 * come out wrong, and the import preview lets people fix them.
 */
export function splitFullName(full: string): {
  familyName: string;
  middleName: string;
  givenName: string;
} {
  const words = normalizeText(full).split(' ').filter(Boolean);
  if (words.length === 0) return { familyName: '', middleName: '', givenName: '' };
  if (words.length === 1) return { familyName: '', middleName: '', givenName: words[0] ?? '' };
  return {
    familyName: words[0] ?? '',
    middleName: words.slice(1, -1).join(' '),
    givenName: words[words.length - 1] ?? '',
  };
}

/**
 * Vietnamese alphabetical order (a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư; tone marks only
 * break ties). Reuse it: building a collator is slow.
 */
export const nameCollator = new Intl.Collator('vi');

/** Sorts people by given name, then family name, then middle name (how Vietnamese lists sort). */
export function compareContactsByName(a: NameParts, b: NameParts): number {
  return (
    nameCollator.compare(a.givenName ?? '', b.givenName ?? '') ||
    nameCollator.compare(a.familyName ?? '', b.familyName ?? '') ||
    nameCollator.compare(a.middleName ?? '', b.middleName ?? '')
  );
}

/**
 * Letters that carry their mark in the letter itself (no Unicode decomposition), folded the way
 * PostgreSQL's unaccent.rules does.
 */
const UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
};
const UNDECOMPOSABLE_RE = new RegExp(`[${Object.keys(UNDECOMPOSABLE).join('')}]`, 'g');

/**
 * The accent- and case-insensitive form used to search: "NGUYỄN VĂN ÁNH" -> "nguyen van anh",
 * "Đức" -> "duc", "Hoà" and "Hòa" -> "hoa". Input may be precomposed (NFC) or decomposed (NFD).
 *
 * For Vietnamese text this equals PostgreSQL's `lower(unaccent(s))` (checked on PostgreSQL 15 and
 * PGlite), except that whitespace is also trimmed and collapsed here; a SQL expression that
 * compares with it must do the same (`btrim(regexp_replace(..., '\s+', ' ', 'g'))`).
 */
export function foldForSearch(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(UNDECOMPOSABLE_RE, (c) => UNDECOMPOSABLE[c] ?? c)
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .normalize('NFC');
}

/** How to address a person. Codes are stable (stored); labels are for display. */
export const SALUTATION_CODES = ['anh', 'chi', 'ong', 'ba', 'em'] as const;
export type Salutation = (typeof SALUTATION_CODES)[number];

/**
 * - vi: the word itself, lower-case as it is written before a name ("anh An", "Kính gửi bà Lan");
 *   capitalise at the start of a sentence.
 * - en: English has no equivalent of the age and familiarity these words carry, so the English
 *   label keeps the Vietnamese word and explains it.
 * - titleEn: the nearest English courtesy title, for English greetings ("Dear Ms. Lan"); none
 *   for "em".
 */
export const SALUTATIONS: Readonly<
  Record<Salutation, { vi: string; en: string; titleEn: string | null }>
> = {
  anh: { vi: 'anh', en: 'anh (Mr., a man of about your age)', titleEn: 'Mr.' },
  chi: { vi: 'chị', en: 'chị (Ms., a woman of about your age)', titleEn: 'Ms.' },
  ong: { vi: 'ông', en: 'ông (Mr., an older or senior man)', titleEn: 'Mr.' },
  ba: { vi: 'bà', en: 'bà (Mrs., an older or senior woman)', titleEn: 'Mrs.' },
  em: { vi: 'em', en: 'em (a younger person)', titleEn: null },
};

export function isSalutation(value: unknown): value is Salutation {
  return typeof value === 'string' && (SALUTATION_CODES as readonly string[]).includes(value);
}

export function salutationLabel(code: Salutation, locale: 'vi' | 'en'): string {
  return SALUTATIONS[code][locale];
}
