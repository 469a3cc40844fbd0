import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  clientStates,
  clientTransitions,
  consentState,
  ipAllowed,
  keyState,
  nextClientState,
  type ClientAction,
} from '../client-status.js';
import {
  type DeliveryAction,
  deliveryStates,
  deliveryTransitions,
  nextDeliveryState,
  retryDelayMs,
} from '../delivery-status.js';
import { publicEventOf, webhookEventNames, webhookEvents, webhookTopics } from '../partner-scopes.js';
import { publicPayload } from '../partners.service.js';
import { signPayload, verifySignature } from '../signing.js';
import { checkWebhookUrl, isPrivateAddress } from '../ssrf.js';

describe('webhook signature', () => {
  const secret = 'whsec_test';
  const body = JSON.stringify({ id: 'obx_1', type: 'company.expelled', data: { companyId: 'org_1' } });

  test('is HMAC-SHA256 over "<t>.<body>", as docs/partners.md says', () => {
    const header = signPayload(secret, body, 1_780_000_000);
    const expected = createHmac('sha256', secret).update(`1780000000.${body}`).digest('hex');
    expect(header).toBe(`t=1780000000,v1=${expected}`);
  });

  test('verifies within the tolerance, refuses stale, future, altered and malformed', () => {
    const t = 1_780_000_000;
    const header = signPayload(secret, body, t);
    expect(verifySignature(secret, body, header, t + 299)).toEqual({ ok: true });
    expect(verifySignature(secret, body, header, t + 301)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(secret, body, header, t - 301)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(secret, `${body} `, header, t)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature('other', body, header, t)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(secret, body, undefined, t)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature(secret, body, 't=abc,v1=00', t)).toEqual({ ok: false, reason: 'malformed' });
  });

  test('accepts any matching v1 (secret rotation sends two)', () => {
    const t = 1_780_000_000;
    const good = signPayload(secret, body, t).split(',')[1]!;
    expect(verifySignature(secret, body, `t=${t},v1=${'0'.repeat(64)},${good}`, t)).toEqual({ ok: true });
  });
});

describe('SSRF guard', () => {
  test.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    'not-an-ip',
  ])('%s is private', (ip) => expect(isPrivateAddress(ip)).toBe(true));

  test.each(['8.8.8.8', '203.0.113.9', '172.32.0.1', '2400:3200::1'])('%s is public', (ip) =>
    expect(isPrivateAddress(ip)).toBe(false),
  );

  const resolve = (map: Record<string, string[]>) => async (host: string) => map[host] ?? [];

  test('refuses loopback, private resolution, http and credentials unless private targets are allowed', async () => {
    const opts = {
      allowPrivate: false,
      resolve: resolve({ 'evil.example': ['10.0.0.5'], 'ok.example': ['8.8.4.4'] }),
    };
    expect((await checkWebhookUrl('https://127.0.0.1/h', opts)).ok).toBe(false);
    expect((await checkWebhookUrl('https://[::1]/h', opts)).ok).toBe(false);
    expect((await checkWebhookUrl('https://evil.example/h', opts)).ok).toBe(false);
    expect((await checkWebhookUrl('https://nowhere.example/h', opts)).ok).toBe(false);
    expect((await checkWebhookUrl('http://ok.example/h', opts)).ok).toBe(false);
    expect((await checkWebhookUrl('https://u:p@ok.example/h', opts)).ok).toBe(false);
    expect((await checkWebhookUrl('ftp://ok.example/h', opts)).ok).toBe(false);
    expect((await checkWebhookUrl('https://ok.example/h', opts)).ok).toBe(true);
    const dev = { allowPrivate: true };
    expect((await checkWebhookUrl('http://127.0.0.1:9999/h', dev)).ok).toBe(true);
  });
});

