import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { organizationNameSql } from '../orgs/index.js';
import {
  recruitmentApplication,
  recruitmentApplicationEvent,
  recruitmentCohort,
  recruitmentCohortTrainee,
  recruitmentContactConsent,
  recruitmentFair,
  recruitmentFairRegistration,
  recruitmentPost,
  recruitmentSavedSearch,
} from './recruitment.tables.js';

/** An application of the worker's, with its steps (the company's screening notes stay out, as on the worker's page). */
export interface ApplicationFact {
  id: string;
  postTitle: string;
  companyName: string | null;
  coverNote: string | null;
  state: string;
  hiredAt: string | null;
  createdAt: string;
  history: { action: string; toState: string | null; at: string }[];
}

export interface SavedSearchFact {
  id: string;
  name: string;
  categories: string[];
  modes: string[];
  district: string | null;
  minSalaryFen: number | null;
  keyword: string | null;
  alerts: boolean;
  createdAt: string;
}

/** A fair the worker registered for (the venue's check-in code is not theirs and stays out). */
export interface FairRegistrationFact {
  id: string;
  fairTitle: string;
  format: string;
  venue: string | null;
  startsAt: string;
  endsAt: string;
  checkedInAt: string | null;
  createdAt: string;
}

/** The cohort (订单班) the worker is a trainee of; `ref` is the cohort's id (the trainee row has no id of its own). */
export interface CohortFact {
  ref: string;
  name: string;
  sourceRegionName: string;
  plannedArrivalOn: string;
  arrivedOn: string | null;
  addedAt: string;
}

/** The worker's opt-in to be contacted about becoming a worker (kept, with `withdrawnAt`, when withdrawn). */
export interface ContactConsentFact {
  grantedAt: string;
  withdrawnAt: string | null;
  lastInvitedAt: string | null;
}

/** A job post the account published as a company's recruiter. */
export interface PublishedPostFact {
  id: string;
  companyName: string | null;
  title: string;
  category: string;
  mode: string;
  state: string;
  closesOn: string;
  createdAt: string;
}

export interface RecruitmentFacts {
  applications: ApplicationFact[];
  savedSearches: SavedSearchFact[];
  fairRegistrations: FairRegistrationFact[];
  cohort: CohortFact | null;
  contactConsent: ContactConsentFact | null;
  postsPublished: PublishedPostFact[];
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The worker's recruitment rows and the posts the account published, newest first (e-file export). */
export async function recruitmentOf(
  db: DbOrTx,
  workerId: string,
  userId: string | null,
): Promise<RecruitmentFacts> {
  const apps = await db
    .select({
      a: recruitmentApplication,
      postTitle: recruitmentPost.title,
      companyName: organizationNameSql(sql`${recruitmentApplication.companyId}`),
    })
    .from(recruitmentApplication)
    .innerJoin(recruitmentPost, eq(recruitmentPost.id, recruitmentApplication.postId))
    .where(eq(recruitmentApplication.workerId, workerId))
    .orderBy(desc(recruitmentApplication.id));
  const events = apps.length
    ? await db
        .select()
        .from(recruitmentApplicationEvent)
        .where(
          and(
            inArray(
              recruitmentApplicationEvent.applicationId,
              apps.map(({ a }) => a.id),
            ),
            ne(recruitmentApplicationEvent.action, 'note'),
          ),
        )
        .orderBy(asc(recruitmentApplicationEvent.at), asc(recruitmentApplicationEvent.id))
    : [];
  const searches = await db
    .select()
    .from(recruitmentSavedSearch)
    .where(eq(recruitmentSavedSearch.workerId, workerId))
    .orderBy(desc(recruitmentSavedSearch.id));
  const fairs = await db
    .select({ r: recruitmentFairRegistration, f: recruitmentFair })
    .from(recruitmentFairRegistration)
    .innerJoin(recruitmentFair, eq(recruitmentFair.id, recruitmentFairRegistration.fairId))
    .where(eq(recruitmentFairRegistration.workerId, workerId))
    .orderBy(desc(recruitmentFair.startsAt));
  const [cohort] = await db
    .select({ t: recruitmentCohortTrainee, c: recruitmentCohort })
    .from(recruitmentCohortTrainee)
    .innerJoin(recruitmentCohort, eq(recruitmentCohort.id, recruitmentCohortTrainee.cohortId))
    .where(eq(recruitmentCohortTrainee.workerId, workerId));
  const [consent] = await db
    .select()
    .from(recruitmentContactConsent)
    .where(eq(recruitmentContactConsent.workerId, workerId));
  const posts = userId
    ? await db
        .select({ p: recruitmentPost, companyName: organizationNameSql(sql`${recruitmentPost.companyId}`) })
        .from(recruitmentPost)
        .where(eq(recruitmentPost.createdByUserId, userId))
        .orderBy(desc(recruitmentPost.id))
    : [];
  return {
    applications: apps.map(({ a, postTitle, companyName }) => ({
      id: a.id,
      postTitle,
      companyName,
      coverNote: a.coverNote,
      state: a.state,
      hiredAt: iso(a.hiredAt),
      createdAt: a.createdAt.toISOString(),
      history: events
        .filter((e) => e.applicationId === a.id)
        .map((e) => ({ action: e.action, toState: e.toState, at: e.at.toISOString() })),
    })),
    savedSearches: searches.map((s) => ({
      id: s.id,
      name: s.name,
      categories: s.categories,
      modes: s.modes,
      district: s.district,
      minSalaryFen: s.minSalaryFen,
      keyword: s.keyword,
      alerts: s.alerts,
      createdAt: s.createdAt.toISOString(),
    })),
    fairRegistrations: fairs.map(({ r, f }) => ({
      id: r.id,
      fairTitle: f.title,
      format: f.format,
      venue: f.venue,
      startsAt: f.startsAt.toISOString(),
      endsAt: f.endsAt.toISOString(),
      checkedInAt: iso(r.checkedInAt),
      createdAt: r.createdAt.toISOString(),
    })),
    cohort: cohort
      ? {
          ref: cohort.c.id,
          name: cohort.c.name,
          sourceRegionName: cohort.c.sourceRegionName,
          plannedArrivalOn: cohort.c.plannedArrivalOn,
          arrivedOn: cohort.c.arrivedOn,
          addedAt: cohort.t.addedAt.toISOString(),
        }
      : null,
    contactConsent: consent
      ? {
          grantedAt: consent.grantedAt.toISOString(),
          withdrawnAt: iso(consent.withdrawnAt),
          lastInvitedAt: iso(consent.lastInvitedAt),
        }
      : null,
    postsPublished: posts.map(({ p, companyName }) => ({
      id: p.id,
      companyName,
      title: p.title,
      category: p.category,
      mode: p.mode,
      state: p.state,
      closesOn: p.closesOn,
      createdAt: p.createdAt.toISOString(),
    })),
  };
}
