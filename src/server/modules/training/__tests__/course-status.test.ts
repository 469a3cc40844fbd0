import { describe, expect, test } from 'vitest';
import {
  courseActions,
  courseStates,
  courseTransition,
  examActions,
  examStates,
  examTransition,
} from '../course-status.js';

describe('course transitions: every allowed and refused one', () => {
  const allowed: Record<string, string> = {
    'draft:publish': 'published',
    'draft:archive': 'archived',
    'published:archive': 'archived',
  };
  for (const from of courseStates)
    for (const action of courseActions)
      test(`${action} from ${from}`, () => {
        expect(courseTransition(from, action)).toBe(allowed[`${from}:${action}`] ?? null);
      });
});

describe('exam transitions: every allowed and refused one', () => {
  const allowed: Record<string, string> = {
    'draft:publish': 'published',
    'draft:close': 'closed',
    'published:close': 'closed',
  };
  for (const from of examStates)
    for (const action of examActions)
      test(`${action} from ${from}`, () => {
        expect(examTransition(from, action)).toBe(allowed[`${from}:${action}`] ?? null);
      });
});
