import { desc, eq, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { organizationNameSql } from '../orgs/index.js';
import { insuranceClaim, insurancePolicy, insuranceProduct } from './insurance.tables.js';

/** A policy covering the worker, with its premium split (the e-file export). */
export interface InsurancePolicyFact {
  id: string;
  number: string;
  productTitle: string;
  insurerName: string | null;
  companyName: string | null;
  enrolledBy: string;
  startsOn: string;
  endsOn: string;
  premiumFen: number;
  subsidyFen: number;
  companyFen: number;
  workerFen: number;
  state: string;
  stateReason: string | null;
  confirmedAt: string | null;
  createdAt: string;
}

/**
 * A claim on the worker's cover, or one the account reported. The incident place is left out (it is often a
 * household's home address, and is encrypted for that reason), and so is the insured worker of a claim the account
 * reported about someone else's cover (only `aboutMe` says whose it is).
 */
export interface InsuranceClaimFact {
  id: string;
  number: string;
  policyNumber: string | null;
  aboutMe: boolean;
  reportedByMe: boolean;
  reporterKind: string;
  coverageCode: string;
  incidentOn: string;
  description: string;
  claimedFen: number;
  approvedFen: number | null;
  paidFen: number | null;
  paidAt: string | null;
  state: string;
  stateReason: string | null;
  createdAt: string;
}

export interface InsuranceFacts {
  policies: InsurancePolicyFact[];
  claims: InsuranceClaimFact[];
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The worker's policies and the claims on them or reported by the account, newest first (e-file export). */
export async function insuranceOf(
  db: DbOrTx,
  workerId: string,
  userId: string | null,
): Promise<InsuranceFacts> {
  const policies = await db
    .select({
      p: insurancePolicy,
      productTitle: insuranceProduct.title,
      insurerName: organizationNameSql(sql`${insurancePolicy.insurerId}`),
      companyName: organizationNameSql(sql`${insurancePolicy.companyId}`),
    })
    .from(insurancePolicy)
    .innerJoin(insuranceProduct, eq(insuranceProduct.id, insurancePolicy.productId))
    .where(eq(insurancePolicy.workerId, workerId))
    .orderBy(desc(insurancePolicy.startsOn), desc(insurancePolicy.id));
  const claims = await db
    .select({ c: insuranceClaim, policyNumber: insurancePolicy.number })
    .from(insuranceClaim)
    .innerJoin(insurancePolicy, eq(insurancePolicy.id, insuranceClaim.policyId))
    .where(
      userId
        ? or(eq(insuranceClaim.workerId, workerId), eq(insuranceClaim.reporterUserId, userId))
        : eq(insuranceClaim.workerId, workerId),
    )
    .orderBy(desc(insuranceClaim.id));
  return {
    policies: policies.map(({ p, productTitle, insurerName, companyName }) => ({
      id: p.id,
      number: p.number,
      productTitle,
      insurerName,
      companyName,
      enrolledBy: p.enrolledBy,
      startsOn: p.startsOn,
      endsOn: p.endsOn,
      premiumFen: p.premiumFen,
      subsidyFen: p.subsidyFen,
      companyFen: p.companyFen,
      workerFen: p.workerFen,
      state: p.state,
      stateReason: p.stateReason,
      confirmedAt: iso(p.confirmedAt),
      createdAt: p.createdAt.toISOString(),
    })),
    claims: claims.map(({ c, policyNumber }) => ({
      id: c.id,
      number: c.number,
      // Another person's policy number is theirs, not the account's.
      policyNumber: c.workerId === workerId ? policyNumber : null,
      aboutMe: c.workerId === workerId,
      reportedByMe: c.reporterUserId === userId,
      reporterKind: c.reporterKind,
      coverageCode: c.coverageCode,
      incidentOn: c.incidentOn,
      description: c.description,
      claimedFen: c.claimedFen,
      approvedFen: c.approvedFen,
      paidFen: c.paidFen,
      paidAt: iso(c.paidAt),
      state: c.state,
      stateReason: c.stateReason,
      createdAt: c.createdAt.toISOString(),
    })),
  };
}
