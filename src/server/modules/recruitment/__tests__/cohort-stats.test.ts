import { describe, expect, test } from 'vitest';
import { addMonths, medianDays, summarize, traineeOutcome } from '../cohort-stats.js';

describe('cohort placement and retention', () => {
  test('addMonths clamps to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-15', 3)).toBe('2026-06-15');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
  });

  test('not placed without an employment after arrival (earlier jobs do not count)', () => {
    expect(
      traineeOutcome(
        '2026-03-01',
        [{ companyId: 'co_a', startedOn: '2025-10-01', endedOn: '2026-01-01' }],
        '2026-11-29',
      ),
    ).toEqual({
      placed: false,
      companyId: null,
      placedOn: null,
      retained3: null,
      retained6: null,
    });
  });

  test('retention is unknown until the mark passes, then true while employed', () => {
    const spans = [{ companyId: 'co_a', startedOn: '2026-06-10', endedOn: null }];
    expect(traineeOutcome('2026-06-01', spans, '2026-09-09')).toMatchObject({
      placed: true,
      retained3: null,
    });
    expect(traineeOutcome('2026-06-01', spans, '2026-09-10')).toMatchObject({
      retained3: true,
      retained6: null,
    });
    expect(traineeOutcome('2026-06-01', spans, '2026-12-10')).toMatchObject({
      retained3: true,
      retained6: true,
    });
  });

  test('leaving before the mark is not retained; moving straight to another company is', () => {
    const left = [{ companyId: 'co_a', startedOn: '2026-01-05', endedOn: '2026-03-01' }];
    expect(traineeOutcome('2026-01-01', left, '2026-11-29')).toMatchObject({
      retained3: false,
      retained6: false,
    });
    const moved = [
      { companyId: 'co_a', startedOn: '2026-01-05', endedOn: '2026-03-01' },
      { companyId: 'co_b', startedOn: '2026-03-01', endedOn: null },
    ];
    expect(traineeOutcome('2026-01-01', moved, '2026-11-29')).toMatchObject({
      companyId: 'co_a',
      retained3: true,
      retained6: true,
    });
  });

  test('summaries count only trainees whose mark has passed', () => {
    const s = summarize([
      { placed: true, companyId: 'a', placedOn: '2026-01-01', retained3: true, retained6: false },
      { placed: true, companyId: 'a', placedOn: '2026-10-01', retained3: null, retained6: null },
      { placed: false, companyId: null, placedOn: null, retained3: null, retained6: null },
    ]);
    expect(s).toEqual({ trainees: 3, placed: 2, due3: 1, retained3: 1, due6: 1, retained6: 0 });
  });

  test('median days', () => {
    expect(medianDays([])).toBeNull();
    expect(medianDays([9, 1, 5])).toBe(5);
    expect(medianDays([1, 2, 3, 10])).toBe(3);
  });
});
