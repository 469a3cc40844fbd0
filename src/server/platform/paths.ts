import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root directory (the one holding package.json, drizzle/ and dist/), found by walking up from this
 * module. The same code runs from its source file (`src/server/platform/`, under tsx and vitest) and from the server
 * bundle (`dist/server/main.js`, `npm start`), so files shipped beside the code are addressed from the root, never
 * relative to the module that reads them.
 */
export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(from: string): string {
  for (let dir = from; ; ) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'drizzle'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`project root not found above ${from}`);
    dir = up;
  }
}
