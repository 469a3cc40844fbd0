import { asc } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { auditAnchor } from './audit-anchor.tables.js';
import type { AnchorLine } from './sink.js';
import type { AnchorProblem } from './verify-anchors.js';

const identity = (a: { kid: string; n: number; seq: number; head: string; at: string }) =>
  `${a.kid}|${a.n}|${a.seq}|${a.head}|${a.at}`;

/**
 * Anchors that `audit_anchor` records as acknowledged by the sink named `sinkName` (`dir`, `https`) but that are not
 * among `lines` read back from it: a line lost or deleted at the sink. A cross-check only: the anchors that count are
 * the sink's lines (verifyAnchors), and a database rewritten by an attacker can hide rows from this check, not forge
 * lines.
 */
export async function missingFromSink(
  db: DbOrTx,
  lines: AnchorLine[],
  sinkName: string,
): Promise<AnchorProblem[]> {
  const held = new Set<string>();
  for (const l of lines) {
    try {
      held.add(identity(JSON.parse(l.text)));
    } catch {
      // malformed lines are verifyAnchors' to report
    }
  }
  const rows = await db.select().from(auditAnchor).orderBy(asc(auditAnchor.seq));
  const problems: AnchorProblem[] = [];
  for (const r of rows) {
    const ack = r.sink.split(' ').find((t) => t.startsWith(`${sinkName}:`) && t !== `${sinkName}:?`);
    if (!ack) continue;
    const at = r.at.toISOString();
    if (held.has(identity({ kid: r.keyId, n: r.n, seq: r.lastSeq, head: r.head, at }))) continue;
    problems.push({
      kind: 'missing',
      where: ack,
      message: `the anchor of ${at} (n ${r.n}, audit_anchor seq ${r.seq}) was acknowledged by ${ack} but is not among its lines: lost or removed there`,
    });
  }
  return problems;
}
