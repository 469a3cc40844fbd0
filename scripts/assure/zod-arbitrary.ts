// Zod 4 schema → fast-check arbitrary of VALID values, and one-mutation variants of them (ASSURANCE.md §4.3).
// It walks zod's own definitions (`schema._zod.def`): types, the checks zod keeps on them (length, bounds, formats,
// regexes), wrappers (optional, nullable, default, catch, pipe, lazy …). What cannot be inverted generically (a
// `.refine`, the checksum of an ID number) gets a domain generator keyed by the field's name, and whatever is left
// is filtered by the schema's own `safeParse`, after a sampling check that the filter can succeed at all (a
// fast-check filter that never passes would spin for ever).
import fc from 'fast-check';
import type { z } from 'zod';
import { districtCodes } from '../../src/shared/districts.js';
import { serviceCategoryCodes } from '../../src/shared/domain.js';
import { idCardCheckChar, makeUscc } from '../../src/shared/validators/index.js';

type Schema = z.core.$ZodType;
// biome-ignore lint/suspicious/noExplicitAny: zod's definitions are a union of ~40 shapes; the walker reads them by `type`.
type Def = any;

const defOf = (s: Schema): Def => (s as { _zod: { def: Def } })._zod.def;
// A format schema (z.iso.date(), z.email()) is its own check: its definition carries `check: 'string_format'`.
const checksOf = (s: Schema): Def[] => [
  ...(defOf(s).check ? [defOf(s)] : []),
  ...((defOf(s).checks ?? []) as { _zod: { def: Def } }[]).map((c) => c._zod.def),
];
const passes = (s: Schema, v: unknown) => (s as unknown as z.ZodType).safeParse(v).success;

/** Thrown when a schema admits no value this converter can produce (z.never, z.custom …). */
export class NoArbitrary extends Error {}

// ---------------------------------------------------------------------------------------------------------------
// Domain generators: values the schemas' refinements and the services' checks want.

const REGION_CODES = ['110105', '310104', '440106', '440103', '440111', '510107', '650102', '330106'];
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** A GB 11643 resident ID number with a correct check character (sometimes with a lower-case x). */
export const idCardNumber = (): fc.Arbitrary<string> =>
  fc
    .record({
      region: fc.constantFrom(...REGION_CODES),
      date: fc.date({
        min: new Date('1950-01-01T00:00:00Z'),
        max: new Date('2005-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
      seq: fc.integer({ min: 0, max: 999 }),
      lower: fc.boolean(),
    })
    .map(({ region, date, seq, lower }) => {
      const first17 = `${region}${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1, 2)}${pad(date.getUTCDate(), 2)}${pad(seq, 3)}`;
      const id = first17 + idCardCheckChar(first17);
      return lower ? id.toLowerCase() : id;
    });

/** A mainland mobile number, 1[3-9] and 9 digits. */
export const mobileNumber = (): fc.Arbitrary<string> => fc.stringMatching(/^1[3-9]\d{9}$/);

const USCC_BODY = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A unified social credit code of a company (authority 9, type 1) with a correct GB 32100 check character. */
export const usccCode = (): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(...REGION_CODES),
      fc.array(fc.constantFrom(...USCC_BODY), { minLength: 9, maxLength: 9 }),
    )
    .map(([region, body]) => makeUscc(`91${region}${body.join('')}`));

/** Personal names: common ones, rare characters outside the BMP (生僻字) and the middle dot of transliterated names. */
export const personName = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      '张伟',
      '王芳',
      '李秀英',
      '欧阳娜娜',
      '阿卜杜拉·艾买提',
      '𠮷田',
      '王𪚥',
      '麦麦提·吐尔逊',
      '陈𠮷𪚥',
    ),
    fc
      .tuple(
        fc.constantFrom('张', '王', '李', '赵', '欧阳', '司马', '𠮷'),
        fc.array(fc.constantFrom('伟', '芳', '娜', '秀', '英', '𪚥', '𠮷', '敏', '静'), {
          minLength: 1,
          maxLength: 2,
        }),
      )
      .map(([a, b]) => a + b.join('')),
  );

export const districtCode = (): fc.Arbitrary<string> => fc.constantFrom(...districtCodes);
export const categoryCode = (): fc.Arbitrary<string> => fc.constantFrom(...serviceCategoryCodes);

