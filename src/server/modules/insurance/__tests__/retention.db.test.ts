import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import {
  dueAt,
  plantClaim,
  type RetentionBase,
  retentionAudits,
  retentionBase,
  retentionDeps,
} from '../../../../../test/factories/retention.js';
import { ANONYMISED } from '../../../platform/retention.js';
import { eraseClosedClaims } from '../retention.js';

let t: TestApp;
let b: RetentionBase;
beforeAll(async () => {
  t = await buildTestApp();
  b = await retentionBase(t);
});
afterAll(async () => t?.close());

const claim = async (id: string) => {
  const [c] = await t.app.database.raw.query<Record<string, unknown>>(
    'select place_enc, description, evidence, claimed_fen from insurance_claim where id = $1',
    [id],
  );
  const [e] = await t.app.database.raw.query<{ reason: string | null }>(
    'select reason from insurance_claim_event where claim_id = $1',
    [id],
  );
  const evidence = typeof c!.evidence === 'string' ? JSON.parse(c!.evidence) : c!.evidence;
  return {
    place: t.app.pii.decrypt(c!.place_enc as string, 'insurance_claim.place'),
    description: c!.description,
    evidence,
    claimed: Number(c!.claimed_fen),
    reason: e!.reason,
  };
};

describe('claim retention (5 years after the claim closes, then erased)', () => {
  test('erases closed claims past 5 years; keeps younger and open ones', async () => {
    const now = t.clock.now;
    const paid = await plantClaim(t, b, 'paid', dueAt(now, 5, -1));
    const rejected = await plantClaim(t, b, 'rejected', dueAt(now, 5, -1));
    const kept = await plantClaim(t, b, 'withdrawn', dueAt(now, 5, 1));
    const open = await plantClaim(t, b, 'under_review', dueAt(now, 7, 0));
    const before = (await retentionAudits(t, 'insurance.claim_purge')).length;

    expect(await eraseClosedClaims(retentionDeps(t, now))).toEqual({ claims: 2 });
    for (const id of [paid, rejected])
      expect(await claim(id)).toEqual({
        place: ANONYMISED,
        description: ANONYMISED,
        evidence: [],
        claimed: 1000, // amounts stay for the insurer's figures
        reason: null,
      });
    for (const id of [kept, open])
      expect(await claim(id)).toMatchObject({
        place: '广州市越秀区留存路4号',
        description: '在雇主家摔伤',
        reason: '摔伤',
      });

    expect(await eraseClosedClaims(retentionDeps(t, now))).toEqual({ claims: 0 });
    const audits = await retentionAudits(t, 'insurance.claim_purge');
    expect(audits.length).toBe(before + 2);
    expect(audits.at(-2)!.detail).toMatchObject({ claims: 2 });
    expect(JSON.stringify(audits)).not.toMatch(/摔伤|clm_|留存/);

    expect(await eraseClosedClaims(retentionDeps(t, new Date(now.getTime() + 2 * 86_400_000)))).toEqual({
      claims: 1,
    });
    expect(await claim(open)).toMatchObject({ description: '在雇主家摔伤' });
  });
});
