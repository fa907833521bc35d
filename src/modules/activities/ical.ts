/**
 * A small RFC 5545 writer for the personal calendar feed (activities.feed.ts). Times are
 * written in UTC (`…Z`), which every client converts to its own zone, so the feed needs no
 * VTIMEZONE. Text is escaped (backslash, semicolon, comma, newlines) and lines are folded at
 * 75 octets without splitting a UTF-8 character; lines end with CRLF.
 * (ical-generator 11 needs Node 22; Sen runs on Node 20.)
 */
export interface CalendarEvent {
  uid: string;
  start: Date;
  end: Date;
  /** The title (a task is a 30-minute event at its due time: Google Calendar ignores VTODO). */
  summary: string;
  description?: string | null;
  location?: string | null;
  url?: string | null;
  /** Default CONFIRMED (COMPLETED is a VTODO status, not a VEVENT one). */
  status?: 'CONFIRMED' | 'TENTATIVE';
  /** Last change (DTSTAMP and LAST-MODIFIED). */
  modified: Date;
  categories?: string[];
}

export function utc(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

// eslint-disable-next-line no-control-regex -- exactly the characters to drop
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

export function escapeText(s: string): string {
  return (
    s
      .replace(/\\/g, '\\\\')
      .replace(/;/g, '\\;')
      .replace(/,/g, '\\,')
      .replace(/\r\n|\r|\n/g, '\\n')
      // Other control characters are not allowed in a TEXT value (RFC 5545 3.3.11).
      .replace(CONTROL, '')
  );
}

/** Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence. */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

export function calendar(name: string, events: CalendarEvent[]): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Sen CRM//Activities//VI',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
    'X-WR-TIMEZONE:Asia/Ho_Chi_Minh',
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${utc(e.modified)}`,
      `LAST-MODIFIED:${utc(e.modified)}`,
      `DTSTART:${utc(e.start)}`,
      `DTEND:${utc(e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
    );
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    if (e.url) lines.push(`URL:${e.url.replace(/[\r\n]/g, '')}`);
    if (e.categories?.length) lines.push(`CATEGORIES:${e.categories.map(escapeText).join(',')}`);
    lines.push(`STATUS:${e.status ?? 'CONFIRMED'}`, 'TRANSP:OPAQUE', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
