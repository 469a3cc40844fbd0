import { randomBytes } from 'node:crypto';
import { asc, eq, isNull, sql } from 'drizzle-orm';
import { type BulkWriter, directWriter } from '../../platform/db/bulk.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import type { Pii } from '../../platform/pii/index.js';
import { formatCertificateNumber } from './certificate-number.js';
import { certificate, certificateNumberSeq, qrSigningKey } from './certification.tables.js';
import { signQrToken } from './qr-token.js';
import type { TrustFacts } from './trust-facts.js';
import { addDays, evaluateChecks, shanghaiDay } from './trust-status.js';

/**
 * Benchmark generator (issue 13): certificates in bulk, with the same rules as seed.ts — every worker who
 * passes all checks is certified; one whose only gap is an expired health certificate gets a certificate issued
 * while it was still valid (yellow); every 15th normally issued certificate is revoked (red). Decided with the
 * module's own `evaluateChecks` over facts the workers generator returns, numbered gap-free per district and
 * year (continuing `certificate_number_seq`), multi-row inserts. No audit rows or outbox events: this is a data
 * load, not a regulator's action (the discovery projection is rebuilt afterwards).
 */
const KEY_AAD = 'qr_signing_key.secret';
const CITY = '440100';
const revokeReasons = ['服务中发生严重投诉，经调查属实', '提供虚假健康证明', '多次无故爽约，经约谈仍未改正'];

/** The tables the certificate generator fills: a load into an empty database may defer their indexes (bulk.ts). */
export const certificationBulkTables = [certificate];

export interface CertificateGenerator {
  /** Issues certificates for the workers whose facts pass; returns how many of each kind. */
  issue(
    facts: TrustFacts[],
    now: Date,
    random: { int(min: number, max: number): number },
  ): Promise<{ issued: number; healthExpired: number; revoked: number; greenWorkerIds: string[] }>;
  /** Stores the number sequences reached. Call once at the end. */
  finish(): Promise<void>;
}

async function activeKid(db: DbOrTx, pii: Pick<Pii, 'encrypt'>, now: Date): Promise<string> {
  const [row] = await db.select().from(qrSigningKey).where(eq(qrSigningKey.active, true)).limit(1);
  if (row) return row.kid;
  const kid = `k${shanghaiDay(now).replaceAll('-', '')}${randomBytes(4).toString('hex')}`;
  await db.insert(qrSigningKey).values({
    kid,
    secret: pii.encrypt(randomBytes(32).toString('base64'), KEY_AAD),
    active: true,
    createdAt: now,
  });
  return kid;
}

export async function createCertificateGenerator(input: {
  db: DbOrTx;
  pii: Pick<Pii, 'encrypt'>;
  issuedBy: string | null;
  now: Date;
  validityMonths?: number;
  /** Where the certificates go (COPY); a queued writer lets the caller generate meanwhile. */
  writer?: BulkWriter;
}): Promise<CertificateGenerator> {
  const { db } = input;
  const writer = input.writer ?? directWriter(db);
  const months = input.validityMonths ?? 12;
  const kid = await activeKid(db, input.pii, input.now);
  const seqs = new Map<string, number>();
  for (const r of await db.select().from(certificateNumberSeq)) seqs.set(`${r.district}|${r.year}`, r.last);
  let counter = 0;

  return {
    async issue(facts, now, random) {
      const rows: (typeof certificate.$inferInsert)[] = [];
      let healthExpired = 0;
      let revoked = 0;
      const greenWorkerIds: string[] = [];
      for (const f of facts) {
        const failing = evaluateChecks(f, now).filter((c) => !c.ok);
        let at: Date;
        let yellow = false;
        if (failing.length === 1 && failing[0]!.key === 'health' && f.health.validUntil) {
          at = new Date(`${addDays(f.health.validUntil, -200)}T02:00:00Z`);
          yellow = true;
        } else if (failing.length) continue;
        else at = new Date(now.getTime() - random.int(1, 300) * 86_400_000);
        const district = f.district ?? CITY;
        const year = Number(shanghaiDay(at).slice(0, 4));
        const key = `${district}|${year}`;
        const seq = (seqs.get(key) ?? 0) + 1;
        seqs.set(key, seq);
        const validUntil = new Date(at);
        validUntil.setUTCMonth(validUntil.getUTCMonth() + months);
        counter++;
        const revoke = !yellow && counter % 15 === 0;
        if (yellow) healthExpired++;
        if (revoke) revoked++;
        if (!yellow && !revoke) greenWorkerIds.push(f.workerId);
        rows.push({
          id: newId('crt'),
          number: formatCertificateNumber(district, year, seq),
          workerId: f.workerId,
          companyId: f.companyId,
          district,
          categories: f.categories,
          skillLevel: f.skillLevel,
          issuedAt: at,
          validFrom: at,
          validUntil,
          state: revoke ? 'revoked' : 'active',
          stateReason: revoke ? revokeReasons[revoked % revokeReasons.length]! : null,
          issuedBy: input.issuedBy,
          qrKid: kid,
          createdAt: at,
          updatedAt: revoke ? now : at,
        });
      }
      await writer.write(certificate, rows);
      return { issued: rows.length, healthExpired, revoked, greenWorkerIds };
    },

    async finish() {
      await writer.flush();
      const rows = [...seqs].map(([k, last]) => {
        const [district, year] = k.split('|') as [string, string];
        return { district, year: Number(year), last };
      });
      for (let i = 0; i < rows.length; i += 1000)
        await db
          .insert(certificateNumberSeq)
          .values(rows.slice(i, i + 1000))
          .onConflictDoUpdate({
            target: [certificateNumberSeq.district, certificateNumberSeq.year],
            set: { last: sql`greatest(${certificateNumberSeq.last}, excluded.last)` },
          });
    },
  };
}

/**
 * QR tokens (the `/v/<token>` of a printed card) of up to `limit` certificates, in id order, signed with their
 * key; for the benchmark's load on the verification page. Certificates whose key was retired are skipped.
 */
export async function sampleVerifyTokens(
  db: DbOrTx,
  pii: Pick<Pii, 'decrypt'>,
  limit: number,
): Promise<{ token: string; state: string }[]> {
  const keys = new Map<string, Buffer>();
  for (const k of await db.select().from(qrSigningKey).where(isNull(qrSigningKey.retiredAt)))
    keys.set(k.kid, Buffer.from(pii.decrypt(k.secret, KEY_AAD), 'base64'));
  const rows = await db
    .select({
      id: certificate.id,
      issuedAt: certificate.issuedAt,
      kid: certificate.qrKid,
      state: certificate.state,
    })
    .from(certificate)
    .orderBy(asc(certificate.id))
    .limit(limit);
  return rows.flatMap((r) => {
    const secret = keys.get(r.kid);
    return secret
      ? [{ token: signQrToken(r.kid, secret, { certificateId: r.id, issuedAt: r.issuedAt }), state: r.state }]
      : [];
  });
}
