import type { TFunction } from 'i18next';
import { pathsApiV1WorkspacePatchRequestBodyContentApplicationJsonCurrencyValues as currencies } from '../api/schema.gen';

/** The currencies a workspace may use: the server's list (src/http/schemas.ts), generated. */
export const CURRENCIES = currencies;
export type Currency = (typeof CURRENCIES)[number];
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
