import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { purgeClosedInvitations } from '../retention.js';
import { orgInvitation } from '../orgs.tables.js';

const DAY = 24 * 3600_000;
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

describe('invitation retention (answered or expired + 1 year)', () => {
  test('removes invitations a year after their answer or expiry, never a pending or younger one', async () => {
    const db = t.app.database.db;
    const orgId = await t.app.services.orgs.createOrganization(db, {
      type: 'company',
      name: '留存测试家政',
      district: '440106',
    });
    const now = t.clock.now;
    const at = (days: number) => new Date(now.getTime() + days * DAY);
    const row = (id: string, status: string, expiresAt: Date, respondedAt: Date | null) => ({
      id,
      orgId,
      role: 'staff',
      phoneHash: `h-${id}`,
      phoneEnc: 'x',
      status,
      expiresAt,
      respondedAt,
    });
    await db
      .insert(orgInvitation)
      .values([
        row('inv_ret_pending', 'pending', at(7), null),
        row('inv_ret_revoked_old', 'revoked', at(-360), at(-366)),
        row('inv_ret_revoked_new', 'revoked', at(-300), at(-364)),
        row('inv_ret_expired_old', 'pending', at(-366), null),
        row('inv_ret_expired_new', 'expired', at(-360), null),
      ]);
    expect(await purgeClosedInvitations(db, now)).toBe(2);
    const left = (
      await db.select({ id: orgInvitation.id }).from(orgInvitation).where(eq(orgInvitation.orgId, orgId))
    )
      .map((r) => r.id)
      .sort();
    expect(left).toEqual(['inv_ret_expired_new', 'inv_ret_pending', 'inv_ret_revoked_new']);
    // A year and a week on, the pending one has expired and is due too.
    expect(await purgeClosedInvitations(db, at(373))).toBe(3);
  });
});
