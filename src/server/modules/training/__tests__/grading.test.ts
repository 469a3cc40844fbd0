import { describe, expect, test } from 'vitest';
import { creditFor, gradePaper } from '../grading.js';

const single = { id: 's', type: 'single' as const, topic: 'law', options: ['a', 'b', 'c', 'd'], answer: [2] };
const tf = { id: 't', type: 'true_false' as const, topic: 'safety', options: ['对', '错'], answer: [1] };
const multi = {
  id: 'm',
  type: 'multiple' as const,
  topic: 'ethics',
  options: ['a', 'b', 'c', 'd'],
  answer: [0, 1, 3],
};

describe('credit for one answer', () => {
  test('single choice and true/false: all or nothing', () => {
    expect(creditFor(single, [2])).toBe(1);
    expect(creditFor(single, [1])).toBe(0);
    expect(creditFor(single, [2, 1])).toBe(0);
    expect(creditFor(single, [])).toBe(0);
    expect(creditFor(single, undefined)).toBe(0);
    expect(creditFor(tf, [1])).toBe(1);
    expect(creditFor(tf, [0])).toBe(0);
  });

  test('multiple choice: exact set 1, a correct strict subset 0.5, any wrong option 0', () => {
    expect(creditFor(multi, [3, 0, 1])).toBe(1);
    expect(creditFor(multi, [0, 1])).toBe(0.5);
    expect(creditFor(multi, [3])).toBe(0.5);
    expect(creditFor(multi, [0, 1, 2])).toBe(0);
    expect(creditFor(multi, [0, 1, 2, 3])).toBe(0);
    expect(creditFor(multi, [2])).toBe(0);
    expect(creditFor(multi, [])).toBe(0);
  });

  test('repeated or impossible indices are wrong', () => {
    expect(creditFor(multi, [0, 0])).toBe(0);
    expect(creditFor(multi, [0, 9])).toBe(0);
    expect(creditFor(single, [-1])).toBe(0);
    expect(creditFor(single, [1.5])).toBe(0);
  });
});

describe('grading a paper', () => {
  test('score is the share of points, per-topic breakdown, pass mark inclusive', () => {
    const g = gradePaper([single, tf, multi], { s: [2], t: [0], m: [0, 1] }, 50);
    // 1 + 0 + 0.5 of 3 = 50 %
    expect(g.score).toBe(50);
    expect(g.passed).toBe(true);
    expect(g.breakdown).toEqual([
      { topic: 'law', earned: 1, total: 1 },
      { topic: 'safety', earned: 0, total: 1 },
      { topic: 'ethics', earned: 0.5, total: 1 },
    ]);
    expect(gradePaper([single, tf, multi], { s: [2], t: [0], m: [0, 1] }, 51).passed).toBe(false);
  });

  test('rounds half up to whole points; an empty paper scores 0', () => {
    // 2 of 3 = 66.67 → 67; 0.5 of 8 = 6.25 → 6
    expect(gradePaper([single, tf, multi], { s: [2], t: [1] }, 60).score).toBe(67);
    const eight = Array.from({ length: 8 }, (_, i) => ({ ...multi, id: `m${i}` }));
    expect(gradePaper(eight, { m0: [0] }, 60).score).toBe(6);
    expect(gradePaper([], {}, 60)).toEqual({ score: 0, passed: false, breakdown: [] });
  });

  test('answers for questions not on the paper earn nothing', () => {
    expect(gradePaper([single], { x: [2] }, 1).score).toBe(0);
  });
});
