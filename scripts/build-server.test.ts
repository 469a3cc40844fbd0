import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/server/platform/paths.js';
import { buildServer } from './build-server.mjs';

const dir = mkdtempSync(join(tmpdir(), 'anxin-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

describe('the server bundle (npm start)', () => {
  it('holds all of src/ and imports only built-ins and runtime dependencies', async () => {
    const { imports } = await buildServer({ outfile: join(dir, 'main.js') });
    expect(existsSync(join(dir, 'main.js'))).toBe(true);
    expect(existsSync(join(dir, 'main.js.map'))).toBe(true);
    // Nothing of our own is left to load from src/ at run time (a relative import would resolve beside the bundle).
    expect(imports.filter((i) => i.startsWith('.') || i.startsWith('/') || i.startsWith('@shared/'))).toEqual(
      [],
    );
    const builtins = new Set(builtinModules);
    const packages = [
      ...new Set(imports.filter((i) => !i.startsWith('node:') && !builtins.has(i)).map(packageOf)),
    ];
    expect(packages.length).toBeGreaterThan(10);
    // A server import of a devDependency would fail where only runtime dependencies are installed.
    expect(packages.filter((p) => !(p in pkg.dependencies))).toEqual([]);
  });

  it('finds the project root from the source tree', () => {
    expect(existsSync(join(projectRoot, 'package.json'))).toBe(true);
    expect(existsSync(join(projectRoot, 'drizzle'))).toBe(true);
    expect(pkg.dependencies.esbuild).toBeDefined();
  });
});
