import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { readPrefs, writePrefs } from '../prefs';

interface ElderModeValue {
  elder: boolean;
  setElder: (on: boolean) => void;
}

const ElderModeContext = createContext<ElderModeValue | null>(null);

/** Marks the document so the stylesheet can enlarge and strengthen everything (styles.css, `[data-elder]`). */
function mark(on: boolean) {
  if (typeof document === 'undefined') return;
  if (on) document.documentElement.dataset.elder = 'on';
  else delete document.documentElement.dataset.elder;
}

/** Holds the 适老化 switch; the choice is remembered on this device like the language. */
export function ElderModeProvider({ children }: { children: ReactNode }) {
  const [elder, setState] = useState(() => readPrefs().elder);
  useEffect(() => mark(elder), [elder]);
  const setElder = useCallback((on: boolean) => {
    writePrefs({ elder: on });
    setState(on);
  }, []);
  const value = useMemo(() => ({ elder, setElder }), [elder, setElder]);
  return <ElderModeContext.Provider value={value}>{children}</ElderModeContext.Provider>;
}

/** Whether the elderly-friendly mode is on, and its switch. */
export function useElderMode(): ElderModeValue {
  const ctx = useContext(ElderModeContext);
  if (!ctx) throw new Error('useElderMode must be used inside <ElderModeProvider>');
  return ctx;
}
