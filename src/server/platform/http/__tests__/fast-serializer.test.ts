import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { fastResponseSerializer, responseJsonSchema } from '../fast-serializer.js';

// The shape of a search page: nullable primitives and a nullable object, an enum, string arrays, a record of objects.
const hit = z.object({
  id: z.string(),
  age: z.number().nullable(),
  tags: z.array(z.string()),
  color: z.enum(['green', 'yellow', 'red']),
  bookable: z.boolean(),
  company: z.object({ id: z.string(), name: z.string(), grade: z.string().nullable() }).nullable(),
  priceFrom: z.record(z.string(), z.object({ fen: z.number(), unit: z.string() })),
  intro: z.string().nullable(),
});
const page = z.object({ items: z.array(hit), nextCursor: z.string().nullable() });
const serialize = fastResponseSerializer({ schema: page });

const secret = { idNumber: '110105194912310021', phone: '13800138000' };
const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const hitArb = fc.record({
  id: text,
  age: fc.option(fc.integer({ min: 16, max: 80 }), { nil: null }),
  tags: fc.array(text, { maxLength: 3 }),
  color: fc.constantFrom('green' as const, 'yellow' as const, 'red' as const),
  bookable: fc.boolean(),
  company: fc.option(
    fc
      .record({ id: text, name: text, grade: fc.option(text, { nil: null }) })
      .map((c) => ({ ...c, ...secret })),
    { nil: null },
  ),
  priceFrom: fc.dictionary(
    fc.constantFrom('cleaning', 'maternity', 'hourly'),
    fc.record({ fen: fc.integer({ min: 0, max: 1e6 }), unit: text }).map((p) => ({ ...p, ...secret })),
  ),
  intro: fc.option(text, { nil: null }),
});

describe('fastResponseSerializer', () => {
  test('writes what zod writes (same fields, same values) for any page, extra fields included', () => {
    fc.assert(
      fc.property(
        fc.array(
          hitArb.map((h) => ({ ...h, ...secret })),
          { maxLength: 5 },
        ),
        fc.option(text, { nil: null }),
        (items, nextCursor) => {
          const data = { items, nextCursor, ...secret };
          const out = serialize(data);
          expect(JSON.parse(out)).toEqual(page.parse(data));
          // Nothing the schema does not declare reaches the client, at any depth.
          expect(out).not.toContain('110105194912310021');
          expect(out).not.toContain('13800138000');
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a missing required field is an error, not a silent gap', () => {
    const bad = {
      items: [{ id: 'x', tags: [], color: 'green', bookable: true, priceFrom: {} }],
      nextCursor: null,
    };
    expect(() => serialize(bad)).toThrow();
  });

  test("a nullable object is written by a type list, not an anyOf that would check the value's extra fields", () => {
    const json = JSON.stringify(responseJsonSchema(page));
    expect(json).not.toContain('anyOf');
    expect(json).not.toContain('$schema');
  });

  test('refuses a schema that is not zod', () => {
    expect(() => fastResponseSerializer({ schema: { type: 'object' } })).toThrow(/not a zod schema/);
  });
});
