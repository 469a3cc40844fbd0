import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { districtCodes } from '../../src/shared/districts.js';
import { isMobile, parseIdCard, parseUscc } from '../../src/shared/validators/index.js';
import {
  arbitraryOf,
  idCardNumber,
  mobileNumber,
  mutate,
  mutatedArbitrary,
  mutationKinds,
  NoArbitrary,
  personName,
  usccCode,
} from './zod-arbitrary.js';

/** 100 generated values, every one accepted by the schema (the converter's contract). */
function allValid(schema: z.ZodType, n = 100): unknown[] {
  const values = fc.sample(arbitraryOf(schema), { numRuns: n, seed: 3 });
  const bad = values.filter((v) => !schema.safeParse(v).success);
  expect(bad).toEqual([]);
  return values;
}

describe('domain generators', () => {
  test('ID numbers carry a correct GB 11643 checksum, phones are mainland mobiles, USCCs check out', () => {
    for (const id of fc.sample(idCardNumber(), 200)) expect(parseIdCard(id).ok, id).toBe(true);
    for (const m of fc.sample(mobileNumber(), 200)) expect(isMobile(m), m).toBe(true);
    for (const u of fc.sample(usccCode(), 200)) expect(parseUscc(u).ok, u).toBe(true);
  });

  test('names include rare characters outside the BMP and the middle dot', () => {
    const names = fc.sample(personName(), { numRuns: 300, seed: 1 });
    expect(names.some((n) => /[\u{20000}-\u{2FFFF}]/u.test(n))).toBe(true);
    expect(names.some((n) => n.includes('·'))).toBe(true);
  });

  test('a refinement no generic string meets is met through the field-name generator', () => {
    const schema = z.strictObject({
      idNumber: z.string().refine((s) => parseIdCard(s).ok),
      mobile: z.string().refine(isMobile),
      district: z.enum(districtCodes),
      name: z.string().trim().min(1).max(40),
    });
    allValid(schema);
  });
});

describe('zod → fast-check', () => {
  test('string checks: lengths, trim, case, regex, formats', () => {
    const values = allValid(z.string().trim().min(2).max(5)) as string[];
    expect(values.every((v) => v.trim().length >= 2 && v.trim().length <= 5)).toBe(true);
    allValid(z.string().length(6));
    allValid(z.string().toLowerCase().min(1));
    allValid(z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/));
    allValid(z.string().regex(/^[a-z_]{2,40}$/));
    const calendar = z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)));
    allValid(calendar);
    allValid(z.string().startsWith('pre_').max(20));
    allValid(z.email());
    allValid(z.string().email().max(100));
    allValid(z.url());
    allValid(z.uuid());
    allValid(z.iso.date());
    allValid(z.iso.datetime());
    const dt = allValid(z.iso.datetime({ offset: true }), 200) as string[];
    expect(dt.some((v) => v.endsWith('+08:00'))).toBe(true);
  });

  test('text is sometimes sent decomposed (NFD) and, where the schema trims, with surrounding spaces', () => {
    const trimmed = fc.sample(arbitraryOf(z.string().trim().min(1).max(40)), {
      numRuns: 400,
      seed: 5,
    }) as string[];
    expect(trimmed.some((v) => v !== v.trim())).toBe(true);
    expect(trimmed.some((v) => v.endsWith('\u3000'))).toBe(true);
    expect(trimmed.some((v) => v !== v.normalize('NFC'))).toBe(true);
    expect(trimmed.filter((v) => v === v.trim()).length).toBeGreaterThan(trimmed.length / 2);
    // Without a trim the spaces would be part of the value: never added.
    const plain = fc.sample(arbitraryOf(z.string().min(1).max(40)), { numRuns: 400, seed: 5 }) as string[];
    expect(plain.every((v) => v === v.trim())).toBe(true);
    expect(plain.some((v) => v !== v.normalize('NFC'))).toBe(true);
  });

  test('numbers: integer bounds, exclusive bounds, coerce, multipleOf', () => {
    const ints = allValid(z.number().int().min(1).max(12)) as number[];
    expect(ints.every((n) => Number.isInteger(n) && n >= 1 && n <= 12)).toBe(true);
    allValid(z.number().gt(0).lt(1));
    allValid(z.number().positive());
    allValid(z.coerce.number().int().min(1).max(100).default(20));
    allValid(z.number().int().multipleOf(5).min(0).max(100));
    allValid(z.int().nonnegative());
  });

  test('containers and wrappers', () => {
    const obj = z.strictObject({
      a: z.string().min(1),
      b: z.number().int().optional(),
      c: z.boolean().default(false),
      d: z.string().nullable(),
      e: z
        .array(z.enum(['x', 'y']))
        .min(1)
        .max(3),
      f: z.literal('fixed'),
      g: z.never().optional(),
    });
    const values = allValid(obj) as Record<string, unknown>[];
    expect(values.some((v) => !('b' in v))).toBe(true);
    expect(values.some((v) => v.d === null)).toBe(true);
    expect(values.every((v) => !('g' in v))).toBe(true);
    allValid(z.union([z.string().min(3), z.number().int()]));
    allValid(
      z.discriminatedUnion('mode', [
        z.strictObject({ mode: z.literal('a'), n: z.number().int().min(1) }),
        z.strictObject({ mode: z.literal('b'), s: z.string().max(3) }),
      ]),
    );
    allValid(z.record(z.string().max(20), z.number().int().min(1).max(5)));
    allValid(z.record(z.enum(['p', 'q']), z.string()));
    allValid(z.tuple([z.string(), z.number()]));
    allValid(
      z
        .string()
        .transform((s) => s.split(','))
        .pipe(z.array(z.string())),
    );
    type Tree = { v: number; kids?: Tree[] };
    const tree: z.ZodType<Tree> = z.lazy(() =>
      z.strictObject({ v: z.number().int(), kids: z.array(tree).max(2).optional() }),
    );
    allValid(tree);
    allValid(z.string().catch('x'));
    allValid(z.unknown());
    allValid(
      z
        .strictObject({ from: z.number().int().min(0).max(10), to: z.number().int().min(0).max(10) })
        .refine((b) => b.from <= b.to),
    );
  });

  test('a schema with no value, or a refinement nothing passes, is refused instead of spinning', () => {
    expect(() => arbitraryOf(z.never())).toThrow(NoArbitrary);
    expect(() => arbitraryOf(z.string().refine(() => false))).toThrow(NoArbitrary);
  });
});

