import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from '../api/client';
import type { Locale } from '../api/types';
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

/**
 * Vietnamese (the default, and every text's fallback) is in the first page's bundle; the other
 * languages are chunks of their own, loaded before the UI switches to them.
 */
const lazyLanguages: Record<Exclude<Locale, 'vi'>, () => Promise<{ default: object }>> = {
  en: () => import('./en.json'),
};

async function loadLanguage(lng: Locale): Promise<void> {
  if (lng === 'vi' || i18n.hasResourceBundle(lng, 'translation')) return;
  const { default: bundle } = await lazyLanguages[lng]();
  i18n.addResourceBundle(lng, 'translation', bundle);
}

const lng = initialLocale();
applyLocale(lng);

void i18n.use(initReactI18next).init({
  resources: { vi: { translation: vi } },
  partialBundledLanguages: true,
  lng,
  fallbackLng: 'vi',
  supportedLngs: ['vi', 'en'],
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The texts of this device's language are loaded (main.tsx renders after this; never fails). */
export const i18nReady: Promise<void> = loadLanguage(lng).catch(() => undefined);

i18n.on('languageChanged', (next) => {
  if (isLocale(next)) applyLocale(next);
});

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : 'vi';
}

let wanted: Locale = lng;

/**
 * Switches the UI language once its texts are loaded (the last call wins). If they cannot be
 * loaded (offline), the UI stays in its current language.
 */
export async function setLocale(next: Locale): Promise<void> {
  wanted = next;
  try {
    await loadLanguage(next);
  } catch {
    return;
  }
  if (wanted === next && i18n.language !== next) await i18n.changeLanguage(next);
}

export default i18n;
