// `npm run audit:verify`: walks the audit chain of the configured database and reports the first broken link.
// `npm run audit:verify -- --anchors <dir> [--pubkey <file>]…`: also checks the signed anchors kept outside the
// database (AUDIT_ANCHOR_DIR, or a shipped copy of it) against the chain: signatures, the chain's n-th row hash,
// and that the chain is at least as long as every anchor (a truncated tail). Trusted keys: the public half of
// AUDIT_ANCHOR_KEY, AUDIT_ANCHOR_PUBLIC_KEYS, and each --pubkey file (PEM; `gm:`/`intl:` prefix optional).
// `--anchors-url <url>`: the same check on the lines an HTTPS receiver holds (GET <url> with AUDIT_ANCHOR_TOKEN, through
// OUTBOUND_ALLOW_HOSTS), plus every anchor audit_anchor says the receiver acknowledged must be among them (missing).
// Both options may be given; each source is checked on its own.
// The walk starts at the newest checkpoint of a pruned prefix (platform.audit_prune), whose signature must verify
// under the trusted keys; rows under the gm profile must be SM3 from the recorded switch (or baseline) on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/server/config.js';
import {
  type AnchorLine,
  type AnchorProblem,
  createHttpsSink,
  missingFromSink,
  readAnchorDir,
  verifyAnchors,
} from '../src/server/platform/audit-anchor/index.js';
import { verifyAuditChain } from '../src/server/platform/audit/audit.js';
import { importVerifyKey, type VerifyKey } from '../src/server/platform/crypto-sign/index.js';
import { openDatabase } from '../src/server/platform/db/client.js';
import { createEgress } from '../src/server/platform/net/egress.js';

const { values: args } = parseArgs({
  options: {
    anchors: { type: 'string' },
    'anchors-url': { type: 'string' },
    pubkey: { type: 'string', multiple: true },
  },
});
const config = loadConfig();
const trusted: VerifyKey[] = [...config.auditAnchor.trustedKeys];
for (const file of args.pubkey ?? []) {
  const text = readFileSync(file, 'utf8');
  const m = /^(intl|gm):([\s\S]*)$/.exec(text.trim());
  trusted.push(m ? importVerifyKey(m[1] as 'intl' | 'gm', m[2]!) : importVerifyKey(config.piiProfile, text));
}
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  pgliteDir: join(config.dataDir, 'pglite'),
});
try {
  const started = performance.now();
  // From the newest checkpoint of a pruned prefix (signed with the anchor key: checked against the trusted keys), with
  // each row's hash function checked against the recorded profile history (SM3 after a switch to gm).
  const report = await verifyAuditChain(database.db, { keys: trusted });
  const ms = Math.round(performance.now() - started);
  const from =
    report.start.checkpoint === null
      ? 'from the first row'
      : `from checkpoint ${report.start.checkpoint} (${report.start.n} older rows pruned, up to seq ${report.start.seq})`;
  if (report.ok) {
    console.log(
      `audit chain OK ${from}: ${report.checked} entries verified in ${ms} ms (${Object.entries(report.byAlg)
        .map(([alg, n]) => `${alg} ${n}`)
        .join(
          ', ',
        )}); head seq ${report.head?.seq ?? '-'} ${report.head?.hashAlg ?? ''} hash ${report.head?.hash ?? '-'}`,
    );
  } else if (report.firstBroken) {
    const b = report.firstBroken;
    console.error(
      `audit chain BROKEN at seq ${b.seq} (id ${b.id}): ${b.reason}; ${report.checked} entries ${from} before it verified`,
    );
    process.exitCode = 1;
  } else {
    const p = report.problem!;
    console.error(`audit chain FAILED (${p.kind}): ${p.message}; ${report.checked} entries ${from} verified`);
    process.exitCode = 1;
  }
  const sources: { label: string; lines: () => Promise<AnchorLine[]>; sink?: string }[] = [];
  if (args.anchors) sources.push({ label: args.anchors, lines: () => readAnchorDir(args.anchors!) });
  const anchorsUrl = args['anchors-url'];
  if (anchorsUrl) {
    const egress = createEgress({ allow: config.outbound.allow });
    const sink = createHttpsSink({ url: anchorsUrl, token: config.auditAnchor.token, egress });
    sources.push({ label: new URL(anchorsUrl).host, lines: () => sink.read(), sink: 'https' });
  }
  for (const source of sources) {
    const lines = await source.lines();
    const anchors = await verifyAnchors(database.db, lines, trusted);
    const missing: AnchorProblem[] = source.sink
      ? await missingFromSink(database.db, lines, source.sink)
      : [];
    const problems = [...anchors.problems, ...missing];
    const line = `${source.label}: anchors ${anchors.anchors}, verified ${anchors.verified}; chain ${anchors.chainLength} rows, ${anchors.unanchoredRows} after the last anchor; keys trusted ${trusted.map((k) => `${k.suite}:${k.keyId}`).join(', ')}`;
    if (problems.length === 0) console.log(`anchors OK: ${line}`);
    else {
      console.error(
        `anchors FAILED: ${line}${anchors.truncationDetected ? '; TRUNCATION of the tail detected' : ''}`,
      );
      for (const p of problems) console.error(`  ${p.kind}${p.where ? ` at ${p.where}` : ''}: ${p.message}`);
      process.exitCode = 1;
    }
  }
  if (sources.length === 0 && report.ok) {
    console.log(
      'Without --anchors <dir> or --anchors-url <url> a removed tail cannot be seen: pass the anchor directory (AUDIT_ANCHOR_DIR) or receiver (AUDIT_ANCHOR_URL).',
    );
  }
} finally {
  await database.close();
}
