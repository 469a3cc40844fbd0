import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import type { Pii } from '../../platform/pii/index.js';
import {
  backgroundCheck,
  employment,
  preJobTraining,
  worker,
  workerConsent,
  workerDocument,
} from './workers.tables.js';

/** A worker's whole stored record, decrypted, for the worker's own e-file and export (never for others as is). */
export interface WorkerRecord {
  profile: {
    id: string;
    userId: string | null;
    name: string;
    idNumber: string | null;
    birthDate: string;
    sex: 'M' | 'F';
    phone: string | null;
    district: string | null;
    nativePlace: string | null;
    education: string | null;
    languages: string[];
    categories: string[];
    skillLevel: string | null;
    maternityStars: number | null;
    yearsExperience: number | null;
    intro: string | null;
    hasPhoto: boolean;
    status: string;
    registeredVia: string;
    registeredByOrgId: string | null;
    identityVerifiedAt: string | null;
    createdAt: string;
    updatedAt: string;
  };
  consents: {
    id: string;
    textVersion: string;
    textSha256: string;
    acceptedAt: string;
    withdrawnAt: string | null;
  }[];
  documents: {
    id: string;
    kind: string;
    mime: string;
    size: number;
    sha256: string;
    issuedOn: string | null;
    expiresOn: string | null;
    number: string | null;
    state: string;
    reason: string | null;
    reviewedAt: string | null;
    current: boolean;
    erased: boolean;
    createdAt: string;
  }[];
  backgroundChecks: {
    id: string;
    provider: string;
    state: string;
    checkedOn: string | null;
    reference: string | null;
    createdAt: string;
  }[];
  training: {
    id: string;
    courseName: string;
    passed: boolean;
    score: number | null;
    examDate: string;
    source: string;
  }[];
  employment: {
    id: string;
    companyId: string;
    startedAt: string;
    endedAt: string | null;
    endedReason: string | null;
  }[];
}

// An erased document keeps its row (review history) but its file key is blanked.
const ERASED_FILE_KEY = '';

/**
 * Queries the e-file module needs over the workers tables (read-only), plus the one erasure write that a
 * completed deletion request performs; it lives here because the workers module owns these tables.
 */
