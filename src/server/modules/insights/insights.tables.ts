import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, idColumn, timestamps, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';

/**
 * Current-state counts per district (stock): companies by status and grade, workers registered, certified by
 * colour, trained, insured. Replaced as a whole by each refresh. `district` is '' when the source has none.
 * metric: 'companies' (dim `<status>|<grade or ''>`), 'workers_registered', 'workers_certified' (dim colour),
 * 'workers_trained', 'workers_insured' (dim '').
 */
export const insightsStock = pgTable(
  'insights_stock',
  {
    district: text('district').notNull(),
    metric: text('metric').notNull(),
    dim: text('dim').notNull(),
    value: integer('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.district, t.metric, t.dim] })],
);

/**
 * Monthly flows per district × category × mode (Asia/Shanghai calendar months `YYYY-MM`): orders created and
 * completed, completed value, follow-up (回访) satisfaction, demands published. Replaced by each refresh.
 */
export const insightsFlowMonth = pgTable(
  'insights_flow_month',
  {
    month: text('month').notNull(),
    district: text('district').notNull(),
    category: text('category').notNull(),
    mode: text('mode').notNull(),
    ordersCreated: integer('orders_created').notNull(),
    ordersCompleted: integer('orders_completed').notNull(),
    completedValueFen: bigint('completed_value_fen', { mode: 'number' }).notNull(),
    satisfactionCount: integer('satisfaction_count').notNull(),
    satisfactionSum: integer('satisfaction_sum').notNull(),
    demandsCreated: integer('demands_created').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.month, t.district, t.category, t.mode] }),
    index('insights_flow_month_district_idx').on(t.district, t.month),
  ],
);

/** Complaints per filing month and district, with the within-SLA counts. Replaced by each refresh. */
export const insightsComplaintMonth = pgTable(
  'insights_complaint_month',
  {
    month: text('month').notNull(),
    district: text('district').notNull(),
    filed: integer('filed').notNull(),
    answered: integer('answered').notNull(),
    answeredInSla: integer('answered_in_sla').notNull(),
    slaDue: integer('sla_due').notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.district] })],
);

/** Each rollup refresh: when the figures were taken (`as_of`), how long it took, what started it. */
export const insightsRefresh = pgTable(
  'insights_refresh',
  {
    id: idColumn(),
    asOf: tstz('as_of').notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** 'job' | 'manual' | 'seed' */
    trigger: text('trigger').notNull(),
    actorId: text('actor_id').references(() => user.id),
  },
  (t) => [index('insights_refresh_as_of_idx').on(t.asOf)],
);

/** A stored monthly report PDF (one per month; regenerating replaces the file and the row's facts). */
export const insightsReport = pgTable(
  'insights_report',
  {
    id: idColumn(),
    /** `YYYY-MM`, Asia/Shanghai. */
    month: text('month').notNull(),
    fileKey: text('file_key').notNull(),
    bytes: integer('bytes').notNull(),
    sha256: text('sha256').notNull(),
    /** The rollup refresh the figures came from. */
    asOf: tstz('as_of').notNull(),
    /** 'job' | 'manual' | 'seed' */
    trigger: text('trigger').notNull(),
    generatedBy: text('generated_by').references(() => user.id),
    ...timestamps(),
  },
  (t) => [uniqueIndex('insights_report_month_uq').on(t.month)],
);

/**
 * A wage and price survey edition (工资价位调查): samples from filed contracts and completed orders in a period,
 * plus imported survey rows; the regulator reviews and publishes it (wage-survey-status.ts). Cells with fewer
 * than `min_samples` samples are hidden in public outputs.
 */
export const wageSurveyEdition = pgTable(
  'wage_survey_edition',
  {
    id: idColumn(),
    title: text('title').notNull(),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    /** 'draft' | 'published' | 'withdrawn' | 'discarded' */
    state: text('state').notNull(),
    minSamples: integer('min_samples').notNull(),
    createdBy: text('created_by').references(() => user.id),
    publishedAt: tstz('published_at'),
    publishedBy: text('published_by').references(() => user.id),
    ...timestamps(),
  },
  (t) => [
    index('wage_survey_edition_state_idx').on(t.state, t.publishedAt),
    check('wage_survey_edition_period', sql`${t.periodTo} >= ${t.periodFrom}`),
    check('wage_survey_edition_min', sql`${t.minSamples} >= 1`),
  ],
);

/**
 * One observed wage or price: a position (wage-positions.ts), a district, the amount in fen per month or per
 * hour, and its source. No person, company or order is recorded.
 */
export const wageSurveySample = pgTable(
  'wage_survey_sample',
  {
    id: idColumn(),
    editionId: text('edition_id')
      .notNull()
      .references(() => wageSurveyEdition.id),
    position: text('position').notNull(),
    district: text('district').notNull(),
    /** 'contract' | 'order' | 'import' */
    source: text('source').notNull(),
    /** 'month' | 'hour' */
    unit: text('unit').notNull(),
    valueFen: integer('value_fen').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('wage_survey_sample_edition_idx').on(t.editionId, t.position, t.district),
    check('wage_survey_sample_value', sql`${t.valueFen} > 0`),
  ],
);
