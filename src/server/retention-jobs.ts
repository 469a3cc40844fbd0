import { purgeEndedContracts } from './modules/contracts/index.js';
import { anonymiseClosedComplaints } from './modules/feedback/index.js';
import { eraseClosedClaims } from './modules/insurance/index.js';
import { purgeOldConversations } from './modules/messaging/index.js';
import { anonymiseClosedOrders } from './modules/orders/index.js';
import { purgeWithdrawnConsents } from './modules/workers/index.js';
import { pruneAuditLog } from './platform/audit/prune.js';
import type { Jobs } from './platform/jobs/jobs.js';
import type { RetentionDeps } from './platform/retention.js';

/**
 * The modules' retention jobs for the time-bound limits of test/data-inventory.ts, by job name, in the order
 * they run (after the nightly credit recompute and the 03:xx purges). Each takes the clock's time at the run.
 */
export const retentionJobs: [name: string, cron: string, run: (deps: RetentionDeps) => Promise<unknown>][] = [
  ['workers.consent_purge', '7 4 * * *', purgeWithdrawnConsents],
  ['orders.retention_purge', '12 4 * * *', anonymiseClosedOrders],
  ['feedback.complaint_purge', '17 4 * * *', anonymiseClosedComplaints],
  ['contracts.retention_purge', '22 4 * * *', purgeEndedContracts],
  ['insurance.claim_purge', '27 4 * * *', eraseClosedClaims],
  ['messaging.retention_purge', '32 4 * * *', purgeOldConversations],
  // Audit rows past their 3 years: a signed checkpoint, then the prefix it covers (platform/audit/prune.ts).
  ['platform.audit_prune', '42 4 * * *', (deps) => pruneAuditLog(deps)],
];

/** Registers and schedules every job of `retentionJobs` (daily, Asia/Shanghai). */
export async function registerRetentionJobs(
  jobs: Jobs,
  deps: (now: Date) => RetentionDeps,
  clock: () => Date,
): Promise<void> {
  for (const [name, cron, run] of retentionJobs) {
    await jobs.register(name, async () => {
      await run(deps(clock()));
    });
    await jobs.schedule(name, cron);
  }
}
