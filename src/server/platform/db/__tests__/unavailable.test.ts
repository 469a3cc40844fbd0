import { describe, expect, test } from 'vitest';
import { databaseUnavailableCode } from '../unavailable.js';

const wrapped = (cause: unknown) =>
  Object.assign(new Error('Failed query: update … params: 4401…'), { cause });

describe('databaseUnavailableCode', () => {
  test('timeouts and lost connections, also wrapped in a query error, are outages', () => {
    expect(databaseUnavailableCode(wrapped(Object.assign(new Error('x'), { code: '57014' })))).toBe('57014');
    expect(databaseUnavailableCode(Object.assign(new Error('x'), { code: '25P03' }))).toBe('25P03');
    expect(databaseUnavailableCode(Object.assign(new Error('x'), { code: '08006' }))).toBe('08006');
    expect(databaseUnavailableCode(wrapped(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })))).toBe(
      'ECONNREFUSED',
    );
    expect(databaseUnavailableCode(new Error('timeout exceeded when trying to connect'))).toBe('connection');
    expect(databaseUnavailableCode(wrapped(new Error('Connection terminated unexpectedly')))).toBe(
      'connection',
    );
  });

  test('query errors are not outages', () => {
    expect(databaseUnavailableCode(wrapped(Object.assign(new Error('dup'), { code: '23505' })))).toBeNull();
    expect(databaseUnavailableCode(Object.assign(new Error('syntax'), { code: '42601' }))).toBeNull();
    expect(databaseUnavailableCode(new Error('boom'))).toBeNull();
    expect(databaseUnavailableCode(null)).toBeNull();
  });
});
