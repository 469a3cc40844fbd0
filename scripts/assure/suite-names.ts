/** The suites of `npm run assure`, in run order; test/asvs-checklist.ts cites them as 'assure::<name>'. */
export const suiteNames = [
  'inventory',
  'asvs',
  'authz',
  'headers',
  'bopla',
  'fuzz',
  'idempotency',
  'pii',
  'consent',
  'rights',
  'backup',
  'auth',
  'egress',
  // Last: the chain then covers every write the suites above made.
  'audit',
  // Every successful write the suites above sent left an audit row (or is exempt); before retention prunes rows.
  'audit-trail',
  // After the chain check: the supply chain (engine-independent), retention (moves the shared app's clock and
  // back; it purges sessions), and the drills on a separate server process (faults, load).
  'supply',
  'retention',
  'faults',
  'load',
  // Opt-in (optIn below): scratch PostgreSQL clusters for point-in-time recovery and failover.
  'pitr',
] as const;
export type SuiteName = (typeof suiteNames)[number];
/** Suites that do not depend on the database engine: run once (on the first engine), not per engine. */
export const engineIndependent: ReadonlySet<string> = new Set(['supply', 'pitr']);
/** Suites that run only when named (`--only pitr`) or in the full profile (`--full`). */
export const optIn: ReadonlySet<string> = new Set(['pitr']);
