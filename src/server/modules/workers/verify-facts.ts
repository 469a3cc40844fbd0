import { type SQL, sql } from 'drizzle-orm';
import { backgroundState, healthState, skillState, type TrustFacts, trainingState } from './trust-facts.js';
import {
  backgroundCheck,
  employment,
  preJobTraining,
  worker,
  workerConsent,
  workerDocument,
} from './workers.tables.js';

/**
 * One worker's trust facts as a single JSON value: a scalar subquery for another module's one-statement read
 * (the public QR verification composes it with the certificate in one round trip). `workerId` is an SQL
 * expression, e.g. a column of the outer query. Null when the worker does not exist. Decode with
 * `trustFactsFromJson`; together they give exactly what `workers.trustFacts` gives (same rules: current
 * documents, latest background check by created_at then id, latest non-withdrawn consent, open employment,
 * every training record).
 */
export function workerTrustFactsJsonSql(workerId: SQL): SQL {
  return sql`(select json_build_object(
    'id', w.id, 'userId', w.user_id, 'name', w.name, 'photoKey', w.photo_file_key, 'district', w.district,
    'categories', w.categories, 'skillLevel', w.skill_level, 'maternityStars', w.maternity_stars,
    'identityVerifiedAt', w.identity_verified_at,
    'companyId', (select e.company_id from ${employment} e where e.worker_id = w.id and e.ended_at is null limit 1),
    'consentAcceptedAt', (select max(c.accepted_at) from ${workerConsent} c
      where c.worker_id = w.id and c.withdrawn_at is null),
    'health', (select json_build_object('state', d.state, 'expiresOn', d.expires_on) from ${workerDocument} d
      where d.worker_id = w.id and d.kind = 'health' and d.superseded_at is null limit 1),
    'skill', (select json_build_object('state', d.state, 'expiresOn', d.expires_on) from ${workerDocument} d
      where d.worker_id = w.id and d.kind = 'skill' and d.superseded_at is null limit 1),
    'background', (select json_build_object('state', b.state, 'checkedOn', b.checked_on) from ${backgroundCheck} b
      where b.worker_id = w.id order by b.created_at desc, b.id desc limit 1),
    'trainingPassedOn', (select max(p.exam_date) from ${preJobTraining} p where p.worker_id = w.id and p.passed),
    'trainingAny', exists (select 1 from ${preJobTraining} p where p.worker_id = w.id)
  ) from ${worker} w where w.id = ${workerId})`;
}

interface FactsJson {
  id: string;
  userId: string | null;
  name: string;
  photoKey: string | null;
  district: string | null;
  categories: string[] | null;
  skillLevel: string | null;
  maternityStars: number | null;
  identityVerifiedAt: string | null;
  companyId: string | null;
  consentAcceptedAt: string | null;
  health: { state: string; expiresOn: string | null } | null;
  skill: { state: string; expiresOn: string | null } | null;
  background: { state: string; checkedOn: string | null } | null;
  trainingPassedOn: string | null;
  trainingAny: boolean;
}

/** Decodes `workerTrustFactsJsonSql`'s value (an object, or its text on drivers that do not parse JSON). */
export function trustFactsFromJson(value: unknown, today: string): TrustFacts | null {
  if (value === null || value === undefined) return null;
  const j = (typeof value === 'string' ? JSON.parse(value) : value) as FactsJson;
  const verifiedAt = j.identityVerifiedAt ? new Date(j.identityVerifiedAt) : null;
  // The same rule as trainingState: any passed exam counts (the latest pass is shown), else any failure.
  const training = j.trainingPassedOn
    ? trainingState([{ passed: true, examDate: j.trainingPassedOn }])
    : trainingState(j.trainingAny ? [{ passed: false, examDate: '' }] : []);
  return {
    workerId: j.id,
    userId: j.userId,
    name: j.name,
    photoKey: j.photoKey,
    district: j.district,
    categories: j.categories ?? [],
    skillLevel: j.skillLevel,
    maternityStars: j.maternityStars,
    companyId: j.companyId,
    consent: j.consentAcceptedAt ? { acceptedAt: new Date(j.consentAcceptedAt) } : null,
    identity: { verified: verifiedAt !== null, verifiedAt },
    health: healthState(j.health ?? undefined, today),
    background: backgroundState(j.background ?? undefined),
    skillCert: skillState(j.skill ?? undefined, today),
    training,
  };
}
