import { asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { organizationNameSql } from '../orgs/index.js';
import type { ContractTerms } from './contract-terms.js';
import { contract, contractSignature, contractTermination } from './contracts.tables.js';

/** The worker's own signature on a contract: when, from where, which revision, the digest of the drawn image. */
export interface OwnSignatureFact {
  id: string;
  party: string;
  revision: number;
  signedAt: string;
  signerIp: string | null;
  signerUserAgent: string | null;
  signatureSha256: string;
}

/** A termination of one of the worker's contracts; who asked is a party ('resident' …), never a person's id. */
export interface TerminationFact {
  id: string;
  requestedBy: string;
  requestedByYou: boolean;
  reason: string;
  effectiveDate: string;
  settlement: Record<string, unknown>;
  confirmedBy: string[];
  state: string;
  disputedBy: string | null;
  disputeReason: string | null;
  createdAt: string;
  resolvedAt: string | null;
}

/**
 * A contract naming the worker, in any state (draft, signing, sealed, voided, terminated): number, company, term and
 * wage, the worker's own signatures and the terminations. Never the household's name or address (both in the terms
 * and the sealed PDF) nor the other parties' signatures, IPs or accounts. Sign codes are credentials: not exported.
 */
export interface ContractDealingFact {
  id: string;
  number: string;
  filingNo: string | null;
  kind: string;
  category: string;
  mode: string;
  district: string;
  state: string;
  revision: number;
  companyName: string | null;
  startDate: string;
  endDate: string;
  monthlyWageFen: number;
  dailyHours: number | null;
  restDaysPerMonth: number | null;
  previousId: string | null;
  replacedById: string | null;
  createdAt: string;
  sealedAt: string | null;
  terminatedAt: string | null;
  signatures: OwnSignatureFact[];
  terminations: TerminationFact[];
}

/**
 * Every contract naming the worker or signed by the account, newest first, with the account's own signatures and
 * each contract's terminations (for the e-file export, PIPL Art 45).
 */
export async function contractsOfWorker(
  db: DbOrTx,
  workerId: string,
  userId: string | null,
): Promise<ContractDealingFact[]> {
  const [signatures, asked] = userId
    ? await Promise.all([
        db
          .select()
          .from(contractSignature)
          .where(eq(contractSignature.signerUserId, userId))
          .orderBy(asc(contractSignature.signedAt)),
        db
          .select({ contractId: contractTermination.contractId })
          .from(contractTermination)
          .where(eq(contractTermination.requestedByUserId, userId)),
      ])
    : [[], []];
  // The account may have signed or asked to end a contract that does not name the worker (as a resident, or a
  // version that replaced the worker): those are its rows too.
  const also = [...new Set([...signatures, ...asked].map((r) => r.contractId))];
  const rows = await db
    .select({ c: contract, companyName: organizationNameSql(sql`${contract.companyId}`) })
    .from(contract)
    .where(
      also.length
        ? or(eq(contract.workerId, workerId), inArray(contract.id, also))
        : eq(contract.workerId, workerId),
    )
    .orderBy(desc(contract.id));
  const terminations = rows.length
    ? await db
        .select()
        .from(contractTermination)
        .where(
          inArray(
            contractTermination.contractId,
            rows.map((r) => r.c.id),
          ),
        )
        .orderBy(asc(contractTermination.createdAt))
    : [];
  return rows.map(({ c, companyName }) => {
    const terms = c.terms as ContractTerms;
    return {
      id: c.id,
      number: c.number,
      filingNo: c.filingNo,
      kind: c.kind,
      category: c.category,
      mode: c.mode,
      district: c.district,
      state: c.state,
      revision: c.revision,
      companyName,
      startDate: terms.startDate,
      endDate: terms.endDate,
      monthlyWageFen: terms.monthlyWageFen,
      dailyHours: terms.dailyHours ?? null,
      restDaysPerMonth: terms.restDaysPerMonth ?? null,
      previousId: c.previousId,
      replacedById: c.replacedById,
      createdAt: c.createdAt.toISOString(),
      sealedAt: c.sealedAt?.toISOString() ?? null,
      terminatedAt: c.terminatedAt?.toISOString() ?? null,
      signatures: signatures
        .filter((s) => s.contractId === c.id)
        .map((s) => ({
          id: s.id,
          party: s.party,
          revision: s.revision,
          signedAt: s.signedAt.toISOString(),
          signerIp: s.signerIp,
          signerUserAgent: s.signerUserAgent,
          signatureSha256: s.signatureSha256,
        })),
      terminations: terminations
        .filter((t) => t.contractId === c.id)
        .map((t) => ({
          id: t.id,
          requestedBy: t.requestedBy,
          requestedByYou: userId !== null && t.requestedByUserId === userId,
          reason: t.reason,
          effectiveDate: t.effectiveDate,
          settlement: t.settlement as Record<string, unknown>,
          confirmedBy: t.confirmedBy as string[],
          state: t.state,
          disputedBy: t.disputedBy,
          disputeReason: t.disputeReason,
          createdAt: t.createdAt.toISOString(),
          resolvedAt: t.resolvedAt?.toISOString() ?? null,
        })),
    };
  });
}
