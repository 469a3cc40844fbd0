import { relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Cache policy of a built web file, by its path relative to the web root (forward slashes). */
export function webCacheControl(path: string): string {
  // Vite names everything under assets/ by content hash: a new build gives new names, so these never change.
  if (path.startsWith('assets/')) return 'public, max-age=31536000, immutable';
  // index.html and the service worker name the current assets; the rest (manifest, icons) is unhashed. Browsers
  // keep them but ask again each time (a 304 with the ETag), so a new release is seen on the next visit.
  return 'no-cache';
}

/**
 * Serves the built web app (dist/web). The build writes brotli and gzip copies beside each text file
 * (scripts/precompress.ts); they are sent as they are to clients that accept them, with `Vary: accept-encoding`.
 */
export async function registerWebStatic(app: FastifyInstance, webRoot: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: webRoot,
    wildcard: false,
    index: ['index.html'],
    preCompressed: true,
    // The compressed copies are chosen by Accept-Encoding, never fetched by their own names.
    globIgnore: ['**/*.br', '**/*.gz'],
    // send's own `public, max-age=0` is replaced by the policy above.
    cacheControl: false,
    setHeaders(reply, path) {
      const file = relative(webRoot, path.replace(/\.(?:br|gz)$/, ''))
        .split(sep)
        .join('/');
      reply.header('cache-control', webCacheControl(file));
    },
  });
}
