import { type AnyColumn, and, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
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
 * Trust facts of many workers with six queries in all (one per table), for bulk work such as the discovery
 * rebuild. Gives exactly what the per-worker `computeTrustFacts` in workers.service.ts gives for each worker
 * (same rules: current documents, latest background check by created_at then id, latest non-withdrawn consent,
 * open employment, every training record); workers that do not exist are absent from the map.
 */
export async function trustFactsOf(
  q: DbOrTx,
  workerIds: string[],
  today: string,
): Promise<Map<string, TrustFacts>> {
  const out = new Map<string, TrustFacts>();
  if (!workerIds.length) return out;
  // One array parameter per query, not one parameter per id: a rebuild page asks for 2,000 workers, and drizzle
  // builds each of 2,000 parameters in JavaScript (six queries a page, ~90 pages at gz).
  const ids = sql.param(workerIds);
  const inIds = (col: AnyColumn): SQL => sql`${col} = any(${ids}::text[])`;
  const [workers, docs, checks, trainings, consents, jobs] = await Promise.all([
    q.select().from(worker).where(inIds(worker.id)),
    q
      .select({
        workerId: workerDocument.workerId,
        kind: workerDocument.kind,
        state: workerDocument.state,
        expiresOn: workerDocument.expiresOn,
      })
      .from(workerDocument)
      .where(and(inIds(workerDocument.workerId), isNull(workerDocument.supersededAt))),
    q
      .select({
        workerId: backgroundCheck.workerId,
        id: backgroundCheck.id,
        createdAt: backgroundCheck.createdAt,
        state: backgroundCheck.state,
        checkedOn: backgroundCheck.checkedOn,
      })
      .from(backgroundCheck)
      .where(inIds(backgroundCheck.workerId)),
    q
      .select({
        workerId: preJobTraining.workerId,
        passed: preJobTraining.passed,
        examDate: preJobTraining.examDate,
      })
      .from(preJobTraining)
      .where(inIds(preJobTraining.workerId)),
    q
      .select({ workerId: workerConsent.workerId, acceptedAt: workerConsent.acceptedAt })
      .from(workerConsent)
      .where(and(inIds(workerConsent.workerId), isNull(workerConsent.withdrawnAt))),
    q
      .select({ workerId: employment.workerId, companyId: employment.companyId })
      .from(employment)
      .where(and(inIds(employment.workerId), isNull(employment.endedAt))),
  ]);
  const group = <T extends { workerId: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) {
      const list = m.get(r.workerId);
      if (list) list.push(r);
      else m.set(r.workerId, [r]);
    }
    return m;
  };
  const docsBy = group(docs);
  const checksBy = group(checks);
  const trainingsBy = group(trainings);
  const consentsBy = group(consents);
  const jobBy = new Map(jobs.map((j) => [j.workerId, j.companyId]));
  for (const w of workers) {
    const mine = docsBy.get(w.id) ?? [];
    const doc = (kind: string) => mine.find((d) => d.kind === kind);
    const latestCheck = (checksBy.get(w.id) ?? []).sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    )[0];
    const consent = (consentsBy.get(w.id) ?? []).sort(
      (a, b) => b.acceptedAt.getTime() - a.acceptedAt.getTime(),
    )[0];
    out.set(w.id, {
      workerId: w.id,
      userId: w.userId,
      name: w.name,
      photoKey: w.photoFileKey,
      district: w.district,
      categories: w.categories,
      skillLevel: w.skillLevel,
      maternityStars: w.maternityStars,
      companyId: jobBy.get(w.id) ?? null,
      consent: consent ? { acceptedAt: consent.acceptedAt } : null,
      identity: { verified: w.identityVerifiedAt !== null, verifiedAt: w.identityVerifiedAt },
      health: healthState(doc('health'), today),
      background: backgroundState(latestCheck),
      skillCert: skillState(doc('skill'), today),
      training: trainingState(
        (trainingsBy.get(w.id) ?? []).map((t) => ({ passed: t.passed, examDate: t.examDate })),
      ),
    });
  }
  return out;
}