describe('delivery state machine', () => {
  const actions: DeliveryAction[] = ['succeed', 'fail', 'give_up', 'replay'];
  const allowed: Record<string, string> = {
    'pending:succeed': 'delivered',
    'pending:fail': 'retrying',
    'pending:give_up': 'dead',
    'retrying:succeed': 'delivered',
    'retrying:fail': 'retrying',
    'retrying:give_up': 'dead',
    'delivered:replay': 'pending',
    'dead:replay': 'pending',
  };
  for (const from of deliveryStates)
    for (const action of actions) {
      const want = allowed[`${from}:${action}`] ?? null;
      test(`${from} --${action}--> ${want ?? 'refused'}`, () =>
        expect(nextDeliveryState(from, action)).toBe(want));
    }
  test('the table has exactly the allowed transitions', () => {
    const listed = Object.entries(deliveryTransitions).flatMap(([f, m]) =>
      Object.keys(m).map((a) => `${f}:${a}`),
    );
    expect(listed.sort()).toEqual(Object.keys(allowed).sort());
  });
  test('backoff doubles from 30 s and is capped at two hours', () => {
    expect(retryDelayMs(1, 0)).toBe(30_000);
    expect(retryDelayMs(2, 0)).toBe(60_000);
    expect(retryDelayMs(5, 0)).toBe(480_000);
    expect(retryDelayMs(20, 0)).toBe(7_200_000);
    expect(retryDelayMs(1, 1)).toBe(33_000);
  });
});

describe('client, key and consent states', () => {
  const actions: ClientAction[] = ['suspend', 'reactivate'];
  for (const from of clientStates)
    for (const action of actions) {
      const want =
        from === 'active' && action === 'suspend'
          ? 'suspended'
          : from === 'suspended' && action === 'reactivate'
            ? 'active'
            : null;
      test(`client ${from} --${action}--> ${want ?? 'refused'}`, () =>
        expect(nextClientState(from, action)).toBe(want));
    }
  test('the client table lists two transitions', () =>
    expect(Object.values(clientTransitions).flatMap((m) => Object.keys(m))).toHaveLength(2));

  const now = new Date('2026-03-01T00:00:00Z');
  const later = new Date('2026-04-01T00:00:00Z');
  const earlier = new Date('2026-02-01T00:00:00Z');
  test('key state comes from its times', () => {
    expect(keyState({ expiresAt: later, revokedAt: null, replacedBy: null }, now)).toBe('active');
    expect(keyState({ expiresAt: later, revokedAt: null, replacedBy: 'ptk_x' }, now)).toBe('rotating');
    expect(keyState({ expiresAt: earlier, revokedAt: null, replacedBy: 'ptk_x' }, now)).toBe('expired');
    expect(keyState({ expiresAt: later, revokedAt: earlier, replacedBy: null }, now)).toBe('revoked');
  });
  test('consent state comes from its times', () => {
    expect(consentState({ expiresAt: later, revokedAt: null }, now)).toBe('active');
    expect(consentState({ expiresAt: earlier, revokedAt: null }, now)).toBe('expired');
    expect(consentState({ expiresAt: later, revokedAt: earlier }, now)).toBe('revoked');
  });
  test('IP allow-list: empty allows all; exact IPs and IPv4 CIDRs', () => {
    expect(ipAllowed([], '1.2.3.4')).toBe(true);
    expect(ipAllowed(['1.2.3.4'], '1.2.3.4')).toBe(true);
    expect(ipAllowed(['1.2.3.4'], '::ffff:1.2.3.4')).toBe(true);
    expect(ipAllowed(['203.0.113.0/24'], '203.0.113.77')).toBe(true);
    expect(ipAllowed(['203.0.113.0/24'], '203.0.114.1')).toBe(false);
    expect(ipAllowed(['0.0.0.0/0'], '9.9.9.9')).toBe(true);
    expect(ipAllowed(['10.0.0.0/8'], 'garbage')).toBe(false);
  });
});

describe('public events', () => {
  test('every topic maps to exactly one public event', () => {
    for (const topic of webhookTopics) expect(publicEventOf(topic)).not.toBeNull();
    expect(publicEventOf('orders.requested')).toBeNull();
    expect(publicEventOf('workers.updated')).toBeNull();
    const all = webhookEventNames.flatMap((e) => [...webhookEvents[e]]);
    expect(new Set(all).size).toBe(all.length);
  });
  test('payloads carry ids and states only', () => {
    const p = publicPayload('order.status_changed', 'orders.accepted', {
      orderId: 'ord_1',
      companyId: 'org_1',
      workerId: null,
      residentUserId: 'usr_secret',
      state: 'accepted',
    });
    expect(p).toEqual({ orderId: 'ord_1', companyId: 'org_1', workerId: null, state: 'accepted' });
    const c = publicPayload('certificate.status_changed', 'certification.revoked', {
      certificateId: 'crt_1',
      number: 'AX1',
      workerId: 'wk_1',
      companyId: null,
      reason: '严重投诉',
    });
    expect(c).toEqual({
      certificateId: 'crt_1',
      number: 'AX1',
      workerId: 'wk_1',
      companyId: null,
      change: 'revoked',
    });
  });
});
