import type { TrustFacts } from '../workers/index.js';

/** The facts the certification module needs about a worker, as the workers module reports them. */
export type { TrustFacts };

/** What certification reads from the workers module. */
export interface TrustFactsSource {
  /** The worker's facts, or null for an unknown worker. */
  trustFacts(workerId: string): Promise<TrustFacts | null>;
  /** The facts of many workers at once (bulk rebuilds); unknown ids are absent. */
  trustFactsMany?(workerIds: string[]): Promise<Map<string, TrustFacts>>;
  /** The worker record of a signed-in person, or null. */
  findWorkerIdByUser(userId: string): Promise<string | null>;
  /** Workers whose current health certificate's last valid day lies in [from, to] (YYYY-MM-DD, inclusive). */
  listWorkerIdsWithHealthExpiringBetween(from: string, to: string): Promise<string[]>;
}

/** What certification reads about a company from the orgs module. */
export interface OrgLookup {
  getOrganization(
    id: string,
  ): Promise<{ id: string; name: string; status: string; creditGrade?: string | null } | null>;
}
