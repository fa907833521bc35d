import { sql, type SQL } from 'drizzle-orm';
import { fieldError } from '../../core/errors.js';

/**
 * Keyset cursors over (timestamp, id), newest first. The timestamp travels as the text
 * PostgreSQL printed (microseconds, UTC), never through a JS Date: PGlite keeps milliseconds and
 * PostgreSQL microseconds, so a Date would skip or repeat rows on one of them.
 */
export interface Keyset {
  at: string;
  id: string;
}

/** SQL printing a timestamptz as the cursor's text form. */
export const cursorText = (column: SQL | string): SQL =>
  sql`to_char(${typeof column === 'string' ? sql.raw(column) : column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeCursor(k: Keyset): string {
  return Buffer.from(JSON.stringify([k.at, k.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Keyset | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      AT.test(parsed[0]) &&
      typeof parsed[1] === 'string' &&
      parsed[1].length <= 100
    ) {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw fieldError('cursor', { vi: 'Con trỏ trang không hợp lệ.', en: 'Invalid cursor.' });
}

/** `(at, id) < (cursor)` for a newest-first keyset; ids compare as text in byte order. */
export const before = (at: SQL, id: SQL, k: Keyset): SQL =>
  sql`(${at}, (${id})::text COLLATE "C") < (${k.at}::timestamptz, ${k.id}::text COLLATE "C")`;
