import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

// A lone surrogate: with the u flag, paired surrogates are one astral code point, so only unpaired ones match.
const LONE_SURROGATE = /\p{Cs}/u;
const unstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

/**
 * PostgreSQL text and jsonb cannot hold U+0000, and a lone surrogate is not well-formed Unicode (no UTF-8 form):
 * either, anywhere in a request's strings or object keys, surfaced as a 500 once the value reached the database or
 * an encoder. The fuzzer (`npm run assure`, suite fuzz) found such 500s on several write routes; refusing at the
 * door covers every route, present and future. Returns the dotted path of the first such string, or null.
 */
export function findUnstorableText(value: unknown, root = ''): string | null {
  // Iterative: a 10,000-deep array must not exhaust the stack.
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (unstorable(v)) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], path ? `${path}.${i}` : String(i)]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        if (unstorable(k)) return p;
        stack.push([x, p]);
      }
    }
  }
  return null;
}

/** Refuses (422 VALIDATION_FAILED) any request whose body, query or params carry a NUL or a lone surrogate. */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['body', request.body],
      ['querystring', request.query],
      ['params', request.params],
    ] as const) {
      const at = findUnstorableText(value);
      if (at !== null)
        throw new AppError('VALIDATION_FAILED', {
          issues: [
            {
              path: at || part,
              message: 'must not contain a NUL character (U+0000) or an unpaired surrogate',
            },
          ],
        });
    }
  });
}
