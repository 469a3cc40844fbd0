import { randomBytes } from 'node:crypto';
import { and, desc, eq, gte, ilike, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { labelOf, serviceCategories, skillLevels, type TrustColor } from '../../../shared/domain.js';
import { maskName } from '../../../shared/validators/index.js';
import { appendAudit, recordAudit } from '../../platform/audit/audit.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import type { RequestContext } from '../../platform/http/context.js';
import { enqueueEvent } from '../../platform/outbox/outbox.js';
import type { Pii } from '../../platform/pii/index.js';
import type { FileStorage } from '../../platform/storage/index.js';
import type { NotificationsService } from '../notifications/index.js';
import { type CardData, renderCardPdf, renderCardPng } from './card.js';
import { formatCertificateNumber, parseCertificateNumber } from './certificate-number.js';
import {
  type CertificateAction,
  type CertificateState,
  certificateEventTopic,
  transition,
} from './certificate-status.js';
import { mayDownloadCard, mayRegulate } from './certification.policy.js';
import {
  certificate,
  certificateNumberSeq,
  certificateVerificationCount,
  expiryReminder,
  qrSigningKey,
} from './certification.tables.js';
import {
  lastValidDay,
  type PublicVerification,
  type PublicVerificationInput,
  publicVerificationOf,
} from './public-verification.js';
import {
  type PeekedQr,
  parseQrToken,
  peekQrToken,
  signQrToken,
  verifyPeekedQr,
  verifyQrToken,
} from './qr-token.js';
import type { OrgLookup, TrustFacts, TrustFactsSource } from './trust-facts.js';
import {
  addDays,
  computeTrustStatus,
  evaluateChecks,
  shanghaiDay,
  type TrustStatus,
} from './trust-status.js';

export type { PublicVerification } from './public-verification.js';

export interface CertificationEvents {
  'certification.issued': CertificateEventPayload;
  'certification.suspended': CertificateEventPayload;
  'certification.reinstated': CertificateEventPayload;
  'certification.revoked': CertificateEventPayload;
}
export interface CertificateEventPayload {
  certificateId: string;
  number: string;
  workerId: string;
  companyId: string | null;
  reason: string | null;
}

export type CertificateRow = typeof certificate.$inferSelect;
/** The certificate columns a scan reads (`scanCert` in createCertificationService). */
type ScanCert = Pick<
  CertificateRow,
  | 'id'
  | 'number'
  | 'companyId'
  | 'categories'
  | 'skillLevel'
  | 'issuedAt'
  | 'validFrom'
  | 'validUntil'
  | 'state'
>;

/**
 * Scalar subqueries of the modules that own the tables, so that a scan reads certificate, key, worker facts,
 * company, cover and stars in one statement (`workerId`/`companyId` are the certificate's columns).
 */
export interface VerifySql {
  /** The worker's trust facts as JSON (workers `workerTrustFactsJsonSql`), decoded by `decodeWorkerFacts`. */
  workerFacts(workerId: SQL): SQL;
  decodeWorkerFacts(value: unknown, today: string): TrustFacts | null;
  /** `{name, status, creditGrade}` of the company as JSON, or null (orgs `companyVerifyJsonSql`). */
  company(companyId: SQL): SQL;
  /** Last day of the worker's cover on `today`, or null (insurance `coverUntilSql`), shown as `coverOf` says. */
  coverUntil(workerId: SQL, today: SQL): SQL;
  coverOf(until: string | null): { status: 'insured' | 'none'; label: string };
  /** The worker's credit level '1'…'5', or null (credit `workerStarsSql`). */
  creditLevel(workerId: SQL): SQL;
}

export interface CertificationDeps {
  db: Db;
  clock: () => Date;
  pii: Pii;
  storage: Pick<FileStorage, 'get'>;
  workers: TrustFactsSource;
  orgs: OrgLookup;
  notifications: Pick<NotificationsService, 'notify'>;
  publicUrl: string;
  /** The worker's cover for the verification page (insurance module, built later: a late-bound closure). */
  insuranceOf?: (workerId: string) => Promise<{ status: 'insured' | 'none'; label: string }>;
  /** The worker's credit stars for the verification page (credit module, built later: a late-bound closure). */
  creditStarsOf?: (workerId: string) => Promise<number | null>;
  /** Validity of a new certificate in months. Default 12. */
  validityMonths?: number;
  /**
   * One-statement reads for public verification (the scan hot path); without them each module is asked in turn
   * (tests with an in-memory workers module). Both give the same view.
   */
  verifySql?: VerifySql;
  /** How long verification counts stay in memory before they are added to the table. Default 5 s. */
  verificationFlushMs?: number;
  /** Where a failed background flush of verification counts is reported (counts only, no personal data). */
  log?: { warn(obj: object, msg: string): void };
}

const KEY_AAD = 'qr_signing_key.secret';
const CITY = '440100';

function isUniqueViolation(e: unknown): boolean {
  for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause)
    if ((c as { code?: unknown }).code === '23505') return true;
  return false;
}

