import { type CheckpointRecord, checkpointMessage, startOfChain } from '../audit/checkpoint.js';
import type { VerifyKey } from '../crypto-sign/index.js';
import type { DbOrTx } from '../db/client.js';
import { z } from 'zod';
import {
  type AnchorRecord,
  anchorMessage,
  anchorRecordSchema,
  ChainBrokenError,
  type ChainPosition,
  walkChain,
} from './audit-anchor.js';
import type { AnchorLine } from './sink.js';

export type AnchorProblemKind =
  | 'none' // no anchor at all where anchors are expected
  | 'malformed' // not a JSON anchor line
  | 'unknown-key' // signed by a key the verifier does not trust
  | 'bad-signature' // the signature does not hold: a forged or edited line
  | 'chain-broken' // a row's content or link does not hold (the chain's own check)
  | 'head-mismatch' // the chain's n-th row is not the anchored one: rewritten or reordered prefix
  | 'truncated' // the chain is shorter than an anchor says it was: the tail was removed
  | 'regressed' // a later anchor covers fewer rows than an earlier one
  | 'missing'; // acknowledged by the sink (audit_anchor says so) but not among its lines: lost or removed there

export interface AnchorProblem {
  kind: AnchorProblemKind;
  /** `file:line` of the anchor concerned, when there is one. */
  where?: string;
  message: string;
}

export interface AnchorReport {
  ok: boolean;
  /** Anchor lines read. */
  anchors: number;
  /** Anchors whose signature holds and whose (n, head) the chain matches. */
  verified: number;
  /** Rows in the chain as walked (up to the first broken row). */
  chainLength: number;
  /** Rows after the last anchor: not yet covered by any. */
  unanchoredRows: number;
  truncationDetected: boolean;
  problems: AnchorProblem[];
}

interface Signed {
  record: AnchorRecord | CheckpointRecord;
  where: string;
}

// A checkpoint of a pruned prefix, as platform.audit_prune writes it to the same sinks.
const checkpointRecordSchema = z.strictObject({
  v: z.literal(1),
  kind: z.literal('checkpoint'),
  n: z.number().int().min(1),
  seq: z.number().int().min(1),
  head: z.string().regex(/^[0-9a-f]{64}$/),
  halg: z.enum(['sha256', 'sm3']),
  removed: z.number().int().min(1),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  at: z.iso.datetime(),
  suite: z.enum(['intl', 'gm']),
  alg: z.string(),
  kid: z.string().regex(/^[0-9a-f]{16}$/),
  sig: z.base64(),
});
const lineSchema = z.union([anchorRecordSchema, checkpointRecordSchema]);
const messageOf = (r: AnchorRecord | CheckpointRecord) =>
  'kind' in r ? checkpointMessage(r) : anchorMessage(r);

/**
 * Checks anchor lines read from the external sink against the chain in the database, trusting only `keys`
 * (the signing keys' public halves, current and retired): each line's signature, that the chain's n-th row has the
 * anchored seq and hash, and that the chain is at least as long as every anchor.
 */
