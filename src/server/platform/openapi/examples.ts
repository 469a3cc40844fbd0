/**
 * Deterministic examples from JSON Schema, for operations whose zod schemas carry no `.meta({ examples })`.
 * The value follows the schema (const, enum, default, formats, bounds, patterns it can satisfy) and picks
 * realistic domain values by field name (a mainland mobile, a Guangzhou district code, money in fen …).
 * Same schema in, same example out: the document does not change between builds.
 */
import { makeIdCard, makeUscc, maskIdCard } from '../../../shared/validators/index.js';

// Made by the validators' own generators, so a caller who copies an example passes the checksum.
const EXAMPLE_ID_NUMBER = makeIdCard('440106', '1990-01-01', 123);
const EXAMPLE_USCC = makeUscc('91440106MA5CXXXX0');
export type JsonSchema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  default?: unknown;
  example?: unknown;
  examples?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  [k: string]: unknown;
};

const ID_SUFFIX = '01kb2x0p9q3m4n5r6s7t8v9w0x';
/** Field name (lower case, without an `Id` suffix) → the id prefix the platform mints for it (db/ids.ts). */
const idPrefix: Record<string, string> = {
  order: 'ord',
  worker: 'wk',
  company: 'co',
  org: 'org',
  organization: 'org',
  user: 'usr',
  resident: 'usr',
  contract: 'ctr',
  complaint: 'cmp',
  review: 'rev',
  certificate: 'crt',
  client: 'ptc',
  key: 'ptk',
  webhook: 'pwh',
  delivery: 'pdl',
  event: 'obx',
  file: 'fil',
  document: 'doc',
  membership: 'mem',
  invitation: 'inv',
  conversation: 'cnv',
  message: 'msg',
  interview: 'itv',
  policy: 'pol',
  claim: 'clm',
  course: 'crs',
  class: 'cls',
  post: 'job',
  application: 'app',
  demand: 'dmd',
  referral: 'ref',
  booking: 'bkg',
  priceitem: 'svi',
  item: 'svi',
};

/**
 * Candidate strings by field name (camelCase as written), tried in order; the first one the schema accepts wins.
 * Time-like suffixes come before words they contain (`updatedAt` is a time, not a date).
 */
const byName: [RegExp, string[]][] = [
  [/[pP]honeMasked$|[mM]obileMasked$/, ['138****8000']],
  [/[pP]hone|[mM]obile/, ['13800138000']],
  [/[iI]dNumberMasked$|[iI]dMasked$/, [maskIdCard(EXAMPLE_ID_NUMBER)]],
  [/[iI]dNumber$|[iI]dCard$/, [EXAMPLE_ID_NUMBER]],
  [/[uU]scc$|[cC]reditCode$/, [EXAMPLE_USCC]],
  [/[dD]istrict/, ['440106']],
  [/[aA]ddressMasked$/, ['广州市天河区体育西路***']],
  [/[aA]ddress$/, ['广州市天河区体育西路 100 号 1203 房']],
  [
    /(At|Start|End|Until|Since)$|^(start|end|from|to|since|until|asOf)$/,
    ['2026-03-01T01:00:00.000Z', '2026-03-01'],
  ],
  [/[tT]ime$/, ['09:00', '2026-03-01T01:00:00.000Z']],
  [/(Date|On|Day)$|^(date|day|month)$/, ['2026-03-01', '2026-03']],
  [/[cC]ompanyName$|^organization$|[oO]rgName$/, ['广州安心家政服务有限公司']],
  [/[nN]ame$/, ['王芳', '王*']],
  [/^(title|label|subject|priceTitle|courseName)$/, ['住家保姆 · 26 天/月']],
  [/[rR]eason$/, ['临时有事，需改期']],
  [/[rR]ef$/, ['GZ20260301-0001']],
  [/By$/, ['resident']],
  [
    /[nN]ote|[cC]omment|[rR]emark|[cC]ontent|[bB]ody|[tT]ext|[dD]escription|[sS]ummary/,
    ['家中有老人，请准时到达'],
  ],
  [/[uU]rl$|[lL]ink$|[hH]ref$/, ['https://partner.example.com/anxin/webhooks']],
  [/[eE]mail$/, ['service@example.com']],
  [/[cC]ursor$/, ['eyJpZCI6Im9yZF8wMWtiMngifQ']],
  [/[nN]umber$|[nN]o$/, ['AX4401062026000123K']],
  [/[cC]ategor/, ['maternity', 'cleaning']],
  [/^mode$/, ['hourly']],
  [/[tT]oken$/, ['v1.eyJjIjoiQVg0NDAxMDYyMDI2MDAwMTIzSyJ9.c2lnbmF0dXJl']],
  [/[cC]ode$/, ['123456', '440106']],
  [/[pP]assword$/, ['Anxin2026pass']],
  [/[gG]rade$/, ['AAAA']],
  [/^(state|status)$|State$|Status$/, ['active']],
  [/[sS]ecret$/, ['ak_3Jt9wXbQ2mZr8Vn4Lp6Yc1Hd5Ke7Gf0Sa2Ub4Wc6Xe8']],
  [/[hH]ash$|[sS]ha256$/, ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08']],
  [/^(lang|locale)$/, ['zh-CN']],
  [/[cC]olou?r$/, ['green']],
];
/** By the schema's own description, when the name says nothing (`ts`, `day` helpers describe themselves). */
const byDescription: [RegExp, string][] = [
  [/ISO 8601|UTC/, '2026-03-01T01:00:00.000Z'],
  [/YYYY-MM-DD/, '2026-03-01'],
  [/HH:MM/, '09:00'],
];
/** Shapes seen in the project's patterns, tried when the name gives nothing that fits. */
const fallbacks = [
  '13800138000',
  '440106',
  '09:00',
  '2026-03-01',
  '2026-03',
  '2026-03-01T09:00:00+08:00',
  'AX4401062026000123K',
  EXAMPLE_ID_NUMBER,
  EXAMPLE_USCC,
  '192.168.0.0/24',
  '123456',
  'example',
];

const numberByName: [RegExp, number][] = [
  [/fen$/i, 19_800],
  [/limit$/i, 20],
  [/^lat/i, 23.1291],
  [/^(lng|lon)/i, 113.2644],
  [/radius|km$/i, 5],
  [/meters?$|distance/i, 1200],
  [/stars?|rating|score/i, 5],
  [/year/i, 2026],
  [/month/i, 3],
  [/hours?$/i, 4],
  [/days?$/i, 30],
  [/weeks?$/i, 4],
  [/percent|rate$/i, 80],
  [/count|total|requests|attempts|visits|size|quantity/i, 3],
];

function stringOk(s: JsonSchema, v: string): boolean {
  if (s.minLength !== undefined && [...v].length < s.minLength) return false;
  if (s.maxLength !== undefined && [...v].length > s.maxLength) return false;
  if (s.pattern) {
    try {
      if (!new RegExp(s.pattern, 'u').test(v)) return false;
    } catch {
      return true;
    }
  }
  return true;
}

function stringExample(s: JsonSchema, name: string): string {
  switch (s.format) {
    case 'date-time':
      return '2026-03-01T01:00:00.000Z';
    case 'date':
      return '2026-03-01';
    case 'time':
      return '09:00:00';
    case 'email':
      return 'service@example.com';
    case 'uri':
    case 'url':
      return 'https://partner.example.com/anxin/webhooks';
    case 'uuid':
      return '3f2a9c0d-1e7b-4a55-9c1e-7b4a553f2a9c';
    case 'ipv4':
      return '203.0.113.10';
    case 'binary':
      return '';
  }
  const key = name.toLowerCase();
  const candidates: string[] = [];
  if (key === 'id' || key.endsWith('id')) {
    const stem = key === 'id' ? '' : key.slice(0, -2);
    candidates.push(`${idPrefix[stem] ?? 'id'}_${ID_SUFFIX}`);
  }
  const described = typeof s.description === 'string' ? s.description : '';
  for (const [re, value] of byDescription) if (re.test(described)) candidates.push(value);
  for (const [re, values] of byName) if (re.test(name)) candidates.push(...values);
  // A pattern the name did not satisfy: try the shapes the project's patterns take; free text: a plain word.
  candidates.push(...(s.pattern ? fallbacks : ['示例']));
  const fit = candidates.find((c) => stringOk(s, c));
  if (fit !== undefined) return fit;
  const min = s.minLength ?? 1;
  return 'x'.repeat(Math.max(min, Math.min(s.maxLength ?? 8, 8)));
}

function numberExample(s: JsonSchema, name: string, integer: boolean): number {
  let v = numberByName.find(([re]) => re.test(name))?.[1] ?? 1;
  const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : undefined);
  const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : undefined);
  if (lo !== undefined && v < lo) v = lo;
  if (hi !== undefined && v > hi) v = hi;
  return integer ? Math.round(v) : v;
}

