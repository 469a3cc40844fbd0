import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { creditGrades, skillLevelCodes } from '../../../../shared/domain.js';
import { haversineMetres } from '../geo.js';
import { insertRows, projectionRow } from './rows.js';

let t: TestApp;
const N = 240;
const rows = Array.from({ length: N }, (_, i) => projectionRow(i));
beforeAll(async () => {
  t = await buildTestApp();
  await insertRows(t.database.db, rows);
});
afterAll(async () => {
  await t?.close();
});

type Hit = Record<string, unknown> & { workerId: string };
async function search(qs: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/search/workers?${qs}` });
  return res;
}
async function all(qs: string, limit = 17): Promise<Hit[]> {
  const out: Hit[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const res = await search(`${qs}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: Hit[]; nextCursor: string | null };
    out.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('pagination did not end');
}
const ids = (hits: Hit[]) => hits.map((h) => h.workerId);
const expected = (pred: (r: (typeof rows)[number]) => boolean) =>
  rows
    .filter((r) => r.color === 'green' && pred(r))
    .map((r) => r.workerId)
    .sort();

describe('worker search filters', () => {
  test('green only by default; colors= widens it; yellow/red are never bookable', async () => {
    const green = await all('sort=credit');
    expect(ids(green).sort()).toEqual(expected(() => true));
    expect(green.every((h) => h.color === 'green' && h.bookable === true)).toBe(true);
    const everyone = await all('sort=credit&colors=green,yellow,red');
    expect(everyone).toHaveLength(N);
    expect(everyone.filter((h) => h.color !== 'green').every((h) => h.bookable === false)).toBe(true);
  });

  test('category, district, company grade, level, stars, age, sex, native place, languages', async () => {
    const cases: [string, (r: (typeof rows)[number]) => boolean][] = [
      ['category=maternity', (r) => r.categories.includes('maternity')],
      ['district=440104', (r) => r.district === '440104'],
      ['companyGrades=5A,3A', (r) => r.companyGrade === '5A' || r.companyGrade === '3A'],
      ['minLevel=level3', (r) => skillLevelCodes.indexOf(r.skillLevel as never) >= 2],
      ['minStars=4', (r) => (r.maternityStars ?? 0) >= 4],
      ['ageMin=30&ageMax=40', (r) => (r.age ?? 0) >= 30 && (r.age ?? 0) <= 40],
      ['sex=M', (r) => r.sex === 'M'],
      ['nativePlace=湖南', (r) => (r.nativePlace ?? '').includes('湖南')],
      ['languages=粤语', (r) => r.languages.includes('粤语')],
      [
        'category=cleaning&district=440104&minLevel=level4',
        (r) =>
          r.categories.includes('cleaning') &&
          r.district === '440104' &&
          skillLevelCodes.indexOf(r.skillLevel as never) >= 1,
      ],
    ];
    for (const [qs, pred] of cases) {
      const want = expected(pred);
      expect(want.length, qs).toBeGreaterThan(0);
      expect(ids(await all(`sort=credit&${qs}`)).sort(), qs).toEqual(want);
    }
  });

  test('Chinese keyword: two-character words, one character, longer phrases; substring recheck', async () => {
    for (const q of ['月嫂', '保洁', '育婴员', '嫂', '新生儿护理', '广式汤水']) {
      const want = expected((r) => r.searchText.includes(q));
      expect(want.length, q).toBeGreaterThan(0);
      expect(ids(await all(`sort=credit&q=${encodeURIComponent(q)}`)).sort(), q).toEqual(want);
    }
    // Both bigrams 保洁 and 洁做 exist in "保洁做饭" but "洁保" in no text: nothing matches.
    expect((await all(`sort=credit&q=${encodeURIComponent('洁保')}`)).length).toBe(0);
  });

  test('radius from a point: exactly the workers within it (haversine), nearest first', async () => {
    const p = { lon: 113.33, lat: 23.12 };
    const hits = await all(`lon=${p.lon}&lat=${p.lat}&radiusM=5000`);
    const want = expected((r) => haversineMetres(p, r) <= 5000 * 0.995);
    const maybe = expected((r) => haversineMetres(p, r) <= 5000 * 1.005);
    for (const id of want) expect(ids(hits)).toContain(id);
    for (const id of ids(hits)) expect(maybe).toContain(id);
    const d = hits.map((h) => h.distanceM as number);
    expect(d).toEqual([...d].sort((a, b) => a - b));
    expect(d.every((x) => x <= 5050)).toBe(true);
  });
});

describe('worker search ordering and pagination', () => {
  test('each sort orders correctly and pages have no duplicates or gaps', async () => {
    const want = expected(() => true);
    const byCredit = await all('sort=credit', 11);
    const rank = (h: Hit) => {
      const r = rows.find((x) => x.workerId === h.workerId)!;
      return r.creditRank;
    };
    const credit = byCredit.map(rank);
    expect(credit).toEqual([...credit].sort((a, b) => b - a));
    expect(byCredit[0]!.company).toMatchObject({ creditGrade: '5A' });

    const byPrice = await all('sort=price', 13);
    const prices = byPrice.map((h) => (h.minPriceFen as number | null) ?? Number.MAX_SAFE_INTEGER);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(byPrice.at(-1)!.minPriceFen).toBeNull(); // no price published: last

    const byRating = await all('sort=rating', 19);
    const byDistance = await all('sort=distance&lon=113.3&lat=23.1', 7);
    const d = byDistance.map((h) => h.distanceM as number);
    expect(d).toEqual([...d].sort((a, b) => a - b));
    const byDistrictCentre = await all('sort=distance&district=440106', 9);
    for (const list of [byCredit, byPrice, byRating, byDistance]) {
      expect(new Set(ids(list)).size).toBe(list.length);
      expect(ids(list).sort()).toEqual(want);
    }
    expect(byDistrictCentre.every((h) => h.district === '440106')).toBe(true);
    expect(creditGrades[0]).toBe('5A');
  });

  test('bad input is a 422 with a stable code', async () => {
    const cases: [string, string][] = [
      ['category=plumbing', 'CATALOG_CATEGORY_UNKNOWN'],
      ['radiusM=1500', 'SEARCH_INVALID'],
      ['lon=113.3', 'SEARCH_INVALID'],
      ['sort=distance', 'SEARCH_INVALID'],
      ['ageMin=50&ageMax=30', 'SEARCH_INVALID'],
      ['q=%2C%2C', 'SEARCH_INVALID'],
      ['cursor=notacursor', 'VALIDATION_FAILED'],
      ['colors=purple', 'VALIDATION_FAILED'],
      ['radiusM=-5', 'VALIDATION_FAILED'],
      ['limit=1000', 'VALIDATION_FAILED'],
      ['availableFrom=2026-12-01T08:00:00%2B08:00', 'SEARCH_INVALID'],
    ];
    for (const [qs, code] of cases) {
      const res = await search(qs);
      expect(res.statusCode, qs).toBe(422);
      expect(res.json().code, qs).toBe(code);
    }
  });
});
