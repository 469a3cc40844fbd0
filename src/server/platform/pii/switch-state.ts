import { desc, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import type { PiiProfile } from './pii.js';
import { piiProfileSwitch } from './pii.tables.js';

/**
 * The profile every stored PII token and blind index is in: the target of the latest profile-switch run when that run
 * finished, or of the baseline recorded at first start (status 'baseline'), otherwise null (a switch under way, a
 * baseline that found data of the other profile, or nothing recorded), which makes lookups try both profiles' indexes.
 */
export async function readDataProfile(db: DbOrTx): Promise<PiiProfile | null> {
  const [last] = await db
    .select({ to: piiProfileSwitch.toProfile, status: piiProfileSwitch.status })
    .from(piiProfileSwitch)
    .orderBy(desc(piiProfileSwitch.seq))
    .limit(1);
  return last?.status === 'done' || last?.status === 'baseline' ? (last.to as PiiProfile) : null;
}

/**
 * At start-up: the profile stored data is in, recording a baseline first when nothing was ever recorded. A deployment
 * that never switched then looks up by one blind index instead of both. The baseline names the configured profile; when
 * `otherProfileData` finds a token of the other profile's format (PII_CRYPTO_PROFILE changed before any switch was
 * recorded) it is 'baseline-mixed' and lookups keep trying both until `crypto:switch` has run. Either dates the
 * profile the audit chain is hashed with from then on (audit/alg-policy.ts).
 */
export async function settleDataProfile(
  db: DbOrTx,
  profile: PiiProfile,
  now: Date,
  otherProfileData: () => Promise<boolean>,
): Promise<PiiProfile | null> {
  const [any] = await db.select({ seq: piiProfileSwitch.seq }).from(piiProfileSwitch).limit(1);
  if (!any) {
    const status = (await otherProfileData()) ? 'baseline-mixed' : 'baseline';
    // Two nodes starting together may both record one; they record the same thing.
    await db.execute(sql`
      insert into pii_profile_switch (to_profile, status, cursor, counts, started_at, updated_at, finished_at)
      select ${profile}, ${status}, '{}'::jsonb, '{}'::jsonb, ${now.toISOString()}::timestamptz,
             ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
       where not exists (select 1 from pii_profile_switch)`);
  }
  return readDataProfile(db);
}
