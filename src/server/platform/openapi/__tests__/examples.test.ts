import { describe, expect, test } from 'vitest';
import { parseIdCard, parseUscc } from '../../../../shared/validators/index.js';
import { exampleOf, type JsonSchema } from '../examples.js';

describe('exampleOf', () => {
  test('uses the schema’s own example, const, default and enum before inventing one', () => {
    expect(exampleOf({ type: 'string', examples: ['甲'] })).toBe('甲');
    expect(exampleOf({ const: 'hourly' })).toBe('hourly');
    expect(exampleOf({ type: 'integer', default: 20 })).toBe(20);
    expect(exampleOf({ type: 'string', enum: ['requested', 'accepted'] })).toBe('requested');
  });

  test('picks values by field name and description that satisfy the pattern and bounds', () => {
    const order = exampleOf({
      type: 'object',
      properties: {
        orderId: { type: 'string' },
        phone: { type: 'string', pattern: '^1[3-9]\\d{9}$' },
        district: { type: 'string', pattern: '^\\d{6}$' },
        updatedAt: { type: 'string' },
        startDate: { type: 'string', description: 'YYYY-MM-DD, Asia/Shanghai' },
        startTime: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' },
        month: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' },
        totalFen: { type: 'integer', minimum: 1 },
        hours: { type: 'integer', minimum: 1, maximum: 3 },
        weekdays: { type: 'array', minItems: 2, items: { type: 'integer', minimum: 1, maximum: 7 } },
        worker: { anyOf: [{ type: 'null' }, { type: 'object', properties: { name: { type: 'string' } } }] },
        none: { type: 'array', items: { not: {} } },
      },
    });
    expect(order).toEqual({
      orderId: 'ord_01kb2x0p9q3m4n5r6s7t8v9w0x',
      phone: '13800138000',
      district: '440106',
      updatedAt: '2026-03-01T01:00:00.000Z',
      startDate: '2026-03-01',
      startTime: '09:00',
      month: '2026-03',
      totalFen: 19_800,
      hours: 3,
      weekdays: [1, 2],
      worker: { name: '王芳' },
      none: [],
    });
  });

  test('follows $ref and gives the same example every time', () => {
    const components: Record<string, JsonSchema> = {
      Party: { type: 'object', properties: { id: { type: 'string' } } },
    };
    const resolve = (ref: string) => components[ref.split('/').pop()!];
    const schema = { type: 'array', items: { $ref: '#/components/schemas/Party' } };
    expect(exampleOf(schema, 'parties', resolve)).toEqual([{ id: 'id_01kb2x0p9q3m4n5r6s7t8v9w0x' }]);
    expect(exampleOf(schema, 'parties', resolve)).toEqual(exampleOf(schema, 'parties', resolve));
  });

  test('an ID number or credit code example passes the validators’ own checksums (copying it works)', () => {
    const body = exampleOf({
      type: 'object',
      properties: {
        idNumber: { type: 'string' },
        uscc: { type: 'string' },
        note: { type: 'string', pattern: '^\\d{17}[\\dX]$' },
      },
    }) as { idNumber: string; uscc: string; note: string };
    expect(parseIdCard(body.idNumber).ok).toBe(true);
    expect(parseUscc(body.uscc).ok).toBe(true);
    expect(parseIdCard(body.note).ok).toBe(true);
  });
});
