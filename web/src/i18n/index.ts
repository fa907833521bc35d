import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from '../api/client';
import type { Locale } from '../api/types';
import en from './en.json';
import vi from './vi.json';

export const LOCALES: readonly Locale[] = ['vi', 'en'];
const STORAGE_KEY = 'sen.locale';

export function isLocale(value: unknown): value is Locale {
  return value === 'vi' || value === 'en';
}

/** Before sign-in: the last choice on this device, then the browser's languages, then Vietnamese. */
export function initialLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // storage unavailable (private mode): fall through
  }
  const preferred = typeof navigator === 'undefined' ? [] : (navigator.languages ?? []);
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'vi';
}

function applyLocale(lng: Locale): void {
  setApiLanguage(lng);
  document.documentElement.lang = lng;
  try {
    window.localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // ignore
  }
}

const lng = initialLocale();
applyLocale(lng);

void i18n.use(initReactI18next).init({
  resources: { vi: { translation: vi }, en: { translation: en } },
  lng,
  fallbackLng: 'vi',
  supportedLngs: ['vi', 'en'],
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on('languageChanged', (next) => {
  if (isLocale(next)) applyLocale(next);
});

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : 'vi';
}

export async function setLocale(next: Locale): Promise<void> {
  if (i18n.language !== next) await i18n.changeLanguage(next);
}

export default i18n;
