import { afterEach, describe, expect, it, vi } from 'vitest';
import { ageOn, idCardCheckChar, isProvincePrefix, makeIdCard, parseIdCard } from '../id-card.js';

const TODAY = { today: '2025-06-15' };

// Small deterministic PRNG so property loops are reproducible.
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

const VALID_PREFIXES = [
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
];

/** Any 17 digits with the right check character, so only the rule under test can fail. */
function withCheck(first17: string): string {
  return first17 + idCardCheckChar(first17);
}

function randomValid(next: () => number): { id: string; region: string; date: string; seq: number } {
  const prefix = VALID_PREFIXES[Math.floor(next() * VALID_PREFIXES.length)]!;
  const region = prefix + String(Math.floor(next() * 10000)).padStart(4, '0');
  const y = 1900 + Math.floor(next() * 125);
  const m = 1 + Math.floor(next() * 12);
  const d = 1 + Math.floor(next() * 28);
  const date = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const seq = Math.floor(next() * 1000);
  return { id: makeIdCard(region, date, seq), region, date, seq };
}

describe('parseIdCard', () => {
  it('accepts the known valid number 11010519491231002X and decodes it', () => {
    expect(parseIdCard('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: { normalized: '11010519491231002X', birthDate: '1949-12-31', sex: 'F', regionCode: '110105' },
    });
  });

  it('normalises a lower-case x and surrounding spaces', () => {
    const r = parseIdCard('  11010519491231002x ', TODAY);
    expect(r.ok && r.value.normalized).toBe('11010519491231002X');
  });

  it('derives sex from the 17th digit: odd male, even female', () => {
    for (let seq = 0; seq < 20; seq++) {
      const r = parseIdCard(makeIdCard('440106', '1990-03-07', seq), TODAY);
      expect(r.ok && r.value.sex).toBe(seq % 2 === 1 ? 'M' : 'F');
    }
  });

  it.each([
    ['empty', ''],
    ['17 digits', '11010519491231002'],
    ['19 characters', '11010519491231002X1'],
    ['15-digit first-generation number', '110105491231002'],
    ['X not in last place', '1101051949123100X2'],
    ['letters', '11010519491231ABCX'],
    ['inner space', '110105 19491231002X'],
    ['another check letter', '11010519491231002Y'],
    ['full-width digits', '１１０１０５１９４９１２３１００２Ｘ'],
  ])('refuses %s as format', (_label, input) => {
    expect(parseIdCard(input, TODAY)).toEqual({ ok: false, reason: 'format' });
  });

  it.each([
    '00',
    '10',
    '16',
    '20',
    '24',
    '30',
    '38',
    '40',
    '47',
    '49',
    '55',
    '60',
    '66',
    '70',
    '72',
    '80',
    '84',
    '90',
    '99',
  ])('refuses province prefix %s as region even with a correct check character', (prefix) => {
    expect(parseIdCard(withCheck(`${prefix}010519900307123`), TODAY)).toEqual({
      ok: false,
      reason: 'region',
    });
  });

  it('accepts every province-level prefix', () => {
    for (const prefix of VALID_PREFIXES) {
      expect(isProvincePrefix(`${prefix}0000`)).toBe(true);
      expect(parseIdCard(withCheck(`${prefix}010519900307123`), TODAY).ok).toBe(true);
    }
  });

  it.each([
    ['30 February', '19990230'],
    ['29 February in a common year', '20230229'],
    ['29 February 1900 (not a leap year)', '19000229'],
    ['31 April', '19990431'],
    ['month 13', '19991301'],
    ['month 00', '19990001'],
    ['day 00', '19990100'],
    ['day 32', '19990132'],
    ['before 1900', '18991231'],
    ['the day after today', '20250616'],
    ['a future year', '20990101'],
  ])('refuses %s as birthdate', (_label, date) => {
    expect(parseIdCard(withCheck(`440106${date}123`), TODAY)).toEqual({ ok: false, reason: 'birthdate' });
  });

  it.each([
    ['29 February in a leap year', '20000229', '2000-02-29'],
    ['1 January 1900', '19000101', '1900-01-01'],
    ['today', '20250615', '2025-06-15'],
  ])('accepts %s', (_label, date, iso) => {
    const r = parseIdCard(withCheck(`440106${date}123`), TODAY);
    expect(r.ok && r.value.birthDate).toBe(iso);
  });

  it('refuses every wrong check character as checksum', () => {
    const valid = '11010519491231002X';
    for (const c of '0123456789X') {
      if (c === 'X') continue;
      expect(parseIdCard(valid.slice(0, 17) + c, TODAY)).toEqual({ ok: false, reason: 'checksum' });
    }
  });

  it('checks the rules in order: format, region, birthdate, checksum', () => {
    // Bad region, bad date and bad check at once: region is reported.
    expect(parseIdCard('990105199902300020', TODAY)).toEqual({ ok: false, reason: 'region' });
    // Bad date and bad check: birthdate is reported.
    const badDate = withCheck('44010619990230002');
    const wrongCheck = badDate.slice(0, 17) + (badDate[17] === '0' ? '1' : '0');
    expect(parseIdCard(wrongCheck, TODAY)).toEqual({ ok: false, reason: 'birthdate' });
  });

  describe('with the real clock', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('reads "today" in Asia/Shanghai', () => {
      vi.useFakeTimers();
      // 17:00 UTC on 30 June is already 1 July in Shanghai.
      vi.setSystemTime(new Date('2024-06-30T17:00:00Z'));
      expect(parseIdCard(makeIdCard('440106', '2024-07-01', 1)).ok).toBe(true);
      expect(parseIdCard(withCheck('44010620240702001'))).toEqual({ ok: false, reason: 'birthdate' });
    });
  });

  it('round-trips many generated numbers', () => {
    const next = rng(11643);
    for (let i = 0; i < 2000; i++) {
      const { id, region, date, seq } = randomValid(next);
      const r = parseIdCard(i % 2 ? id.toLowerCase() : id, TODAY);
      expect(r).toEqual({
        ok: true,
        value: { normalized: id, birthDate: date, sex: seq % 2 === 1 ? 'M' : 'F', regionCode: region },
      });
    }
  });

  it('detects every single-digit substitution in many generated numbers', () => {
    const next = rng(1999);
    for (let i = 0; i < 300; i++) {
      const { id } = randomValid(next);
      for (let pos = 0; pos < 18; pos++) {
        const alphabet = pos === 17 ? '0123456789X' : '0123456789';
        for (const c of alphabet) {
          if (c === id[pos]) continue;
          expect(parseIdCard(id.slice(0, pos) + c + id.slice(pos + 1), TODAY).ok).toBe(false);
        }
      }
    }
  });

  it('detects every adjacent transposition of different digits in many generated numbers', () => {
    const next = rng(7064);
    for (let i = 0; i < 500; i++) {
      const { id } = randomValid(next);
      for (let pos = 0; pos < 16; pos++) {
        if (id[pos] === id[pos + 1]) continue;
        const swapped = id.slice(0, pos) + id[pos + 1] + id[pos] + id.slice(pos + 2);
        expect(parseIdCard(swapped, TODAY).ok).toBe(false);
      }
    }
  });
});

