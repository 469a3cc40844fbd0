// `npm run sbom`: a CycloneDX 1.5 JSON SBOM of every package in package-lock.json, written to sbom.cdx.json.
// Built from the lock alone (no network): name, version, purl, the lock's integrity hash (as hex), scope, and the
// license from the lock or, when the lock has none, from node_modules/<pkg>/package.json. One component per lock
// entry (a package installed at two paths in two versions is two components; its lock path is the bom-ref).
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  license?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  link?: boolean;
  hasInstallScript?: boolean;
}
export interface Lock {
  name: string;
  version: string;
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

export interface CdxComponent {
  type: 'library';
  'bom-ref': string;
  group?: string;
  name: string;
  version: string;
  purl: string;
  scope: 'required' | 'optional';
  hashes: { alg: string; content: string }[];
  licenses?: ({ license: { id: string } } | { license: { name: string } } | { expression: string })[];
  properties: { name: string; value: string }[];
}
export interface CdxBom {
  bomFormat: 'CycloneDX';
  specVersion: '1.5';
  serialNumber: string;
  version: 1;
  metadata: {
    timestamp: string;
    tools: { components: { type: 'application'; name: string; version: string }[] };
    component: { type: 'application'; 'bom-ref': string; name: string; version: string; licenses?: object[] };
  };
  components: CdxComponent[];
}

export const root = resolve(import.meta.dirname, '..');

export function readLock(dir = root): Lock {
  return JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as Lock;
}

/** The package entries of a lock (every key but the root project ""), in lock order. */
export function lockPackages(lock: Lock): [string, LockEntry][] {
  return Object.entries(lock.packages).filter(([path]) => path !== '');
}

/** `node_modules/a/node_modules/@s/b` → `@s/b` (the lock's `name` wins when present, e.g. for aliases). */
export function packageName(path: string, entry: LockEntry): string {
  if (entry.name) return entry.name;
  const i = path.lastIndexOf('node_modules/');
  return i >= 0 ? path.slice(i + 'node_modules/'.length) : path;
}

export function purlOf(name: string, version: string): string {
  const [scope, bare] = name.startsWith('@') ? name.split('/') : [undefined, name];
  return `pkg:npm/${scope ? `${encodeURIComponent(scope)}/` : ''}${encodeURIComponent(bare!)}@${encodeURIComponent(version)}`;
}

const ALG: Record<string, string> = {
  sha512: 'SHA-512',
  sha384: 'SHA-384',
  sha256: 'SHA-256',
  sha1: 'SHA-1',
};

/** An SRI string (`sha512-<base64> sha1-<base64>`) as CycloneDX hashes (hex). */
export function hashesOf(integrity: string | undefined): { alg: string; content: string }[] {
  if (!integrity) return [];
  return integrity
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((sri) => {
      const dash = sri.indexOf('-');
      const alg = ALG[sri.slice(0, dash)];
      return alg ? [{ alg, content: Buffer.from(sri.slice(dash + 1), 'base64').toString('hex') }] : [];
    });
}

const SPDX_SIMPLE = /^[A-Za-z0-9.+-]+$/;

function licenseOf(dir: string, path: string, entry: LockEntry): CdxComponent['licenses'] {
  let lic: unknown = entry.license;
  if (!lic) {
    const pj = join(dir, path, 'package.json');
    if (existsSync(pj)) {
      const meta = JSON.parse(readFileSync(pj, 'utf8')) as { license?: unknown; licenses?: unknown };
      lic = meta.license ?? meta.licenses;
    }
  }
  if (typeof lic === 'object' && lic && 'type' in lic) lic = (lic as { type: string }).type;
  if (Array.isArray(lic))
    lic = lic.map((l) => (typeof l === 'string' ? l : (l as { type?: string }).type)).join(' OR ');
  if (typeof lic !== 'string' || !lic) return undefined;
  if (SPDX_SIMPLE.test(lic)) return [{ license: { id: lic } }];
  if (/ (OR|AND|WITH) /.test(lic)) return [{ expression: lic.replace(/^\(|\)$/g, '') }];
  return [{ license: { name: lic } }];
}

export function buildSbom(dir = root, now = new Date()): CdxBom {
  const lock = readLock(dir);
  const top = lock.packages[''] as LockEntry & { license?: string };
  const components = lockPackages(lock).map(([path, entry]): CdxComponent => {
    const name = packageName(path, entry);
    const version = entry.version ?? '0.0.0';
    const scoped = name.startsWith('@');
    const licenses = licenseOf(dir, path, entry);
    const properties = [{ name: 'cdx:npm:package:path', value: path }];
    if (entry.dev) properties.push({ name: 'cdx:npm:package:development', value: 'true' });
    if (entry.hasInstallScript) properties.push({ name: 'anxin:npm:hasInstallScript', value: 'true' });
    if (entry.resolved) properties.push({ name: 'anxin:npm:resolved', value: entry.resolved });
    return {
      type: 'library',
      'bom-ref': path,
      ...(scoped ? { group: name.split('/')[0]! } : {}),
      name: scoped ? name.split('/')[1]! : name,
      version,
      purl: purlOf(name, version),
      scope: entry.dev || entry.optional || entry.devOptional ? 'optional' : 'required',
      hashes: hashesOf(entry.integrity),
      ...(licenses ? { licenses } : {}),
      properties,
    };
  });
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: now.toISOString(),
      tools: { components: [{ type: 'application', name: 'anxin-sbom (scripts/sbom.ts)', version: '1' }] },
      component: {
        type: 'application',
        'bom-ref': 'root',
        name: lock.name,
        version: lock.version,
        ...(top?.license ? { licenses: [{ license: { id: top.license } }] } : {}),
      },
    },
    components,
  };
}

export const SBOM_FILE = 'sbom.cdx.json';

export function writeSbom(dir = root): { file: string; bom: CdxBom } {
  const bom = buildSbom(dir);
  const file = join(dir, SBOM_FILE);
  writeFileSync(file, `${JSON.stringify(bom, null, 2)}\n`);
  return { file, bom };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { file, bom } = writeSbom();
  const withLicense = bom.components.filter((c) => c.licenses).length;
  const withHash = bom.components.filter((c) => c.hashes.length).length;
  console.log(
    `${file}: CycloneDX ${bom.specVersion}, ${bom.components.length} components (hash ${withHash}, license ${withLicense})`,
  );
}
