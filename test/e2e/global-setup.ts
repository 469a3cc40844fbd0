import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

export const CHROMIUM_PATH = '/usr/bin/chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the Chromium the journeys drive, or null when none is installed (journeys skip). */
    chromiumPath: string | null;
  }
}

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const webSrc = join(repo, 'src/web');
const builtIndex = join(repo, 'dist/web/index.html');
// The web bundle also pulls in src/shared (validators, roles).
const inputs = [
  webSrc,
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

/** Skips the browser journeys without Chromium; otherwise makes sure dist/web is built from the current sources. */
export default async function setup(project: TestProject): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    console.log(
      `browser journeys skipped: ${CHROMIUM_PATH} not found (apt-get install -y chromium fonts-noto-cjk)`,
    );
    project.provide('chromiumPath', null);
    return;
  }
  project.provide('chromiumPath', CHROMIUM_PATH);

  const builtAt = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;
  const sourcesAt = Math.max(...inputs.map(newestMtime));
  if (builtAt >= sourcesAt) return;
  console.log('e2e: building the web app (dist/web is missing or older than src/web)…');
  const { build } = await import('vite');
  await build({ configFile: join(repo, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
}