const addressText = (): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom('广州市天河区', '广州市越秀区', '广东省广州市海珠区'),
      fc.constantFrom('林和西路', '中山一路', '新港中路', '𠮷祥路'),
      fc.integer({ min: 1, max: 999 }),
      fc.constantFrom('号', '号3栋1201', '号B座'),
    )
    .map(([a, b, n, c]) => `${a}${b}${n}${c}`);

/** Field-name keyed generators, tried before the generic string generator when their values satisfy the field. */
const byFieldName: [RegExp, () => fc.Arbitrary<string>][] = [
  [/id(card|number|no)$|^idNumber/i, idCardNumber],
  [/(mobile|phone)$/i, mobileNumber],
  [/uscc|creditCode$/i, usccCode],
  [/(district|regionCode)$/i, districtCode],
  [/categor(y|ies)$/i, categoryCode],
  [/(^|[a-z])(name|Name)$/, personName],
  [/address$/i, addressText],
];

// ---------------------------------------------------------------------------------------------------------------
// Generic leaves

const CHARS = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...'家政服务保洁月嫂育婴养老护理广州天河区订单合同评价投诉说明备注',
  '𠮷',
  '𪚥',
  // Precomposed letters: sent decomposed (NFD) now and then, they must be stored composed (oracle 5, round-trip).
  'é',
  'ü',
  'Å',
  '·',
  '，',
  '。',
  '-',
  '_',
  ' ',
];

/** Text of UTF-16 length in [min, max] (zod measures `.length`), no surrounding spaces (stringArb adds them). */
function text(min: number, max: number): fc.Arbitrary<string> {
  const hi = Math.max(min, Math.min(max, min + 40));
  return fc.array(fc.constantFrom(...CHARS), { minLength: 0, maxLength: Math.max(1, hi) }).map((cs) => {
    let s = cs.join('').trim();
    while (s.length > hi) s = Array.from(s).slice(0, -1).join('');
    while (s.length < min) s += 'a';
    return s;
  });
}

function isoDate(): fc.Arbitrary<string> {
  return fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2035-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));
}

function isoDateTime(def: Def): fc.Arbitrary<string> {
  const base = fc.date({
    min: new Date('2024-01-01T00:00:00Z'),
    max: new Date('2030-12-31T00:00:00Z'),
    noInvalidDate: true,
  });
  return base.chain((d) => {
    const iso = d.toISOString(); // …T12:34:56.789Z
    const variants: string[] = [];
    const precision = def.precision as number | null | undefined;
    const cut = (s: string) =>
      precision === undefined || precision === null
        ? s
        : precision === -1
          ? s.slice(0, 16)
          : precision === 0
            ? s.slice(0, 19)
            : s.slice(0, 20 + precision);
    const core = cut(iso.slice(0, 23));
    variants.push(`${core}Z`);
    if (def.offset) {
      const cst = new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 23);
      variants.push(`${cut(cst)}+08:00`);
    }
    if (def.local) variants.push(core);
    return fc.constantFrom(...variants);
  });
}

