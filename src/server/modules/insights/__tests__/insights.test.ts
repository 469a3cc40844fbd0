import { describe, expect, test } from 'vitest';
import { toCsv } from '../export-file.js';
import { addMonths, monthSpan, resolvePeriod, shanghaiMonth } from '../period.js';
import { parsePosition, percentileCont, positionOf } from '../wage-positions.js';
import {
  transitionWageSurvey,
  wageSurveyActions,
  wageSurveyActionsFor,
  wageSurveyStates,
} from '../wage-survey-status.js';

describe('wage survey edition state machine', () => {
  const allowed: Record<string, string> = {
    'draft:publish': 'published',
    'draft:discard': 'discarded',
    'published:withdraw': 'withdrawn',
  };
  for (const from of wageSurveyStates)
    for (const action of wageSurveyActions) {
      const key = `${from}:${action}`;
      test(`${key} → ${allowed[key] ?? 'refused'}`, () => {
        expect(transitionWageSurvey(from, action)).toBe(allowed[key] ?? null);
      });
    }
  test('actions offered per state', () => {
    expect(wageSurveyActionsFor('draft')).toEqual(['publish', 'discard']);
    expect(wageSurveyActionsFor('published')).toEqual(['withdraw']);
    expect(wageSurveyActionsFor('withdrawn')).toEqual([]);
    expect(wageSurveyActionsFor('discarded')).toEqual([]);
  });
});

describe('positions', () => {
  test('contracts and orders map to the survey positions', () => {
    expect(positionOf('maternity', 'maternity', 'package26')).toBe('yuesao');
    expect(positionOf('maternity', 'maternity', 'month')).toBe('yuesao');
    expect(positionOf('infant_care', 'live_in', 'month')).toBe('yuyingyuan');
    expect(positionOf('elder_care', 'day_care', 'month')).toBe('elder_carer');
    expect(positionOf('patient_care', 'live_in', 'month')).toBe('elder_carer');
    expect(positionOf('cleaning', 'live_in', 'month')).toBe('nanny');
    expect(positionOf('cooking', 'day_care', 'month')).toBe('nanny');
    expect(positionOf('cleaning', 'hourly', 'hour')).toBe('hourly');
    expect(positionOf('deep_cleaning', 'hourly', 'visit')).toBeNull();
    expect(positionOf('organizing', 'recurring', 'month')).toBeNull();
  });
  test('imported cells: code, Chinese name with or without the note', () => {
    expect(parsePosition('月嫂')).toBe('yuesao');
    expect(parsePosition(' yuesao ')).toBe('yuesao');
    expect(parsePosition('保姆')).toBe('nanny');
    expect(parsePosition('保姆（住家/日间）')).toBe('nanny');
    expect(parsePosition('钟点工')).toBe('hourly');
    expect(parsePosition('宇航员')).toBeNull();
  });
  test('percentiles interpolate like percentile_cont', () => {
    expect(percentileCont([], 0.5)).toBeNull();
    expect(percentileCont([7], 0.25)).toBe(7);
    expect(percentileCont([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentileCont([10, 20, 30, 40, 50], 0.25)).toBe(20);
    expect(percentileCont([10, 20, 30, 40], 0.75)).toBe(32.5);
  });
});

describe('periods', () => {
  const now = new Date('2026-03-31T17:00:00Z'); // 2026-04-01 01:00 in Shanghai
  test('months are Shanghai months', () => {
    expect(shanghaiMonth(now)).toBe('2026-04');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 14)).toBe('2027-02');
    expect(monthSpan('2025-01', '2025-12')).toBe(12);
  });
  test('defaults to the 12 months ending now; refuses reversed and too long', () => {
    expect(resolvePeriod(now)).toEqual({ from: '2025-05', to: '2026-04' });
    expect(resolvePeriod(now, '2024-01', '2026-12')).toEqual({ from: '2024-01', to: '2026-12' });
    expect(() => resolvePeriod(now, '2026-05', '2026-04')).toThrow(
      expect.objectContaining({ code: 'INSIGHTS_RANGE_REVERSED' }),
    );
    expect(() => resolvePeriod(now, '2023-01', '2026-01')).toThrow(
      expect.objectContaining({ code: 'INSIGHTS_RANGE_TOO_LARGE' }),
    );
  });
});

describe('CSV export', () => {
  test('BOM, CRLF, quoting and formula-safe cells', () => {
    const out = toCsv({
      key: 'x',
      sheet: 'x',
      title: 'x',
      header: ['区域', '数'],
      rows: [
        ['天河区', 3],
        ['=HYPERLINK("x")', null],
        ['a,b', 1.5],
      ],
    }).toString('utf8');
    expect(out).toBe('\uFEFF区域,数\r\n天河区,3\r\n"\'=HYPERLINK(""x"")",\r\n"a,b",1.5\r\n');
  });
});
