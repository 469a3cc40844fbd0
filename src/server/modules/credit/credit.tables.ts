import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';
import { organization } from '../orgs/orgs.tables.js';

/** A scorecard version (weights, thresholds, parameters); the regulator edits by adding a version. Never updated. */
export const creditScorecard = pgTable(
  'credit_scorecard',
  {
    id: idColumn(),
    version: integer('version').notNull(),
    /** scorecard.ts `ScorecardConfig`, validated before insert. */
    config: jsonb('config').notNull(),
    note: text('note'),
    createdBy: text('created_by').references(() => user.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('credit_scorecard_version_uq').on(t.version)],
);

/**
 * A subject's current score: one row per worker or company. `subject_id` is a worker id or an organization id
 * (no foreign key: those modules own their tables). The per-indicator contributions are not stored: they are
 * `scoreWorker`/`scoreCompany` of the stored facts under the row's (immutable) scorecard version, recomputed when
 * a score is explained — storing them made each row ~3× wider (1.2 of 1.7 KB), which the nightly rewrite paid for.
 */
export const creditScore = pgTable(
  'credit_score',
  {
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    /** Score out of 100 in hundredths; equals the sum of the contributions' `centi` (scorecard.ts). */
    scoreCenti: integer('score_centi').notNull(),
    /** '1'…'5' stars for workers, 'A'…'5A' for companies. */
    level: text('level').notNull(),
    scorecardId: text('scorecard_id')
      .notNull()
      .references(() => creditScorecard.id),
    /** The counts and flags the score came from (scorecard.ts WorkerFacts / CompanyFacts). */
    facts: jsonb('facts').notNull(),
    computedAt: tstz('computed_at').notNull(),
  },
  // No index on level or score: the only readers by level (the 5A list, the regulator's company scores) read the
  // ~500 company rows through the primary key's subject_type prefix, and each index is one more write per rescore.
  (t) => [primaryKey({ columns: [t.subjectType, t.subjectId] })],
);

/** A row each time a subject's score, level or scorecard version changed: the history chart. */
export const creditScoreHistory = pgTable(
  'credit_score_history',
  {
    id: idColumn(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    scoreCenti: integer('score_centi').notNull(),
    level: text('level').notNull(),
    scorecardId: text('scorecard_id').notNull(),
    computedAt: tstz('computed_at').notNull(),
  },
  (t) => [index('credit_score_history_subject_idx').on(t.subjectType, t.subjectId, t.computedAt)],
);

/** An appeal against one indicator, with evidence text; the regulator decides (appeal-status.ts). */
export const creditAppeal = pgTable(
  'credit_appeal',
  {
    id: idColumn(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    indicator: text('indicator').notNull(),
    reason: text('reason').notNull(),
    evidence: text('evidence'),
    state: text('state').notNull(),
    decisionNote: text('decision_note'),
    filedBy: text('filed_by')
      .notNull()
      .references(() => user.id),
    decidedBy: text('decided_by').references(() => user.id),
    createdAt: createdAt(),
    decidedAt: tstz('decided_at'),
  },
  (t) => [
    index('credit_appeal_subject_idx').on(t.subjectType, t.subjectId, t.id),
    index('credit_appeal_state_idx').on(t.state, t.id),
    // One open appeal per subject and indicator.
    uniqueIndex('credit_appeal_open_uq')
      .on(t.subjectType, t.subjectId, t.indicator)
      .where(sql`${t.state} = 'submitted'`),
  ],
);

/** Red list (守信) and black list (失信) entries, public with reason and dates; removal keeps the row. */
export const creditListEntry = pgTable(
  'credit_list_entry',
  {
    id: idColumn(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    /** Shown on the public list (company name, or the worker's masked name). */
    displayName: text('display_name').notNull(),
    /** 'red' | 'black' */
    list: text('list').notNull(),
    reason: text('reason').notNull(),
    listedAt: tstz('listed_at').notNull(),
    removedAt: tstz('removed_at'),
    createdBy: text('created_by').references(() => user.id),
  },
  (t) => [
    index('credit_list_entry_list_idx').on(t.list, t.removedAt, t.listedAt),
    uniqueIndex('credit_list_entry_live_uq')
      .on(t.subjectType, t.subjectId)
      .where(sql`${t.removedAt} is null`),
  ],
);

/** An evaluation cycle run by the regulator over every active company. */
export const creditEvaluation = pgTable('credit_evaluation', {
  id: idColumn(),
  scorecardId: text('scorecard_id')
    .notNull()
    .references(() => creditScorecard.id),
  warnBelowCenti: integer('warn_below_centi').notNull(),
  warned: integer('warned').notNull(),
  resolved: integer('resolved').notNull(),
  startedBy: text('started_by').references(() => user.id),
  createdAt: createdAt(),
});

/** A warning to one company with a deadline (warning-status.ts). */
export const creditWarning = pgTable(
  'credit_warning',
  {
    id: idColumn(),
    evaluationId: text('evaluation_id')
      .notNull()
      .references(() => creditEvaluation.id),
    companyId: text('company_id')
      .notNull()
      .references(() => organization.id),
    scoreCenti: integer('score_centi').notNull(),
    deadline: tstz('deadline').notNull(),
    state: text('state').notNull(),
    createdAt: createdAt(),
    closedAt: tstz('closed_at'),
  },
  (t) => [
    index('credit_warning_state_idx').on(t.state, t.deadline),
    uniqueIndex('credit_warning_open_uq').on(t.companyId).where(sql`${t.state} = 'open'`),
  ],
);

/** A company expelled (清退) with its reason; the orgs status change happens first, this is the record. */
export const creditExpulsion = pgTable('credit_expulsion', {
  companyId: text('company_id')
    .primaryKey()
    .references(() => organization.id),
  reason: text('reason').notNull(),
  /** 'persistent_failure' | 'serious_violation' */
  ground: text('ground').notNull(),
  expelledBy: text('expelled_by').references(() => user.id),
  expelledAt: tstz('expelled_at').notNull(),
  /** Workers freed and notified (filled by the company_expelled handler; idempotent). */
  workersReleased: integer('workers_released'),
});