export function createWorkerEfileQueries(deps: { db: Db; pii: Pick<Pii, 'decrypt'> }) {
  const { db, pii } = deps;

  return {
    /** The worker id and status behind an account, or null. */
    async workerOfUser(userId: string): Promise<{ id: string; status: string } | null> {
      const [w] = await db
        .select({ id: worker.id, status: worker.status })
        .from(worker)
        .where(eq(worker.userId, userId));
      return w ?? null;
    },

    /** Minimal facts about a worker for access decisions (district for regulators), or null. */
    async workerBasics(workerId: string): Promise<{
      id: string;
      userId: string | null;
      name: string;
      status: string;
      district: string | null;
    } | null> {
      const [w] = await db
        .select({
          id: worker.id,
          userId: worker.userId,
          name: worker.name,
          status: worker.status,
          district: worker.district,
        })
        .from(worker)
        .where(eq(worker.id, workerId));
      return w ?? null;
    },

    /** Everything stored about one worker, decrypted; null when there is no such worker. */
    async workerRecord(workerId: string, q: DbOrTx = db): Promise<WorkerRecord | null> {
      const [w] = await q.select().from(worker).where(eq(worker.id, workerId));
      if (!w) return null;
      const [consents, docs, checks, trainings, jobs] = await Promise.all([
        q
          .select()
          .from(workerConsent)
          .where(eq(workerConsent.workerId, workerId))
          .orderBy(asc(workerConsent.acceptedAt)),
        q
          .select()
          .from(workerDocument)
          .where(eq(workerDocument.workerId, workerId))
          .orderBy(desc(workerDocument.id)),
        q
          .select()
          .from(backgroundCheck)
          .where(eq(backgroundCheck.workerId, workerId))
          .orderBy(desc(backgroundCheck.createdAt), desc(backgroundCheck.id)),
        q
          .select()
          .from(preJobTraining)
          .where(eq(preJobTraining.workerId, workerId))
          .orderBy(desc(preJobTraining.examDate)),
        q
          .select()
          .from(employment)
          .where(eq(employment.workerId, workerId))
          .orderBy(desc(employment.startedAt)),
      ]);
      return {
        profile: {
          id: w.id,
          userId: w.userId,
          name: w.name,
          idNumber: w.idNumberEnc ? pii.decrypt(w.idNumberEnc, 'worker.id_number') : null,
          birthDate: w.birthDate,
          sex: w.sex as 'M' | 'F',
          phone: w.phoneEnc ? pii.decrypt(w.phoneEnc, 'worker.phone') : null,
          district: w.district,
          nativePlace: w.nativePlace,
          education: w.education,
          languages: w.languages,
          categories: w.categories,
          skillLevel: w.skillLevel,
          maternityStars: w.maternityStars,
          yearsExperience: w.yearsExperience,
          intro: w.intro,
          hasPhoto: w.photoFileKey !== null,
          status: w.status,
          registeredVia: w.registeredVia,
          registeredByOrgId: w.registeredByOrgId,
          identityVerifiedAt: w.identityVerifiedAt?.toISOString() ?? null,
          createdAt: w.createdAt.toISOString(),
          updatedAt: w.updatedAt.toISOString(),
        },
        consents: consents.map((c) => ({
          id: c.id,
          textVersion: c.textVersion,
          textSha256: c.textSha256,
          acceptedAt: c.acceptedAt.toISOString(),
          withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
        })),
        documents: docs.map((d) => ({
          id: d.id,
          kind: d.kind,
          mime: d.mime,
          size: d.size,
          sha256: d.sha256,
          issuedOn: d.issuedOn,
          expiresOn: d.expiresOn,
          number: d.number,
          state: d.state,
          reason: d.reason,
          reviewedAt: d.reviewedAt?.toISOString() ?? null,
          current: d.supersededAt === null,
          erased: d.fileKey === ERASED_FILE_KEY,
          createdAt: d.createdAt.toISOString(),
        })),
        backgroundChecks: checks.map((c) => ({
          id: c.id,
          provider: c.provider,
          state: c.state,
          checkedOn: c.checkedOn,
          reference: c.reference,
          createdAt: c.createdAt.toISOString(),
        })),
        training: trainings.map((r) => ({
          id: r.id,
          courseName: r.courseName,
          passed: r.passed,
          score: r.score,
          examDate: r.examDate,
          source: r.source,
        })),
        employment: jobs.map((e) => ({
          id: e.id,
          companyId: e.companyId,
          startedAt: e.startedAt.toISOString(),
          endedAt: e.endedAt?.toISOString() ?? null,
          endedReason: e.endedReason,
        })),
      };
    },

    /**
     * Erases what a completed deletion request may erase, inside the caller's transaction: the encrypted ID number
     * and its keyed hash, the phone, the photo key, the free-text introduction, document numbers and file keys;
     * ends an open employment, withdraws consent and marks the worker 'deleted'. Returns the file keys the caller
     * deletes from storage after the commit. Name, birth date, sex, review states, checks, training and
     * employment periods stay: the certificate history they support is kept for legal retention.
     */
    async eraseWorkerPersonalData(tx: DbOrTx, workerId: string, now: Date): Promise<string[]> {
      const [w] = await tx.select().from(worker).where(eq(worker.id, workerId)).for('update');
      if (!w) return [];
      const docs = await tx
        .select({ fileKey: workerDocument.fileKey })
        .from(workerDocument)
        .where(eq(workerDocument.workerId, workerId));
      const keys = [...docs.map((d) => d.fileKey), w.photoFileKey].filter(
        (k): k is string => !!k && k !== ERASED_FILE_KEY,
      );
      await tx
        .update(workerDocument)
        .set({ fileKey: ERASED_FILE_KEY, number: null })
        .where(eq(workerDocument.workerId, workerId));
      await tx
        .update(employment)
        .set({ endedAt: now, endedReason: 'worker_deleted', updatedAt: now })
        .where(and(eq(employment.workerId, workerId), isNull(employment.endedAt)));
      await tx
        .update(workerConsent)
        .set({ withdrawnAt: now })
        .where(and(eq(workerConsent.workerId, workerId), isNull(workerConsent.withdrawnAt)));
      await tx
        .update(worker)
        .set({
          // The columns are NOT NULL: an empty ciphertext and a per-record marker free the person's keyed hash,
          // so the same person may register again later.
          idNumberEnc: '',
          idNumberHash: `erased:${workerId}`,
          phoneEnc: null,
          phoneHash: null,
          photoFileKey: null,
          intro: null,
          confirmCodeHash: null,
          confirmExpiresAt: null,
          status: 'deleted',
          updatedAt: now,
        })
        .where(eq(worker.id, workerId));
      return keys;
    },
  };
}

export type WorkerEfileQueries = ReturnType<typeof createWorkerEfileQueries>;
