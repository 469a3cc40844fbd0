import { describe, expect, test } from 'vitest';
import {
  type AttemptAction,
  attemptActions,
  type AttemptState,
  attemptStates,
  attemptTransition,
  decideStart,
  SUBMIT_GRACE_MS,
} from '../attempt-status.js';

const deadline = new Date('2026-06-01T10:30:00Z');
const before = new Date(deadline.getTime() - 60_000);
const inGrace = new Date(deadline.getTime() + SUBMIT_GRACE_MS);
const after = new Date(deadline.getTime() + SUBMIT_GRACE_MS + 1);

describe('attempt transitions', () => {
  const allowedBefore: Record<AttemptAction, Partial<Record<AttemptState, AttemptState>>> = {
    save: { open: 'open' },
    submit: { open: 'submitted' },
    expire: {},
  };
  const allowedAfter: Record<AttemptAction, Partial<Record<AttemptState, AttemptState>>> = {
    save: {},
    submit: {},
    expire: { open: 'expired' },
  };
  for (const from of attemptStates)
    for (const action of attemptActions) {
      test(`${action} from ${from}, before and after the deadline`, () => {
        const b = attemptTransition(from, action, deadline, before);
        const a = attemptTransition(from, action, deadline, after);
        const wantB = allowedBefore[action][from];
        const wantA = allowedAfter[action][from];
        expect(b).toEqual(wantB ? { ok: true, to: wantB } : { ok: false, error: expect.any(String) });
        expect(a).toEqual(wantA ? { ok: true, to: wantA } : { ok: false, error: expect.any(String) });
      });
    }

  test('answers after the deadline are refused as expired; the grace is inclusive', () => {
    expect(attemptTransition('open', 'submit', deadline, after)).toEqual({ ok: false, error: 'expired' });
    expect(attemptTransition('open', 'save', deadline, after)).toEqual({ ok: false, error: 'expired' });
    expect(attemptTransition('open', 'submit', deadline, inGrace)).toEqual({ ok: true, to: 'submitted' });
    expect(attemptTransition('submitted', 'submit', deadline, before)).toEqual({
      ok: false,
      error: 'invalid_transition',
    });
  });
});

describe('may a new attempt start (retakes)', () => {
  const rules = { maxAttempts: 3, cooldownMinutes: 60 };
  const now = new Date('2026-06-01T12:00:00Z');
  const closed = (minutesAgo: number, passed: boolean) => {
    const end = new Date(now.getTime() - minutesAgo * 60_000);
    return {
      state: 'submitted' as const,
      startedAt: new Date(end.getTime() - 600_000),
      deadline: new Date(end.getTime() + 600_000),
      submittedAt: end,
      passed,
    };
  };

  test('the first attempt may start', () => {
    expect(decideStart([], rules, now)).toEqual({ ok: true });
  });
  test('not while one is open and in time', () => {
    const open = {
      state: 'open' as const,
      startedAt: now,
      deadline: new Date(now.getTime() + 60_000),
      submittedAt: null,
      passed: null,
    };
    expect(decideStart([open], rules, now)).toEqual({ ok: false, reason: 'attempt_open' });
  });
  test('an open attempt past its deadline does not block (it is closed first) but counts', () => {
    const stale = {
      state: 'open' as const,
      startedAt: new Date(now.getTime() - 7_200_000),
      deadline: new Date(now.getTime() - 3_600_001),
      submittedAt: null,
      passed: null,
    };
    expect(decideStart([stale], { maxAttempts: 1, cooldownMinutes: 0 }, now)).toEqual({
      ok: false,
      reason: 'limit_reached',
    });
  });
  test('not after a pass', () => {
    expect(decideStart([closed(600, true)], rules, now)).toEqual({ ok: false, reason: 'already_passed' });
  });
  test('not within the cool-down, with the time it ends; yes after', () => {
    const d = decideStart([closed(30, false)], rules, now);
    expect(d).toEqual({ ok: false, reason: 'cooling_down', retryAt: new Date(now.getTime() + 30 * 60_000) });
    expect(decideStart([closed(60, false)], rules, now)).toEqual({ ok: true });
  });
  test('the cool-down of an expired attempt runs from its deadline', () => {
    const expired = {
      state: 'expired' as const,
      startedAt: new Date(now.getTime() - 3_600_000),
      deadline: new Date(now.getTime() - 10 * 60_000),
      submittedAt: null,
      passed: false,
    };
    expect(decideStart([expired], rules, now)).toMatchObject({ ok: false, reason: 'cooling_down' });
  });
  test('not once the limit is used', () => {
    expect(decideStart([closed(600, false), closed(500, false), closed(400, false)], rules, now)).toEqual({
      ok: false,
      reason: 'limit_reached',
    });
    expect(decideStart([closed(600, false), closed(500, false)], rules, now)).toEqual({ ok: true });
  });
});
