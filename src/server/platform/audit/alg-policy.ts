import { asc } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { piiProfileSwitch } from '../pii/pii.tables.js';

/**
 * Which hash function each audit row must carry, from the deployment's recorded profile history (pii_profile_switch:
 * the baseline written at first start and every `crypto:switch` run). A chain is hashed with SM3 while the deployment
 * is on the 国密 profile, so a row written after a recorded switch (or baseline) to `gm` that says `sha256` was not
 * written by this deployment: the chain was recomputed in SHA-256 by someone with access to the database, or a node
 * ran on the wrong profile. Rows before any record, and rows written while a switch run is under way (nodes restart
 * one by one), may carry either function; under `intl` either is accepted (rows of an earlier 国密 period stay SM3).
 */

interface ProfileEpoch {
  seq: number;
  to: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
}

/** Why a row's hash function breaks the profile history. */
export interface AlgViolation {
  message: string;
}

export type AlgPolicy = (row: { seq: number; at: Date; hashAlg: string }) => AlgViolation | null;

/** The policy over the recorded history (no record: every row may carry either function). */
export async function loadAlgPolicy(db: DbOrTx): Promise<AlgPolicy> {
  const history: ProfileEpoch[] = (
    await db
      .select({
        seq: piiProfileSwitch.seq,
        to: piiProfileSwitch.toProfile,
        status: piiProfileSwitch.status,
        startedAt: piiProfileSwitch.startedAt,
        finishedAt: piiProfileSwitch.finishedAt,
      })
      .from(piiProfileSwitch)
      .orderBy(asc(piiProfileSwitch.seq))
  ).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.seq - b.seq);
  return (row) => {
    if (row.hashAlg === 'sm3') return null;
    let epoch: ProfileEpoch | null = null;
    for (const e of history) {
      if (e.startedAt.getTime() <= row.at.getTime()) epoch = e;
      else break;
    }
    if (epoch?.to !== 'gm') return null;
    // A run under way, or this row written before it finished: nodes may still be on the old profile.
    if (!epoch.finishedAt || row.at.getTime() < epoch.finishedAt.getTime()) return null;
    const what = epoch.status.startsWith('baseline') ? 'started on' : 'finished its switch to';
    return {
      message: `row seq ${row.seq} (at ${row.at.toISOString()}) is hashed with ${row.hashAlg}, but the deployment ${what} the gm profile at ${epoch.finishedAt.toISOString()} (pii_profile_switch ${epoch.seq}) and writes every audit row with SM3 since: the chain was recomputed with SHA-256, or a node ran on the intl profile`,
    };
  };
}