describe('mutations', () => {
  const schema = z.strictObject({
    name: z.string().trim().min(2).max(10),
    count: z.number().int().min(1).max(5),
    note: z.string().max(20).optional(),
    nested: z.strictObject({ code: z.string().regex(/^\d{6}$/) }),
  });
  const valid = { name: '张伟', count: 3, nested: { code: '440106' } };

  test('each kind applies exactly one change, and validity is what safeParse says', () => {
    for (const kind of mutationKinds) {
      for (const pick of [0, 0.3, 0.7, 0.99]) {
        const m = mutate(schema, valid, kind, pick);
        if (!m) continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(m.raw);
        } catch {
          parsed = undefined;
        }
        expect(m.valid, `${kind} at ${m.at}`).toBe(schema.safeParse(parsed).success);
      }
    }
  });

  test('the specific shapes: over-long, dropped, duplicate key, prototype key, deep nesting, huge', () => {
    const over = mutate(schema, valid, 'length-over', 0)!;
    expect(over.valid).toBe(false);
    expect(JSON.parse(over.raw).name).toHaveLength(11);
    const drop = mutate(schema, valid, 'drop-required', 0)!;
    expect(drop.valid).toBe(false);
    const dup = mutate(schema, valid, 'duplicate-key', 0)!;
    expect(dup.raw.match(/"name":/g)).toHaveLength(2);
    expect(dup.valid).toBe(false);
    const proto = mutate(schema, valid, 'proto-key', 0)!;
    expect(proto.raw.startsWith('{"__proto__":')).toBe(true);
    const deep = mutate(schema, valid, 'deep-nesting', 0)!;
    expect(deep.raw.length).toBeGreaterThan(20_000);
    expect(deep.valid).toBe(false);
    const huge = mutate(schema, valid, 'huge-string', 0)!;
    expect(huge.raw.length).toBeGreaterThan(100_000);
    const lone = mutate(schema, valid, 'unicode-edge', 0, 0)!;
    expect(lone.raw).toContain('\\ud800');
  });

  test('dropping the only optional field leaves the body valid', () => {
    const opt = z.strictObject({ note: z.string().optional() });
    expect(mutate(opt, { note: 'x' }, 'drop-required', 0)).toMatchObject({ valid: true });
  });

  test('generated mutations: most make the body invalid', () => {
    const ms = fc.sample(mutatedArbitrary(schema), { numRuns: 200, seed: 5 });
    expect(ms.filter((m) => !m.valid).length).toBeGreaterThan(150);
    expect(new Set(ms.map((m) => m.kind)).size).toBeGreaterThan(8);
  });
});
