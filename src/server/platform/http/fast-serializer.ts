import fastJson from 'fast-json-stringify';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/**
 * `anyOf: [X, {type: 'null'}]` (zod's nullable object) as X with `type: [X.type, 'null']`: fast-json-stringify
 * checks an `anyOf` branch by validating the value against it, which an object with fields beyond its schema fails
 * (zod strips them instead); with a type list it writes the declared fields only, as zod does.
 */
function withNullableTypes(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(withNullableTypes);
  if (!s || typeof s !== 'object') return s;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(s)) out[k] = withNullableTypes(v);
  const anyOf = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const isNull = (b: JsonSchema) => b.type === 'null' && Object.keys(b).length === 1;
    const [a, b] = anyOf as [JsonSchema, JsonSchema];
    const other = isNull(a) ? b : isNull(b) ? a : null;
    if (other && typeof other.type === 'string') {
      const { anyOf: _, ...rest } = out;
      return { ...rest, ...other, type: [other.type, 'null'] };
    }
  }
  return out;
}

/** The JSON schema fast-json-stringify compiles for a zod response schema (exported for tests). */
export function responseJsonSchema(schema: z.ZodType): JsonSchema {
  const json = withNullableTypes(z.toJSONSchema(schema, { io: 'output', target: 'draft-7' })) as JsonSchema;
  delete json.$schema;
  return json;
}

/**
 * A route-level `serializerCompiler` for hot public reads whose handler builds every response field itself:
 * fast-json-stringify compiled from the route's zod response schema, instead of zod checking the value and
 * `JSON.stringify` writing it (≈ 12 % of the server's CPU per worker search). Only the schema's fields are written,
 * so nothing undeclared can leak; unlike zod it does not refuse a wrong type (it writes what it can) — use it only
 * where the handler's own types already fix every field.
 */
export function fastResponseSerializer({ schema }: { schema: unknown }): (data: unknown) => string {
  const zod =
    schema instanceof z.ZodType
      ? schema
      : (schema as { properties?: unknown } | null)?.properties instanceof z.ZodType
        ? ((schema as { properties: z.ZodType }).properties as z.ZodType)
        : null;
  if (!zod) throw new Error('fastResponseSerializer: the response schema is not a zod schema');
  return fastJson(responseJsonSchema(zod) as unknown as Parameters<typeof fastJson>[0]);
}