describe('idCardCheckChar', () => {
  it('computes the MOD 11-2 character, X for 10', () => {
    expect(idCardCheckChar('11010519491231002')).toBe('X');
  });

  it.each(['', '1101051949123100', '110105194912310021', '1101051949123100X'])('refuses %j', (input) => {
    expect(() => idCardCheckChar(input)).toThrow(RangeError);
  });

  it('produces every one of the 11 check characters', () => {
    const seen = new Set<string>();
    for (let seq = 0; seq < 200; seq++) seen.add(makeIdCard('440106', '1990-03-07', seq).slice(-1));
    expect([...seen].sort().join('')).toBe('0123456789X');
  });
});

describe('makeIdCard', () => {
  it('builds a valid number from region, date and sequence', () => {
    const id = makeIdCard('110105', '1949-12-31', 2);
    expect(id).toBe('11010519491231002X');
  });

  it.each([
    ['a short region code', '44010', '1990-01-01', 1],
    ['a non-digit region code', '4401AB', '1990-01-01', 1],
    ['an unknown province', '990101', '1990-01-01', 1],
    ['an impossible date', '440106', '1990-02-30', 1],
    ['a compact date', '440106', '19900101', 1],
    ['a date before 1900', '440106', '1899-12-31', 1],
    ['a negative sequence', '440106', '1990-01-01', -1],
    ['a sequence over 999', '440106', '1990-01-01', 1000],
    ['a fractional sequence', '440106', '1990-01-01', 1.5],
  ])('refuses %s', (_label, region, date, seq) => {
    expect(() => makeIdCard(region, date, seq)).toThrow(RangeError);
  });
});

describe('ageOn', () => {
  it('counts completed years', () => {
    expect(ageOn('1990-03-07', '2025-03-06')).toBe(34);
    expect(ageOn('1990-03-07', '2025-03-07')).toBe(35);
    expect(ageOn('1990-03-07', '2025-12-31')).toBe(35);
    expect(ageOn('1990-03-07', '1990-03-07')).toBe(0);
    expect(ageOn('1990-12-31', '1991-01-01')).toBe(0);
  });

  it('lets someone born on 29 February turn a year older on 1 March in common years', () => {
    expect(ageOn('2000-02-29', '2019-02-28')).toBe(18);
    expect(ageOn('2000-02-29', '2019-03-01')).toBe(19);
    expect(ageOn('2000-02-29', '2020-02-29')).toBe(20);
  });

  it('reads a Date in Asia/Shanghai', () => {
    // 16:30 UTC on 6 March is 00:30 on 7 March in Shanghai: the birthday has come.
    expect(ageOn('1990-03-07', new Date('2025-03-06T16:30:00Z'))).toBe(35);
    expect(ageOn('1990-03-07', new Date('2025-03-06T15:59:59Z'))).toBe(34);
  });

  it('works with a parsed birth date', () => {
    const r = parseIdCard('11010519491231002X', TODAY);
    if (!r.ok) throw new Error('expected a valid number');
    expect(ageOn(r.value.birthDate, '2025-06-15')).toBe(75);
  });

  it.each([
    ['an impossible birth date', '1990-02-30', '2025-01-01'],
    ['a malformed date', '1990-3-7', '2025-01-01'],
    ['an impossible reference date', '1990-03-07', '2025-13-01'],
    ['a reference date before birth', '1990-03-07', '1990-03-06'],
  ])('refuses %s', (_label, birth, on) => {
    expect(() => ageOn(birth, on)).toThrow(RangeError);
  });
});
