import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createPii, PiiError } from '../pii.js';

const key = randomBytes(32);
const hashKey = randomBytes(32);
const intl = createPii({ key, hashKey, profile: 'intl' });
const gm = createPii({ key, hashKey, profile: 'gm' });

describe('lookups across a crypto-profile switch', () => {
  test('blindIndexAs gives each profile its own index, and each app agrees with the other on both', () => {
    const a = intl.blindIndexAs('intl', '11010119850301001X', 'worker.id_number');
    const b = intl.blindIndexAs('gm', '11010119850301001X', 'worker.id_number');
    expect(a).not.toBe(b);
    expect(a).toBe(intl.blindIndex('11010119850301001X', 'worker.id_number'));
    expect(b).toBe(gm.blindIndex('11010119850301001X', 'worker.id_number'));
    expect(gm.blindIndexAs('intl', '11010119850301001X', 'worker.id_number')).toBe(a);
  });

  test('until the data is known to be in this profile, lookups match both; then only this one', () => {
    const p = createPii({ key, hashKey, profile: 'gm' });
    expect(p.settled).toBe(false);
    expect(p.blindIndexes('13800000000', 'worker.phone')).toEqual([
      gm.blindIndex('13800000000', 'worker.phone'),
      intl.blindIndex('13800000000', 'worker.phone'),
    ]);
    p.setDataProfile('intl');
    expect(p.settled).toBe(false);
    expect(p.blindIndexes('13800000000', 'worker.phone')).toHaveLength(2);
    p.setDataProfile('gm');
    expect(p.settled).toBe(true);
    expect(p.blindIndexes('13800000000', 'worker.phone')).toEqual([
      gm.blindIndex('13800000000', 'worker.phone'),
    ]);
    // Hashes of secrets that are never stored match under both profiles whatever the state.
    expect(p.anyProfileIndexes('ak_x', 'partner.key')).toEqual([
      gm.blindIndex('ak_x', 'partner.key'),
      intl.blindIndex('ak_x', 'partner.key'),
    ]);
  });

  test('profileOf names a token’s format, and each profile decrypts the other', () => {
    const t1 = intl.encrypt('广州市天河区', 'demand.address');
    const t2 = gm.encrypt('广州市天河区', 'demand.address');
    expect(gm.profileOf(t1)).toBe('intl');
    expect(intl.profileOf(t2)).toBe('gm');
    expect(gm.decrypt(t1, 'demand.address')).toBe('广州市天河区');
    expect(intl.decrypt(t2, 'demand.address')).toBe('广州市天河区');
    expect(() => gm.profileOf('x1.1.a.b.c')).toThrow(PiiError);
  });
});
