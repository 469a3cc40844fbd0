import { describe, expect, test } from 'vitest';
import { approvedInstallScripts } from '../test/install-scripts-approved.js';
import { offRegistry, unapprovedInstallScripts } from './assure/supply.js';
import { buildSbom, hashesOf, lockPackages, packageName, purlOf, readLock } from './sbom.js';

describe('SBOM and supply-chain rules', () => {
  test('names, purls and hashes follow CycloneDX and the lock', () => {
    expect(packageName('node_modules/a/node_modules/@s/b', {})).toBe('@s/b');
    expect(purlOf('@s/b', '1.0.0')).toBe('pkg:npm/%40s/b@1.0.0');
    expect(hashesOf('sha512-AAEC sha1-AAE=')).toEqual([
      { alg: 'SHA-512', content: '000102' },
      { alg: 'SHA-1', content: '0001' },
    ]);
  });

  test('the SBOM has one component per lock package, each with a purl and a hash', () => {
    const bom = buildSbom();
    const lock = lockPackages(readLock());
    expect(bom.specVersion).toBe('1.5');
    expect(bom.components).toHaveLength(lock.length);
    expect(bom.components.every((c) => c.purl.startsWith('pkg:npm/') && c.hashes.length > 0)).toBe(true);
  });

  test('a new package with an install script, or a tarball from another host, is caught', () => {
    const entries = lockPackages(readLock());
    expect(unapprovedInstallScripts(entries, approvedInstallScripts)).toEqual([]);
    const added: [string, { version: string; hasInstallScript: true; resolved: string }] = [
      'node_modules/evil-postinstall',
      { version: '1.0.0', hasInstallScript: true, resolved: 'https://example.com/evil-1.0.0.tgz' },
    ];
    expect(unapprovedInstallScripts([...entries, added], approvedInstallScripts).map(([p]) => p)).toEqual([
      'node_modules/evil-postinstall',
    ]);
    expect(offRegistry([...entries, added]).map(([p]) => p)).toEqual(['node_modules/evil-postinstall']);
  });
});