function stringArb(schema: Schema, key: string | undefined): fc.Arbitrary<string> {
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  let exact: number | undefined;
  const patterns: RegExp[] = [];
  let prefix = '';
  let suffix = '';
  let includes = '';
  let format: Def | undefined;
  const overwrites: ((s: string) => string)[] = [];
  for (const c of checksOf(schema)) {
    switch (c.check) {
      case 'min_length':
        min = Math.max(min, c.minimum);
        break;
      case 'max_length':
        max = Math.min(max, c.maximum);
        break;
      case 'length_equals':
        exact = c.length;
        break;
      case 'overwrite':
        overwrites.push(c.tx);
        break;
      case 'string_format':
        if (c.format === 'regex') patterns.push(c.pattern);
        else if (c.format === 'starts_with') prefix = c.prefix;
        else if (c.format === 'ends_with') suffix = c.suffix;
        else if (c.format === 'includes') includes = c.includes;
        else if (c.format !== 'lowercase' && c.format !== 'uppercase') format = c;
        break;
    }
  }
  if (exact !== undefined) min = max = exact;
  if (max === Number.POSITIVE_INFINITY) max = Math.max(200, min);
  let arb: fc.Arbitrary<string>;
  if (format) arb = formatArb(format);
  else if (patterns.length) {
    // A `YYYY-MM-DD` pattern refined to calendar dates: random digits almost never name a day.
    const matching = fc.stringMatching(patterns[0]!);
    arb = sampleRate(matching, schema) < 0.5 && sampleRate(isoDate(), schema) >= 0.5 ? isoDate() : matching;
  } else {
    const named = key ? byFieldName.find(([re]) => re.test(key)) : undefined;
    const generic = text(
      Math.max(0, min - prefix.length - suffix.length - includes.length),
      Math.max(0, max - prefix.length - suffix.length - includes.length),
    ).map((s) => prefix + s + includes + suffix);
    if (named && sampleRate(named[1](), schema) >= 0.5)
      arb = fc.oneof({ weight: 3, arbitrary: named[1]() }, { weight: 1, arbitrary: generic });
    else arb = generic;
  }
  // Case and trim overwrites are idempotent: applying them here makes the value canonical; then, now and then, it is
  // sent decomposed (NFD) or, where the schema trims, with surrounding spaces (ASCII and the ideographic U+3000), so
  // the round-trip oracle checks that the server stores the NFC, trimmed form.
  if (!format && !patterns.length) {
    const canonical = overwrites.length ? arb.map((s) => overwrites.reduce((v, tx) => tx(v), s)) : arb;
    const trims = overwrites.some((tx) => tx(' a ') === 'a');
    arb = fc.oneof(
      { weight: 4, arbitrary: canonical },
      { weight: 1, arbitrary: canonical.map((s) => s.normalize('NFD')) },
      ...(trims ? [{ weight: 1, arbitrary: canonical.map((s) => ` ${s.normalize('NFD')}\u3000`) }] : []),
    );
  } else if (overwrites.length) arb = arb.map((s) => overwrites.reduce((v, tx) => tx(v), s));
  return guard(arb, schema, `string${key ? ` ${key}` : ''}`);
}

function formatArb(c: Def): fc.Arbitrary<string> {
  switch (c.format) {
    case 'email':
      return fc.stringMatching(/^[a-z][a-z0-9]{1,12}@[a-z]{2,10}\.(com|cn|net|org)$/);
    case 'url':
      return fc
        .tuple(
          fc.constantFrom('https', 'http'),
          fc.stringMatching(/^[a-z]{3,10}$/),
          fc.stringMatching(/^[a-z0-9]{0,12}$/),
        )
        .map(([p, h, path]) => `${p}://${h}.example.cn/${path}`);
    case 'uuid':
    case 'guid':
      return fc.uuid({ version: 4 });
    case 'datetime':
      return isoDateTime(c);
    case 'date':
      return isoDate();
    case 'time':
      return fc
        .tuple(
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 0, max: 59 }),
          fc.integer({ min: 0, max: 59 }),
        )
        .map(([h, m, s]) => `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`);
    default:
      if (c.pattern instanceof RegExp) return fc.stringMatching(c.pattern);
      throw new NoArbitrary(`string format ${c.format}`);
  }
}

function numberArb(schema: Schema): fc.Arbitrary<number> {
  let min = Number.NEGATIVE_INFINITY;
  let max = Number.POSITIVE_INFINITY;
  let minEx = false;
  let maxEx = false;
  let int = defOf(schema).type === 'int';
  let multipleOf: number | undefined;
  for (const c of checksOf(schema)) {
    if (c.check === 'greater_than' && c.value >= min) {
      min = Number(c.value);
      minEx = !c.inclusive;
    } else if (c.check === 'less_than' && c.value <= max) {
      max = Number(c.value);
      maxEx = !c.inclusive;
    } else if (c.check === 'number_format') {
      if (/int/.test(c.format)) int = true;
      if (typeof c.minimum === 'number' && c.minimum > min) min = c.minimum;
      if (typeof c.maximum === 'number' && c.maximum < max) max = c.maximum;
    } else if (c.check === 'multiple_of') multipleOf = Number(c.value);
  }
  let arb: fc.Arbitrary<number>;
  if (int || multipleOf) {
    const step = multipleOf ?? 1;
    const lo = Math.ceil((Number.isFinite(min) ? min + (minEx ? step / 2 : 0) : -1_000_000) / step);
    const hi = Math.floor((Number.isFinite(max) ? max - (maxEx ? step / 2 : 0) : 1_000_000_000) / step);
    if (lo > hi) throw new NoArbitrary(`no integer in [${min}, ${max}]`);
    arb = fc.integer({ min: lo, max: hi }).map((n) => n * step);
  } else {
    arb = fc.double({
      min: Number.isFinite(min) ? min : -1e9,
      max: Number.isFinite(max) ? max : 1e9,
      minExcluded: minEx,
      maxExcluded: maxEx,
      noNaN: true,
      noDefaultInfinity: true,
    });
  }
  return guard(
    arb.map((n) => (Object.is(n, -0) ? 0 : n)),
    schema,
    'number',
  );
}

