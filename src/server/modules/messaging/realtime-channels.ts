import { createHash } from 'node:crypto';

// Bus channels allow [a-z0-9_]{1,48}; ids may hold other characters, so channels carry a digest of them.
const digest = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 40);

/** The bus channel every socket of one person listens on. */
export const userChannel = (userId: string) => `mu_${digest(userId)}`;
/** The bus channel the sockets of a company's staff listen on. */
export const orgChannel = (orgId: string) => `mo_${digest(orgId)}`;

/** What travels on the bus: ids only (the content is read from the database by the receiving process). */
export type BusEvent =
  | { t: 'msg'; c: string; id: string; seq: number }
  | { t: 'read'; c: string; u: string; seq: number }
  | { t: 'sig'; i: string; from: string; d?: unknown; ref?: string };
