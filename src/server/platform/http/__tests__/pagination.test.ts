import { describe, expect, test } from 'vitest';
import { AppError } from '../../errors.js';
import { decodeCursor, encodeCursor, idCursor, pageQuery, toPage } from '../pagination.js';

describe('keyset pagination', () => {
  test('a cursor round-trips', () => {
    expect(decodeCursor(encodeCursor({ id: 'wk_01' }), idCursor)).toEqual({ id: 'wk_01' });
    expect(decodeCursor(undefined, idCursor)).toBeNull();
  });

  test.each([
    'not-base64!',
    Buffer.from('{"x":1}').toString('base64url'),
    Buffer.from('[').toString('base64url'),
  ])('a tampered cursor %j is a 422', (c) => {
    expect(() => decodeCursor(c, idCursor)).toThrow(AppError);
    try {
      decodeCursor(c, idCursor);
    } catch (e) {
      expect((e as AppError).status).toBe(422);
    }
  });

  test('limit is 1..100 with a default of 20', () => {
    expect(pageQuery.parse({}).limit).toBe(20);
    expect(pageQuery.parse({ limit: '100' }).limit).toBe(100);
    expect(pageQuery.safeParse({ limit: '101' }).success).toBe(false);
    expect(pageQuery.safeParse({ limit: '0' }).success).toBe(false);
  });

  test('the extra row only signals a next page', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const page = toPage(rows, 2, (r) => ({ id: r.id }));
    expect(page.items).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(decodeCursor(page.nextCursor!, idCursor)).toEqual({ id: 'b' });
    expect(toPage(rows, 3, (r) => ({ id: r.id })).nextCursor).toBeNull();
  });
});
