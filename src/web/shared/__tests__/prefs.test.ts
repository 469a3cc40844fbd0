import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { readPrefs, writePrefs } from '../prefs';

// A minimal localStorage, as the browser gives it; the unit project runs in Node.
function fakeStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, String(v)),
  };
}

describe('UI preferences', () => {
  beforeEach(() => vi.stubGlobal('window', { localStorage: fakeStorage() }));
  afterEach(() => vi.unstubAllGlobals());

  test('defaults: Chinese, menu open, elderly-friendly mode off', () => {
    expect(readPrefs()).toEqual({ locale: 'zh-CN', siderCollapsed: false, elder: false });
  });

  test('the elderly-friendly mode is remembered with the other choices', () => {
    writePrefs({ elder: true });
    writePrefs({ locale: 'en' });
    expect(readPrefs()).toEqual({ locale: 'en', siderCollapsed: false, elder: true });
  });

  test('a damaged or foreign value falls back to the defaults field by field', () => {
    window.localStorage.setItem('anxin.ui-prefs', JSON.stringify({ locale: 'fr', elder: 'yes' }));
    expect(readPrefs()).toEqual({ locale: 'zh-CN', siderCollapsed: false, elder: false });
    window.localStorage.setItem('anxin.ui-prefs', '{not json');
    expect(readPrefs().elder).toBe(false);
  });
});
