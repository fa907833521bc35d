import type { TFunction } from 'i18next';

export const CURRENCIES = ['VND', 'USD', 'EUR'] as const;
export const DEFAULT_TIMEZONE = 'Asia/Ho_Chi_Minh';

let zones: string[] | null = null;
/** IANA time zones the browser knows, Vietnam's first. */
export function timezones(): string[] {
  if (!zones) {
    let all: string[];
    try {
      all = Intl.supportedValuesOf('timeZone');
    } catch {
      all = [];
    }
    zones = [DEFAULT_TIMEZONE, ...all.filter((z) => z !== DEFAULT_TIMEZONE && z !== 'Asia/Saigon')];
  }
  return zones;
}

export function localeOptions(t: TFunction) {
  return [
    { value: 'vi', label: t('language.vi') },
    { value: 'en', label: t('language.en') },
  ];
}

export function currencyOptions(t: TFunction) {
  return CURRENCIES.map((c) => ({ value: c, label: `${c} · ${t(`currency.${c}`)}` }));
}
