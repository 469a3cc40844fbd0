import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { partnerClient, partnerConsent, partnerResident } from './partners.tables.js';

/** The worker's consent for a partner platform to read their record (the e-file export). */
export interface PartnerConsentFact {
  id: string;
  partnerName: string;
  partnerOrganization: string;
  scope: string;
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
}

/**
 * A partner platform's link of one of its users to this account (the account was made for that user's first order
 * through the platform). `ref` is the link's key, `clientId/externalUserId`: the platform's own id for the person.
 */
export interface PartnerResidentFact {
  ref: string;
  partnerName: string;
  externalUserId: string;
  createdAt: string;
}

export interface PartnerFacts {
  consents: PartnerConsentFact[];
  residentLinks: PartnerResidentFact[];
}

/** The worker's partner consents and the account's partner links, newest first. No key, secret or partner contact. */
export async function partnersOf(db: DbOrTx, workerId: string, userId: string | null): Promise<PartnerFacts> {
  const consents = await db
    .select({ g: partnerConsent, name: partnerClient.name, organization: partnerClient.organization })
    .from(partnerConsent)
    .innerJoin(partnerClient, eq(partnerClient.id, partnerConsent.clientId))
    .where(eq(partnerConsent.workerId, workerId))
    .orderBy(desc(partnerConsent.id));
  const links = userId
    ? await db
        .select({ r: partnerResident, name: partnerClient.name })
        .from(partnerResident)
        .innerJoin(partnerClient, eq(partnerClient.id, partnerResident.clientId))
        .where(eq(partnerResident.userId, userId))
        .orderBy(desc(partnerResident.createdAt))
    : [];
  return {
    consents: consents.map(({ g, name, organization }) => ({
      id: g.id,
      partnerName: name,
      partnerOrganization: organization,
      scope: g.scope,
      expiresAt: g.expiresAt.toISOString(),
      revokedAt: g.revokedAt?.toISOString() ?? null,
      createdAt: g.createdAt.toISOString(),
    })),
    residentLinks: links.map(({ r, name }) => ({
      ref: `${r.clientId}/${r.externalUserId}`,
      partnerName: name,
      externalUserId: r.externalUserId,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}
