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
  // Last: the chain then covers every write the suites above made.
  'audit',
] as const;
export type SuiteName = (typeof suiteNames)[number];
