import { describe, expect, it } from 'vitest';
import { USCC_ALPHABET, makeUscc, parseUscc, usccCheckChar } from '../uscc.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PREFIXES = [
  '11',
  '12',
  '13',
  '19',
  '51',
  '52',
  '53',
  '59',
  '91',
  '92',
  '93',
  'Y1',
  '21',
  '31',
  '71',
  'A1',
  'N2',
];
const REGIONS = ['100000', '110000', '110105', '310115', '440106', '440300', '650102', '830000'];

function randomFirst17(next: () => number): string {
  const pick = (s: string) => s[Math.floor(next() * s.length)]!;
  const prefix = PREFIXES[Math.floor(next() * PREFIXES.length)]!;
  const region = REGIONS[Math.floor(next() * REGIONS.length)]!;
  let subject = '';
  for (let i = 0; i < 9; i++) subject += pick(USCC_ALPHABET);
  return prefix + region + subject;
}

describe('USCC_ALPHABET', () => {
  it('has the 31 GB 32100 characters: digits and letters without I, O, S, V, Z', () => {
    expect(USCC_ALPHABET).toHaveLength(31);
    expect(new Set(USCC_ALPHABET).size).toBe(31);
    for (const c of 'IOSVZ') expect(USCC_ALPHABET).not.toContain(c);
    expect(USCC_ALPHABET).toContain('M');
  });
});

describe('parseUscc', () => {
  it('accepts a published code that contains an M (the check character set includes it)', () => {
    expect(parseUscc('91350100M000100Y43')).toEqual({
      ok: true,
      value: {
        normalized: '91350100M000100Y43',
        authority: '9',
        orgType: '1',
        regionCode: '350100',
        subjectId: 'M000100Y4',
      },
    });
  });

  it('normalises lower case and surrounding spaces', () => {
    const code = makeUscc('91440106MA5ABCDE1');
    const r = parseUscc(` ${code.toLowerCase()} `);
    expect(r.ok && r.value.normalized).toBe(code);
  });

  it.each([
    ['empty', ''],
    ['17 characters', '91350100M000100Y4'],
    ['19 characters', '91350100M000100Y431'],
    ['the letter I', '91350100I000100Y43'],
    ['the letter O', '91350100O000100Y43'],
    ['the letter S', '91350100S000100Y43'],
    ['the letter V', '91350100V000100Y43'],
    ['the letter Z', '91350100Z000100Y43'],
    ['punctuation', '91350100-000100Y43'],
    ['an inner space', '9135010 M000100Y43'],
    ['the old 15-digit registration number', '440301103097413'],
  ])('refuses %s as format', (_label, input) => {
    expect(parseUscc(input)).toEqual({ ok: false, reason: 'format' });
  });

  it.each(['0', 'B', 'C', 'H', 'X'])('refuses registration authority %s', (authority) => {
    expect(parseUscc(makeUscc(`${authority}1440106MA5ABCDE1`))).toEqual({ ok: false, reason: 'authority' });
  });

  it.each(['94', '99', '9A', '14', '1A', '54', '50', 'Y2', 'Y9', '2A', '20'])(
    'refuses authority/type pair %s',
    (pair) => {
      expect(parseUscc(makeUscc(`${pair}440106MA5ABCDE1`))).toEqual({ ok: false, reason: 'type' });
    },
  );

  it.each(['11', '12', '13', '19', '51', '52', '53', '59', '91', '92', '93', 'Y1', '21', '39', 'A1', 'N3'])(
    'accepts authority/type pair %s',
    (pair) => {
      expect(parseUscc(makeUscc(`${pair}440106MA5ABCDE1`)).ok).toBe(true);
    },
  );

  it.each([
    ['letters', '44A106'],
    ['an unknown province', '990100'],
    ['a zero prefix', '000000'],
    ['10 but not the national code', '101000'],
  ])('refuses a region code with %s', (_label, region) => {
    expect(parseUscc(makeUscc(`91${region}MA5ABCDE1`))).toEqual({ ok: false, reason: 'region' });
  });

  it('accepts the national region code 100000 used by central-level bodies', () => {
    expect(parseUscc(makeUscc('11100000000013127')).ok).toBe(true);
  });

  it('refuses every wrong check character as checksum', () => {
    const code = makeUscc('91440106MA5ABCDE1');
    for (const c of USCC_ALPHABET) {
      if (c === code[17]) continue;
      expect(parseUscc(code.slice(0, 17) + c)).toEqual({ ok: false, reason: 'checksum' });
    }
  });

  it('round-trips many generated codes', () => {
    const next = rng(32100);
    for (let i = 0; i < 2000; i++) {
      const first17 = randomFirst17(next);
      const code = makeUscc(first17);
      const r = parseUscc(code);
      expect(r).toEqual({
        ok: true,
        value: {
          normalized: code,
          authority: first17[0],
          orgType: first17[1],
          regionCode: first17.slice(2, 8),
          subjectId: first17.slice(8, 17),
        },
      });
    }
  });

  it('detects every single-character substitution in many generated codes', () => {
    const next = rng(31);
    for (let i = 0; i < 150; i++) {
      const code = makeUscc(randomFirst17(next));
      for (let pos = 0; pos < 18; pos++) {
        for (const c of USCC_ALPHABET) {
          if (c === code[pos]) continue;
          expect(parseUscc(code.slice(0, pos) + c + code.slice(pos + 1)).ok).toBe(false);
        }
      }
    }
  });
});

describe('usccCheckChar and makeUscc', () => {
  it('maps a remainder of 0 to check character 0 (31 → 0)', () => {
    // Exactly one last body character gives each check value, because weight 28 is invertible mod 31.
    const hits = [...USCC_ALPHABET].filter((c) => usccCheckChar(`91440106MA5ABCDE${c}`) === '0');
    expect(hits).toHaveLength(1);
    const code = makeUscc(`91440106MA5ABCDE${hits[0]}`);
    expect(code.endsWith('0')).toBe(true);
    expect(parseUscc(code).ok).toBe(true);
  });

  it('reaches all 31 check characters', () => {
    const seen = new Set([...USCC_ALPHABET].map((c) => usccCheckChar(`91440106MA5ABCDE${c}`)));
    expect(seen.size).toBe(31);
  });

  it('upper-cases its input', () => {
    expect(makeUscc('91350100m000100y4')).toBe('91350100M000100Y43');
  });

  it.each(['', '91350100M000100Y', '91350100M000100Y43', '91350100I000100Y4', '91350100M000100Y '])(
    'refuses %j',
    (input) => {
      expect(() => makeUscc(input)).toThrow(RangeError);
    },
  );
});
