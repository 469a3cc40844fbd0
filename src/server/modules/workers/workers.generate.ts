import { districtByCode, districts } from '../../../shared/districts.js';
import { serviceCategoryCodes, skillLevelCodes } from '../../../shared/domain.js';
import { makeIdCard } from '../../../shared/validators/index.js';
import { type BulkWriter, directWriter } from '../../platform/db/bulk.js';
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
import {
  backgroundState,
  chinaToday,
  healthState,
  skillState,
  type TrustFacts,
  trainingState,
} from './trust-facts.js';
import {
  backgroundCheck,
  employment,
  preJobTraining,
  worker,
  workerConsent,
  workerDocument,
} from './workers.tables.js';

/**
 * Benchmark generator (issue 13): workers in bulk, one chunk at a time, through this module's tables. Same
 * proportions as the demo seed (workers.seed.ts) but unique by construction at any scale: the i-th worker's ID
 * number is derived from i (district, birth date, sequence), so a million workers never collide on the blind
 * index. Returns each worker's trust facts exactly as `trustFacts()` would compute them from these rows, so the
 * certification generator can decide who passes without a query per worker.
 */
export interface GenerateRandom {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  near(lon: number, lat: number, km: number): { lon: number; lat: number };
}

export interface GenerateWorkersInput {
  db: DbOrTx;
  pii: Pick<Pii, 'encrypt' | 'blindIndex'>;
  storage: FileStorage;
  random: GenerateRandom;
  /** Employers; worker i works for companies[i % length] and lives in that company's district. */
  companies: { id: string; district: string }[];
  /** Global index of the first worker of this chunk, and how many. */
  from: number;
  count: number;
  now: Date;
  /** Where the rows go (COPY); a queued writer lets the caller generate the next chunk meanwhile. */
  writer?: BulkWriter;
}

/** The tables `generateWorkers` fills: a load into an empty database may defer their indexes (bulk.ts). */
export const workersBulkTables = [
  worker,
  workerConsent,
  employment,
  workerDocument,
  backgroundCheck,
  preJobTraining,
];

