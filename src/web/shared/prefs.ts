// UI preferences kept in localStorage. Only the language and layout choices live here, never personal data.
export type Locale = 'zh-CN' | 'en';

export interface UiPrefs {
  locale: Locale;
  siderCollapsed: boolean;
  /** 适老化 (elderly-friendly) mode: larger text and controls, higher contrast, fewer navigation choices. */
  elder: boolean;
}

const STORAGE_KEY = 'anxin.ui-prefs';
const defaults: UiPrefs = { locale: 'zh-CN', siderCollapsed: false, elder: false };

export const isLocale = (v: unknown): v is Locale => v === 'zh-CN' || v === 'en';

function storage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    // Private modes and locked-down browsers throw on access; fall back to defaults.
    return undefined;
  }
}

export function readPrefs(): UiPrefs {
  const raw = storage()?.getItem(STORAGE_KEY);
  if (!raw) return { ...defaults };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return { ...defaults };
    const p = parsed as Record<string, unknown>;
    return {
      locale: isLocale(p.locale) ? p.locale : defaults.locale,
      siderCollapsed: typeof p.siderCollapsed === 'boolean' ? p.siderCollapsed : defaults.siderCollapsed,
      elder: typeof p.elder === 'boolean' ? p.elder : defaults.elder,
    };
  } catch {
    return { ...defaults };
  }
}

export function writePrefs(patch: Partial<UiPrefs>): UiPrefs {
  const next = { ...readPrefs(), ...patch };
  try {
    storage()?.setItem(
      STORAGE_KEY,
      JSON.stringify({ locale: next.locale, siderCollapsed: next.siderCollapsed, elder: next.elder }),
    );
  } catch {
    // Quota or privacy errors only cost the preference, not the page.
  }
  return next;
}
