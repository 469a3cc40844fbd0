import { describe, expect, test } from 'vitest';
import { drawPaper, seededRandom } from '../draw.js';

const pool = ['ethics', 'law', 'safety'].flatMap((topic) =>
  ['easy', 'medium', 'hard'].flatMap((difficulty) =>
    Array.from({ length: 5 }, (_, i) => ({ id: `q-${topic}-${difficulty}-${i}`, topic, difficulty })),
  ),
);
const rules = [
  { topic: 'ethics', difficulty: 'easy', count: 3 },
  { topic: 'law', difficulty: 'medium', count: 2 },
  { topic: 'safety', difficulty: 'hard', count: 1 },
];

describe('drawing a paper by rules', () => {
  test('n questions per topic and difficulty, no repeats', () => {
    const r = drawPaper(pool, rules, 'seed-1');
    if (!r.ok) throw new Error('draw failed');
    expect(r.questionIds).toHaveLength(6);
    expect(new Set(r.questionIds).size).toBe(6);
    const of = (prefix: string) => r.questionIds.filter((id) => id.startsWith(prefix)).length;
    expect(of('q-ethics-easy-')).toBe(3);
    expect(of('q-law-medium-')).toBe(2);
    expect(of('q-safety-hard-')).toBe(1);
  });

  test('the same seed draws the same paper whatever order the pool comes in; another seed differs', () => {
    const a = drawPaper(pool, rules, 'seed-1');
    const b = drawPaper([...pool].reverse(), rules, 'seed-1');
    expect(a).toEqual(b);
    const papers = new Set(
      Array.from({ length: 10 }, (_, i) => {
        const r = drawPaper(pool, rules, `other-${i}`);
        return r.ok ? r.questionIds.join() : '';
      }),
    );
    expect(papers.size).toBeGreaterThan(1);
  });

  test('two rules on one pool draw without overlap', () => {
    const r = drawPaper(
      pool,
      [
        { topic: 'law', difficulty: 'easy', count: 2 },
        { topic: 'law', difficulty: 'easy', count: 3 },
      ],
      's',
    );
    if (!r.ok) throw new Error('draw failed');
    expect(new Set(r.questionIds).size).toBe(5);
  });

  test('a pool too small for its rules is refused with every shortage', () => {
    const r = drawPaper(
      pool,
      [
        { topic: 'ethics', difficulty: 'easy', count: 6 },
        { topic: 'first_aid', difficulty: 'easy', count: 1 },
        { topic: 'law', difficulty: 'easy', count: 1 },
      ],
      's',
    );
    expect(r).toEqual({
      ok: false,
      shortages: [
        { topic: 'ethics', difficulty: 'easy', wanted: 6, available: 5 },
        { topic: 'first_aid', difficulty: 'easy', wanted: 1, available: 0 },
      ],
    });
  });

  test('every question of a pool is reachable (uniform choice, not the first n)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const r = drawPaper(pool, [{ topic: 'ethics', difficulty: 'easy', count: 1 }], `u-${i}`);
      if (r.ok) seen.add(r.questionIds[0]!);
    }
    expect(seen.size).toBe(5);
  });

  test('the generator is deterministic and in [0, 1)', () => {
    const a = seededRandom('x');
    const b = seededRandom('x');
    const xs = Array.from({ length: 50 }, () => a());
    expect(xs).toEqual(Array.from({ length: 50 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