const intros = [
  '认真负责，经验丰富，持证上岗。',
  '擅长月嫂护理和新生儿照顾，做事细心。',
  '做过多年保洁和收纳，手脚麻利。',
  '育婴经验丰富，会做辅食，性格温和。',
  '照顾过失能老人，懂基础护理和康复。',
  '会做粤菜和家常菜，保洁也很在行。',
];
const BIRTH_SPAN_DAYS = 12_000;
const BIRTH_BASE = Date.parse('1966-01-01T00:00:00Z');

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export async function generateWorkers(
  input: GenerateWorkersInput,
): Promise<{ workerIds: string[]; facts: TrustFacts[]; rows: number }> {
  const { db, pii, random, now } = input;
  const today = chinaToday(now);
  if (input.from === 0) await input.storage.put(sampleScan.key, sampleScan.bytes);
  const workers: (typeof worker.$inferInsert)[] = [];
  const consents: (typeof workerConsent.$inferInsert)[] = [];
  const docs: (typeof workerDocument.$inferInsert)[] = [];
  const checks: (typeof backgroundCheck.$inferInsert)[] = [];
  const trainings: (typeof preJobTraining.$inferInsert)[] = [];
  const jobs: (typeof employment.$inferInsert)[] = [];
  const facts: TrustFacts[] = [];

  const doc = (
    workerId: string,
    kind: string,
    state: string,
    issuedOn: string | null,
    expiresOn: string | null,
  ) => {
    docs.push({
      id: newId('doc'),
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
    return { state, expiresOn };
  };

  for (let n = 0; n < input.count; n++) {
    const i = input.from + n;
    const company = input.companies[i % input.companies.length]!;
    const district = districtByCode.get(company.district) ?? districts[i % districts.length]!;
    // Unique ID number by construction: the birth day cycles over 12,000 days, then the sequence pair moves on.
    const birth = new Date(BIRTH_BASE + (i % BIRTH_SPAN_DAYS) * 86_400_000).toISOString().slice(0, 10);
    const male = random.chance(0.1);
    const idNumber = makeIdCard(district.code, birth, Math.floor(i / BIRTH_SPAN_DAYS) * 2 + (male ? 1 : 0));
    const id = newId('wk');
    const categories = [...new Set([random.pick(serviceCategoryCodes), random.pick(serviceCategoryCodes)])];
    const base = random.near(district.lon, district.lat, 6);
    const name = random.pick(sampleSurnames) + random.pick(sampleGivenNames);
    const skillLevel = random.pick(skillLevelCodes);
    const maternityStars = categories.includes('maternity') ? random.int(1, 5) : null;
    workers.push({
      id,
      userId: null,
      name,
      idNumberEnc: pii.encrypt(idNumber, 'worker.id_number'),
      idNumberHash: pii.blindIndex(idNumber, 'worker.id_number'),
      birthDate: birth,
      sex: male ? 'M' : 'F',
      district: district.code,
      nativePlace: random.pick(sampleNativePlaces),
      education: random.pick(['初中', '高中', '中专', '大专']),
      languages: random.chance(0.5) ? ['普通话', '粤语'] : ['普通话'],
      categories,
      skillLevel,
      maternityStars,
      yearsExperience: random.int(1, 20),
      intro: random.pick(intros),
      baseLon: round3(base.lon),
      baseLat: round3(base.lat),
      status: 'active',
      registeredVia: 'company',
      registeredByOrgId: company.id,
      identityVerifiedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    consents.push({
      id: newId('wkc'),
      workerId: id,
      userId: null,
      textVersion: CONSENT_VERSION,
      textSha256: CONSENT_SHA256,
      acceptedAt: now,
    });
    jobs.push({
      id: newId('emp'),
      workerId: id,
      companyId: company.id,
      startedAt: new Date(now.getTime() - random.int(30, 900) * 86_400_000),
    });
    doc(id, 'id_front', 'approved', null, null);
    doc(id, 'id_back', 'approved', null, null);
    // Health: ~10% expired (yellow once certified), ~7% waiting for review, the rest valid.
    const roll = random.next();
    let health: { state: string; expiresOn: string | null };
    if (roll < 0.1) {
      const issued = addDays(today, -random.int(370, 420));
      health = doc(id, 'health', 'approved', issued, addDays(issued, 365));
    } else if (roll < 0.17) {
      const issued = addDays(today, -random.int(1, 10));
      health = doc(id, 'health', 'pending', issued, addDays(issued, 365));
    } else {
      const issued = addDays(today, -random.int(5, 355));
      health = doc(id, 'health', 'approved', issued, addDays(issued, 365));
    }
    doc(id, 'criminal_record', 'approved', addDays(today, -random.int(20, 200)), null);
    const s = random.next();
    let skill: { state: string; expiresOn: string | null } | undefined;
    if (s < 0.05) skill = doc(id, 'skill', 'pending', addDays(today, -random.int(1, 30)), null);
    else if (s < 0.08) skill = doc(id, 'skill', 'rejected', addDays(today, -random.int(1, 30)), null);
    else if (s < 0.95) skill = doc(id, 'skill', 'approved', addDays(today, -random.int(60, 1500)), null);
    const bgRoll = random.next();
    const bg = bgRoll < 0.005 ? 'record_found' : bgRoll < 0.035 ? 'pending' : 'clear';
    const checkedOn = bg === 'pending' ? null : addDays(today, -random.int(10, 300));
    checks.push({
      id: newId('bgc'),
      workerId: id,
      provider: 'manual',
      state: bg,
      checkedOn,
      reference: `GA${today.slice(0, 4)}${String(i).padStart(7, '0')}`,
      createdAt: now,
    });
    const tr = random.next();
    const training: { passed: boolean; examDate: string }[] = [];
    if (tr < 0.92) {
      const passed = tr < 0.88;
      const examDate = addDays(today, -random.int(10, 400));
      training.push({ passed, examDate });
      trainings.push({
        id: newId('trn'),
        workerId: id,
        courseName: '家政服务员岗前培训',
        passed,
        score: passed ? random.int(70, 98) : random.int(40, 59),
        examDate,
        source: 'regulator',
        createdAt: now,
      });
    }
    facts.push({
      workerId: id,
      userId: null,
      name,
      photoKey: null,
      district: district.code,
      categories,
      skillLevel,
      maternityStars,
      companyId: company.id,
      consent: { acceptedAt: now },
      identity: { verified: true, verifiedAt: now },
      health: healthState(health, today),
      background: backgroundState({ state: bg, checkedOn }),
      skillCert: skillState(skill, today),
      training: trainingState(training),
    });
  }

  const out = input.writer ?? directWriter(db);
  await out.write(worker, workers);
  await out.write(workerConsent, consents);
  await out.write(employment, jobs);
  await out.write(workerDocument, docs);
  await out.write(backgroundCheck, checks);
  await out.write(preJobTraining, trainings);
  return {
    workerIds: workers.map((w) => w.id!),
    facts,
    rows: workers.length + consents.length + jobs.length + docs.length + checks.length + trainings.length,
  };
}
