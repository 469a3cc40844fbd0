import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(ts|tsx)$/.test(d.name))
    .map((d) => relative(root, join(d.parentPath, d.name)));
}

function importsOf(file: string): string[] {
  const src = readFileSync(join(root, file), 'utf8');
  const specs = [
    ...src.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return specs
    .map((m) => m[1] ?? m[2]!)
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(root, resolve(dirname(join(root, file)), s)).replace(/\.js$/, '.ts'));
}

const moduleOf = (p: string) => /^src\/server\/modules\/([^/]+)\//.exec(p)?.[1];

describe('module boundaries (docs/architecture.md)', () => {
  const server = files('src/server');

  test('a module imports another module only through its index.ts (tables may reference tables for foreign keys)', () => {
    const violations: string[] = [];
    for (const f of server) {
      const from = moduleOf(f);
      for (const target of importsOf(f)) {
        const to = moduleOf(target);
        if (!to || to === from) continue;
        const viaIndex = target === `src/server/modules/${to}/index.ts`;
        const tableToTable = f.endsWith('.tables.ts') && target.endsWith('.tables.ts');
        const aggregator = f === 'src/server/platform/db/schema.ts' && target.endsWith('.tables.ts');
        if (!viaIndex && !tableToTable && !aggregator) violations.push(`${f} -> ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  test('the platform layer knows no domain module', () => {
    const violations = server
      .filter((f) => f.startsWith('src/server/platform/') && f !== 'src/server/platform/db/schema.ts')
      .flatMap((f) =>
        importsOf(f)
          .filter((t) => moduleOf(t))
          .map((t) => `${f} -> ${t}`),
      );
    expect(violations).toEqual([]);
  });

  test('shared code imports neither server nor web; the web imports no server code', () => {
    const shared = files('src/shared').flatMap((f) =>
      importsOf(f)
        .filter((t) => t.startsWith('src/server') || t.startsWith('src/web'))
        .map((t) => `${f} -> ${t}`),
    );
    const web = files('src/web').flatMap((f) =>
      importsOf(f)
        .filter((t) => t.startsWith('src/server'))
        .map((t) => `${f} -> ${t}`),
    );
    expect([...shared, ...web]).toEqual([]);
  });

  test('no type-checking is switched off anywhere', () => {
    const offenders = [...files('src'), ...files('test')].filter((f) => {
      if (f === 'test/architecture.test.ts') return false;
      const s = readFileSync(join(root, f), 'utf8');
      return /@ts-ignore|@ts-nocheck/.test(s);
    });
    expect(offenders).toEqual([]);
  });
});