const day = (d: Date) => shanghaiDay(d);
/** A worker gone from under a certificate shows as an invalid code, not an error page. */
function notFoundAsNull(e: unknown): null {
  if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
  throw e;
}
/** Decrypted QR secrets kept in memory (keys are few; a bound keeps a flood of made-up kids harmless). */
const KEY_CACHE_MAX = 64;
/** Verified QR tokens remembered per node (≈ 150 bytes each). */
const VERIFIED_TOKENS_MAX = 4096;
/** Rows per INSERT when verification counts are flushed (4 parameters each, far below PostgreSQL's 65,535). */
const FLUSH_CHUNK = 1000;

/** The 安心服务证: checks, issue/suspend/reinstate/revoke, live colour, QR tokens and keys, cards, reminders. */
export function createCertificationService(deps: CertificationDeps) {
  const { db, clock, pii, workers, orgs, notifications } = deps;
  const months = deps.validityMonths ?? 12;

  async function factsOf(workerId: string): Promise<TrustFacts> {
    const f = await workers.trustFacts(workerId);
    if (!f) throw new AppError('NOT_FOUND');
    return f;
  }

  async function denied(ctx: RequestContext, action: string, objectId: string) {
    await recordAudit(db, ctx, {
      action,
      objectType: 'certificate',
      objectId,
      outcome: 'denied',
      detail: { reason: 'out_of_district' },
    });
    return new AppError('CERT_OUT_OF_DISTRICT');
  }

  async function liveCertificateOf(workerId: string, q: DbOrTx = db): Promise<CertificateRow | null> {
    const [row] = await q
      .select()
      .from(certificate)
      .where(and(eq(certificate.workerId, workerId), ne(certificate.state, 'revoked')))
      .limit(1);
    return row ?? null;
  }

  async function latestCertificateOf(workerId: string): Promise<CertificateRow | null> {
    const live = await liveCertificateOf(workerId);
    if (live) return live;
    const [row] = await db
      .select()
      .from(certificate)
      .where(eq(certificate.workerId, workerId))
      .orderBy(desc(certificate.issuedAt))
      .limit(1);
    return row ?? null;
  }

  // Keys -----------------------------------------------------------------------------------------------------

  // Only the decryption is cached: whether a key still verifies (retired or not) is read from the table on every
  // use, so a retirement on any node takes effect everywhere at once. A kid's secret never changes; the cipher
  // text is compared anyway, so a replaced row can never be answered from memory.
  const keyCache = new Map<string, { enc: string; secret: Buffer }>();
  function decryptKey(kid: string, enc: string): Buffer {
    const hit = keyCache.get(kid);
    if (hit && hit.enc === enc) return hit.secret;
    const secret = Buffer.from(pii.decrypt(enc, KEY_AAD), 'base64');
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(kid, { enc, secret });
    return secret;
  }

  async function activeKey(): Promise<{ kid: string; secret: Buffer }> {
    const [row] = await db.select().from(qrSigningKey).where(eq(qrSigningKey.active, true)).limit(1);
    if (row) return { kid: row.kid, secret: decryptKey(row.kid, row.secret) };
    try {
      return await createKey(db, true);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      return activeKey();
    }
  }

  async function createKey(q: DbOrTx, active: boolean) {
    const kid = `k${day(clock()).replaceAll('-', '')}${randomBytes(4).toString('hex')}`;
    const secret = randomBytes(32);
    await q.insert(qrSigningKey).values({
      kid,
      secret: pii.encrypt(secret.toString('base64'), KEY_AAD),
      active,
      createdAt: clock(),
    });
    return { kid, secret };
  }

  /** Secret of a key that still verifies (not retired), or null. */
  async function secretOf(kid: string): Promise<Buffer | null> {
    const [row] = await db
      .select()
      .from(qrSigningKey)
      .where(and(eq(qrSigningKey.kid, kid), isNull(qrSigningKey.retiredAt)))
      .limit(1);
    return row ? decryptKey(row.kid, row.secret) : null;
  }

  /** The certificate's QR token; re-keys the certificate when its key has been retired (the card must be re-printed). */
  async function tokenFor(cert: CertificateRow): Promise<string> {
    let kid = cert.qrKid;
    let secret = await secretOf(kid);
    if (!secret) {
      const k = await activeKey();
      await db.update(certificate).set({ qrKid: k.kid }).where(eq(certificate.id, cert.id));
      kid = k.kid;
      secret = k.secret;
    }
    return signQrToken(kid, secret, { certificateId: cert.id, issuedAt: cert.issuedAt });
  }

  /** The token names this certificate and its issue time (a re-issued id with another time does not verify). */
  function sameIssue(
    row: Pick<CertificateRow, 'id' | 'issuedAt'>,
    p: { certificateId: string; issuedAt: Date },
  ): boolean {
    return (
      row.id === p.certificateId &&
      Math.floor(row.issuedAt.getTime() / 1000) === Math.floor(p.issuedAt.getTime() / 1000)
    );
  }

  async function certificateByToken(token: string): Promise<CertificateRow | null> {
    const parts = parseQrToken(token);
    if (!parts) return null;
    const secret = await secretOf(parts.kid);
    if (!secret) return null;
    const payload = verifyQrToken(token, (kid) => (kid === parts.kid ? secret : null));
    if (!payload) return null;
    const [row] = await db
      .select()
      .from(certificate)
      .where(eq(certificate.id, payload.certificateId))
      .limit(1);
    return row && sameIssue(row, payload) ? row : null;
  }

  // Views ----------------------------------------------------------------------------------------------------

  function statusOf(facts: TrustFacts, cert: CertificateRow | null): TrustStatus {
    return computeTrustStatus(
      facts,
      cert ? { state: cert.state as CertificateState, validUntil: cert.validUntil } : null,
      clock(),
    );
  }

  function certView(c: CertificateRow) {
    return {
      id: c.id,
      number: c.number,
      workerId: c.workerId,
      companyId: c.companyId,
      district: c.district,
      categories: c.categories,
      skillLevel: c.skillLevel,
      issuedAt: c.issuedAt.toISOString(),
      validFrom: c.validFrom.toISOString(),
      validUntil: c.validUntil.toISOString(),
      state: c.state as CertificateState,
      stateReason: c.stateReason,
    };
  }

  /** The public view asking each module in turn (the reference path; used without `verifySql`). */
  async function publicFactsByModule(cert: CertificateRow): Promise<PublicVerification> {
    const facts = await factsOf(cert.workerId);
    const company = cert.companyId ? await orgs.getOrganization(cert.companyId) : null;
    return publicVerificationOf({
      cert,
      facts,
      company,
      // From the insurance module (late-bound); without it nothing can be claimed, so the page says 未投保.
      insurance: deps.insuranceOf
        ? await deps.insuranceOf(cert.workerId)
        : { status: 'none', label: '未投保' },
      creditStars: deps.creditStarsOf ? await deps.creditStarsOf(cert.workerId) : null,
      now: clock(),
    });
  }

  // One statement per scan: the certificate, the key it names (when not retired), and the worker's facts, company,
  // cover and stars. Prepared (named on PostgreSQL), so each connection parses and plans it once. The row is ONE
  // JSON column: the driver describes, looks up a parser for, parses and maps every column of every execution
  // (PostgreSQL re-sends the row description each time), which for 11 columns cost more than the JSON itself.
  const v = deps.verifySql;
  // Only the certificate fields a public view needs; timestamps as JSON text (ISO 8601 with offset).
  const scanJson = (key: SQL) =>
    sql<unknown>`json_build_object(
        'id', ${certificate.id}, 'number', ${certificate.number}, 'companyId', ${certificate.companyId},
        'categories', ${certificate.categories}, 'skillLevel', ${certificate.skillLevel},
        'issuedAt', ${certificate.issuedAt}, 'validFrom', ${certificate.validFrom},
        'validUntil', ${certificate.validUntil}, 'state', ${certificate.state}, 'key', ${key},
        'worker', ${v!.workerFacts(sql`${certificate.workerId}`)},
        'company', ${v!.company(sql`${certificate.companyId}`)},
        'coverUntil', ${v!.coverUntil(sql`${certificate.workerId}`, sql`${sql.placeholder('today')}::date`)},
        'stars', ${v!.creditLevel(sql`${certificate.workerId}`)})`;
  // The token's key unless retired: a scalar subquery (null when unknown or retired), read live on every scan.
  const liveKey = sql`(select k.secret from ${qrSigningKey} k
    where k.kid = ${sql.placeholder('kid')} and k.retired_at is null)`;
  const byIdStmt = v
    ? db
        .select({ scan: scanJson(liveKey) })
        .from(certificate)
        .where(eq(certificate.id, sql.placeholder('id')))
        .prepare('certification_verify_by_id')
    : null;
  const byNumberStmt = v
    ? db
        .select({ scan: scanJson(sql`null`) })
        .from(certificate)
        .where(eq(certificate.number, sql.placeholder('number')))
        .prepare('certification_verify_by_number')
    : null;

  // A worker's facts and latest certificate (the live one, else the newest issued: latestCertificateOf's pick) in
  // one prepared statement: booking checks a worker on every order create and accept (7 queries before).
  const statusStmt = v
    ? db
        .select({ facts: v.workerFacts(sql`${sql.placeholder('workerId')}`), cert: certificate })
        .from(sql`(select 1) as one`)
        .leftJoin(
          certificate,
          eq(
            certificate.id,
            sql`(select c.id from ${certificate} c where c.worker_id = ${sql.placeholder('workerId')}
              order by c.state = 'revoked', c.issued_at desc, c.id desc limit 1)`,
          ),
        )
        .prepare('certification_worker_status')
    : null;

  /** A scan statement's JSON value, decoded (an object, or its text on drivers that do not parse JSON). */
  interface ScanJson {
    id: string;
    number: string;
    companyId: string | null;
    categories: string[];
    skillLevel: string | null;
    issuedAt: string;
    validFrom: string;
    validUntil: string;
    state: string;
    key: string | null;
    worker: unknown;
    company: { name: string; status: string; creditGrade: string | null } | null;
    coverUntil: string | null;
    stars: string | null;
  }
  const scanOf = (raw: unknown) => (typeof raw === 'string' ? JSON.parse(raw) : raw) as ScanJson;
  const certOf = (x: ScanJson): ScanCert => ({
    id: x.id,
    number: x.number,
    companyId: x.companyId,
    categories: x.categories,
    skillLevel: x.skillLevel,
    issuedAt: new Date(x.issuedAt),
    validFrom: new Date(x.validFrom),
    validUntil: new Date(x.validUntil),
    state: x.state,
  });

  /** The view's inputs from a scan statement's value; null when the worker is gone (shown as not found). */
  function inputOf(cert: ScanCert, x: ScanJson, now: Date): PublicVerificationInput | null {
    const facts = v!.decodeWorkerFacts(x.worker, day(now));
    if (!facts) return null;
    return {
      cert,
      facts,
      company: cert.companyId ? x.company : null,
      insurance: v!.coverOf(x.coverUntil),
      creditStars: x.stars === null ? null : Number(x.stars),
      now,
    };
  }

  // Tokens whose signature held, with the secret it held under. The check is a pure function of the two, so a
  // repeat scan of a card (every page view with a photo is followed by the photo's request for the same token)
  // skips the HMAC; a different secret for the kid (a new Buffer from decryptKey) is a miss. The certificate's
  // state and the key's retirement are still read from the database on every scan, before this is consulted.
  const verifiedTokens = new Map<string, Buffer>();
  function tokenHolds(token: string, claimed: PeekedQr, secret: Buffer): boolean {
    if (verifiedTokens.get(token) === secret) return true;
    if (!verifyPeekedQr(claimed, secret)) return false;
    if (verifiedTokens.size >= VERIFIED_TOKENS_MAX)
      verifiedTokens.delete(verifiedTokens.keys().next().value!);
    verifiedTokens.set(token, secret);
    return true;
  }

  /** A token's certificate and view inputs in one statement; null unless the token verifies and the worker exists. */
  async function scanToken(
    token: string,
  ): Promise<{ certificateId: string; input: PublicVerificationInput } | null> {
    const claimed = peekQrToken(token);
    if (!claimed || !byIdStmt) return null;
    const now = clock();
    const [row] = await byIdStmt.execute({ id: claimed.certificateId, kid: claimed.kid, today: day(now) });
    if (!row) return null;
    const x = scanOf(row.scan);
    if (!x.key) return null;
    if (!tokenHolds(token, claimed, decryptKey(claimed.kid, x.key))) return null;
    const cert = certOf(x);
    if (!sameIssue(cert, claimed)) return null;
    const input = inputOf(cert, x, now);
    return input ? { certificateId: cert.id, input } : null;
  }

  // Verifications are counted in memory and added to the table every few seconds and on close (additively, so
  // nodes sum up): a scan is then a read only, not a write on a hot row.
  const flushMs = deps.verificationFlushMs ?? 5000;
  const pending = new Map<string, number>();
  let flushTimer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();
  const SEP = '\u0000';

  function armFlush() {
    if (flushTimer || !pending.size) return;
    flushTimer = setTimeout(() => {
      flushTimer = null;
      flushVerifications().catch((err: unknown) =>
        deps.log?.warn({ err, pending: pending.size }, 'verification counts not flushed; will retry'),
      );
    }, flushMs);
    flushTimer.unref();
  }

  function countVerification(certificateId: string, channel: 'qr' | 'number') {
    const key = `${certificateId}${SEP}${day(clock())}${SEP}${channel}`;
    pending.set(key, (pending.get(key) ?? 0) + 1);
    armFlush();
  }

  // One statement of four array parameters per chunk (a multi-row VALUES of 4,000 parameters cost ~2 % of the
  // server's CPU under a scan load, built by drizzle every few seconds).
  async function writeCounts(chunk: [string, number][]) {
    const ids: string[] = [];
    const days: string[] = [];
    const channels: string[] = [];
    const counts: number[] = [];
    for (const [key, count] of chunk) {
      const [certificateId, d, channel] = key.split(SEP) as [string, string, string];
      ids.push(certificateId);
      days.push(d);
      channels.push(channel);
      counts.push(count);
    }
    await db.execute(sql`
      insert into ${certificateVerificationCount} (certificate_id, day, channel, count)
      select * from unnest(${sql.param(ids)}::text[], ${sql.param(days)}::date[], ${sql.param(channels)}::text[],
                           ${sql.param(counts)}::int[])
      on conflict (certificate_id, day, channel) do update
        set count = ${certificateVerificationCount}.count + excluded.count`);
  }

  /** Adds the counts held in memory to the table (one at a time; what fails is kept for the next try). */
  function flushVerifications(): Promise<void> {
    if (flushTimer) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    const run = flushing.then(async () => {
      if (!pending.size) return;
      // Sorted, so two nodes flushing the same rows lock them in the same order (no deadlock).
      const batch = [...pending].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      pending.clear();
      let written = 0;
      try {
        for (; written < batch.length; written += FLUSH_CHUNK)
          await writeCounts(batch.slice(written, written + FLUSH_CHUNK));
      } catch (e) {
        for (const [k, n] of batch.slice(written)) pending.set(k, (pending.get(k) ?? 0) + n);
        armFlush();
        throw e;
      }
    });
    flushing = run.catch(() => undefined);
    return run;
  }

  async function changeState(
    ctx: RequestContext,
    certificateId: string,
    action: Exclude<CertificateAction, 'issue'>,
    reason: string | null,
  ) {
    const [found] = await db.select().from(certificate).where(eq(certificate.id, certificateId)).limit(1);
    if (!found) throw new AppError('NOT_FOUND');
    if (!mayRegulate(ctx.actor, found.district))
      throw await denied(ctx, `certification.${action}`, certificateId);
    return db.transaction(async (tx) => {
      const [cert] = await tx
        .select()
        .from(certificate)
        .where(eq(certificate.id, certificateId))
        .for('update');
      if (!cert) throw new AppError('NOT_FOUND');
      const t = transition(cert.state as CertificateState, action, reason);
      if (!t.ok)
        throw new AppError(
          t.error === 'reason_required' ? 'CERT_REASON_REQUIRED' : 'CERT_INVALID_TRANSITION',
        );
      const now = clock();
      const [updated] = await tx
        .update(certificate)
        .set({ state: t.to, stateReason: action === 'reinstate' ? null : reason, updatedAt: now })
        .where(eq(certificate.id, cert.id))
        .returning();
      await appendAudit(
        tx,
        ctx,
        {
          action: `certification.${action}`,
          objectType: 'certificate',
          objectId: cert.id,
          detail: { from: cert.state, to: t.to, reason, workerId: cert.workerId },
        },
        now,
      );
      await enqueueEvent<CertificationEvents>(tx, {
        topic: certificateEventTopic[action] as keyof CertificationEvents,
        payload: {
          certificateId: cert.id,
          number: cert.number,
          workerId: cert.workerId,
          companyId: cert.companyId,
          reason,
        },
      });
      return certView(updated!);
    });
  }

  async function sendReminderOnce(
    facts: TrustFacts,
    document: 'health' | 'certificate',
    expiresOn: string,
    threshold: 'due_30d' | 'expired',
  ): Promise<boolean> {
    return db.transaction(async (tx) => {
      const inserted = await tx
        .insert(expiryReminder)
        .values({ workerId: facts.workerId, document, expiresOn, threshold, sentAt: clock() })
        .onConflictDoNothing()
        .returning({ w: expiryReminder.workerId });
      if (!inserted.length) return false;
      const what = document === 'health' ? '健康证' : '安心服务证';
      const title = threshold === 'expired' ? `${what}已过期` : `${what}即将到期`;
      const body =
        threshold === 'expired'
          ? `${what}已于 ${expiresOn} 到期，安心码转为黄码，续期前不能接新单。请尽快更新。`
          : `${what}将于 ${expiresOn} 到期，请在到期前完成更新，以免影响接单。`;
      if (facts.userId)
        await notifications.notify(
          {
            userId: facts.userId,
            kind: `certification.${document}_${threshold}`,
            title,
            body,
            link: '/worker/card',
          },
          tx,
        );
      if (facts.companyId)
        await notifications.notify(
          {
            orgId: facts.companyId,
            kind: `certification.${document}_${threshold}`,
            title: `员工${maskName(facts.name)}的${title}`,
            body,
            link: null,
          },
          tx,
        );
      return true;
    });
  }

  return {
    /** The live status of a worker (computed from the workers module's facts, the certificate and the clock). */
    async workerStatus(workerId: string) {
      if (statusStmt) {
        const [r] = await statusStmt.execute({ workerId });
        const facts = r ? v!.decodeWorkerFacts(r.facts, day(clock())) : null;
        if (!facts) throw new AppError('NOT_FOUND');
        const cert = r!.cert ?? null;
        return { facts, certificate: cert, status: statusOf(facts, cert) };
      }
      const facts = await factsOf(workerId);
      const cert = await latestCertificateOf(workerId);
      return { facts, certificate: cert, status: statusOf(facts, cert) };
    },

    /**
     * `workerStatus` for many workers with a handful of queries (the discovery rebuild); same result per worker.
     * Unknown workers are absent from the map.
     */
    async workerStatuses(workerIds: string[]) {
      const out = new Map<string, Awaited<ReturnType<typeof this.workerStatus>>>();
      if (!workerIds.length) return out;
      const facts = workers.trustFactsMany
        ? await workers.trustFactsMany(workerIds)
        : new Map(
            (await Promise.all(workerIds.map((id) => workers.trustFacts(id))))
              .filter((f): f is TrustFacts => !!f)
              .map((f) => [f.workerId, f]),
          );
      // Latest per worker as latestCertificateOf picks it: the live one if any, else the newest issued.
      const certs = new Map<string, CertificateRow>();
      // One array parameter for the page's ids (not one parameter per id: drizzle builds each in JavaScript).
      const ofWorkers = sql`${certificate.workerId} = any(${sql.param(workerIds)}::text[])`;
      for (const c of await db.select().from(certificate).where(ofWorkers)) {
        const cur = certs.get(c.workerId);
        const live = (x: CertificateRow) => x.state !== 'revoked';
        if (!cur || (live(c) && !live(cur)) || (live(c) === live(cur) && c.issuedAt > cur.issuedAt))
          certs.set(c.workerId, c);
      }
      for (const [id, f] of facts) {
        const cert = certs.get(id) ?? null;
        out.set(id, { facts: f, certificate: cert, status: statusOf(f, cert) });
      }
      return out;
    },

    /** True only for a green code: an expired health certificate or any missing check blocks new bookings. */
    async canTakeNewBookings(workerId: string): Promise<boolean> {
      const facts = await factsOf(workerId);
      return statusOf(facts, await liveCertificateOf(workerId)).canTakeNewBookings;
    },

    /** The regulator's view of a worker: each check, the certificate and the live colour. */
    async regulatorWorkerView(ctx: RequestContext, workerId: string) {
      const facts = await factsOf(workerId);
      const district = facts.district ?? CITY;
      if (!mayRegulate(ctx.actor, district)) throw new AppError('NOT_FOUND');
      const cert = await latestCertificateOf(workerId);
      const status = statusOf(facts, cert);
      return {
        worker: {
          id: facts.workerId,
          name: facts.name,
          district,
          categories: facts.categories,
          skillLevel: facts.skillLevel,
          companyId: facts.companyId,
        },
        checks: status.checks,
        certificate: cert ? certView(cert) : null,
        color: status.color,
        reason: status.reason,
        canIssue: status.checks.every((c) => c.ok) && (!cert || cert.state === 'revoked'),
      };
    },

    /**
     * Issues the 安心服务证 when every check holds; audited, announced by `certification.issued`. `asOf` backdates
     * the issue (checks judged then) for the demo seed and data migrations only; routes never pass it.
     */
    async issue(ctx: RequestContext, workerId: string, opts: { asOf?: Date } = {}) {
      const facts = await factsOf(workerId);
      const district = facts.district ?? CITY;
      if (!mayRegulate(ctx.actor, district)) throw await denied(ctx, 'certification.issue', workerId);
      const now = opts.asOf ?? clock();
      const failing = evaluateChecks(facts, now).filter((c) => !c.ok);
      if (failing.length)
        throw new AppError('CERT_CHECKS_INCOMPLETE', {
          issues: failing.map((c) => ({ path: c.key, message: c.state })),
        });
      const key = await activeKey();
      try {
        return await db.transaction(async (tx) => {
          if (await liveCertificateOf(workerId, tx)) throw new AppError('CERT_ALREADY_ISSUED');
          const year = Number(day(now).slice(0, 4));
          const [seq] = await tx
            .insert(certificateNumberSeq)
            .values({ district, year, last: 1 })
            .onConflictDoUpdate({
              target: [certificateNumberSeq.district, certificateNumberSeq.year],
              set: { last: sql`${certificateNumberSeq.last} + 1` },
            })
            .returning({ last: certificateNumberSeq.last });
          const validUntil = new Date(now);
          validUntil.setUTCMonth(validUntil.getUTCMonth() + months);
          const id = newId('crt');
          const number = formatCertificateNumber(district, year, seq!.last);
          const [row] = await tx
            .insert(certificate)
            .values({
              id,
              number,
              workerId,
              companyId: facts.companyId,
              district,
              categories: facts.categories,
              skillLevel: facts.skillLevel,
              issuedAt: now,
              validFrom: now,
              validUntil,
              state: 'active',
              issuedBy: ctx.actor?.userId ?? null,
              qrKid: key.kid,
              createdAt: now,
              updatedAt: now,
            })
            .returning();
          await appendAudit(
            tx,
            ctx,
            {
              action: 'certification.issue',
              objectType: 'certificate',
              objectId: id,
              detail: { workerId, number },
            },
            now,
          );
          await enqueueEvent<CertificationEvents>(tx, {
            topic: 'certification.issued',
            payload: { certificateId: id, number, workerId, companyId: facts.companyId, reason: null },
          });
          return certView(row!);
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError('CERT_ALREADY_ISSUED');
        throw e;
      }
    },

    /** Suspends an active certificate with a reason (red until reinstated). */
    suspend: (ctx: RequestContext, id: string, reason: string) => changeState(ctx, id, 'suspend', reason),
    /** Reinstates a suspended certificate. */
    reinstate: (ctx: RequestContext, id: string) => changeState(ctx, id, 'reinstate', null),
    /** Revokes a certificate with a reason; final. */
    revoke: (ctx: RequestContext, id: string, reason: string) => changeState(ctx, id, 'revoke', reason),

    /** Certificates a regulator may see (their district), newest first; optional number/worker search and filters. */
    async list(
      ctx: RequestContext,
      opts: {
        q?: string | undefined;
        state?: CertificateState | undefined;
        color?: TrustColor | undefined;
        cursor?: string | undefined;
        limit: number;
      },
    ) {
      const conds: SQL[] = [];
      const d = ctx.actor?.regulatorDistrict;
      if (d) conds.push(eq(certificate.district, d));
      if (opts.state) conds.push(eq(certificate.state, opts.state));
      if (opts.cursor) conds.push(lt(certificate.id, opts.cursor));
      if (opts.q) {
        const q = opts.q.trim();
        conds.push(
          or(ilike(certificate.number, `${q.replace(/[%_\\]/g, '')}%`), eq(certificate.workerId, q)) as SQL,
        );
      }
      const rows = await db
        .select()
        .from(certificate)
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(desc(certificate.id))
        .limit(opts.limit + 1);
      const page = rows.slice(0, opts.limit);
      const items = [];
      for (const c of page) {
        const facts = await factsOf(c.workerId);
        const s = statusOf(facts, c);
        if (opts.color && s.color !== opts.color) continue;
        items.push({ ...certView(c), workerName: facts.name, color: s.color, reason: s.reason });
      }
      return { items, nextCursor: rows.length > opts.limit ? page[page.length - 1]!.id : null };
    },

    /** The signed-in worker's wallet: full name, certificate, live colour and the verification URL. */
    async myWallet(ctx: RequestContext) {
      const workerId = ctx.actor ? await workers.findWorkerIdByUser(ctx.actor.userId) : null;
      if (!workerId) throw new AppError('NOT_FOUND');
      const facts = await factsOf(workerId);
      const cert = await latestCertificateOf(workerId);
      const status = statusOf(facts, cert);
      const live = cert && cert.state !== 'revoked' ? cert : null;
      return {
        worker: { id: workerId, name: facts.name },
        certificate: cert ? certView(cert) : null,
        color: status.color,
        reason: status.reason,
        checks: status.checks,
        canTakeNewBookings: status.canTakeNewBookings,
        verifyUrl: live ? `${deps.publicUrl}/v/${await tokenFor(live)}` : null,
      };
    },

    /** Renders a card (PDF or PNG) for the caller's own certificate, or another worker's when allowed. */
    async card(ctx: RequestContext, who: { self: true } | { workerId: string }, format: 'pdf' | 'png') {
      let workerId: string | null;
      if ('self' in who) workerId = ctx.actor ? await workers.findWorkerIdByUser(ctx.actor.userId) : null;
      else workerId = who.workerId;
      if (!workerId) throw new AppError('NOT_FOUND');
      const facts = await factsOf(workerId);
      const own = !!ctx.actor && facts.userId === ctx.actor.userId;
      if (
        !own &&
        !mayDownloadCard(ctx.actor, {
          district: facts.district ?? CITY,
          companyId: facts.companyId,
          userId: facts.userId,
        })
      )
        throw new AppError('NOT_FOUND');
      const cert = await liveCertificateOf(workerId);
      if (!cert) throw new AppError('NOT_FOUND', { zh: '尚未取得安心服务证', en: 'No certificate yet' });
      const company = cert.companyId ? await orgs.getOrganization(cert.companyId) : null;
      let photo: Buffer | null = null;
      if (facts.photoKey) photo = await deps.storage.get(facts.photoKey).catch(() => null);
      const data: CardData = {
        name: own ? facts.name : maskName(facts.name),
        number: cert.number,
        categories: cert.categories.map((c) => labelOf(serviceCategories, c)),
        skillLevel: cert.skillLevel ? labelOf(skillLevels, cert.skillLevel) : null,
        company: company?.name ?? null,
        validFrom: day(cert.validFrom),
        validUntil: lastValidDay(cert.validUntil),
        verifyUrl: `${deps.publicUrl}/v/${await tokenFor(cert)}`,
        photo,
      };
      return {
        number: cert.number,
        body: format === 'pdf' ? await renderCardPdf(data) : renderCardPng(data),
      };
    },

    /** Public facts behind a QR token; null for a forged, altered, unknown-key or retired-key token. Counted. */
    async verifyToken(token: string): Promise<PublicVerification | null> {
      let view: PublicVerification | null = null;
      let certificateId = '';
      if (byIdStmt) {
        const scan = await scanToken(token);
        if (scan) view = publicVerificationOf(scan.input);
        certificateId = scan?.certificateId ?? '';
      } else {
        const cert = await certificateByToken(token);
        if (cert) view = await publicFactsByModule(cert).catch(notFoundAsNull);
        certificateId = cert?.id ?? '';
      }
      if (view) countVerification(certificateId, 'qr');
      return view;
    },

    /** The certificate photo behind a valid token, or null. */
    async photoForToken(token: string): Promise<Buffer | null> {
      let photoKey: string | null | undefined;
      if (byIdStmt) photoKey = (await scanToken(token))?.input.facts.photoKey;
      else {
        const cert = await certificateByToken(token);
        photoKey = cert ? (await factsOf(cert.workerId).catch(() => null))?.photoKey : null;
      }
      if (!photoKey) return null;
      return deps.storage.get(photoKey).catch(() => null);
    },

    /** Public facts by certificate number (422 for a bad check character, 404 when unknown). Counted. */
    async verifyNumber(input: string): Promise<PublicVerification> {
      const number = parseCertificateNumber(input);
      if (!number) throw new AppError('CERT_NUMBER_INVALID');
      let view: PublicVerification;
      let certificateId: string;
      if (byNumberStmt) {
        const now = clock();
        const [row] = await byNumberStmt.execute({ number, today: day(now) });
        const x = row ? scanOf(row.scan) : null;
        const cert = x ? certOf(x) : null;
        const input = x && cert ? inputOf(cert, x, now) : null;
        if (!cert || !input) throw new AppError('NOT_FOUND');
        view = publicVerificationOf(input);
        certificateId = cert.id;
      } else {
        const [cert] = await db.select().from(certificate).where(eq(certificate.number, number)).limit(1);
        if (!cert) throw new AppError('NOT_FOUND');
        view = await publicFactsByModule(cert);
        certificateId = cert.id;
      }
      countVerification(certificateId, 'number');
      return view;
    },

    /** Certificates by state, for public statistics (partners module). */
    async certificateCounts(): Promise<{ state: string; n: number }[]> {
      return db
        .select({ state: certificate.state, n: sql<number>`count(*)::int` })
        .from(certificate)
        .groupBy(certificate.state);
    },

    /** How often a certificate was verified (sum over days and channels; this node's unflushed scans included). */
    async verificationCount(certificateId: string): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`coalesce(sum(${certificateVerificationCount.count}), 0)::int` })
        .from(certificateVerificationCount)
        .where(eq(certificateVerificationCount.certificateId, certificateId));
      let held = 0;
      const prefix = `${certificateId}${SEP}`;
      for (const [k, n] of pending) if (k.startsWith(prefix)) held += n;
      return Number(row?.n ?? 0) + held;
    },

    /** Adds the verification counts held in memory to the table now (the app's close hook; tests). */
    flushVerifications,

    /** QR keys, newest first (secrets never leave the service). */
    async listKeys() {
      const rows = await db.select().from(qrSigningKey).orderBy(desc(qrSigningKey.createdAt));
      return rows.map((r) => ({
        kid: r.kid,
        active: r.active,
        createdAt: r.createdAt.toISOString(),
        retiredAt: r.retiredAt ? r.retiredAt.toISOString() : null,
      }));
    },

    /** Makes a new active key; earlier keys keep verifying until retired. */
    async rotateKey(ctx: RequestContext) {
      return db.transaction(async (tx) => {
        const [prev] = await tx
          .select()
          .from(qrSigningKey)
          .where(eq(qrSigningKey.active, true))
          .for('update');
        if (prev) await tx.update(qrSigningKey).set({ active: false }).where(eq(qrSigningKey.kid, prev.kid));
        const k = await createKey(tx, true);
        await appendAudit(
          tx,
          ctx,
          {
            action: 'certification.qr_key_rotate',
            objectType: 'qr_signing_key',
            objectId: k.kid,
            detail: { previous: prev?.kid ?? null },
          },
          clock(),
        );
        return { kid: k.kid, previous: prev?.kid ?? null };
      });
    },

    /** Retires a key: its tokens stop verifying and cards signed with it must be re-printed. */
    async retireKey(ctx: RequestContext, kid: string) {
      return db.transaction(async (tx) => {
        const [k] = await tx.select().from(qrSigningKey).where(eq(qrSigningKey.kid, kid)).for('update');
        if (!k) throw new AppError('NOT_FOUND');
        if (k.active) throw new AppError('QR_KEY_ACTIVE');
        const now = clock();
        if (!k.retiredAt)
          await tx.update(qrSigningKey).set({ retiredAt: now }).where(eq(qrSigningKey.kid, kid));
        await appendAudit(
          tx,
          ctx,
          { action: 'certification.qr_key_retire', objectType: 'qr_signing_key', objectId: kid },
          now,
        );
        return { kid, retiredAt: (k.retiredAt ?? now).toISOString() };
      });
    },

    /**
     * Daily job: reminds the worker and their company once per document, expiry date and threshold, when a health
     * certificate or 安心服务证 expires within 30 days or expired yesterday. Returns how many reminders were sent.
     */
    async runExpiryReminders(): Promise<number> {
      const now = clock();
      const today = day(now);
      const yesterday = addDays(today, -1);
      const horizon = addDays(today, 30);
      const thresholdOf = (d: string) =>
        d === yesterday ? ('expired' as const) : d >= today && d <= horizon ? ('due_30d' as const) : null;
      let sent = 0;
      for (const workerId of await workers.listWorkerIdsWithHealthExpiringBetween(yesterday, horizon)) {
        const facts = await factsOf(workerId);
        const d = facts.health.validUntil;
        const th = d ? thresholdOf(d) : null;
        if (d && th && (await sendReminderOnce(facts, 'health', d, th))) sent++;
      }
      const certs = await db
        .select()
        .from(certificate)
        .where(
          and(
            ne(certificate.state, 'revoked'),
            gte(certificate.validUntil, new Date(`${yesterday}T00:00:00+08:00`)),
            lt(certificate.validUntil, new Date(`${addDays(horizon, 1)}T00:00:00+08:00`)),
          ),
        );
      for (const c of certs) {
        const d = lastValidDay(c.validUntil);
        const th = thresholdOf(d);
        if (!th) continue;
        const facts = await factsOf(c.workerId);
        if (await sendReminderOnce(facts, 'certificate', d, th)) sent++;
      }
      return sent;
    },

    /** Reacts to a revocation: tells the worker and their company (outbox handler; duplicates are harmless). */
    async notifyRevoked(p: CertificateEventPayload) {
      const facts = await factsOf(p.workerId).catch(() => null);
      const body = `安心服务证 ${p.number} 已被吊销。原因：${p.reason ?? '—'}`;
      if (facts?.userId)
        await notifications.notify({
          userId: facts.userId,
          kind: 'certification.revoked',
          title: '安心服务证已吊销',
          body,
          link: '/worker/card',
        });
      if (p.companyId)
        await notifications.notify({
          orgId: p.companyId,
          kind: 'certification.revoked',
          title: '员工安心服务证已吊销',
          body,
          link: null,
        });
    },
  };
}

export type CertificationService = ReturnType<typeof createCertificationService>;
