import { useEffect } from 'react';
import { useT } from '../i18n';

/** Sets the tab title to `<title> · 安心家政` (or just the app name). */
export function useDocumentTitle(title?: string): void {
  const t = useT();
  const appName = t('app.name');
  useEffect(() => {
    document.title = title ? `${title} · ${appName}` : `${appName} · ${t('app.tagline')}`;
  }, [title, appName, t]);
}
