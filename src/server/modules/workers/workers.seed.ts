import { districts } from '../../../shared/districts.js';
import { serviceCategoryCodes, skillLevelCodes } from '../../../shared/domain.js';
import { makeIdCard } from '../../../shared/validators/index.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import type { Pii } from '../../platform/pii/index.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { CONSENT_SHA256, CONSENT_VERSION } from './consent.js';
import {
  addDays,
  sampleGivenNames,
  sampleNativePlaces,
  sampleScan,
  sampleSurnames,
} from './sample-people.js';
import { chinaToday } from './trust-facts.js';
import {
  backgroundCheck,
  employment,
  preJobTraining,
  worker,
  workerConsent,
  workerDocument,
} from './workers.tables.js';

/** The few random helpers the seed needs (the demo seed's deterministic generator fits). */
export interface SeedRandom {
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export interface SeedWorkersInput {
  db: DbOrTx;
  pii: Pick<Pii, 'encrypt' | 'blindIndex'>;
  storage: FileStorage;
  random: SeedRandom;
  companyIds: string[];
  /** The demo worker account, linked to a complete, fully valid worker employed by the first company. */
  demoWorker?: { userId: string; name: string; withoutTraining?: boolean } | undefined;
  count?: number;
  now?: Date;
}

/**
 * Demo workers in bulk (multi-row inserts): documents in realistic states (most approved and valid, about
 * 10% with an expired health certificate, some pending), background checks and training results.
 */
export async function seedDemoWorkers(input: SeedWorkersInput): Promise<{ workerIds: string[] }> {
  const { db, pii, random } = input;
  const now = input.now ?? new Date();
  const today = chinaToday(now);
  const count = input.count ?? 300;
  await input.storage.put(sampleScan.key, sampleScan.bytes);

  const workers: (typeof worker.$inferInsert)[] = [];
  const consents: (typeof workerConsent.$inferInsert)[] = [];
  const docs: (typeof workerDocument.$inferInsert)[] = [];
  const checks: (typeof backgroundCheck.$inferInsert)[] = [];
  const trainings: (typeof preJobTraining.$inferInsert)[] = [];
  const jobs: (typeof employment.$inferInsert)[] = [];

  const doc = (
    workerId: string,
    kind: string,
    state: string,
    issuedOn: string | null,
    expiresOn: string | null,
  ) => {
    const id = newId('doc');
    docs.push({
      id,
      workerId,
      kind,
      fileKey: sampleScan.key,
      mime: sampleScan.mime,
      size: sampleScan.bytes.length,
      sha256: sampleScan.sha256,
      issuedOn,
      expiresOn,
      number: kind === 'health' ? `JK${issuedOn?.replaceAll('-', '')}${random.int(1000, 9999)}` : null,
      state,
      reason: state === 'rejected' ? '证件照片模糊，请重新上传' : null,
      reviewedAt: state === 'pending' ? null : now,
      createdAt: now,
    });
    return id;
  };

  for (let i = 0; i < count + (input.demoWorker ? 1 : 0); i++) {
    const demo = input.demoWorker && i === count;
    const district = demo ? districts[3]! : districts[i % districts.length]!;
    const birth = `${random.int(1966, 2000)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
    // Even sequence numbers are women, as most domestic workers are; the sequence keeps numbers unique.
    const seq = demo
      ? input.demoWorker!.withoutTraining
        ? 996
        : 998
      : random.chance(0.9)
        ? (i * 2) % 998
        : (i * 2 + 1) % 999;
    const idNumber = makeIdCard(district.code, birth, seq);
    const id = newId('wk');
    const categories = demo
      ? ['maternity', 'infant_care', 'cleaning']
      : [...new Set([random.pick(serviceCategoryCodes), random.pick(serviceCategoryCodes)])];
    const companyId = demo ? input.companyIds[0]! : input.companyIds[i % input.companyIds.length]!;
    workers.push({
      id,
      userId: demo ? input.demoWorker!.userId : null,
      name: demo ? input.demoWorker!.name : random.pick(sampleSurnames) + random.pick(sampleGivenNames),
      idNumberEnc: pii.encrypt(idNumber, 'worker.id_number'),
      idNumberHash: pii.blindIndex(idNumber, 'worker.id_number'),
      birthDate: birth,
      sex: seq % 2 === 1 ? 'M' : 'F',
      district: district.code,
      nativePlace: random.pick(sampleNativePlaces),
      education: random.pick(['初中', '高中', '中专', '大专']),
      languages: random.chance(0.5) ? ['普通话', '粤语'] : ['普通话'],
      categories,
      skillLevel: demo ? 'level3' : random.pick(skillLevelCodes),
      maternityStars: categories.includes('maternity') ? (demo ? 4 : random.int(1, 5)) : null,
      yearsExperience: random.int(1, 20),
      intro: '认真负责，经验丰富，持证上岗。',
      status: 'active',
      registeredVia: demo ? 'self' : 'company',
      registeredByOrgId: demo ? null : companyId,
      identityVerifiedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    consents.push({
      id: newId('wkc'),
      workerId: id,
      userId: demo ? input.demoWorker!.userId : null,
      textVersion: CONSENT_VERSION,
      textSha256: CONSENT_SHA256,
      acceptedAt: now,
    });
    jobs.push({
      id: newId('emp'),
      workerId: id,
      companyId,
      startedAt: new Date(now.getTime() - random.int(30, 900) * 86_400_000),
    });
    doc(id, 'id_front', 'approved', null, null);
    doc(id, 'id_back', 'approved', null, null);

    const roll = demo ? 0.5 : random.int(0, 99) / 100;
    if (roll < 0.1) {
      // Expired health certificate: the code turns yellow until it is renewed.
      const issued = addDays(today, -random.int(370, 420));
      doc(id, 'health', 'approved', issued, addDays(issued, 365));
    } else if (roll < 0.17) {
      const issued = addDays(today, -random.int(1, 10));
      doc(id, 'health', 'pending', issued, addDays(issued, 365));
    } else {
      const issued = addDays(today, demo ? -30 : -random.int(5, 355));
      doc(id, 'health', 'approved', issued, addDays(issued, 365));
    }
    doc(id, 'criminal_record', 'approved', addDays(today, -random.int(20, 200)), null);
    const skill = demo ? 0.5 : random.int(0, 99) / 100;
    if (skill < 0.05) doc(id, 'skill', 'pending', addDays(today, -random.int(1, 30)), null);
    else if (skill < 0.08) doc(id, 'skill', 'rejected', addDays(today, -random.int(1, 30)), null);
    else if (skill < 0.95) doc(id, 'skill', 'approved', addDays(today, -random.int(60, 1500)), null);

    const bg = demo
      ? 'clear'
      : i === 17 || i === 151
        ? 'record_found'
        : random.chance(0.03)
          ? 'pending'
          : 'clear';
    checks.push({
      id: newId('bgc'),
      workerId: id,
      provider: 'manual',
      state: bg,
      checkedOn: bg === 'pending' ? null : addDays(today, -random.int(10, 300)),
      reference: `GA${today.slice(0, 4)}${String(i).padStart(5, '0')}`,
      createdAt: now,
    });
    const tr = demo ? 0.5 : random.int(0, 99) / 100;
    // A demo worker seeded without training is the one who takes the 岗前考试 in the training journey.
    if (tr < 0.92 && !(demo && input.demoWorker!.withoutTraining))
      trainings.push({
        id: newId('trn'),
        workerId: id,
        courseName: '家政服务员岗前培训',
        passed: tr < 0.88,
        score: tr < 0.88 ? random.int(70, 98) : random.int(40, 59),
        examDate: addDays(today, -random.int(10, 400)),
        source: 'regulator',
        createdAt: now,
      });
  }

  const chunk = async <T>(rows: T[], insert: (part: T[]) => Promise<unknown>) => {
    for (let i = 0; i < rows.length; i += 500) await insert(rows.slice(i, i + 500));
  };
  await chunk(workers, (p) => db.insert(worker).values(p));
  await chunk(consents, (p) => db.insert(workerConsent).values(p));
  await chunk(jobs, (p) => db.insert(employment).values(p));
  await chunk(docs, (p) => db.insert(workerDocument).values(p));
  await chunk(checks, (p) => db.insert(backgroundCheck).values(p));
  await chunk(trainings, (p) => db.insert(preJobTraining).values(p));
  return { workerIds: workers.map((w) => w.id!) };
}