function arrayLengths(schema: Schema): { minLength: number; maxLength: number } {
  let minLength = 0;
  let maxLength = Number.POSITIVE_INFINITY;
  for (const c of checksOf(schema)) {
    if (c.check === 'min_length') minLength = Math.max(minLength, c.minimum);
    if (c.check === 'max_length') maxLength = Math.min(maxLength, c.maximum);
    if (c.check === 'length_equals') minLength = maxLength = c.length;
  }
  return { minLength, maxLength: Math.min(maxLength, minLength + 4) };
}

// ---------------------------------------------------------------------------------------------------------------
// The walker

/** Share of `n` sampled values the schema accepts (deterministic seed). */
function sampleRate(arb: fc.Arbitrary<unknown>, schema: Schema, n = 20): number {
  try {
    const vs = fc.sample(arb, { numRuns: n, seed: 42 });
    return vs.filter((v) => passes(schema, v)).length / n;
  } catch {
    return 0;
  }
}

/** The last resort: filter by the schema itself, once sampling shows the filter can succeed. */
function guard<T>(arb: fc.Arbitrary<T>, schema: Schema, what: string): fc.Arbitrary<T> {
  const rate = sampleRate(arb, schema, 30);
  if (rate === 1) return arb.filter((v) => passes(schema, v));
  if (rate < 0.05) throw new NoArbitrary(`${what}: generated values do not satisfy the schema (${rate})`);
  return arb.filter((v) => passes(schema, v));
}

const hasCustom = (s: Schema) => checksOf(s).some((c) => c.check === 'custom');
/** True when an object property may be left out. */
export const isOptionalIn = (s: Schema) => (s as { _zod: { optin?: string } })._zod.optin !== undefined;

function build(schema: Schema, key: string | undefined, depth: number): fc.Arbitrary<unknown> {
  if (depth > 12) throw new NoArbitrary('schema nests deeper than 12');
  const def = defOf(schema);
  let arb: fc.Arbitrary<unknown>;
  switch (def.type as string) {
    case 'string':
      return stringArb(schema, key);
    case 'number':
    case 'int':
      return numberArb(schema);
    case 'boolean':
      arb = fc.boolean();
      break;
    case 'null':
      arb = fc.constant(null);
      break;
    case 'undefined':
    case 'void':
      arb = fc.constant(undefined);
      break;
    case 'any':
    case 'unknown':
      arb = fc.jsonValue({ maxDepth: 2 });
      break;
    case 'literal':
      arb = fc.constantFrom(...(def.values as unknown[]));
      break;
    case 'enum':
      arb = fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
      break;
    case 'date':
      arb = fc.date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2035-12-31T00:00:00Z'),
        noInvalidDate: true,
      });
      break;
    case 'optional':
    case 'nonoptional':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
      arb = build(def.innerType, key, depth + 1);
      break;
    case 'nullable':
      arb = fc.oneof(
        { weight: 4, arbitrary: build(def.innerType, key, depth + 1) },
        { weight: 1, arbitrary: fc.constant(null) },
      );
      break;
    case 'lazy':
      arb = build(def.getter(), key, depth + 1);
      break;
    case 'pipe':
      // Generate the input side; the output side (after a transform) is checked by the filter below.
      arb = build(def.in, key, depth + 1);
      if (defOf(def.out).type !== 'transform') return guard(arb, schema, `pipe ${key ?? ''}`);
      break;
    case 'array': {
      const item = build(def.element, key, depth + 1);
      arb = fc.array(item, arrayLengths(schema));
      break;
    }
    case 'tuple': {
      const items = (def.items as Schema[]).map((s) => build(s, key, depth + 1));
      arb = fc.tuple(...items);
      break;
    }
    case 'object': {
      const shape = def.shape as Record<string, Schema>;
      const parts: Record<string, fc.Arbitrary<unknown>> = {};
      const required: string[] = [];
      for (const [k, v] of Object.entries(shape)) {
        const optional = isOptionalIn(v);
        try {
          parts[k] = build(v, k, depth + 1);
        } catch (e) {
          if (optional && e instanceof NoArbitrary) continue; // e.g. z.never().optional(): leave it out
          throw e;
        }
        if (!optional) required.push(k);
      }
      arb = fc.record(parts, { requiredKeys: required });
      break;
    }
    case 'record': {
      const keyDef = defOf(def.keyType);
      const value = build(def.valueType, undefined, depth + 1);
      if (keyDef.type === 'enum' || keyDef.type === 'literal') {
        const keys = (keyDef.type === 'enum' ? Object.values(keyDef.entries) : keyDef.values).map(String);
        arb = fc.record(Object.fromEntries(keys.map((k: string) => [k, value])));
      } else {
        const keyArb = (build(def.keyType, undefined, depth + 1) as fc.Arbitrary<string>).filter(
          (k) => k !== '__proto__' && k !== 'constructor' && k !== 'prototype',
        );
        arb = fc.dictionary(keyArb, value, { maxKeys: 4, noNullPrototype: true });
      }
      break;
    }
    case 'union': {
      const options: fc.Arbitrary<unknown>[] = [];
      for (const o of def.options as Schema[]) {
        try {
          options.push(build(o, key, depth + 1));
        } catch (e) {
          if (!(e instanceof NoArbitrary)) throw e;
        }
      }
      if (!options.length) throw new NoArbitrary('union without a usable option');
      arb = fc.oneof(...options);
      // A plain union (not discriminated) takes the first option that passes: check the whole.
      if (!def.discriminator) return guard(arb, schema, 'union');
      break;
    }
    case 'intersection':
      return guard(build(def.left, key, depth + 1), schema, 'intersection');
    case 'template_literal': {
      const pattern = (schema as { _zod: { pattern?: RegExp } })._zod.pattern;
      if (!pattern) throw new NoArbitrary('template literal without pattern');
      arb = fc.stringMatching(pattern);
      break;
    }
    default:
      throw new NoArbitrary(`zod type ${def.type} has no generator`);
  }
  return hasCustom(schema) ? guard(arb, schema, `${def.type} refinement`) : arb;
}