export async function verifyAnchors(
  db: DbOrTx,
  lines: AnchorLine[],
  keys: VerifyKey[],
): Promise<AnchorReport> {
  const problems: AnchorProblem[] = [];
  const signed: Signed[] = [];
  const byKid = new Map(keys.map((k) => [`${k.suite}:${k.keyId}`, k]));
  for (const l of lines) {
    const where = `${l.file}:${l.line}`;
    let parsed: AnchorRecord | CheckpointRecord;
    try {
      const result = lineSchema.safeParse(JSON.parse(l.text));
      if (!result.success) throw new Error(result.error.issues[0]?.message ?? 'invalid');
      parsed = result.data as AnchorRecord | CheckpointRecord;
    } catch (e) {
      problems.push({ kind: 'malformed', where, message: `not an anchor line (${(e as Error).message})` });
      continue;
    }
    const key = byKid.get(`${parsed.suite}:${parsed.kid}`);
    if (!key) {
      problems.push({
        kind: 'unknown-key',
        where,
        message: `signed by untrusted key ${parsed.suite}:${parsed.kid}`,
      });
      continue;
    }
    if (!key.verify(messageOf(parsed), Buffer.from(parsed.sig, 'base64'))) {
      problems.push({ kind: 'bad-signature', where, message: `signature does not verify (n ${parsed.n})` });
      continue;
    }
    signed.push({ record: parsed, where });
  }
  if (lines.length === 0) problems.push({ kind: 'none', message: 'no anchor lines found' });

  // Anchors only grow with time.
  const byTime = [...signed].sort(
    (a, b) => a.record.at.localeCompare(b.record.at) || a.record.n - b.record.n,
  );
  let maxN = -1;
  let maxWhere = '';
  for (const s of byTime) {
    if (s.record.n < maxN) {
      problems.push({
        kind: 'regressed',
        where: s.where,
        message: `anchor at ${s.record.at} covers ${s.record.n} rows, fewer than ${maxN} at ${maxWhere}`,
      });
    }
    if (s.record.n > maxN) [maxN, maxWhere] = [s.record.n, s.where];
  }

  // One walk of the chain, checking every anchor as its position goes by.
  const atN = new Map<number, Signed[]>();
  for (const s of signed) atN.set(s.record.n, [...(atN.get(s.record.n) ?? []), s]);
  let verified = 0;
  const check = (pos: { n: number; seq: number; head: string; alg: string }) => {
    for (const s of atN.get(pos.n) ?? []) {
      // A v1 line anchors a SHA-256 row; at n = 0 (the genesis hash) there is no row to name a function.
      const halg = s.record.halg ?? 'sha256';
      if (s.record.head === pos.head && s.record.seq === pos.seq && (pos.n === 0 || halg === pos.alg))
        verified++;
      else
        problems.push({
          kind: 'head-mismatch',
          where: s.where,
          message: `row ${pos.n} of the chain (seq ${pos.seq}) has ${pos.alg} hash ${pos.head.slice(0, 16)}…, the anchor says seq ${s.record.seq} ${s.record.halg ?? 'sha256'} hash ${s.record.head.slice(0, 16)}…: the chain up to it was rewritten or reordered`,
        });
    }
  };
  // The walk starts at the newest checkpoint of a pruned prefix (its signature checked like an anchor's); anchors
  // of rows before it cannot be compared with rows that are gone, the checkpoint stands for them.
  const begin = await startOfChain(db, keys);
  const from: ChainPosition = {
    n: begin.start.n,
    seq: begin.start.seq,
    head: begin.start.head,
    alg: begin.start.alg,
  };
  let end = from;
  let broken = false;
  if (begin.problem) {
    broken = true;
    problems.push({ kind: 'chain-broken', message: begin.problem.message });
  } else check(from);
  try {
    if (!broken) end = await walkChain(db, from, check);
  } catch (e) {
    if (!(e instanceof ChainBrokenError)) throw e;
    broken = true;
    end = e.position;
    problems.push({
      kind: 'chain-broken',
      message: `audit chain broken at seq ${e.seq} (id ${e.id}): ${e.reason}; ${e.position.n} rows before it verified`,
    });
  }
  let truncationDetected = false;
  if (!broken) {
    for (const s of signed) {
      if (s.record.n > end.n) {
        truncationDetected = true;
        problems.push({
          kind: 'truncated',
          where: s.where,
          message: `the chain has ${end.n} rows but the anchor of ${s.record.at} covers ${s.record.n} (seq ${s.record.seq}): ${s.record.n - end.n} rows removed from the tail`,
        });
      }
    }
  }
  return {
    ok: problems.length === 0,
    anchors: lines.length,
    verified,
    chainLength: end.n,
    unanchoredRows: Math.max(0, end.n - Math.max(maxN, 0)),
    truncationDetected,
    problems,
  };
}
