/**
 * The facts the certification module needs about a worker, as the workers module reports them
 * (`trustFacts(workerId)` in modules/workers/index.ts). Declared here too so this module depends on a narrow shape.
 */
export interface TrustFacts {
  workerId: string;
  userId: string | null;
  name: string;
  photoKey: string | null;
  district: string | null;
  categories: string[];
  skillLevel: string | null;
  maternityStars: number | null;
  companyId: string | null;
  consent: { acceptedAt: Date } | null;
  identity: { verified: boolean; verifiedAt: Date | null };
  health: { state: 'valid' | 'expired' | 'pending' | 'missing' | 'rejected'; validUntil: string | null };
  background: { state: 'clear' | 'record_found' | 'pending' | 'missing'; checkedOn: string | null };
  skillCert: { state: 'valid' | 'pending' | 'missing' | 'rejected' | 'expired' };
  training: { state: 'passed' | 'failed' | 'missing'; passedOn: string | null };
}

/** What certification reads from the workers module. */
export interface TrustFactsSource {
  /** The worker's facts, or null for an unknown worker. */
  trustFacts(workerId: string): Promise<TrustFacts | null>;
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
