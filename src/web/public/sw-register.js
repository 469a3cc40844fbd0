// Registers the service worker from pages the server renders (the /v/ verification page), so the first scan on a
// phone already keeps a copy for offline use. The single-page app registers it from main.tsx.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}
