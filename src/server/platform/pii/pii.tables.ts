import { bigint, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from '../db/columns.js';

/**
 * Runs of the crypto-profile switch (`npm run crypto:switch`): which profile the stored tokens and blind indexes are
 * being moved to, where each table's batch walk stands (so a stopped run resumes), and its counts. The latest run
 * with status 'done' names the profile all stored data is in; until then lookups try both profiles' blind indexes.
 */
export const piiProfileSwitch = pgTable('pii_profile_switch', {
  seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  /** 'intl' | 'gm' */
  toProfile: text('to_profile').notNull(),
  /** 'running' | 'done' */
  status: text('status').notNull(),
  /** Per table: the key of the last row handled (its key columns' values), null once the table is walked. */
  cursor: jsonb('cursor').$type<Record<string, unknown[] | null>>().notNull(),
  /** Per table: rows scanned, tokens resealed, blind indexes recomputed. */
  counts: jsonb('counts')
    .$type<Record<string, { scanned: number; resealed: number; reindexed: number }>>()
    .notNull(),
  startedAt: tstz('started_at').notNull(),
  updatedAt: tstz('updated_at').notNull(),
  finishedAt: tstz('finished_at'),
});
