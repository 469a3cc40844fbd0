// P13 / 等保 L3-CES1-29..31, full profile: point-in-time recovery and failover on scratch PostgreSQL clusters of
// their own (src/server/drill; `npm run drill -- pitr|failover` runs one). Opt-in: `--only pitr` or `--full`. Needs
// the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup); without them the suite says so and is skipped.
import { findPgBinaries } from '../../src/server/drill/cluster.js';
import { runFailoverDrill } from '../../src/server/drill/failover.js';
import { runPitrDrill } from '../../src/server/drill/pitr.js';
import type { Suite, SuiteResult } from './support.js';

export const pitr: Suite = async (): Promise<SuiteResult> => {
  const bins = findPgBinaries();
  if (!bins)
    return {
      name: 'pitr',
      passed: true,
      line: 'skipped: PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not found; install postgresql or set PG_BIN',
      figures: {},
      details: [],
    };
  const p = await runPitrDrill({ bins });
  const f = await runFailoverDrill({ bins });
  const details: string[] = [];
  if (!p.passed) details.push(`pitr: ${p.summary}`);
  if (!f.passed) details.push(`failover: ${f.summary}`);
  return {
    name: 'pitr',
    passed: p.passed && f.passed,
    line: `PostgreSQL ${bins.major}: ${p.summary}; ${f.summary}`,
    figures: {
      pitr_rpo_writes: p.lostBeforeTarget,
      pitr_after_target_present: p.presentAfterTarget,
      pitr_rto_ms: p.rtoMs,
      pitr_chain_entries: p.chain.entries,
      failover_acked: f.acked,
      failover_lost: f.lost,
      failover_duplicates: f.duplicates,
      failover_standby_visible_ms: f.replication.visibleMs,
      failover_promote_ms: f.promoteMs,
      failover_first_write_after_promote_ms: f.firstWriteAfterPromoteMs,
      failover_write_outage_ms: f.writeOutageMs,
    },
    details,
  };
};
