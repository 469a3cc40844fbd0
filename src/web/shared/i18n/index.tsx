import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { isLocale, type Locale, readPrefs, writePrefs } from '../prefs';
import { en } from './en';
import { type Dictionary, type MessageKey, zhCN } from './zh-CN';

export type { Locale } from '../prefs';
export type { MessageKey } from './zh-CN';

const dictionaries: Record<Locale, Dictionary> = { 'zh-CN': zhCN, en };

export type TranslateVars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: TranslateVars) => string;

/** Looks a key up and fills `{name}` placeholders. Pure, so non-React code can use it too. */
export function translate(locale: Locale, key: MessageKey, vars?: TranslateVars): string {
  const text = dictionaries[locale][key] ?? zhCN[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Joins list items with the locale's separator (、 in Chinese, a comma in English). */
export const joinList = (locale: Locale, items: readonly string[]): string =>
  items.join(translate(locale, 'common.listSep'));

// The API client reads the language outside React (for Accept-Language and error messages).
let currentLocale: Locale = readPrefs().locale;
export const getLocale = (): Locale => currentLocale;

interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => initial ?? readPrefs().locale);

  useEffect(() => {
    currentLocale = locale;
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    if (!isLocale(next)) return;
    currentLocale = next;
    writePrefs({ locale: next });
    setLocaleState(next);
  }, []);

  const value = useMemo<I18nValue>(
    () => ({ locale, setLocale, t: (key, vars) => translate(locale, key, vars) }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18nValue {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useT/useLocale must be used inside <I18nProvider>');
  return ctx;
}

/** The translate function for the current language. */
export function useT(): Translate {
  return useI18n().t;
}

/** The current language and a setter that remembers the choice. */
export function useLocale(): { locale: Locale; setLocale: (locale: Locale) => void } {
  const { locale, setLocale } = useI18n();
  return { locale, setLocale };
}
