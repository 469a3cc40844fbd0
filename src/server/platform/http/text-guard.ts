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
    } else if (isPlain(v)) {
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        if (unstorable(k)) return p;
        stack.push([x, p]);
      }
    }
  }
  return null;
}

// Only what a JSON or form parser builds: a Buffer (a raw upload) or any class instance is left as it is.
const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

const nfc = (s: string) => s.normalize('NFC');

/**
 * Puts every string and object key of a parsed request into Unicode NFC, in place (the root string is returned), so
 * 生僻字, decomposed input (e + U+0301) and combining marks are stored, hashed (blind indexes), compared (uniqueness)
 * and searched in one form. Returns the dotted path of two keys of one object that become equal, or null.
 */
export function normalizeText(value: unknown): { value: unknown; clash: string | null } {
  if (typeof value === 'string') return { value: nfc(value), clash: null };
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        const x = v[i];
        if (typeof x === 'string') v[i] = nfc(x);
        else if (x !== null && typeof x === 'object') stack.push([x, path ? `${path}.${i}` : String(i)]);
      }
    } else if (isPlain(v)) {
      for (const k of Object.keys(v)) {
        const x = v[k];
        const p = path ? `${path}.${k}` : k;
        let key = k;
        const nk = nfc(k);
        if (nk !== k) {
          // Two keys that differ only in normalisation would silently overwrite each other: ambiguous, refused.
          if (Object.hasOwn(v, nk)) return { value, clash: p };
          delete v[k];
          v[nk] = x;
          key = nk;
        }
        if (typeof x === 'string') v[key] = nfc(x);
        else if (x !== null && typeof x === 'object') stack.push([x, p]);
      }
    }
  }
  return { value, clash: null };
}

/**
 * Refuses (422 VALIDATION_FAILED) any request whose body, query or params carry a NUL or a lone surrogate, then
 * normalises the rest to NFC before the schemas see it. Nothing in the API verifies a signature over a raw request
 * body (partner webhooks are signed outbound only), and multipart uploads are streamed, so no bytes are altered
 * that anything checks; passwords are normalised on every path that sets or checks them (NIST SP 800-63B 5.1.1.2).
 */
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
      const { value: normal, clash } = normalizeText(value);
      if (clash !== null)
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: clash, message: 'two keys differ only in Unicode normalisation' }],
        });
      if (part === 'body' && typeof value === 'string') request.body = normal;
    }
  });
}
