// The server bundle: src/server/main.ts and everything it imports from src/ in one ES module,
// dist/server/main.js (with a source map), packages from node_modules left as imports. `npm start` and the
// assurance suites that start the real server process (scripts/assure/server-process.ts) run it with plain Node:
// no TypeScript loader hooks at start, so a start takes about half the time it did under tsx. Built by esbuild
// (the TypeScript transform tsx itself uses), only when missing or older than its sources.
//   node scripts/build-server.mjs           build when stale
//   node scripts/build-server.mjs --force   build now
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
export const serverBundle = join(root, 'dist/server/main.js');

/** The newest modification time (ms) of a file or of any file below a directory. */
export function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = 0;
  for (const entry of readdirSync(path, { withFileTypes: true }))
    t = Math.max(t, newest(join(path, entry.name)));
  return t;
}

/** True when the bundle is missing or a source it is built from (src/server, src/shared, tsconfig) is newer. */
export function serverBundleStale() {
  if (!existsSync(serverBundle)) return true;
  const built = statSync(serverBundle).mtimeMs;
  return ['src/server', 'src/shared', 'tsconfig.json', 'package.json'].some(
    (p) => newest(join(root, p)) > built,
  );
}

/**
 * Builds the bundle (dist/server/main.js unless `outfile` says otherwise); returns the milliseconds it took and
 * the packages and built-in modules the bundle imports at run time.
 */
export async function buildServer({ outfile = serverBundle } = {}) {
  const { build } = await import('esbuild');
  const t0 = Date.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/server/main.ts'],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    tsconfig: 'tsconfig.json',
    logLevel: 'warning',
    metafile: true,
  });
  const imports = new Set();
  for (const output of Object.values(result.metafile.outputs))
    for (const i of output.imports) if (i.external) imports.add(i.path);
  return { ms: Date.now() - t0, imports: [...imports].sort() };
}

/** Builds the bundle when it is stale; returns its path. */
export async function ensureServerBundle({ force = false, quiet = false } = {}) {
  if (force || serverBundleStale()) {
    if (!quiet) console.log('building the server (esbuild → dist/server/main.js)…');
    await buildServer();
  }
  return serverBundle;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await ensureServerBundle({ force: process.argv.includes('--force') });
}
