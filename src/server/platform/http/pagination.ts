import { z } from 'zod';
import { AppError } from '../errors.js';

/** Query parameters of every list: `?cursor=<opaque>&limit=<1..100>`. */
export const pageQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type PageQuery = z.infer<typeof pageQuery>;

/** The response envelope of every list. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * A cursor is the sort key of the last row seen (`{ id }`, or `{ v, id }` for lists sorted by another column),
 * base64url JSON. It is opaque to clients; a tampered one is a 422, never a 500.
 */
export function encodeCursor(key: Record<string, string | number | null>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, shape: T): z.infer<T> | null {
  if (!cursor) return null;
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'cursor', message: 'invalid cursor' }] });
}

/** Shape of an id-only cursor. */
export const idCursor = z.object({ id: z.string().max(64) });

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says there is more.
 * Query with `where id > cursor.id order by id limit limit + 1` (or the matching compound condition).
 */
export function toPage<R>(
  rows: R[],
  limit: number,
  keyOf: (row: R) => Record<string, string | number | null>,
) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
