import { createHash, randomInt } from 'node:crypto';
import { and, asc, desc, eq, gt, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { districtByCode } from '../../../shared/districts.js';
import type { DocumentKind, ServiceCategory, SkillLevel } from '../../../shared/domain.js';
import {
  ageOn,
  maskIdCard,
  maskMobile,
  normalizeMobile,
  parseIdCard,
} from '../../../shared/validators/index.js';
import { appendAudit, recordAudit } from '../../platform/audit/audit.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import { enqueueEvent } from '../../platform/outbox/outbox.js';
import { hasRole, orgIdsOf } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor, idCursor } from '../../platform/http/pagination.js';
import type { Pii } from '../../platform/pii/index.js';
import type { SmsSender } from '../../platform/sms/sms.js';
import { type FileStorage, inspectUpload, storableBytes } from '../../platform/storage/index.js';
import { type IdentityService, requireAcceptablePassword } from '../identity/index.js';
import type { OrgsService } from '../orgs/index.js';
import { CONSENT_SHA256, CONSENT_TEXT, CONSENT_TITLE, CONSENT_VERSION } from './consent.js';
import { trustFactsOf } from './trust-facts-batch.js';
import {
  backgroundState,
  chinaToday,
  healthDatesProblem,
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

type WorkerRow = typeof worker.$inferSelect;
type DocumentRow = typeof workerDocument.$inferSelect;

/** A pluggable external background check (MOFCOM/police style); `manual` means a regulator records it. */
export interface BackgroundCheckProvider {
  readonly name: string;
  request(w: { workerId: string }): Promise<{ reference: string }>;
}

/** The default provider: nothing is sent anywhere; a regulator records the result and its evidence. */
export const manualBackgroundCheckProvider: BackgroundCheckProvider = {
  name: 'manual',
  async request(w) {
    return { reference: `manual-${w.workerId}` };
  },
};

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const MIN_WORKER_AGE = 16;
const CONFIRM_TTL_MS = 24 * 3600_000;
const CONFIRM_MAX_FAILURES = 5;
// Company staff may see what they need to manage the worker; criminal-record proofs and ID scans stay private.
const COMPANY_VISIBLE_KINDS: readonly string[] = ['health', 'skill'];
const ID_SIDES = ['id_front', 'id_back'] as const;

export interface ConsentInput {
  version: string;
  accepted: boolean;
}

export interface ProfileInput {
  district?: string | null | undefined;
  nativePlace?: string | null | undefined;
  education?: string | null | undefined;
  languages?: string[] | undefined;
  categories?: ServiceCategory[] | undefined;
  skillLevel?: SkillLevel | null | undefined;
  maternityStars?: number | null | undefined;
  yearsExperience?: number | null | undefined;
  intro?: string | null | undefined;
  /** Approximate service base; both or neither, stored rounded to ~100 m. */
  baseLon?: number | null | undefined;
  baseLat?: number | null | undefined;
}

export interface RegistrationInput extends ProfileInput {
  name: string;
  idNumber: string;
  categories: ServiceCategory[];
  consent: ConsentInput;
}

export interface UploadedFile {
  data: Buffer;
  filename: string;
}

export interface DocumentFields {
  kind: DocumentKind;
  issuedOn?: string | null | undefined;
  expiresOn?: string | null | undefined;
  number?: string | null | undefined;
}

/** How much of a worker's file the caller may see. */
type Access = 'self' | 'regulator' | 'company';

export interface WorkerDeps {
  db: Db;
  pii: Pick<Pii, 'encrypt' | 'decrypt' | 'blindIndex' | 'blindIndexes' | 'anyProfileIndexes'>;
  storage: FileStorage;
  sms: SmsSender;
  clock: () => Date;
  identity: Pick<IdentityService, 'grantRole' | 'createAccount'>;
  orgs: Pick<OrgsService, 'getOrganization'>;
  backgroundProvider?: BackgroundCheckProvider;
}

function isUniqueViolation(e: unknown, constraint: string): boolean {
  for (let cur: unknown = e; cur; cur = (cur as { cause?: unknown }).cause) {
    const c = cur as { code?: string; constraint?: string; message?: string };
    if (c.code === '23505' && (c.constraint === constraint || c.message?.includes(constraint))) return true;
  }
  return false;
}

const idReasons: Record<string, string> = {
  format: 'format: 18 characters, digits and a final digit or X',
  region: 'region: the first digits name no province',
  birthdate: 'birthdate: the birth date is impossible',
  checksum: 'checksum: the check character does not match (GB 11643 mod 11-2)',
  under_16: 'under_16: the person is younger than 16',
};

/** Workers: registration with consent, the real-name profile, documents and review, checks, employment. */
export function createWorkersService(deps: WorkerDeps) {
  const { db, pii, storage, sms, clock, identity, orgs } = deps;
  const provider = deps.backgroundProvider ?? manualBackgroundCheckProvider;
  const today = () => chinaToday(clock());

  function requireConsent(consent: ConsentInput) {
    if (!consent.accepted || consent.version !== CONSENT_VERSION)
      throw new AppError('WORKER_CONSENT_REQUIRED', {
        issues: [{ path: 'consent', message: `accept version ${CONSENT_VERSION}` }],
      });
  }

  /** The accepted, not withdrawn consent of a worker, or null. */
  async function activeConsent(workerId: string, q: DbOrTx = db) {
    const [c] = await q
      .select()
      .from(workerConsent)
      .where(and(eq(workerConsent.workerId, workerId), isNull(workerConsent.withdrawnAt)))
      .limit(1);
    return c ?? null;
  }

  /** Refuses to collect or process anything new about a worker who withdrew consent (PIPL Art 15). */
  async function requireActiveConsent(workerId: string) {
    if (!(await activeConsent(workerId))) throw new AppError('WORKER_CONSENT_WITHDRAWN');
  }

  function parseIdOrThrow(idNumber: string) {
    const parsed = parseIdCard(idNumber, { today: today() });
    let reason: string | null = parsed.ok ? null : parsed.reason;
    if (parsed.ok && ageOn(parsed.value.birthDate, today()) < MIN_WORKER_AGE) reason = 'under_16';
    if (!parsed.ok || reason) {
      const message = idReasons[reason ?? 'format']!;
      throw new AppError('WORKER_ID_INVALID', {
        en: `The ID number is not valid (${message})`,
        issues: [{ path: 'idNumber', message }],
      });
    }
    return parsed.value;
  }

  function checkProfile(p: ProfileInput, categories: readonly string[]) {
    if (p.district != null && !districtByCode.has(p.district))
      throw new AppError('VALIDATION_FAILED', {
        issues: [{ path: 'district', message: 'unknown district' }],
      });
    if (p.maternityStars != null && !categories.includes('maternity'))
      throw new AppError('VALIDATION_FAILED', {
        issues: [{ path: 'maternityStars', message: 'stars apply only to the maternity category' }],
      });
    if (
      (p.baseLon === undefined) !== (p.baseLat === undefined) ||
      (p.baseLon === null) !== (p.baseLat === null)
    )
      throw new AppError('VALIDATION_FAILED', {
        issues: [{ path: 'baseLon', message: 'baseLon and baseLat go together' }],
      });
  }

  function profileValues(p: ProfileInput) {
    const out: Partial<typeof worker.$inferInsert> = {};
    if (p.district !== undefined) out.district = p.district;
    if (p.nativePlace !== undefined) out.nativePlace = p.nativePlace;
    if (p.education !== undefined) out.education = p.education;
    if (p.languages !== undefined) out.languages = p.languages;
    if (p.categories !== undefined) out.categories = p.categories;
    if (p.skillLevel !== undefined) out.skillLevel = p.skillLevel;
    if (p.maternityStars !== undefined) out.maternityStars = p.maternityStars;
    if (p.yearsExperience !== undefined) out.yearsExperience = p.yearsExperience;
    if (p.intro !== undefined) out.intro = p.intro;
    // ~100 m is enough to find nearby workers and does not reveal a home address.
    if (p.baseLon !== undefined)
      out.baseLon = p.baseLon === null ? null : Math.round(p.baseLon * 1000) / 1000;
    if (p.baseLat !== undefined)
      out.baseLat = p.baseLat === null ? null : Math.round(p.baseLat * 1000) / 1000;
    return out;
  }

  // `hashes`: both crypto profiles' indexes while a profile switch may be under way (pii.blindIndexes).
  async function assertNoDuplicate(hashes: string[], q: DbOrTx = db) {
    const [dup] = await q.select({ id: worker.id }).from(worker).where(inArray(worker.idNumberHash, hashes));
    if (dup) throw new AppError('WORKER_DUPLICATE_PERSON');
  }

  async function insertWorker(values: typeof worker.$inferInsert, q: DbOrTx) {
    try {
      await q.insert(worker).values(values);
    } catch (e) {
      if (isUniqueViolation(e, 'worker_id_number_unique')) throw new AppError('WORKER_DUPLICATE_PERSON');
      if (isUniqueViolation(e, 'worker_user_unique')) throw new AppError('WORKER_ALREADY_REGISTERED');
      throw e;
    }
  }

  async function findByUser(userId: string, q: DbOrTx = db) {
    const [w] = await q.select().from(worker).where(eq(worker.userId, userId));
    return w;
  }

  async function requireMine(ctx: RequestContext) {
    const w = await findByUser(ctx.actor!.userId);
    if (!w || w.status === 'deleted') throw new AppError('NOT_FOUND');
    return w;
  }

  async function openEmployment(workerId: string, q: DbOrTx = db) {
    const [e] = await q
      .select()
      .from(employment)
      .where(and(eq(employment.workerId, workerId), isNull(employment.endedAt)));
    return e;
  }

  /** The caller's company memberships that are admin/staff of `companyId`, or 404. */
  function assertCompanyMember(ctx: RequestContext, companyId: string) {
    if (!orgIdsOf(ctx.actor!, 'company').includes(companyId)) throw new AppError('NOT_FOUND');
  }

  async function assertActiveCompany(ctx: RequestContext, companyId: string) {
    assertCompanyMember(ctx, companyId);
    const org = await orgs.getOrganization(companyId);
    if (org?.type !== 'company') throw new AppError('NOT_FOUND');
    if (org.status !== 'active') throw new AppError('COMPANY_NOT_ACTIVE');
  }

  /** What the caller may see of this worker, or null (→ 404). */
  async function accessTo(ctx: RequestContext, w: WorkerRow): Promise<Access | null> {
    const actor = ctx.actor;
    if (!actor || w.status === 'deleted') return null;
    if (w.userId && w.userId === actor.userId) return 'self';
    if (hasRole(actor, 'regulator') && (!actor.regulatorDistrict || actor.regulatorDistrict === w.district))
      return 'regulator';
    const companies = orgIdsOf(actor, 'company');
    if (companies.length) {
      const e = await openEmployment(w.id);
      if (e && companies.includes(e.companyId)) return 'company';
      if (
        w.status === 'pending_confirmation' &&
        w.registeredByOrgId &&
        companies.includes(w.registeredByOrgId)
      )
        return 'company';
    }
    return null;
  }

  async function loadVisible(ctx: RequestContext, workerId: string, action: string) {
    const [w] = await db.select().from(worker).where(eq(worker.id, workerId));
    const access = w ? await accessTo(ctx, w) : null;
    if (!w || !access) {
      // Someone probing a worker's file they may not see: recorded, since it touches personal data.
      if (w)
        await recordAudit(db, ctx, { action, outcome: 'denied', objectType: 'worker', objectId: workerId });
      throw new AppError('NOT_FOUND');
    }
    return { w, access };
  }

  async function currentDocs(workerIds: string[], q: DbOrTx = db) {
    if (!workerIds.length) return [] as DocumentRow[];
    return q
      .select()
      .from(workerDocument)
      .where(and(inArray(workerDocument.workerId, workerIds), isNull(workerDocument.supersededAt)));
  }

  async function computeTrustFacts(workerId: string, q: DbOrTx = db): Promise<TrustFacts | null> {
    const [w] = await q.select().from(worker).where(eq(worker.id, workerId));
    if (!w) return null;
    const docs = await currentDocs([workerId], q);
    const [checks, trainings, consents, emp] = await Promise.all([
      q
        .select()
        .from(backgroundCheck)
        .where(eq(backgroundCheck.workerId, workerId))
        .orderBy(desc(backgroundCheck.createdAt), desc(backgroundCheck.id))
        .limit(1),
      q
        .select({ passed: preJobTraining.passed, examDate: preJobTraining.examDate })
        .from(preJobTraining)
        .where(eq(preJobTraining.workerId, workerId)),
      q
        .select({ acceptedAt: workerConsent.acceptedAt })
        .from(workerConsent)
        .where(and(eq(workerConsent.workerId, workerId), isNull(workerConsent.withdrawnAt)))
        .orderBy(desc(workerConsent.acceptedAt))
        .limit(1),
      openEmployment(workerId, q),
    ]);
    const day = today();
    const doc = (kind: string) => docs.find((d) => d.kind === kind);
    return {
      workerId: w.id,
      userId: w.userId,
      name: w.name,
      photoKey: w.photoFileKey,
      district: w.district,
      categories: w.categories,
      skillLevel: w.skillLevel,
      maternityStars: w.maternityStars,
      companyId: emp?.companyId ?? null,
      consent: consents[0] ? { acceptedAt: consents[0].acceptedAt } : null,
      identity: { verified: w.identityVerifiedAt !== null, verifiedAt: w.identityVerifiedAt },
      health: healthState(doc('health'), day),
      background: backgroundState(checks[0]),
      skillCert: skillState(doc('skill'), day),
      training: trainingState(trainings),
    };
  }

  async function toView(w: WorkerRow, access: Access) {
    const facts = (await computeTrustFacts(w.id))!;
    const full = access !== 'company';
    const idNumber = pii.decrypt(w.idNumberEnc, 'worker.id_number');
    const phone = w.phoneEnc ? pii.decrypt(w.phoneEnc, 'worker.phone') : null;
    const [check] = await db
      .select()
      .from(backgroundCheck)
      .where(eq(backgroundCheck.workerId, w.id))
      .orderBy(desc(backgroundCheck.createdAt), desc(backgroundCheck.id))
      .limit(1);
    const emp = await openEmployment(w.id);
    return {
      id: w.id,
      name: w.name,
      idNumber: full ? idNumber : maskIdCard(idNumber),
      idNumberMasked: !full,
      birthDate: full ? w.birthDate : null,
      sex: w.sex as 'M' | 'F',
      phoneMasked: phone ? maskMobile(phone) : null,
      district: w.district,
      nativePlace: w.nativePlace,
      education: w.education,
      languages: w.languages,
      categories: w.categories,
      skillLevel: w.skillLevel,
      maternityStars: w.maternityStars,
      yearsExperience: w.yearsExperience,
      intro: w.intro,
      baseLon: w.baseLon,
      baseLat: w.baseLat,
      hasPhoto: w.photoFileKey !== null,
      status: w.status,
      registeredVia: w.registeredVia,
      companyId: facts.companyId,
      employedSince: emp?.startedAt.toISOString() ?? null,
      consentAcceptedAt: facts.consent?.acceptedAt.toISOString() ?? null,
      identityVerified: facts.identity.verified,
      health: facts.health,
      skillCert: facts.skillCert,
      training: facts.training,
      // Only the worker and the regulator see the check's detail; others see whether it passed, and when.
      background: {
        passed: facts.background.state === 'clear',
        checkedOn: facts.background.state === 'clear' ? facts.background.checkedOn : null,
        detail:
          full && check
            ? {
                state: check.state,
                checkedOn: check.checkedOn,
                provider: check.provider,
                reference: check.reference,
              }
            : null,
      },
      createdAt: w.createdAt.toISOString(),
    };
  }

  async function viewWithAudit(ctx: RequestContext, w: WorkerRow, access: Access) {
    const view = await toView(w, access);
    await db.transaction(async (tx) => {
      if (access !== 'self')
        await appendAudit(
          tx,
          ctx,
          { action: 'worker.viewed', objectType: 'worker', objectId: w.id, detail: { access } },
          clock(),
        );
      if (access !== 'company')
        await appendAudit(
          tx,
          ctx,
          {
            action: 'worker.pii_viewed',
            objectType: 'worker',
            objectId: w.id,
            detail: { field: 'id_number', access },
          },
          clock(),
        );
    });
    return view;
  }

  function docView(d: DocumentRow, access: Access) {
    return {
      id: d.id,
      workerId: d.workerId,
      kind: d.kind as DocumentKind,
      mime: d.mime,
      size: d.size,
      issuedOn: d.issuedOn,
      expiresOn: d.expiresOn,
      number: access === 'company' ? null : d.number,
      state: d.state as 'pending' | 'approved' | 'rejected',
      reason: d.reason,
      reviewedAt: d.reviewedAt?.toISOString() ?? null,
      current: d.supersededAt === null,
      createdAt: d.createdAt.toISOString(),
    };
  }

  async function storeDocument(
    ctx: RequestContext,
    w: WorkerRow,
    file: UploadedFile,
    fields: DocumentFields,
  ) {
    await requireActiveConsent(w.id);
    const issuedOn = fields.issuedOn ?? null;
    const expiresOn = fields.expiresOn ?? null;
    if (fields.kind === 'health') {
      const problem = healthDatesProblem(issuedOn, expiresOn);
      if (problem)
        throw new AppError('DOCUMENT_INVALID', {
          en: problem,
          issues: [{ path: 'expiresOn', message: problem }],
        });
    } else if (issuedOn && expiresOn && expiresOn <= issuedOn) {
      throw new AppError('DOCUMENT_INVALID', {
        issues: [{ path: 'expiresOn', message: 'must be after issuedOn' }],
      });
    }
    if (issuedOn && issuedOn > today())
      throw new AppError('DOCUMENT_INVALID', { issues: [{ path: 'issuedOn', message: 'in the future' }] });
    const inspected = await inspectUpload(file.data, {
      allowed: ['image/jpeg', 'image/png', 'application/pdf'],
      maxBytes: MAX_UPLOAD_BYTES,
    });
    // Camera EXIF (GPS position, time, device), text chunks and PDF Info/XMP are removed before storing (ASVS 14.2.8).
    const bytes = await storableBytes(file.data);
    const id = newId('doc');
    const fileKey = `workers/${w.id}/${id}.${inspected.ext}`;
    await storage.put(fileKey, bytes);
    try {
      await db.transaction(async (tx) => {
        const now = clock();
        await tx
          .update(workerDocument)
          .set({ supersededAt: now })
          .where(
            and(
              eq(workerDocument.workerId, w.id),
              eq(workerDocument.kind, fields.kind),
              isNull(workerDocument.supersededAt),
            ),
          );
        await tx.insert(workerDocument).values({
          id,
          workerId: w.id,
          kind: fields.kind,
          fileKey,
          mime: inspected.mime,
          // Of the stored (metadata-free) bytes, which is what the file's integrity is checked against.
          size: bytes.length,
          sha256: bytes === file.data ? inspected.sha256 : createHash('sha256').update(bytes).digest('hex'),
          issuedOn,
          expiresOn,
          number: fields.number ?? null,
          state: 'pending',
          uploadedBy: ctx.actor!.userId,
          createdAt: now,
        });
        // A new ID scan must be matched to the person again (人证合一).
        if ((ID_SIDES as readonly string[]).includes(fields.kind))
          await tx
            .update(worker)
            .set({ identityVerifiedAt: null, updatedAt: now })
            .where(eq(worker.id, w.id));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'worker.document_uploaded',
            objectType: 'worker',
            objectId: w.id,
            detail: { documentId: id, kind: fields.kind, mime: inspected.mime, size: inspected.size },
          },
          now,
        );
      });
    } catch (e) {
      await storage.delete(fileKey).catch(() => undefined);
      throw e;
    }
    const [row] = await db.select().from(workerDocument).where(eq(workerDocument.id, id));
    return docView(row!, 'self');
  }

  async function reviewOne(
    ctx: RequestContext,
    documentId: string,
    decision: 'approve' | 'reject',
    reason: string | null,
  ) {
    return db.transaction(async (tx) => {
      const [d] = await tx
        .select()
        .from(workerDocument)
        .where(eq(workerDocument.id, documentId))
        .for('update');
      if (!d) throw new AppError('NOT_FOUND');
      const [w] = await tx.select().from(worker).where(eq(worker.id, d.workerId));
      const actor = ctx.actor!;
      if (!w || (actor.regulatorDistrict && actor.regulatorDistrict !== w.district))
        throw new AppError('NOT_FOUND');
      if (d.state !== 'pending' || d.supersededAt) throw new AppError('DOCUMENT_ALREADY_REVIEWED');
      const now = clock();
      await tx
        .update(workerDocument)
        .set({
          state: decision === 'approve' ? 'approved' : 'rejected',
          reason: reason ?? null,
          reviewedBy: actor.userId,
          reviewedAt: now,
        })
        .where(eq(workerDocument.id, d.id));
      let identityVerified = false;
      if (decision === 'approve' && (ID_SIDES as readonly string[]).includes(d.kind)) {
        const sides = await tx
          .select({ kind: workerDocument.kind, state: workerDocument.state })
          .from(workerDocument)
          .where(
            and(
              eq(workerDocument.workerId, w.id),
              inArray(workerDocument.kind, [...ID_SIDES]),
              isNull(workerDocument.supersededAt),
            ),
          );
        identityVerified = ID_SIDES.every((k) => sides.some((s) => s.kind === k && s.state === 'approved'));
        if (identityVerified)
          await tx.update(worker).set({ identityVerifiedAt: now, updatedAt: now }).where(eq(worker.id, w.id));
      }
      await appendAudit(
        tx,
        ctx,
        {
          action: 'worker.document_reviewed',
          objectType: 'worker',
          objectId: w.id,
          detail: { documentId: d.id, kind: d.kind, decision, identityVerified },
        },
        now,
      );
      const [row] = await tx.select().from(workerDocument).where(eq(workerDocument.id, d.id));
      return docView(row!, 'regulator');
    });
  }

  async function regulatorTarget(ctx: RequestContext, workerId: string) {
    const [w] = await db.select().from(worker).where(eq(worker.id, workerId));
    const actor = ctx.actor!;
    if (!w || w.status === 'deleted' || (actor.regulatorDistrict && actor.regulatorDistrict !== w.district))
      throw new AppError('NOT_FOUND');
    // Nothing is processed for a registration the worker has not confirmed (no consent yet).
    if (w.status !== 'active') throw new AppError('WORKER_NOT_ACTIVE');
    return w;
  }

  return {
    /** The current 信用信息授权书, its version and the SHA-256 of its exact text. */
    consentText() {
      return { version: CONSENT_VERSION, title: CONSENT_TITLE, text: CONSENT_TEXT, sha256: CONSENT_SHA256 };
    },

    /** A signed-in account registers itself as a worker after accepting the consent letter; grants the role. */
    async registerSelf(ctx: RequestContext, input: RegistrationInput) {
      requireConsent(input.consent);
      const userId = ctx.actor!.userId;
      if (await findByUser(userId)) throw new AppError('WORKER_ALREADY_REGISTERED');
      const id = parseIdOrThrow(input.idNumber);
      checkProfile(input, input.categories);
      const hash = pii.blindIndex(id.normalized, 'worker.id_number');
      await assertNoDuplicate(pii.blindIndexes(id.normalized, 'worker.id_number'));
      const workerId = newId('wk');
      await db.transaction(async (tx) => {
        const now = clock();
        await insertWorker(
          {
            id: workerId,
            userId,
            name: input.name,
            idNumberEnc: pii.encrypt(id.normalized, 'worker.id_number'),
            idNumberHash: hash,
            birthDate: id.birthDate,
            sex: id.sex,
            ...profileValues(input),
            categories: input.categories,
            status: 'active',
            registeredVia: 'self',
            createdBy: userId,
            createdAt: now,
            updatedAt: now,
          },
          tx,
        );
        await tx.insert(workerConsent).values({
          id: newId('wkc'),
          workerId,
          userId,
          textVersion: CONSENT_VERSION,
          textSha256: CONSENT_SHA256,
          acceptedAt: now,
          ip: ctx.ip,
        });
        await identity.grantRole(tx, userId, 'worker');
        await appendAudit(
          tx,
          ctx,
          {
            action: 'worker.consent_accepted',
            objectType: 'worker',
            objectId: workerId,
            detail: { version: CONSENT_VERSION },
          },
          now,
        );
        await appendAudit(
          tx,
          ctx,
          { action: 'worker.registered', objectType: 'worker', objectId: workerId, detail: { via: 'self' } },
          now,
        );
      });
      const [w] = await db.select().from(worker).where(eq(worker.id, workerId));
      return toView(w!, 'self');
    },

    /** A company enters a worker's data and phone; the worker confirms by SMS code before anything else happens. */
    async registerByCompany(
      ctx: RequestContext,
      companyId: string,
      input: Omit<RegistrationInput, 'consent'> & { phone: string },
    ) {
      await assertActiveCompany(ctx, companyId);
      const phone = normalizeMobile(input.phone);
      if (!phone)
        throw new AppError('PHONE_INVALID', {
          issues: [{ path: 'phone', message: 'not a mainland mobile number' }],
        });
      const id = parseIdOrThrow(input.idNumber);
      checkProfile(input, input.categories);
      const hash = pii.blindIndex(id.normalized, 'worker.id_number');
      await assertNoDuplicate(pii.blindIndexes(id.normalized, 'worker.id_number'));
      const workerId = newId('wk');
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const now = clock();
      await db.transaction(async (tx) => {
        await insertWorker(
          {
            id: workerId,
            userId: null,
            name: input.name,
            idNumberEnc: pii.encrypt(id.normalized, 'worker.id_number'),
            idNumberHash: hash,
            birthDate: id.birthDate,
            sex: id.sex,
            phoneEnc: pii.encrypt(phone, 'worker.phone'),
            phoneHash: pii.blindIndex(phone, 'worker.phone'),
            ...profileValues(input),
            categories: input.categories,
            status: 'pending_confirmation',
            registeredVia: 'company',
            registeredByOrgId: companyId,
            confirmCodeHash: pii.blindIndex(`${workerId}:${code}`, 'worker.confirm_code'),
            confirmExpiresAt: new Date(now.getTime() + CONFIRM_TTL_MS),
            createdBy: ctx.actor!.userId,
            createdAt: now,
            updatedAt: now,
          },
          tx,
        );
        await appendAudit(
          tx,
          ctx,
          {
            action: 'worker.registered',
            objectType: 'worker',
            objectId: workerId,
            detail: { via: 'company', companyId },
          },
          now,
        );
      });
      await sms.sendCode({ phone, code, purpose: 'worker_confirm', sentAt: now });
      const [w] = await db.select().from(worker).where(eq(worker.id, workerId));
      return toView(w!, 'company');
    },

    /**
     * The worker confirms a company-entered registration with the SMS code and accepts the consent letter.
     * Signed in: the record is linked to that account. Otherwise an account is created with `password`.
     */
    async confirm(
      ctx: RequestContext,
      input: { phone: string; code: string; password?: string | undefined; consent: ConsentInput },
    ) {
      requireConsent(input.consent);
      const phone = normalizeMobile(input.phone);
      if (!phone || !/^\d{6}$/.test(input.code)) throw new AppError('WORKER_CONFIRM_INVALID');
      const now = clock();
      const candidates = await db
        .select()
        .from(worker)
        .where(
          and(
            inArray(worker.phoneHash, pii.blindIndexes(phone, 'worker.phone')),
            eq(worker.status, 'pending_confirmation'),
          ),
        );
      const match = candidates.find(
        (w) =>
          w.confirmCodeHash !== null &&
          w.confirmExpiresAt !== null &&
          w.confirmExpiresAt > now &&
          w.confirmFailures < CONFIRM_MAX_FAILURES &&
          pii.anyProfileIndexes(`${w.id}:${input.code}`, 'worker.confirm_code').includes(w.confirmCodeHash),
      );
      if (!match) {
        for (const w of candidates)
          await db
            .update(worker)
            .set({ confirmFailures: sql`${worker.confirmFailures} + 1` })
            .where(eq(worker.id, w.id));
        await recordAudit(db, ctx, {
          action: 'worker.confirmed',
          outcome: 'denied',
          detail: { reason: 'code_invalid' },
        });
        throw new AppError('WORKER_CONFIRM_INVALID');
      }
      let userId = ctx.actor?.userId ?? null;
      if (userId) {
        if (await findByUser(userId)) throw new AppError('WORKER_ALREADY_REGISTERED');
      } else {
        if (!input.password)
          throw new AppError('VALIDATION_FAILED', {
            issues: [{ path: 'password', message: 'required to create the account' }],
          });
        requireAcceptablePassword(input.password, phone);
        try {
          userId = await identity.createAccount({
            phone,
            password: input.password,
            name: match.name,
            roles: [],
          });
        } catch {
          // An account already holds this number: its owner signs in first and confirms from there.
          throw new AppError('PHONE_TAKEN', {
            zh: '该手机号已注册，请先登录再确认',
            en: 'This number already has an account; sign in first, then confirm',
          });
        }
      }
      const uid = userId;
      await db.transaction(async (tx) => {
        const updated = await tx
          .update(worker)
          .set({
            userId: uid,
            status: 'active',
            confirmCodeHash: null,
            confirmExpiresAt: null,
            confirmFailures: 0,
            updatedAt: now,
          })
          .where(and(eq(worker.id, match.id), eq(worker.status, 'pending_confirmation')))
          .returning({ id: worker.id });
        if (!updated.length) throw new AppError('WORKER_CONFIRM_INVALID');
        await tx.insert(workerConsent).values({
          id: newId('wkc'),
          workerId: match.id,
          userId: uid,
          textVersion: CONSENT_VERSION,
          textSha256: CONSENT_SHA256,
          acceptedAt: now,
          ip: ctx.ip,
        });
        await identity.grantRole(tx, uid, 'worker');
        const org = match.registeredByOrgId ? await orgs.getOrganization(match.registeredByOrgId, tx) : null;
        if (org?.status === 'active' && !(await openEmployment(match.id, tx))) {
          await tx
            .insert(employment)
            .values({ id: newId('emp'), workerId: match.id, companyId: org.id, startedAt: now });
        }
        await appendAudit(
          tx,
          { ...ctx, actor: ctx.actor },
          {
            action: 'worker.consent_accepted',
            objectType: 'worker',
            objectId: match.id,
            detail: { version: CONSENT_VERSION },
          },
          now,
        );
        await appendAudit(
          tx,
          ctx,
          {
            action: 'worker.confirmed',
            objectType: 'worker',
            objectId: match.id,
            detail: { userId: uid, companyId: org?.id ?? null },
          },
          now,
        );
      });
      return { workerId: match.id, userId: uid, status: 'active' as const, accountCreated: !ctx.actor };
    },

    /**
     * The worker withdraws the data-authorisation letter (撤回授权). From then on nothing new is collected or
     * checked, the consent check fails so the certificate stops being green, and search drops the worker; the
     * record stays until the worker asks for deletion.
     */
    async withdrawConsent(ctx: RequestContext) {
      const w = await requireMine(ctx);
      await db.transaction(async (tx) => {
        const c = await activeConsent(w.id, tx);
        if (!c) throw new AppError('WORKER_CONSENT_STATE');
        const now = clock();
        await tx.update(workerConsent).set({ withdrawnAt: now }).where(eq(workerConsent.id, c.id));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'worker.consent_withdrawn',
            objectType: 'worker',
            objectId: w.id,
            detail: { consentId: c.id },
          },
          now,
        );
        await enqueueEvent(tx, { topic: 'workers.updated', payload: { workerId: w.id } });
      });
      return toView((await db.select().from(worker).where(eq(worker.id, w.id)))[0]!, 'self');
    },

    /** The worker accepts the current letter again after withdrawing it. */
    async acceptConsent(ctx: RequestContext, consent: ConsentInput) {
      requireConsent(consent);
      const w = await requireMine(ctx);
      await db.transaction(async (tx) => {
        if (await activeConsent(w.id, tx)) throw new AppError('WORKER_CONSENT_STATE');
        const now = clock();
        const id = newId('wkc');
        await tx.insert(workerConsent).values({
          id,
          workerId: w.id,
          userId: ctx.actor!.userId,
          textVersion: CONSENT_VERSION,
          textSha256: CONSENT_SHA256,
          acceptedAt: now,
          ip: ctx.ip,
        });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'worker.consent_accepted',
            objectType: 'worker',
            objectId: w.id,
            detail: { consentId: id },
          },
          now,
        );
        await enqueueEvent(tx, { topic: 'workers.updated', payload: { workerId: w.id } });
      });
      return toView((await db.select().from(worker).where(eq(worker.id, w.id)))[0]!, 'self');
    },

    /** The signed-in worker's own record (full ID number; the read is audited as a PII view). */
    async getMine(ctx: RequestContext) {
      return viewWithAudit(ctx, await requireMine(ctx), 'self');
    },

    /** The worker edits their profile; name and ID number change only through a regulator. */
    async updateMine(ctx: RequestContext, patch: ProfileInput) {
      const w = await requireMine(ctx);
      checkProfile(patch, patch.categories ?? w.categories);
      if (
        patch.categories &&
        !patch.categories.includes('maternity') &&
        patch.maternityStars === undefined &&
        w.maternityStars !== null
      )
        patch = { ...patch, maternityStars: null };
      const values = profileValues(patch);
      await db.transaction(async (tx) => {
        const now = clock();
        await tx
          .update(worker)
          .set({ ...values, updatedAt: now })
          .where(eq(worker.id, w.id));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'worker.updated',
            objectType: 'worker',
            objectId: w.id,
            detail: { fields: Object.keys(values) },
          },
          now,
        );
        await enqueueEvent(tx, { topic: 'workers.updated', payload: { workerId: w.id } });
      });
      const [fresh] = await db.select().from(worker).where(eq(worker.id, w.id));
      return toView(fresh!, 'self');
    },

    /** Stores the worker's own photo (JPEG or PNG). */
    async uploadPhoto(ctx: RequestContext, file: UploadedFile) {
      const w = await requireMine(ctx);
      await requireActiveConsent(w.id);
      const inspected = await inspectUpload(file.data, {
        allowed: ['image/jpeg', 'image/png'],
        maxBytes: MAX_UPLOAD_BYTES,
      });
      const key = `workers/${w.id}/photo-${newId('fil').slice(4)}.${inspected.ext}`;
      await storage.put(key, await storableBytes(file.data));
      await db.transaction(async (tx) => {
        const now = clock();
        await tx.update(worker).set({ photoFileKey: key, updatedAt: now }).where(eq(worker.id, w.id));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'worker.photo_uploaded',
            objectType: 'worker',
            objectId: w.id,
            detail: { size: inspected.size },
          },
          now,
        );
      });
      if (w.photoFileKey) await storage.delete(w.photoFileKey).catch(() => undefined);
      return { hasPhoto: true };
    },

    /** A worker's record as the caller may see it (full, or masked for the employing company); 404 otherwise. */
    async getById(ctx: RequestContext, workerId: string) {
      const { w, access } = await loadVisible(ctx, workerId, 'worker.viewed');
      return viewWithAudit(ctx, w, access);
    },

    /** The worker uploads a document; a newer upload of the same kind supersedes the old one. */
    async uploadMyDocument(ctx: RequestContext, file: UploadedFile, fields: DocumentFields) {
      const w = await requireMine(ctx);
      if (w.status !== 'active') throw new AppError('WORKER_NOT_ACTIVE');
      return storeDocument(ctx, w, file, fields);
    },

    /** A company uploads a health or skill certificate for a worker it employs. */
    async uploadForWorker(
      ctx: RequestContext,
      companyId: string,
      workerId: string,
      file: UploadedFile,
      fields: DocumentFields,
    ) {
      assertCompanyMember(ctx, companyId);
      const [w] = await db.select().from(worker).where(eq(worker.id, workerId));
      const e = w ? await openEmployment(w.id) : undefined;
      if (!w || e?.companyId !== companyId) throw new AppError('NOT_FOUND');
      if (!COMPANY_VISIBLE_KINDS.includes(fields.kind))
        throw new AppError('DOCUMENT_INVALID', {
          issues: [{ path: 'kind', message: 'a company may upload health and skill certificates only' }],
        });
      return storeDocument(ctx, w, file, fields);
    },

    /** The worker's own documents, newest first, including superseded ones. */
    async listMyDocuments(ctx: RequestContext) {
      const w = await requireMine(ctx);
      const rows = await db
        .select()
        .from(workerDocument)
        .where(eq(workerDocument.workerId, w.id))
        .orderBy(desc(workerDocument.id));
      return { items: rows.map((d) => docView(d, 'self')) };
    },

    /** A worker's documents for a regulator (all) or the employing company (health and skill only). */
    async listDocuments(ctx: RequestContext, workerId: string) {
      const { w, access } = await loadVisible(ctx, workerId, 'worker.documents_listed');
      const rows = await db
        .select()
        .from(workerDocument)
        .where(eq(workerDocument.workerId, w.id))
        .orderBy(desc(workerDocument.id));
      const visible =
        access === 'company' ? rows.filter((d) => COMPANY_VISIBLE_KINDS.includes(d.kind)) : rows;
      if (access !== 'self')
        await recordAudit(db, ctx, {
          action: 'worker.viewed',
          objectType: 'worker',
          objectId: w.id,
          detail: { access, part: 'documents' },
        });
      return { items: visible.map((d) => docView(d, access)) };
    },

    /** The file of a document, for the worker, a regulator in jurisdiction or the employing company; audited. */
    async documentFile(ctx: RequestContext, documentId: string) {
      const [d] = await db.select().from(workerDocument).where(eq(workerDocument.id, documentId));
      const [w] = d ? await db.select().from(worker).where(eq(worker.id, d.workerId)) : [];
      const access = w ? await accessTo(ctx, w) : null;
      const allowed = !!access && (access !== 'company' || COMPANY_VISIBLE_KINDS.includes(d!.kind));
      if (!d || !w || !allowed) {
        if (d)
          await recordAudit(db, ctx, {
            action: 'worker.document_viewed',
            outcome: 'denied',
            objectType: 'worker',
            objectId: d.workerId,
            detail: { documentId },
          });
        throw new AppError('NOT_FOUND');
      }
      const data = await storage.get(d.fileKey);
      await recordAudit(db, ctx, {
        action: 'worker.document_viewed',
        objectType: 'worker',
        objectId: w.id,
        detail: { documentId: d.id, kind: d.kind, access },
      });
      const ext = d.fileKey.slice(d.fileKey.lastIndexOf('.') + 1);
      return { data, mime: d.mime, filename: `${d.kind}-${d.id}.${ext}` };
    },

    /** The regulator's review queue, keyset-paginated by document id; a district regulator sees their district. */
    async reviewQueue(
      ctx: RequestContext,
      q: {
        state?: 'pending' | 'approved' | 'rejected' | undefined;
        kind?: DocumentKind | undefined;
        district?: string | undefined;
        cursor?: string | undefined;
        limit?: number | undefined;
      },
    ) {
      const limit = q.limit ?? 20;
      const after = decodeCursor(q.cursor, idCursor)?.id;
      const own = ctx.actor!.regulatorDistrict;
      if (own && q.district && q.district !== own) return { items: [], nextCursor: null };
      const district = own ?? q.district;
      const rows = await db
        .select({ d: workerDocument, name: worker.name, district: worker.district })
        .from(workerDocument)
        .innerJoin(worker, eq(worker.id, workerDocument.workerId))
        .where(
          and(
            eq(workerDocument.state, q.state ?? 'pending'),
            isNull(workerDocument.supersededAt),
            q.kind ? eq(workerDocument.kind, q.kind) : undefined,
            district ? eq(worker.district, district) : undefined,
            after ? gt(workerDocument.id, after) : undefined,
          ),
        )
        .orderBy(asc(workerDocument.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({ ...docView(r.d, 'regulator'), workerName: r.name, district: r.district })),
        nextCursor: rows.length > limit ? encodeCursor({ id: page[page.length - 1]!.d.id }) : null,
      };
    },

    /** Approves or rejects one pending document (reason required to reject); both ID sides approved = 人证合一. */
    async review(
      ctx: RequestContext,
      documentId: string,
      input: { decision: 'approve' | 'reject'; reason?: string | undefined },
    ) {
      if (input.decision === 'reject' && !input.reason?.trim())
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: 'reason', message: 'a reason is required to reject' }],
        });
      return reviewOne(ctx, documentId, input.decision, input.reason?.trim() || null);
    },

    /** Reviews several documents; each succeeds or fails on its own, and the answer says which. */
    async reviewBulk(
      ctx: RequestContext,
      input: { ids: string[]; decision: 'approve' | 'reject'; reason?: string | undefined },
    ) {
      if (input.decision === 'reject' && !input.reason?.trim())
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: 'reason', message: 'a reason is required to reject' }],
        });
      const results: { id: string; ok: boolean; code: string | null }[] = [];
      for (const id of [...new Set(input.ids)]) {
        try {
          await reviewOne(ctx, id, input.decision, input.reason?.trim() || null);
          results.push({ id, ok: true, code: null });
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          results.push({ id, ok: false, code: e.code });
        }
      }
      // Each approval or rejection is audited with its document; the request itself too, so that a bulk review
      // whose items were all refused (unknown, out of district, already reviewed) still leaves who tried what.
      await recordAudit(db, ctx, {
        action: 'worker.documents_bulk_reviewed',
        objectType: 'document',
        detail: {
          decision: input.decision,
          reviewed: results.filter((r) => r.ok).length,
          refused: results.filter((r) => !r.ok).map((r) => ({ id: r.id, code: r.code })),
        },
      });
      return { results };
    },

    /** Records a background-check result (manual provider) or, with state 'pending' and no reference, requests one. */
    async recordBackgroundCheck(
      ctx: RequestContext,
      workerId: string,
      input: {
        state: 'clear' | 'record_found' | 'pending';
        checkedOn?: string | undefined;
        reference?: string | undefined;
        evidenceDocumentId?: string | undefined;
      },
    ) {
      const w = await regulatorTarget(ctx, workerId);
      await requireActiveConsent(w.id);
      if (input.state !== 'pending' && !input.checkedOn)
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: 'checkedOn', message: 'required for a result' }],
        });
      if (input.checkedOn && input.checkedOn > today())
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: 'checkedOn', message: 'in the future' }],
        });
      if (input.evidenceDocumentId) {
        const [d] = await db
          .select({ workerId: workerDocument.workerId })
          .from(workerDocument)
          .where(eq(workerDocument.id, input.evidenceDocumentId));
        if (d?.workerId !== w.id)
          throw new AppError('VALIDATION_FAILED', {
            issues: [{ path: 'evidenceDocumentId', message: "not one of this worker's documents" }],
          });
      }
      const reference =
        input.reference ??
        (input.state === 'pending' ? (await provider.request({ workerId: w.id })).reference : null);
      const id = newId('bgc');
      await db.transaction(async (tx) => {
        const now = clock();
        await tx.insert(backgroundCheck).values({
          id,
          workerId: w.id,
          provider: provider.name,
          state: input.state,
          checkedOn: input.checkedOn ?? null,
          reference,
          evidenceDocumentId: input.evidenceDocumentId ?? null,
          recordedBy: ctx.actor!.userId,
          createdAt: now,
        });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'worker.background_recorded',
            objectType: 'worker',
            objectId: w.id,
            detail: { checkId: id, state: input.state },
          },
          now,
        );
      });
      return {
        id,
        workerId: w.id,
        provider: provider.name,
        state: input.state,
        checkedOn: input.checkedOn ?? null,
        reference,
        evidenceDocumentId: input.evidenceDocumentId ?? null,
      };
    },

    /** Records an interim pre-job training and exam result until the training module provides them. */
    async recordTraining(
      ctx: RequestContext,
      workerId: string,
      input: { courseName: string; passed: boolean; score?: number | undefined; examDate: string },
    ) {
      const w = await regulatorTarget(ctx, workerId);
      if (input.examDate > today())
        throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'examDate', message: 'in the future' }] });
      const id = newId('trn');
      await db.transaction(async (tx) => {
        const now = clock();
        await tx.insert(preJobTraining).values({
          id,
          workerId: w.id,
          courseName: input.courseName,
          passed: input.passed,
          score: input.score ?? null,
          examDate: input.examDate,
          recordedBy: ctx.actor!.userId,
          source: 'regulator',
          createdAt: now,
        });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'worker.training_recorded',
            objectType: 'worker',
            objectId: w.id,
            detail: { recordId: id, passed: input.passed },
          },
          now,
        );
      });
      return {
        id,
        workerId: w.id,
        courseName: input.courseName,
        passed: input.passed,
        score: input.score ?? null,
        examDate: input.examDate,
        source: 'regulator' as const,
      };
    },

    /**
     * Records a pre-job training and exam result reported by the training module (source 'training'), in the
     * caller's transaction; the certificate's training check reads it at once (trust facts are computed on read).
     */
    async recordTrainingResult(
      input: {
        workerId: string;
        courseName: string;
        passed: boolean;
        score: number | null;
        examDate: string;
        recordedBy: string | null;
      },
      q: DbOrTx = db,
    ): Promise<{ id: string }> {
      const [w] = await q.select({ id: worker.id }).from(worker).where(eq(worker.id, input.workerId));
      if (!w) throw new AppError('NOT_FOUND');
      const id = newId('trn');
      await q.insert(preJobTraining).values({
        id,
        workerId: input.workerId,
        courseName: input.courseName,
        passed: input.passed,
        score: input.score,
        examDate: input.examDate,
        recordedBy: input.recordedBy,
        source: 'training',
        createdAt: clock(),
      });
      return { id };
    },

    /** A company hires a worker it identifies by ID number; one open employment per worker. */
    async hire(ctx: RequestContext, companyId: string, workerId: string, input: { idNumber: string }) {
      await assertActiveCompany(ctx, companyId);
      const [w] = await db.select().from(worker).where(eq(worker.id, workerId));
      const normalized = input.idNumber.trim().toUpperCase();
      // Knowing the person's ID number is what lets a company find them; a bare id reveals nothing.
      if (
        !w ||
        w.status === 'deleted' ||
        !pii.blindIndexes(normalized, 'worker.id_number').includes(w.idNumberHash)
      ) {
        if (w)
          await recordAudit(db, ctx, {
            action: 'worker.hired',
            outcome: 'denied',
            objectType: 'worker',
            objectId: workerId,
            detail: { companyId },
          });
        throw new AppError('NOT_FOUND');
      }
      if (w.status !== 'active') throw new AppError('WORKER_NOT_ACTIVE');
      await requireActiveConsent(w.id);
      const id = newId('emp');
      const now = clock();
      try {
        await db.transaction(async (tx) => {
          if (await openEmployment(w.id, tx)) throw new AppError('WORKER_ALREADY_EMPLOYED');
          await tx.insert(employment).values({ id, workerId: w.id, companyId, startedAt: now });
          await appendAudit(
            tx,
            ctx,
            {
              action: 'worker.hired',
              objectType: 'worker',
              objectId: w.id,
              detail: { companyId, employmentId: id },
            },
            now,
          );
        });
      } catch (e) {
        if (isUniqueViolation(e, 'employment_open_unique')) throw new AppError('WORKER_ALREADY_EMPLOYED');
        throw e;
      }
      return {
        id,
        workerId: w.id,
        companyId,
        startedAt: now.toISOString(),
        endedAt: null,
        endedReason: null,
      };
    },

    /**
     * Recruitment hand-off: the signed-in worker accepted a company's offer, so the employment (员工制) starts, in the
     * caller's transaction. Same rules as `hire` (active worker with consent, active company, one open employment);
     * the worker's own acceptance stands in for the ID number.
     */
    async hireOnAcceptedOffer(
      ctx: RequestContext,
      input: { companyId: string; workerId: string; applicationId: string },
      tx: DbOrTx,
    ): Promise<{ id: string; startedAt: string }> {
      const [w] = await tx.select().from(worker).where(eq(worker.id, input.workerId));
      if (!w || w.status === 'deleted' || !w.userId || w.userId !== ctx.actor?.userId)
        throw new AppError('NOT_FOUND');
      if (w.status !== 'active') throw new AppError('WORKER_NOT_ACTIVE');
      if (!(await activeConsent(w.id, tx))) throw new AppError('WORKER_CONSENT_WITHDRAWN');
      const org = await orgs.getOrganization(input.companyId, tx);
      if (org?.type !== 'company') throw new AppError('NOT_FOUND');
      if (org.status !== 'active') throw new AppError('COMPANY_NOT_ACTIVE');
      if (await openEmployment(w.id, tx)) throw new AppError('WORKER_ALREADY_EMPLOYED');
      const id = newId('emp');
      const now = clock();
      await tx.insert(employment).values({ id, workerId: w.id, companyId: input.companyId, startedAt: now });
      await appendAudit(
        tx,
        ctx,
        {
          action: 'worker.hired',
          objectType: 'worker',
          objectId: w.id,
          detail: { companyId: input.companyId, employmentId: id, applicationId: input.applicationId },
        },
        now,
      );
      return { id, startedAt: now.toISOString() };
    },

    /** Employment spans of workers (all companies, history included), for recruitment's cohort retention. */
    async employmentSpansOf(
      workerIds: string[],
    ): Promise<{ workerId: string; companyId: string; startedAt: Date; endedAt: Date | null }[]> {
      if (!workerIds.length) return [];
      return db
        .select({
          workerId: employment.workerId,
          companyId: employment.companyId,
          startedAt: employment.startedAt,
          endedAt: employment.endedAt,
        })
        .from(employment)
        .where(inArray(employment.workerId, [...new Set(workerIds)]));
    },

    /** Ends the company's open employment of a worker, keeping it in the history. */
    async endEmployment(ctx: RequestContext, companyId: string, workerId: string, input: { reason: string }) {
      assertCompanyMember(ctx, companyId);
      const [open] = await db
        .select()
        .from(employment)
        .where(and(eq(employment.workerId, workerId), isNull(employment.endedAt)));
      if (!open || open.companyId !== companyId) {
        const [past] = await db
          .select({ id: employment.id })
          .from(employment)
          .where(and(eq(employment.workerId, workerId), eq(employment.companyId, companyId)))
          .limit(1);
        if (past) throw new AppError('WORKER_NOT_EMPLOYED');
        throw new AppError('NOT_FOUND');
      }
      const now = clock();
      await db.transaction(async (tx) => {
        await tx
          .update(employment)
          .set({ endedAt: now, endedReason: input.reason, updatedAt: now })
          .where(eq(employment.id, open.id));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'worker.employment_ended',
            objectType: 'worker',
            objectId: workerId,
            detail: { companyId, employmentId: open.id },
          },
          now,
        );
      });
      return {
        id: open.id,
        workerId,
        companyId,
        startedAt: open.startedAt.toISOString(),
        endedAt: now.toISOString(),
        endedReason: input.reason,
      };
    },

    /** Ends every open employment at a company (it was expelled, 清退), so its workers may join another one. */
    async releaseCompanyWorkers(ctx: RequestContext, companyId: string, reason: string) {
      const now = clock();
      return db.transaction(async (tx) => {
        const ended = await tx
          .update(employment)
          .set({ endedAt: now, endedReason: reason, updatedAt: now })
          .where(and(eq(employment.companyId, companyId), isNull(employment.endedAt)))
          .returning({ workerId: employment.workerId });
        if (!ended.length) return [];
        await appendAudit(
          tx,
          ctx,
          {
            action: 'worker.employments_released',
            objectType: 'organization',
            objectId: companyId,
            detail: { count: ended.length },
          },
          now,
        );
        const ids = ended.map((e) => e.workerId);
        return tx
          .select({ workerId: worker.id, userId: worker.userId })
          .from(worker)
          .where(inArray(worker.id, ids));
      });
    },

    /** The company's current workers and its pending registrations, keyset-paginated by worker id. */
    async listCompanyWorkers(
      ctx: RequestContext,
      companyId: string,
      q: { cursor?: string | undefined; limit?: number | undefined },
    ) {
      assertCompanyMember(ctx, companyId);
      const limit = q.limit ?? 20;
      const after = decodeCursor(q.cursor, idCursor)?.id;
      const rows = await db
        .select({ w: worker, startedAt: employment.startedAt })
        .from(worker)
        .leftJoin(employment, and(eq(employment.workerId, worker.id), isNull(employment.endedAt)))
        .where(
          and(
            or(
              eq(employment.companyId, companyId),
              and(eq(worker.status, 'pending_confirmation'), eq(worker.registeredByOrgId, companyId)),
            ),
            after ? gt(worker.id, after) : undefined,
          ),
        )
        .orderBy(asc(worker.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const docs = await currentDocs(page.map((r) => r.w.id));
      const day = today();
      return {
        items: page.map(({ w, startedAt }) => ({
          id: w.id,
          name: w.name,
          idNumberMasked: maskIdCard(pii.decrypt(w.idNumberEnc, 'worker.id_number')),
          sex: w.sex as 'M' | 'F',
          district: w.district,
          categories: w.categories,
          skillLevel: w.skillLevel,
          status: w.status,
          employedSince: startedAt?.toISOString() ?? null,
          identityVerified: w.identityVerifiedAt !== null,
          health: healthState(
            docs.find((d) => d.workerId === w.id && d.kind === 'health'),
            day,
          ),
        })),
        nextCursor: rows.length > limit ? encodeCursor({ id: page[page.length - 1]!.w.id }) : null,
      };
    },

    /** Workers in the regulator's jurisdiction (ID numbers masked in lists), keyset-paginated by id. */
    async listForRegulator(
      ctx: RequestContext,
      q: {
        district?: string | undefined;
        name?: string | undefined;
        cursor?: string | undefined;
        limit?: number | undefined;
      },
    ) {
      const limit = q.limit ?? 20;
      const after = decodeCursor(q.cursor, idCursor)?.id;
      const own = ctx.actor!.regulatorDistrict;
      if (own && q.district && q.district !== own) return { items: [], nextCursor: null };
      const district = own ?? q.district;
      const rows = await db
        .select()
        .from(worker)
        .where(
          and(
            district ? eq(worker.district, district) : undefined,
            q.name ? eq(worker.name, q.name) : undefined,
            after ? gt(worker.id, after) : undefined,
            sql`${worker.status} <> 'deleted'`,
          ),
        )
        .orderBy(asc(worker.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const docs = await currentDocs(page.map((w) => w.id));
      const day = today();
      return {
        items: page.map((w) => ({
          id: w.id,
          name: w.name,
          idNumberMasked: maskIdCard(pii.decrypt(w.idNumberEnc, 'worker.id_number')),
          sex: w.sex as 'M' | 'F',
          district: w.district,
          categories: w.categories,
          skillLevel: w.skillLevel,
          status: w.status,
          employedSince: null,
          identityVerified: w.identityVerifiedAt !== null,
          health: healthState(
            docs.find((d) => d.workerId === w.id && d.kind === 'health'),
            day,
          ),
        })),
        nextCursor: rows.length > limit ? encodeCursor({ id: page[page.length - 1]!.id }) : null,
      };
    },

    /** The facts the certification module judges a worker by, computed now against the clock. */
    trustFacts: (workerId: string) => computeTrustFacts(workerId),

    /** The same facts for many workers at once (six queries), for bulk rebuilds; unknown ids are absent. */
    trustFactsMany: (workerIds: string[]) => trustFactsOf(db, workerIds, today()),

    /** Real names of workers by id (one query), for lists that show who is assigned; absent ids are left out. */
    async namesOf(workerIds: string[]): Promise<Map<string, string>> {
      const ids = [...new Set(workerIds)];
      if (!ids.length) return new Map();
      const rows = await db
        .select({ id: worker.id, name: worker.name })
        .from(worker)
        .where(inArray(worker.id, ids));
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    /** Sets approximate service bases (rounded to ~100 m) in bulk: demo seed and imports, no audit row. */
    async setBaseLocations(rows: { workerId: string; lon: number; lat: number }[]): Promise<void> {
      await db.transaction(async (tx) => {
        for (const r of rows)
          await tx
            .update(worker)
            .set({ baseLon: Math.round(r.lon * 1000) / 1000, baseLat: Math.round(r.lat * 1000) / 1000 })
            .where(eq(worker.id, r.workerId));
      });
    },

    /**
     * Public profile fields of active workers for the search projection, by id or in id order after a cursor.
     * No ID number, phone, birth date or address: age only, and the rounded service base.
     */
    async searchSources(q: { ids?: string[]; afterId?: string; limit?: number }) {
      const rows = await db
        .select({
          id: worker.id,
          name: worker.name,
          birthDate: worker.birthDate,
          sex: worker.sex,
          district: worker.district,
          nativePlace: worker.nativePlace,
          languages: worker.languages,
          categories: worker.categories,
          skillLevel: worker.skillLevel,
          maternityStars: worker.maternityStars,
          yearsExperience: worker.yearsExperience,
          intro: worker.intro,
          baseLon: worker.baseLon,
          baseLat: worker.baseLat,
        })
        .from(worker)
        .where(
          and(
            eq(worker.status, 'active'),
            q.ids ? inArray(worker.id, q.ids.length ? q.ids : ['']) : undefined,
            q.afterId ? gt(worker.id, q.afterId) : undefined,
          ),
        )
        .orderBy(asc(worker.id))
        .limit(q.limit ?? 1000);
      const today = clock();
      return rows.map(({ birthDate, ...r }) => ({ ...r, age: ageOn(birthDate, today) }));
    },

    /** The worker record id of an account, or null. */
    async findWorkerIdByUser(userId: string): Promise<string | null> {
      const w = await findByUser(userId);
      return w?.id ?? null;
    },

    /** Workers whose current approved health certificate expires between two dates (inclusive), for reminders. */
    async listWorkerIdsWithHealthExpiringBetween(from: string, to: string): Promise<string[]> {
      const rows = await db
        .selectDistinct({ workerId: workerDocument.workerId })
        .from(workerDocument)
        .innerJoin(worker, eq(worker.id, workerDocument.workerId))
        .where(
          and(
            eq(workerDocument.kind, 'health'),
            eq(workerDocument.state, 'approved'),
            isNull(workerDocument.supersededAt),
            gte(workerDocument.expiresOn, from),
            lte(workerDocument.expiresOn, to),
            eq(worker.status, 'active'),
          ),
        );
      return rows.map((r) => r.workerId);
    },
  };
}

export type WorkersService = ReturnType<typeof createWorkersService>;
export type { TrustFacts } from './trust-facts.js';
