/** Words and colours the import pages share: formats, encodings, delimiters, outcomes, statuses. */
import type { TFunction } from 'i18next';
import type { ImportJob, ImportStatus, RowOutcome } from '../../api/imports';
import type { ObjectMeta } from '../../api/records';

/** Encodings by their usual names (the same in every language). */
const ENCODINGS: Record<string, string> = {
  utf8: 'UTF-8',
  utf16le: 'UTF-16 LE',
  utf16be: 'UTF-16 BE',
  windows1258: 'Windows-1258',
  tcvn: 'TCVN3 (ABC)',
  viscii: 'VISCII',
};

export function encodingName(encoding: string): string {
  return ENCODINGS[encoding] ?? encoding;
}

const DELIMITERS: Record<string, string> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
  '|': 'pipe',
};

export function delimiterName(t: TFunction, delimiter: string): string {
  const key = DELIMITERS[delimiter];
  return key ? t(`imports.delimiters.${key}`) : `“${delimiter}”`;
}

export const OUTCOME_COLORS: Record<RowOutcome, string> = {
  created: 'teal',
  updated: 'blue',
  skipped: 'gray',
  failed: 'red',
};

export const STATUS_COLORS: Record<ImportStatus, string> = {
  analyzed: 'gray',
  queued: 'yellow',
  running: 'blue',
  done: 'teal',
  failed: 'red',
  undoing: 'orange',
  undone: 'gray',
};

/** "1 phút 5 giây", "12 giây": the time an import has left. */
export function durationText(t: TFunction, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('imports.duration.seconds', { count: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('imports.duration.minutes', { count: m, seconds: s % 60 });
  return t('imports.duration.hours', { count: Math.floor(m / 60), minutes: m % 60 });
}

/** The object's name in the UI language, lower case, for running text ("nhập liên hệ"). */
export function manyOf(meta: ObjectMeta, lang: string): string {
  const l = lang === 'en' ? 'en' : 'vi';
  return meta.label.many[l].toLocaleLowerCase(l);
}

/** The rows an import has written or judged: the counts always add up to it. */
export const countedRows = (imp: ImportJob) => imp.created + imp.updated + imp.skipped + imp.failed;
