import { desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { organizationNameSql } from '../orgs/index.js';
import { demand, demandOffer } from './orders.tables.js';

/** A need the account published as a resident (its own address stays out: the export is the worker's e-file). */
export interface OwnDemandFact {
  id: string;
  category: string;
  mode: string;
  district: string;
  description: string;
  state: string;
  createdAt: string;
}

/** A company offered the worker for a resident's need; the household's details are not the worker's. */
export interface DemandOfferFact {
  id: string;
  companyName: string | null;
  category: string;
  district: string;
  state: string;
  createdAt: string;
}

/** The needs the account posted as a resident, newest first (for the e-file export). */
export async function demandsPostedBy(db: DbOrTx, userId: string): Promise<OwnDemandFact[]> {
  const rows = await db
    .select()
    .from(demand)
    .where(eq(demand.residentUserId, userId))
    .orderBy(desc(demand.id));
  return rows.map((d) => ({
    id: d.id,
    category: d.category,
    mode: d.mode,
    district: d.district,
    description: d.description,
    state: d.state,
    createdAt: d.createdAt.toISOString(),
  }));
}

/** The offers naming the worker, newest first (for the e-file export). */
export async function demandOffersOf(db: DbOrTx, workerId: string): Promise<DemandOfferFact[]> {
  const rows = await db
    .select({
      o: demandOffer,
      companyName: organizationNameSql(sql`${demandOffer.companyId}`),
      category: demand.category,
      district: demand.district,
    })
    .from(demandOffer)
    .innerJoin(demand, eq(demand.id, demandOffer.demandId))
    .where(eq(demandOffer.workerId, workerId))
    .orderBy(desc(demandOffer.id));
  return rows.map(({ o, companyName, category, district }) => ({
    id: o.id,
    companyName,
    category,
    district,
    state: o.state,
    createdAt: o.createdAt.toISOString(),
  }));
}
