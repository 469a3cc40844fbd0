// `npm run audit:verify`: walks the audit chain of the configured database and reports the first broken link.
// `npm run audit:verify -- --anchors <dir> [--pubkey <file>]…`: also checks the signed anchors kept outside the
// database (AUDIT_ANCHOR_DIR, or a shipped copy of it) against the chain: signatures, the chain's n-th row hash,
// and that the chain is at least as long as every anchor (a truncated tail). Trusted keys: the public half of
// AUDIT_ANCHOR_KEY, AUDIT_ANCHOR_PUBLIC_KEYS, and each --pubkey file (PEM; `gm:`/`intl:` prefix optional).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/server/config.js';
import { readAnchorDir, verifyAnchors } from '../src/server/platform/audit-anchor/index.js';
import { verifyAuditChain } from '../src/server/platform/audit/audit.js';
import { importVerifyKey, type VerifyKey } from '../src/server/platform/crypto-sign/index.js';
import { openDatabase } from '../src/server/platform/db/client.js';

const { values: args } = parseArgs({
  options: { anchors: { type: 'string' }, pubkey: { type: 'string', multiple: true } },
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
  const report = await verifyAuditChain(database.db);
  const ms = Math.round(performance.now() - started);
  if (report.ok) {
    console.log(
      `audit chain OK: ${report.checked} entries verified in ${ms} ms; head seq ${report.head?.seq ?? '-'} hash ${report.head?.hash ?? '-'}`,
    );
  } else {
    const b = report.firstBroken!;
    console.error(
      `audit chain BROKEN at seq ${b.seq} (id ${b.id}): ${b.reason}; ${report.checked} entries before it verified`,
    );
    process.exitCode = 1;
  }
  if (args.anchors) {
    const anchors = await verifyAnchors(database.db, await readAnchorDir(args.anchors), trusted);
    const line = `anchors ${anchors.anchors}, verified ${anchors.verified}; chain ${anchors.chainLength} rows, ${anchors.unanchoredRows} after the last anchor; keys trusted ${trusted.map((k) => `${k.suite}:${k.keyId}`).join(', ')}`;
    if (anchors.ok) console.log(`anchors OK: ${line}`);
    else {
      console.error(
        `anchors FAILED: ${line}${anchors.truncationDetected ? '; TRUNCATION of the tail detected' : ''}`,
      );
      for (const p of anchors.problems)
        console.error(`  ${p.kind}${p.where ? ` at ${p.where}` : ''}: ${p.message}`);
      process.exitCode = 1;
    }
  } else if (report.ok) {
    console.log(
      'Without --anchors <dir> a removed tail cannot be seen: pass the anchor directory (AUDIT_ANCHOR_DIR).',
    );
  }
} finally {
  await database.close();
}