/** Valid values of the schema (each passes `schema.safeParse`); throws NoArbitrary when none can be made. */
export function arbitraryOf(schema: Schema, key?: string): fc.Arbitrary<unknown> {
  return build(schema, key, 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations: exactly one per request, sent as raw JSON text (a duplicate key cannot be expressed otherwise).

export const mutationKinds = [
  'drop-required',
  'wrong-type',
  'length-over',
  'length-under',
  'number-out-of-bounds',
  'extra-field',
  'null',
  'huge-string',
  'unicode-edge',
  'proto-key',
  'duplicate-key',
  'deep-nesting',
] as const;
export type MutationKind = (typeof mutationKinds)[number];

export interface Mutated {
  kind: MutationKind;
  /** The JSON text sent as the body. */
  raw: string;
  /** Where the mutation was applied (dotted path; '' = the body itself). */
  at: string;
  /** `schema.safeParse(JSON.parse(raw))` succeeded: the mutation left the body valid (e.g. a dropped optional field). */
  valid: boolean;
}

interface Site {
  path: (string | number)[];
  schema: Schema;
  optional: boolean;
  parentStrict: boolean;
}

/** Peels wrappers off to the schema that decides the value's type. */
function core(schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 10; i++) {
    const d = defOf(s);
    if (['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional'].includes(d.type))
      s = d.innerType;
    else if (d.type === 'lazy') s = d.getter();
    else if (d.type === 'pipe') s = d.in;
    else break;
  }
  return s;
}

/** Object properties (recursively, through nested objects and arrays) present in `value`, with their schemas. */
function sitesOf(schema: Schema, value: unknown, path: (string | number)[] = [], out: Site[] = []): Site[] {
  const s = core(schema);
  const d = defOf(s);
  if (d.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    const strict = d.catchall ? defOf(d.catchall).type === 'never' : false;
    for (const [k, v] of Object.entries(d.shape as Record<string, Schema>)) {
      if (!(k in (value as object))) continue;
      out.push({ path: [...path, k], schema: v, optional: isOptionalIn(v), parentStrict: strict });
      sitesOf(v, (value as Record<string, unknown>)[k], [...path, k], out);
    }
  } else if (d.type === 'array' && Array.isArray(value) && value.length) {
    sitesOf(d.element, value[0], [...path, 0], out);
  } else if (d.type === 'union' && value && typeof value === 'object') {
    const match = (d.options as Schema[]).find((o) => passes(o, value));
    if (match) sitesOf(match, value, path, out);
  }
  return out;
}

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
function setAt(root: unknown, path: (string | number)[], v: unknown): unknown {
  if (!path.length) return v;
  const r = clone(root) as Record<string | number, unknown>;
  let cur = r;
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, unknown>;
  cur[path[path.length - 1]!] = v;
  return r;
}
function deleteAt(root: unknown, path: (string | number)[]): unknown {
  const r = clone(root) as Record<string | number, unknown>;
  let cur = r;
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, unknown>;
  delete cur[path[path.length - 1]!];
  return r;
}
const getAt = (root: unknown, path: (string | number)[]) =>
  path.reduce<unknown>((cur, p) => (cur as Record<string | number, unknown>)?.[p], root);

function lengthBounds(s: Schema): { min?: number; max?: number } {
  const out: { min?: number; max?: number } = {};
  for (const c of checksOf(core(s))) {
    if (c.check === 'min_length') out.min = c.minimum;
    if (c.check === 'max_length') out.max = c.maximum;
    if (c.check === 'length_equals') out.min = out.max = c.length;
  }
  return out;
}
function numberBounds(s: Schema): { min?: number; max?: number; int: boolean } {
  const out: { min?: number; max?: number; int: boolean } = { int: false };
  for (const c of checksOf(core(s))) {
    if (c.check === 'greater_than') out.min = Number(c.value);
    if (c.check === 'less_than') out.max = Number(c.value);
    if (c.check === 'number_format' && /int/.test(c.format)) out.int = true;
  }
  return out;
}

function wrongTypeOf(v: unknown): unknown {
  if (typeof v === 'string') return 12345;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 0;
  if (Array.isArray(v)) return { 0: v[0] ?? 'x' };
  if (v && typeof v === 'object') return ['x'];
  return 'x';
}

const UNICODE_EDGES = ['\uD800', '\u0000', '\u202E', 'e\u0301', '\uFEFF', '\u200B'];
const DEEP = 10_000;
const HUGE = 128 * 1024;

/**
 * One mutation of a valid body. `pick` (0 ≤ pick < 1, from fast-check) chooses among the applicable sites.
 * Returns null when the kind does not apply to this body (e.g. no string to lengthen).
 */
export function mutate(
  schema: Schema,
  valid: unknown,
  kind: MutationKind,
  pick: number,
  edge = 0,
): Mutated | null {
  const sites = sitesOf(schema, valid);
  const choose = <T>(xs: T[]): T | undefined => xs[Math.floor(pick * xs.length)];
  const done = (raw: string, at: (string | number)[]): Mutated => {
    let parsed: unknown;
    let valid = false;
    try {
      parsed = JSON.parse(raw);
      valid = passes(schema, parsed);
    } catch {
      valid = false;
    }
    return { kind, raw, at: at.join('.'), valid };
  };
  const isObj = valid !== null && typeof valid === 'object' && !Array.isArray(valid);
  const strings = sites.filter((s) => typeof getAt(valid, s.path) === 'string');
  const numbers = sites.filter((s) => typeof getAt(valid, s.path) === 'number');
  switch (kind) {
    case 'drop-required': {
      const site = choose(sites.filter((s) => !s.optional)) ?? choose(sites);
      if (!site) return null;
      return done(JSON.stringify(deleteAt(valid, site.path)), site.path);
    }
    case 'wrong-type': {
      const site = choose(sites);
      if (!site) return done(JSON.stringify(wrongTypeOf(valid)), []);
      return done(JSON.stringify(setAt(valid, site.path, wrongTypeOf(getAt(valid, site.path)))), site.path);
    }
    case 'length-over':
    case 'length-under': {
      const cands = strings.filter((s) => {
        const b = lengthBounds(s.schema);
        return kind === 'length-over' ? b.max !== undefined : (b.min ?? 0) > 0;
      });
      const site = choose(cands);
      if (!site) return null;
      const b = lengthBounds(site.schema);
      const n = kind === 'length-over' ? b.max! + 1 : b.min! - 1;
      return done(JSON.stringify(setAt(valid, site.path, 'x'.repeat(n))), site.path);
    }
    case 'number-out-of-bounds': {
      const site = choose(numbers);
      if (!site) return null;
      const b = numberBounds(site.schema);
      const options = [
        ...(b.max !== undefined ? [b.max + 1] : []),
        ...(b.min !== undefined ? [b.min - 1] : []),
        ...(b.int ? [1.5] : []),
        Number.MAX_SAFE_INTEGER * 4,
      ];
      const v = options[edge % options.length]!;
      return done(JSON.stringify(setAt(valid, site.path, v)), site.path);
    }
    case 'extra-field': {
      if (!isObj) return null;
      const objs = [
        { path: [] as (string | number)[] },
        ...sites.filter((s) => {
          const v = getAt(valid, s.path);
          return v && typeof v === 'object' && !Array.isArray(v);
        }),
      ];
      const site = choose(objs)!;
      const target = { ...(getAt(valid, site.path) as object), zzUnknownField: 'x' };
      return done(JSON.stringify(setAt(valid, site.path, target)), site.path);
    }
    case 'null': {
      const site = choose(sites);
      if (!site) return done('null', []);
      return done(JSON.stringify(setAt(valid, site.path, null)), site.path);
    }
    case 'huge-string': {
      const site = choose(strings);
      const limit = site ? (lengthBounds(site.schema).max ?? 0) : 0;
      const huge = '长'.repeat(Math.max(HUGE, limit + 1));
      if (!site)
        return isObj
          ? done(JSON.stringify({ ...(valid as object), zzHuge: huge }), ['zzHuge'])
          : done(JSON.stringify(huge), []);
      return done(JSON.stringify(setAt(valid, site.path, huge)), site.path);
    }
    case 'unicode-edge': {
      const site = choose(strings);
      if (!site) return null;
      const cur = getAt(valid, site.path) as string;
      const e = UNICODE_EDGES[edge % UNICODE_EDGES.length]!;
      // Replace the first character, so the length stays within the field's bounds where possible.
      const v = cur.length ? e + cur.slice(e.length) : e;
      // JSON.stringify writes a lone surrogate as the escape \ud800, which is what a client would send.
      return done(JSON.stringify(setAt(valid, site.path, v)), site.path);
    }
    case 'proto-key': {
      if (!isObj) return null;
      const body = JSON.stringify(valid).slice(1);
      const key =
        edge % 2
          ? '"constructor":{"prototype":{"isAdmin":true}}'
          : '"__proto__":{"isAdmin":true,"role":"platform_admin"}';
      return done(`{${key}${body === '}' ? '' : ','}${body}`, [edge % 2 ? 'constructor' : '__proto__']);
    }
    case 'duplicate-key': {
      if (!isObj) return null;
      const top = sites.filter((s) => s.path.length === 1);
      const site = choose(top);
      if (!site) return null;
      const k = site.path[0] as string;
      const v = (valid as Record<string, unknown>)[k];
      // The valid value first, a wrong-typed one last: JSON.parse (and the server) keep the last.
      return done(
        `${JSON.stringify(valid).slice(0, -1)},${JSON.stringify(k)}:${JSON.stringify(wrongTypeOf(v))}}`,
        site.path,
      );
    }
    case 'deep-nesting': {
      const deep = '['.repeat(DEEP) + ']'.repeat(DEEP);
      if (!isObj) return done(deep, []);
      const site = choose(sites.filter((s) => s.path.length === 1));
      const k = site ? (site.path[0] as string) : 'zzDeep';
      const rest = Object.fromEntries(Object.entries(valid as object).filter(([x]) => x !== k));
      const body = JSON.stringify(rest).slice(1);
      return done(`{${JSON.stringify(k)}:${deep}${body === '}' ? '}' : `,${body}`}`, [k]);
    }
  }
}

/**
 * Valid-then-mutated: a valid value and exactly one mutation of it; kinds that do not apply to that value fall back
 * to 'wrong-type' (which always applies).
 */
export function mutatedArbitrary(
  schema: Schema,
  valid: fc.Arbitrary<unknown> = arbitraryOf(schema),
): fc.Arbitrary<Mutated> {
  return fc
    .tuple(
      valid,
      fc.constantFrom(...mutationKinds),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      fc.nat(11),
    )
    .map(
      ([v, kind, pick, edge]) =>
        mutate(schema, v, kind, pick, edge) ?? mutate(schema, v, 'wrong-type', pick, edge)!,
    );
}
