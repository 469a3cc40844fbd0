import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { hitColumns, hitRowAt, type WorkerHit, type WorkerQuery } from '../discovery.service.js';
import { insertRows, projectionRow } from './rows.js';

// Search rows come back from the driver as arrays and are read by position (hitRowAt); the worker's profile reads
// the same row through drizzle's own mapping. Every field of every hit must be the profile's, on every search path.
let t: TestApp;
const rows = Array.from({ length: 60 }, (_, i) =>
  projectionRow(i, {
    workerCreditScore: 600 + i,
    ratingAvg: i % 4 === 0 ? null : 3.5 + (i % 3) / 2,
    ratingCount: i % 4 === 0 ? 0 : i,
    priceFrom: i % 2 ? { cleaning: { fen: 4500 + i, unit: 'hour' } } : {},
    intro: i % 5 === 0 ? null : `第${i}位，做事细心，擅长日常保洁`,
  }),
);

beforeAll(async () => {
  t = await buildTestApp();
  await insertRows(t.database.db, rows);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const svc = () => t.app.services.discovery;
const withoutDistance = ({ distanceM: _, ...rest }: WorkerHit) => rest;

test('hitRowAt reads each column from its position in hitColumns, then the distance', () => {
  const names = [...Object.keys(hitColumns), 'dist'];
  const row = hitRowAt(names);
  expect(Object.keys(row)).toEqual(names);
  for (const [key, value] of Object.entries(row)) expect(value, key).toBe(key);
});

describe('every field of a hit is the worker’s own, on every path', () => {
  const { lon, lat } = rows[0]!;
  const paths: [string, WorkerQuery][] = [
    ['the prepared nearest-first search', { category: 'cleaning', lon, lat, radiusM: 50_000, limit: 8 }],
    ['the nearest-first search built per request', { category: 'cleaning', lon, lat, sex: 'F', limit: 8 }],
    [
      'nearest first of every colour, no category',
      { lon, lat, colors: ['green', 'yellow', 'red'], limit: 8 },
    ],
    ['the credit order', { category: 'cleaning', limit: 8 }],
    ['a keyword in the rating order', { q: '保洁', sort: 'rating', limit: 8 }],
    ['a keyword in the price order, on its index', { q: '细心', sort: 'price', limit: 8 }],
  ];
  test.each(paths)('%s', async (_, q) => {
    const page = await svc().searchWorkers(q);
    expect(page.items.length).toBeGreaterThan(3);
    for (const hit of page.items) {
      // The profile is the hit (through drizzle's mapping) and a few fields more.
      const profile = (await svc().workerProfile(hit.workerId)) as unknown as Record<string, unknown>;
      const own = Object.fromEntries(Object.keys(hit).map((k) => [k, profile[k]])) as unknown as WorkerHit;
      expect(withoutDistance(hit)).toEqual(withoutDistance(own));
      if (q.lon !== undefined) expect(hit.distanceM).toEqual(expect.any(Number));
      else expect(hit.distanceM).toBeNull();
    }
  });
});
