import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, timestamps, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';
import { organization } from '../orgs/orgs.tables.js';
import { trainingClass } from '../training/training.tables.js';
import { worker } from '../workers/workers.tables.js';

/**
 * A recruitment event (家政专场招聘会), online or at a venue, run by a regulator; companies join and attach posts,
 * workers register and check in by scanning the venue's QR code (the check-in code).
 */
export const recruitmentFair = pgTable(
  'recruitment_fair',
  {
    id: idColumn(),
    title: text('title').notNull(),
    /** 'online' | 'venue' */
    format: text('format').notNull(),
    venue: text('venue'),
    district: text('district'),
    startsAt: tstz('starts_at').notNull(),
    endsAt: tstz('ends_at').notNull(),
    /** Secret in the venue's QR code; a worker who scans it is checked in. */
    checkinCode: text('checkin_code').notNull(),
    createdByUserId: text('created_by_user_id')
      .notNull()
      .references(() => user.id),
    ...timestamps(),
  },
  (t) => [
    index('recruitment_fair_starts_idx').on(t.startsAt),
    check('recruitment_fair_period', sql`${t.endsAt} > ${t.startsAt}`),
    check('recruitment_fair_venue', sql`${t.format} = 'online' or ${t.venue} is not null`),
  ],
);

/** A company taking part in a fair. */
export const recruitmentFairCompany = pgTable(
  'recruitment_fair_company',
  {
    fairId: text('fair_id')
      .notNull()
      .references(() => recruitmentFair.id),
    companyId: text('company_id')
      .notNull()
      .references(() => organization.id),
    joinedAt: createdAt(),
  },
  (t) => [uniqueIndex('recruitment_fair_company_uq').on(t.fairId, t.companyId)],
);

