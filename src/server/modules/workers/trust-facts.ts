/** What the certification module needs to decide a worker's 安心码 colour; computed, never stored. */
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

export interface DocFact {
  state: string;
  expiresOn: string | null;
}

/** Today's date (YYYY-MM-DD) in Asia/Shanghai, which has no daylight saving. */
export function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Health certificate state on `today`: an approved one past its expiry date is expired. */
export function healthState(doc: DocFact | undefined, today: string): TrustFacts['health'] {
  if (!doc) return { state: 'missing', validUntil: null };
  if (doc.state === 'pending') return { state: 'pending', validUntil: null };
  if (doc.state === 'rejected') return { state: 'rejected', validUntil: null };
  if (!doc.expiresOn || doc.expiresOn < today) return { state: 'expired', validUntil: doc.expiresOn };
  return { state: 'valid', validUntil: doc.expiresOn };
}

/** Skill or training certificate state; one without expiry stays valid. */
export function skillState(doc: DocFact | undefined, today: string): TrustFacts['skillCert'] {
  if (!doc) return { state: 'missing' };
  if (doc.state === 'pending') return { state: 'pending' };
  if (doc.state === 'rejected') return { state: 'rejected' };
  if (doc.expiresOn && doc.expiresOn < today) return { state: 'expired' };
  return { state: 'valid' };
}

/** The latest background check decides; none recorded is 'missing'. */
export function backgroundState(
  latest: { state: string; checkedOn: string | null } | undefined,
): TrustFacts['background'] {
  if (!latest) return { state: 'missing', checkedOn: null };
  const state = latest.state as TrustFacts['background']['state'];
  return { state, checkedOn: latest.checkedOn };
}

/** A passed exam counts even if a later attempt failed; otherwise the latest failure shows. */
export function trainingState(records: { passed: boolean; examDate: string }[]): TrustFacts['training'] {
  const passed = records.filter((r) => r.passed).sort((a, b) => b.examDate.localeCompare(a.examDate));
  if (passed[0]) return { state: 'passed', passedOn: passed[0].examDate };
  if (records.length) return { state: 'failed', passedOn: null };
  return { state: 'missing', passedOn: null };
}

/** Checks a health certificate's dates: expiry required, after issue, at most one year after issue. */
export function healthDatesProblem(issuedOn: string | null, expiresOn: string | null): string | null {
  if (!issuedOn) return 'issuedOn is required for a health certificate';
  if (!expiresOn) return 'expiresOn is required for a health certificate';
  if (expiresOn <= issuedOn) return 'expiresOn must be after issuedOn';
  const limit = addYears(issuedOn, 1);
  if (expiresOn > limit) return 'a health certificate is valid for at most one year';
  return null;
}

/** `YYYY-MM-DD` plus n years (29 February becomes 28 February in common years). */
export function addYears(isoDate: string, n: number): string {
  const y = Number(isoDate.slice(0, 4)) + n;
  let md = isoDate.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (md === '02-29' && !leap) md = '02-28';
  return `${String(y).padStart(4, '0')}-${md}`;
}
