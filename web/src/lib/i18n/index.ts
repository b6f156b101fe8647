import { addMessages, init, locale } from 'svelte-i18n';
import en from './locales/en.json';
import th from './locales/th.json';
import auditEn from './locales/audit.en.json';
import auditTh from './locales/audit.th.json';
import chartsEn from './locales/charts.en.json';
import chartsTh from './locales/charts.th.json';
import shellEn from './locales/shell.en.json';
import shellTh from './locales/shell.th.json';
import tablesEn from './locales/tables.en.json';
import tablesTh from './locales/tables.th.json';
import usersEn from './locales/users.en.json';
import usersTh from './locales/users.th.json';
import syncEn from './locales/sync.en.json';
import syncTh from './locales/sync.th.json';

export const LOCALES = ['en', 'th'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';
/** Readable by the server, so the first render is already in the chosen language. */
export const LOCALE_COOKIE = 'lang';

export function resolveLocale(value: string | null | undefined): Locale {
  return (LOCALES as readonly string[]).includes(value ?? '') ? (value as Locale) : DEFAULT_LOCALE;
}

// Dictionaries are bundled (a few small files per language, one per area of the app) instead of registered as lazy
// loaders, so a locale is usable synchronously: no waitLocale() before the first render, no flash of keys.
addMessages('en', en, usersEn, chartsEn, shellEn, auditEn, tablesEn, syncEn);
addMessages('th', th, usersTh, chartsTh, shellTh, auditTh, tablesTh, syncTh);
// svelte-i18n writes the locale into <html lang> in the browser: start there in the language the server rendered,
// so the page does not read as English while it hydrates.
init({
  fallbackLocale: DEFAULT_LOCALE,
  initialLocale: typeof document === 'undefined' ? DEFAULT_LOCALE : resolveLocale(document.documentElement.lang),
});

/**
 * svelte-i18n keeps the locale in one module-level store. The root layout calls this while it renders, and a
 * server render is synchronous from there to the leaf page, so one request cannot see another's locale.
 */
export function useLocale(value: Locale): void {
  locale.set(value);
}

/** Browser only: switch language and remember it for the next server render. */
export function chooseLocale(value: Locale): void {
  locale.set(value);
  document.cookie = `${LOCALE_COOKIE}=${value}; Path=/; Max-Age=31536000; SameSite=Lax`;
  document.documentElement.lang = value;
}
