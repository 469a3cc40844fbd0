import { desc } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import type { PiiProfile } from './pii.js';
import { piiProfileSwitch } from './pii.tables.js';

/**
 * The profile every stored PII token and blind index is in: the target of the latest profile-switch run when that run
 * finished, otherwise null (never switched, or a switch under way), which makes lookups try both profiles' indexes.
 */
export async function readDataProfile(db: DbOrTx): Promise<PiiProfile | null> {
  const [last] = await db
    .select({ to: piiProfileSwitch.toProfile, status: piiProfileSwitch.status })
    .from(piiProfileSwitch)
    .orderBy(desc(piiProfileSwitch.seq))
    .limit(1);
  return last?.status === 'done' ? (last.to as PiiProfile) : null;
}
