import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { loadLocale } from './shared/i18n';
import { readPrefs } from './shared/prefs';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
// English is a lazy chunk: fetch it before the first render for those who chose it, so no Chinese flashes first.
void loadLocale(readPrefs().locale)
  .catch(() => undefined)
  .then(() =>
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );

// The service worker keeps the shell and scanned verification pages for offline use (public/sw.js). Only in the
// built app: in development it would serve stale modules.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  });
}
