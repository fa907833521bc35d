import { useTranslation } from 'react-i18next';
import { useMemo } from 'react';
import { useOptionalSession } from '../api/session';
import type { Locale } from '../api/types';

/** Intl locale tags per UI language. Money stays in the workspace currency (VND) either way. */
export function intlLocale(lang: string): string {
  return lang === 'en' ? 'en-US' : 'vi-VN';
}

function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

/** Vietnamese reads dates as 23/11/2026; English gets `Nov 23, 2026`. */
function dateParts(lang: string): Intl.DateTimeFormatOptions {
  return lang === 'en'
    ? { year: 'numeric', month: 'short', day: 'numeric' }
    : { year: 'numeric', month: '2-digit', day: '2-digit' };
}

/** An invalid or unknown IANA zone must not break rendering: fall back to the browser's. */
function safeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

export function formatDate(value: string | Date, lang: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(intlLocale(lang), {
    ...dateParts(lang),
    timeZone: safeZone(timeZone),
  }).format(toDate(value));
}

export function formatDateTime(value: string | Date, lang: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(intlLocale(lang), {
    ...dateParts(lang),
    hour: '2-digit',
    minute: '2-digit',
    timeZone: safeZone(timeZone),
  }).format(toDate(value));
}

export function formatNumber(value: number, lang: string): string {
  return new Intl.NumberFormat(intlLocale(lang)).format(value);
}

/** `formatMoney(1000000, 'vi')` → `1.000.000 ₫`; in English `₫1,000,000`. */
export function formatMoney(value: number, lang: string, currency = 'VND'): string {
  return new Intl.NumberFormat(intlLocale(lang), { style: 'currency', currency }).format(value);
}

export function formatRelative(value: string | Date, lang: string, now = Date.now()): string {
  const seconds = Math.round((toDate(value).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(intlLocale(lang), { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 365 * 24 * 3600],
    ['month', 30 * 24 * 3600],
    ['week', 7 * 24 * 3600],
    ['day', 24 * 3600],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(seconds, 'second');
}

/** Formatters bound to the current UI language and the workspace's timezone and currency. */
export function useFormat() {
  const { i18n } = useTranslation();
  const session = useOptionalSession();
  const lang: Locale = i18n.language === 'en' ? 'en' : 'vi';
  const timeZone = session?.workspace.timezone;
  const currency = session?.workspace.currency ?? 'VND';
  return useMemo(
    () => ({
      lang,
      date: (v: string | Date) => formatDate(v, lang, timeZone),
      dateTime: (v: string | Date) => formatDateTime(v, lang, timeZone),
      number: (v: number) => formatNumber(v, lang),
      money: (v: number) => formatMoney(v, lang, currency),
      relative: (v: string | Date) => formatRelative(v, lang),
    }),
    [lang, timeZone, currency],
  );
}
