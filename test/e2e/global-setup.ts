import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

// Debian's Chromium; CHROMIUM_PATH points elsewhere (or at nothing, to check the skip path).
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the Chromium the journeys drive, or null when none is installed (journeys skip). */
    chromiumPath: string | null;
    /** A private copy of the built web app for the test server (null when journeys skip). */
    webRoot: string | null;
  }
}

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const distWeb = join(repo, 'dist/web');
// The web bundle also pulls in src/shared (validators, roles).
const inputs = [
  join(repo, 'src/web'),
  join(repo, 'src/shared'),
  join(repo, 'vite.config.ts'),
  join(repo, 'package-lock.json'),
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

/** True when index.html and every script and stylesheet it names are present in `dir`. */
function isComplete(dir: string): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  const refs = [...readFileSync(index, 'utf8').matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map(
    (m) => m[1]!,
  );
  return refs.length > 0 && refs.every((ref) => existsSync(join(dir, ref)));
}

async function viteBuild(outDir?: string): Promise<void> {
  const { build } = await import('vite');
  // Vitest sets NODE_ENV=test, which would give the bundle React's and antd's development builds.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(repo, 'vite.config.ts'),
      logLevel: 'warn',
      mode: 'production',
      ...(outDir ? { build: { outDir, emptyOutDir: true } } : {}),
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

/**
 * Skips the browser journeys without Chromium. Otherwise builds dist/web when it is missing or older than the
 * sources, and hands the tests a private copy, so a `vite build` run elsewhere in the tree meanwhile (which
 * empties dist/web) cannot pull the pages from under a running journey.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  if (!existsSync(CHROMIUM_PATH)) {
    console.log(
      `browser journeys skipped: ${CHROMIUM_PATH} not found (apt-get install -y chromium fonts-noto-cjk)`,
    );
    project.provide('chromiumPath', null);
    project.provide('webRoot', null);
    return () => undefined;
  }

  const builtAt = existsSync(join(distWeb, 'index.html')) ? statSync(join(distWeb, 'index.html')).mtimeMs : 0;
  if (builtAt < Math.max(...inputs.map(newestMtime)) || !isComplete(distWeb)) {
    console.log('e2e: building the web app (dist/web is missing or older than its sources)…');
    await viteBuild();
  }

  const webRoot = mkdtempSync(join(tmpdir(), 'anxin-e2e-web-'));
  cpSync(distWeb, webRoot, { recursive: true });
  // Another build may have emptied dist/web while we copied: then build straight into the private copy.
  if (!isComplete(webRoot)) await viteBuild(webRoot);

  project.provide('chromiumPath', CHROMIUM_PATH);
  project.provide('webRoot', webRoot);
  return () => rmSync(webRoot, { recursive: true, force: true });
}