const isNullSchema = (s: JsonSchema) => s.type === 'null';

/** An example value for a JSON Schema (OpenAPI 3.1 flavour). `resolve` follows `$ref`s. */
export function exampleOf(
  schema: JsonSchema | undefined,
  name = '',
  resolve: (ref: string) => JsonSchema | undefined = () => undefined,
  depth = 0,
): unknown {
  if (!schema || depth > 12) return null;
  if (schema.$ref) return exampleOf(resolve(schema.$ref), name, resolve, depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum.find((e) => e !== null) ?? schema.enum[0];
  const union = schema.anyOf ?? schema.oneOf;
  if (union?.length) {
    const pick = union.find((u) => !isNullSchema(u)) ?? union[0];
    return exampleOf(pick, name, resolve, depth + 1);
  }
  if (schema.allOf?.length) {
    const out: Record<string, unknown> = {};
    for (const part of schema.allOf) {
      const v = exampleOf(part, name, resolve, depth + 1);
      if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, v);
    }
    return out;
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const type = types.find((t) => t !== 'null') ?? (schema.properties ? 'object' : types[0]);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {}))
        out[k] = exampleOf(v, k, resolve, depth + 1);
      return out;
    }
    case 'array': {
      const item = schema.items;
      const n = Math.max(1, schema.minItems ?? 1);
      const itemSchema = item?.$ref ? resolve(item.$ref) : item;
      if (itemSchema && 'not' in itemSchema) return []; // an array that is always empty (z.never() items)
      // Distinct values where the items are an enum (weekdays, categories): arrays of them are often unique.
      if (itemSchema?.enum?.length) return itemSchema.enum.slice(0, Math.min(n, itemSchema.enum.length));
      if (itemSchema?.type === 'integer' || itemSchema?.type === 'number') {
        // Counting up from the lowest allowed value keeps distinct items within bounds (weekdays 1..7).
        const first = numberExample(itemSchema, '', itemSchema.type === 'integer');
        return Array.from({ length: n }, (_, i) => Math.min(first + i, itemSchema.maximum ?? first + i));
      }
      const one = exampleOf(item, name.replace(/s$/, ''), resolve, depth + 1);
      return Array.from({ length: n }, () => one);
    }
    case 'string':
      return stringExample(schema, name);
    case 'integer':
      return numberExample(schema, name, true);
    case 'number':
      return numberExample(schema, name, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}
