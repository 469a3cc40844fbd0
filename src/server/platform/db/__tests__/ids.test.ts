import { describe, expect, test } from 'vitest';
import { idPattern, newId } from '../ids.js';

describe('ids', () => {
  test('ids are prefixed and well-formed', () => {
    expect(newId('wk')).toMatch(idPattern('wk'));
  });

  test('ids minted in the same millisecond still sort in creation order', () => {
    const ids = Array.from({ length: 5000 }, () => newId('ntf'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
