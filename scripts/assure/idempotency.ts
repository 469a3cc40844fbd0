// P10 / ASVS 2.3.3, 2.3.4, 15.4.2: writes are exactly-once from the client's view, keys are scoped per caller, and
// a worker's time cannot be double-booked even when many accepts race.
import { account, certifiedWorker, company } from '../../test/factories/workers.js';
import { book, codeOf, count, HOUR_MS, hourly, inject, priceItem, slot, type Suite } from './support.js';

export const idempotency: Suite = async ({ t, world, full, seed }) => {
  const details: string[] = [];
  const regulatorCookie = world.cookies.get('regulator')!;
  const co = await company(t, '安心保障测试家政');
  const { w } = await certifiedWorker(t, { regulatorCookie, employer: co });
  const itemId = await priceItem(t, co);
  const resident = await account(t, [{ role: 'resident' }], '陈女士');
  const other = await account(t, [{ role: 'resident' }], '周先生');
  const ordersOf = (userId: string) =>
    count(t, 'select count(*) as n from service_order where resident_user_id = $1', [userId]);

  // 1. Concurrent creates with one key: every success is the same order, the rest wait-and-retry (409), one row.
  const concurrent = full ? 40 : 20;
  const key = `assure-${seed}-create`;
  const body = hourly(itemId, w.workerId, slot(t, 30));
  const burst = await Promise.all(
    Array.from({ length: concurrent }, () => book(t, resident.cookie, body, key)),
  );
  const created = burst.filter((r) => r.statusCode === 201);
  const inProgress = burst.filter((r) => r.statusCode === 409 && codeOf(r) === 'IDEMPOTENCY_IN_PROGRESS');
  const ids = new Set(created.map((r) => r.json().id as string));
  const unexpected = burst.filter((r) => !created.includes(r) && !inProgress.includes(r));
  for (const r of unexpected) details.push(`concurrent create answered ${r.statusCode} ${codeOf(r) ?? ''}`);
  if (ids.size !== 1) details.push(`concurrent creates with one key made ${ids.size} distinct orders`);
  const rowsAfterBurst = await ordersOf(resident.userId);
  if (rowsAfterBurst !== 1) details.push(`concurrent creates with one key stored ${rowsAfterBurst} orders`);
  const [firstId] = [...ids];
  const retry = await book(t, resident.cookie, body, key);
  const replayed =
    retry.statusCode === 201 &&
    retry.json().id === firstId &&
    retry.headers['idempotent-replayed'] === 'true';
  if (!replayed) details.push(`a later retry did not replay the first order (${retry.statusCode})`);

  // 2. The same key with another body is refused and stores nothing.
  const reused = await book(t, resident.cookie, { ...body, note: '换了内容的请求' }, key);
  const reusedRefused = reused.statusCode === 422 && codeOf(reused) === 'IDEMPOTENCY_KEY_REUSED';
  if (!reusedRefused) details.push(`same key, other body → ${reused.statusCode} ${codeOf(reused) ?? ''}`);
  const rowsAfterReuse = await ordersOf(resident.userId);
  if (rowsAfterReuse !== 1) details.push(`same key, other body stored (${rowsAfterReuse} orders)`);

  // 3. Keys are scoped per caller: another resident's identical key and body creates their own order.
  const theirs = await book(t, other.cookie, body, key);
  const scoped =
    theirs.statusCode === 201 &&
    theirs.json().id !== firstId &&
    theirs.headers['idempotent-replayed'] === undefined;
  if (!scoped) details.push(`another caller's same key got ${theirs.statusCode} ${theirs.body.slice(0, 80)}`);
  if (theirs.body.includes(firstId!))
    details.push("another caller's same key replayed the first caller's response");

  // 4. The race: overlapping requests for one worker, all accepted at once by the company: exactly one wins.
  const racers = 20;
  const start = Date.parse(slot(t, 96));
  const orders: string[] = [];
  for (let i = 0; i < racers; i++) {
    // Each starts 15 minutes after the previous and lasts 6 hours: every pair overlaps.
    const res = await book(
      t,
      resident.cookie,
      hourly(itemId, w.workerId, new Date(start + (i * HOUR_MS) / 4).toISOString(), 6),
    );
    if (res.statusCode !== 201) throw new Error(`race setup: booking ${i} → ${res.statusCode} ${res.body}`);
    orders.push(res.json().id);
  }
  const accepts = await Promise.all(
    orders.map((id) => inject(t, 'POST', `/api/v1/orders/${id}/accept`, co.cookie, {})),
  );
  const winners = accepts.filter((r) => r.statusCode === 200).length;
  const losers = accepts.filter(
    (r) => r.statusCode === 409 && codeOf(r) === 'ORDER_WORKER_UNAVAILABLE',
  ).length;
  const other5xx = accepts.filter((r) => r.statusCode >= 500).length;
  const active = await count(t, 'select count(*) as n from worker_booking where worker_id = $1 and active', [
    w.workerId,
  ]);
  if (winners !== 1) details.push(`race: ${winners} accepts won (want exactly 1)`);
  if (losers !== racers - 1)
    details.push(`race: ${losers} refused with ORDER_WORKER_UNAVAILABLE (want ${racers - 1})`);
  if (other5xx) details.push(`race: ${other5xx} answers were 5xx`);
  if (active !== 1) details.push(`race: ${active} active bookings for the worker (want 1)`);

  return {
    name: 'idempotency',
    passed: details.length === 0,
    line: `${concurrent} concurrent creates, one key → ${created.length} × 201 (${ids.size} order), ${inProgress.length} × 409 in progress, rows ${rowsAfterBurst}; replay ${replayed ? 'same order' : 'WRONG'}; other body → ${reused.statusCode}; other caller's same key → own order ${scoped ? 'yes' : 'NO'}; race ${racers} overlapping accepts → winners ${winners}, refused ${losers}, active bookings ${active}`,
    figures: {
      concurrent,
      created: created.length,
      distinctOrders: ids.size,
      rowsAfterBurst,
      reusedStatus: reused.statusCode,
      scoped: Number(scoped),
      racers,
      winners,
      losers,
      activeBookings: active,
    },
    details,
  };
};
