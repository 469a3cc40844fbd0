import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { isLocale, type Locale, readPrefs, writePrefs } from '../prefs';
import { type Dictionary, type MessageKey, zhCN } from './zh-CN';

export type { Locale } from '../prefs';
export type { MessageKey } from './zh-CN';

// Chinese is built in; English (as large as the portal's own code) is a separate chunk loaded when chosen.
const dictionaries: Partial<Record<Locale, Dictionary>> = { 'zh-CN': zhCN };
const loaders: Record<Locale, () => Promise<Dictionary>> = {
  'zh-CN': async () => zhCN,
  en: () => import('./en').then((m) => m.en),
};

/** Loads a language's dictionary once; `translate` falls back to Chinese until it is in. */
export async function loadLocale(locale: Locale): Promise<void> {
  dictionaries[locale] ??= await loaders[locale]();
}

export type TranslateVars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: TranslateVars) => string;

/** Looks a key up and fills `{name}` placeholders. Pure, so non-React code can use it too. */
export function translate(locale: Locale, key: MessageKey, vars?: TranslateVars): string {
  const text = dictionaries[locale]?.[key] ?? zhCN[key] ?? key;
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
  const [wanted] = useState<Locale>(() => initial ?? readPrefs().locale);
  // Shown in Chinese until the chosen language's dictionary has loaded (main.tsx loads it before the first render).
  const [locale, setLocaleState] = useState<Locale>(() => (dictionaries[wanted] ? wanted : 'zh-CN'));
  useEffect(() => {
    if (!dictionaries[wanted])
      loadLocale(wanted)
        .then(() => setLocaleState(wanted))
        .catch(() => undefined);
  }, [wanted]);

  useEffect(() => {
    currentLocale = locale;
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    if (!isLocale(next)) return;
    writePrefs({ locale: next });
    // Offline and never loaded: the page stays in the language it has.
    loadLocale(next)
      .then(() => {
        currentLocale = next;
        setLocaleState(next);
      })
      .catch(() => undefined);
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
