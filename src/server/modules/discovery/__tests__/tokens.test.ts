import { describe, expect, test } from 'vitest';
import { haversineMetres, metresToUnits, scaledPoint, unitsToMetres } from '../geo.js';
import { indexTokens, missingTokenBound, normalise, queryRuns, queryTokens } from '../tokens.js';

describe('Chinese tokens', () => {
  test('index tokens hold every unigram and bigram of CJK runs and whole Latin words', () => {
    const t = indexTokens('持证月嫂, ABC 保洁');
    for (const x of ['持', '证', '月', '嫂', '持证', '证月', '月嫂', 'abc', '保', '洁', '保洁'])
      expect(t).toContain(x);
    expect(t).not.toContain('嫂保'); // runs do not join across separators
  });

  test('queries need their bigrams, or the character of a one-character query', () => {
    expect(queryTokens('月嫂')).toEqual(['月嫂']);
    expect(queryTokens('育婴员')).toEqual(['育婴', '婴员']);
    expect(queryTokens('嫂')).toEqual(['嫂']);
    expect(queryTokens('ＡＢＣ 保洁')).toEqual(['abc', '保洁']);
    expect(queryTokens('  ,, ')).toEqual([]);
    expect(queryRuns('月嫂 abc')).toEqual(['月嫂', 'abc']);
    expect(normalise('ＡＢ')).toBe('ab');
  });

  test('every query token of a substring is among the index tokens of the text', () => {
    const text = '擅长新生儿护理和产妇月子餐';
    const idx = new Set(indexTokens(text));
    for (let i = 0; i < text.length; i++)
      for (let j = i + 1; j <= text.length; j++)
        for (const tok of queryTokens(text.slice(i, j))) expect(idx.has(tok)).toBe(true);
  });
});

describe('planar distance in Guangzhou', () => {
  test('scaled-point distance is within 0.6% of the great-circle distance across the city', () => {
    const pairs = [
      [
        { lon: 113.361, lat: 23.125 },
        { lon: 113.376, lat: 23.125 },
      ],
      [
        { lon: 113.361, lat: 23.125 },
        { lon: 113.361, lat: 23.14 },
      ],
      [
        { lon: 113.525, lat: 22.801 },
        { lon: 113.54, lat: 22.81 },
      ],
      [
        { lon: 113.587, lat: 23.548 },
        { lon: 113.6, lat: 23.56 },
      ],
    ] as const;
    for (const [a, b] of pairs) {
      const pa = scaledPoint(a.lon, a.lat);
      const pb = scaledPoint(b.lon, b.lat);
      const planar = unitsToMetres(Math.hypot(pa.x - pb.x, pa.y - pb.y));
      const real = haversineMetres(a, b);
      expect(Math.abs(planar - real) / real).toBeLessThan(0.006);
    }
    expect(unitsToMetres(metresToUnits(1500))).toBeCloseTo(1500, 6);
  });
});

describe('how frequent a keyword token missing from the statistics can be', () => {
  test("below ANALYZE's cutoff when its list is not full, else the list's least frequency", () => {
    // 1M workers on 2 December: 211 elements kept of 1,000, 47 distinct tokens a row, the least kept in 3 % of rows.
    const bound = missingTokenBound({ listed: 211, floor: 0.03, statisticsTarget: 100, elementsPerRow: 47 });
    expect(bound).toBeCloseTo(0.00329, 5);
    // Below the share at which a walk of 2,000 rows fills a page of 20 (21 / 2,000): the keyword's index answers.
    expect(bound).toBeLessThan(21 / 2000);
    // A full list says nothing beyond its least frequency.
    expect(missingTokenBound({ listed: 1000, floor: 0.03, statisticsTarget: 100, elementsPerRow: 47 })).toBe(
      0.03,
    );
    // Long rows: the cutoff is above the least kept frequency, which bounds it.
    expect(missingTokenBound({ listed: 10, floor: 0.02, statisticsTarget: 100, elementsPerRow: 500 })).toBe(
      0.02,
    );
    // No histogram or no target: the list's least frequency.
    expect(missingTokenBound({ listed: 10, floor: 0.02, statisticsTarget: 100, elementsPerRow: null })).toBe(
      0.02,
    );
    expect(missingTokenBound({ listed: 10, floor: 0.02, statisticsTarget: 0, elementsPerRow: 40 })).toBe(
      0.02,
    );
  });
});
