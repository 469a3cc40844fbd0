import { describe, expect, test } from 'vitest';
import {
  adoptedLevel3Ids,
  asvsChecklist,
  asvsCounts,
  asvsLevel12Ids,
  danglingRefs,
  requiredAsvsIds,
} from './asvs-checklist.js';

describe('the ASVS 5.0 L2 checklist', () => {
  test('lists every L1 and L2 requirement of ASVS 5.0.0 (253) and the adopted L3 items', () => {
    expect(asvsLevel12Ids).toHaveLength(253);
    expect(new Set(requiredAsvsIds).size).toBe(253 + adoptedLevel3Ids.length);
    expect(requiredAsvsIds.filter((id) => !(id in asvsChecklist))).toEqual([]);
    expect(Object.keys(asvsChecklist).filter((id) => !requiredAsvsIds.includes(id))).toEqual([]);
  });

  test('every entry has a status with its evidence, note or reason', () => {
    for (const [id, entry] of Object.entries(asvsChecklist)) {
      expect(entry.title.length, id).toBeGreaterThan(2);
      if (entry.status === 'tested') expect(entry.tests.length, id).toBeGreaterThan(0);
      else if (entry.status === 'review') expect(entry.note.length, id).toBeGreaterThan(10);
      else if (entry.status === 'n/a') expect(entry.reason.length, id).toBeGreaterThan(10);
      else throw new Error(`${id} has no status`);
    }
  });

  test('every referenced test file exists and contains the named test (dangling references = 0)', () => {
    expect(danglingRefs()).toEqual([]);
  });

  test('the figures add up', () => {
    const c = asvsCounts();
    expect(c.missing).toBe(0);
    expect(c.tested + c.review + c.na).toBe(c.requirements);
  });
});