/** A worker registered for a fair; checked in when they scan the venue code. */
export const recruitmentFairRegistration = pgTable(
  'recruitment_fair_registration',
  {
    id: idColumn(),
    fairId: text('fair_id')
      .notNull()
      .references(() => recruitmentFair.id),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    checkedInAt: tstz('checked_in_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('recruitment_fair_registration_uq').on(t.fairId, t.workerId)],
);

/**
 * A company's job post (招聘岗位). Salary is a range in fen per month (live-in, day) or per hour (hourly);
 * requirements never name sex, ethnicity or origin (checked on write, see rules.ts).
 */
export const recruitmentPost = pgTable(
  'recruitment_post',
  {
    id: idColumn(),
    companyId: text('company_id')
      .notNull()
      .references(() => organization.id),
    /** The recruiter who published it: applicants' e-file grants go to this account. */
    createdByUserId: text('created_by_user_id')
      .notNull()
      .references(() => user.id),
    fairId: text('fair_id').references(() => recruitmentFair.id),
    title: text('title').notNull(),
    category: text('category').notNull(),
    /** 'live_in' | 'day' | 'hourly' */
    mode: text('mode').notNull(),
    district: text('district').notNull(),
    location: text('location').notNull(),
    salaryMinFen: integer('salary_min_fen').notNull(),
    salaryMaxFen: integer('salary_max_fen').notNull(),
    minLevel: text('min_level'),
    certificateRequired: boolean('certificate_required').notNull().default(false),
    minExperienceYears: integer('min_experience_years').notNull().default(0),
    minAge: integer('min_age').notNull(),
    maxAge: integer('max_age').notNull(),
    benefits: text('benefits').array().notNull(),
    description: text('description').notNull(),
    headcount: integer('headcount').notNull(),
    closesOn: date('closes_on', { mode: 'string' }).notNull(),
    /** 'open' | 'closed' (a post past its closing date reads as closed too) */
    state: text('state').notNull(),
    closedAt: tstz('closed_at'),
    ...timestamps(),
  },
  (t) => [
    index('recruitment_post_company_idx').on(t.companyId, t.id),
    index('recruitment_post_open_idx').on(t.state, t.closesOn, t.category),
    index('recruitment_post_fair_idx').on(t.fairId),
    check('recruitment_post_salary', sql`${t.salaryMinFen} > 0 and ${t.salaryMaxFen} >= ${t.salaryMinFen}`),
    check('recruitment_post_age', sql`${t.minAge} >= 16 and ${t.maxAge} >= ${t.minAge}`),
    check('recruitment_post_headcount', sql`${t.headcount} > 0`),
  ],
);

/** A worker's application to a post; the state machine is application-status.ts. */
export const recruitmentApplication = pgTable(
  'recruitment_application',
  {
    id: idColumn(),
    postId: text('post_id')
      .notNull()
      .references(() => recruitmentPost.id),
    companyId: text('company_id')
      .notNull()
      .references(() => organization.id),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    /** The fair the worker applied through, if any (for fair outcomes). */
    fairId: text('fair_id').references(() => recruitmentFair.id),
    coverNote: text('cover_note'),
    state: text('state').notNull(),
    /** The in-app e-file grant made when applying; revoked when the application ends unhired. */
    efileGrantId: text('efile_grant_id'),
    interviewId: text('interview_id'),
    employmentId: text('employment_id'),
    hiredAt: tstz('hired_at'),
    ...timestamps(),
  },
  (t) => [
    // Applying twice to one post is refused by the database too.
    uniqueIndex('recruitment_application_once_uq').on(t.postId, t.workerId),
    index('recruitment_application_company_idx').on(t.companyId, t.state, t.id),
    index('recruitment_application_worker_idx').on(t.workerId, t.id),
  ],
);

/** The history of an application (each transition) and the company's screening notes. */
export const recruitmentApplicationEvent = pgTable(
  'recruitment_application_event',
  {
    id: idColumn(),
    applicationId: text('application_id')
      .notNull()
      .references(() => recruitmentApplication.id),
    /** A transition action, or 'note' */
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state'),
    /** 'company' | 'worker' */
    party: text('party').notNull(),
    actorId: text('actor_id'),
    note: text('note'),
    at: createdAt(),
  },
  (t) => [index('recruitment_application_event_app_idx').on(t.applicationId, t.at)],
);

/** A worker's saved search; new matching posts notify them once each. */
export const recruitmentSavedSearch = pgTable(
  'recruitment_saved_search',
  {
    id: idColumn(),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    name: text('name').notNull(),
    categories: text('categories').array().notNull(),
    modes: text('modes').array().notNull(),
    district: text('district'),
    minSalaryFen: integer('min_salary_fen'),
    keyword: text('keyword'),
    alerts: boolean('alerts').notNull().default(true),
    ...timestamps(),
  },
  (t) => [index('recruitment_saved_search_worker_idx').on(t.workerId)],
);

/** Which post a saved search already alerted about (alerts are sent once, even on event redelivery). */
export const recruitmentAlert = pgTable(
  'recruitment_alert',
  {
    savedSearchId: text('saved_search_id')
      .notNull()
      .references(() => recruitmentSavedSearch.id),
    postId: text('post_id')
      .notNull()
      .references(() => recruitmentPost.id),
    sentAt: createdAt(),
  },
  (t) => [uniqueIndex('recruitment_alert_uq').on(t.savedSearchId, t.postId)],
);

/**
 * A cross-region cohort (订单班): trainees from a partner region trained in a class, arriving together and placed
 * with companies. Placement and retention are read from the trainees' employment in the trust record.
 */
export const recruitmentCohort = pgTable(
  'recruitment_cohort',
  {
    id: idColumn(),
    name: text('name').notNull(),
    /** GB/T 2260 code of the source prefecture (毕节 520500) and its name. */
    sourceRegionCode: text('source_region_code').notNull(),
    sourceRegionName: text('source_region_name').notNull(),
    trainingClassId: text('training_class_id').references(() => trainingClass.id),
    plannedArrivalOn: date('planned_arrival_on', { mode: 'string' }).notNull(),
    arrivedOn: date('arrived_on', { mode: 'string' }),
    /** GB/T 2260 district where the cohort is placed (a district regulator's scope); null = city-wide. */
    destinationDistrict: text('destination_district'),
    createdByUserId: text('created_by_user_id')
      .notNull()
      .references(() => user.id),
    ...timestamps(),
  },
  (t) => [
    index('recruitment_cohort_region_idx').on(t.sourceRegionCode),
    index('recruitment_cohort_destination_idx').on(t.destinationDistrict),
  ],
);

/** A trainee of a cohort: a registered worker. */
export const recruitmentCohortTrainee = pgTable(
  'recruitment_cohort_trainee',
  {
    cohortId: text('cohort_id')
      .notNull()
      .references(() => recruitmentCohort.id),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    addedAt: createdAt(),
  },
  (t) => [uniqueIndex('recruitment_cohort_trainee_uq').on(t.workerId)],
);

/**
 * A job seeker's opt-in to be contacted by the regulator about becoming a worker (当家政 invitations). Without an
 * active opt-in a person is only counted, never listed. Withdrawing keeps the row with `withdrawn_at` set.
 */
export const recruitmentContactConsent = pgTable('recruitment_contact_consent', {
  workerId: text('worker_id')
    .primaryKey()
    .references(() => worker.id),
  grantedAt: tstz('granted_at').notNull(),
  withdrawnAt: tstz('withdrawn_at'),
  /** The last invitation to complete the worker registration; one per 30 days at most. */
  lastInvitedAt: tstz('last_invited_at'),
});
