// The retention suite of `npm run assure` catches a time-bound table whose job is gone: with every job it passes,
// with one job left out it fails and names the table kept past its limit (the audit prune included).
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { retentionSuite } from '../scripts/assure/retention.js';
import type { Ctx } from '../scripts/assure/support.js';
import { retentionJobs } from '../src/server/retention-jobs.js';
import { buildTestApp, type TestApp } from './app.js';
import { createPrincipals, type PrincipalWorld } from './support/principals.js';

// A fresh app per run: the walk's +3 years purges the principals' sessions.
let t: TestApp;
let world: PrincipalWorld;
beforeEach(async () => {
  t = await buildTestApp();
  world = await createPrincipals(t.app);
});
afterEach(async () => t?.close());

const ctx = (): Ctx => ({
  t,
  world,
  full: false,
  seed: 1,
  engine: 'pglite',
  walk: () => Promise.reject(new Error('not used')),
});

describe('assurance suite: retention', () => {
  test('passes with every job and reports no time-bound retention without a job', async () => {
    const r = await retentionSuite()(ctx());
    expect(r.details).toEqual([]);
    expect(r.passed).toBe(true);
    expect(r.figures.retentionsWithoutJob).toBe(0);
    expect(r.knownGaps?.some((g) => g.startsWith('no retention job yet'))).toBe(false);
    // Audit rows past their 3 years are gone behind signed checkpoints, and the chain verifies from the newest.
    expect(r.figures.auditPastRetention).toBe(0);
    expect(r.figures.auditPruned).toBeGreaterThan(0);
    expect(r.figures.auditCheckpoints).toBeGreaterThan(0);
    expect(r.knownGaps ?? []).toEqual([]);
    expect(r.line).toMatch(/chain intact from checkpoint \d+/);
  }, 300_000);

  test('fails when the audit prune job is removed, naming audit_log', async () => {
    const r = await retentionSuite(retentionJobs.filter(([name]) => name !== 'platform.audit_prune'))(ctx());
    expect(r.passed).toBe(false);
    expect(r.details.some((d) => d.includes('audit_log keeps'))).toBe(true);
  }, 300_000);

  test('fails when the consent job is removed, naming worker_consent', async () => {
    const r = await retentionSuite(retentionJobs.filter(([name]) => name !== 'workers.consent_purge'))(ctx());
    expect(r.passed).toBe(false);
    expect(r.details.some((d) => d.includes('worker_consent keeps'))).toBe(true);
  }, 300_000);
});
