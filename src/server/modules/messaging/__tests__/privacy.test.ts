import { describe, expect, test } from 'vitest';
import { originAllowed, sideOf } from '../messaging.policy.js';
import { scanPrivacy } from '../privacy.js';

describe('privacy scan', () => {
  test.each([
    ['我的电话13812345678', ['phone']],
    ['打 138 1234 5678 找我', ['phone']],
    ['+86 139-1234-5678', ['phone']],
    ['１３８１２３４５６７８（全角）', ['phone']],
    ['身份证11010519491231002X', ['id_number']],
    ['110105 19491231 002x', ['id_number']],
    ['电话13812345678 身份证11010519491231002X', ['id_number', 'phone']],
  ])('%s → %j', (text, flags) => {
    expect(scanPrivacy(text, '2026-11-29')).toEqual(flags);
  });

  test.each([
    '订单号 20261129000123',
    '工资 12000 元，每月 26 天',
    '12345678901',
    '110105194912310021',
    '你好，明天上午九点可以吗',
  ])('no false alarm: %s', (text) => {
    expect(scanPrivacy(text, '2026-11-29')).toEqual([]);
  });
});

describe('conversation policy', () => {
  const c = { residentUserId: 'usr_r', workerId: 'wk_1', companyId: 'org_c' };
  const actor = (userId: string, orgId?: string) => ({
    userId,
    memberships: orgId ? [{ orgId, orgName: 'x', orgType: 'company' as const, role: 'staff' as const }] : [],
  });
  test('resident, worker, company staff take part; others do not', () => {
    expect(sideOf(actor('usr_r'), c, null)).toBe('resident');
    expect(sideOf(actor('usr_w'), c, 'wk_1')).toBe('worker');
    expect(sideOf(actor('usr_s', 'org_c'), c, null)).toBe('company');
    expect(sideOf(actor('usr_x', 'org_other'), c, 'wk_2')).toBeNull();
    expect(sideOf(actor('usr_x'), { ...c, workerId: null }, null)).toBeNull();
  });
  test('socket origins: our own or a configured one; a missing Origin is a non-browser client', () => {
    const own = { publicUrl: 'http://anxin.test', host: '127.0.0.1:3000' };
    expect(originAllowed('http://anxin.test', own, [])).toBe(true);
    expect(originAllowed('http://127.0.0.1:3000', own, [])).toBe(true);
    expect(originAllowed('https://m.anxin.cn', own, ['https://m.anxin.cn'])).toBe(true);
    expect(originAllowed('https://evil.example', own, [])).toBe(false);
    expect(originAllowed('http://127.0.0.1:3001', own, [])).toBe(false);
    expect(originAllowed('null', own, [])).toBe(false);
    expect(originAllowed(undefined, own, [])).toBe(true);
  });
});
