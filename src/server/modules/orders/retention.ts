import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import {
  ANONYMISED,
  auditRetentionRun,
  idList,
  inBatches,
  lockIds,
  type RetentionDeps,
  yearsBefore,
} from '../../platform/retention.js';

const ORDER_ADDRESS_AAD = 'service_order.address';
const DEMAND_ADDRESS_AAD = 'demand.address';
/** Final order states; the order "closes" when it reaches one (closed, or cancelled/declined/expired). */
const FINAL = sql`('closed', 'cancelled', 'declined', 'expired')`;

/**
 * Retention of orders and demands (test/data-inventory.ts). service_order: "3 years after the order closes, then
 * anonymised" — the row stays (credit facts, insights and complaints count it) but the address (encrypted: a
 * tombstone that still decrypts, to `（已匿名）`), the masked address, the resident's note and the state reason are
 * erased, with the free text of its follow-up visits and events and the demand it came from. demand: "while open;
 * with the order it became, else 1 year" — a demand that became no order is anonymised a year after it closed
 * (kept as a row because insights counts demands created; address, description, offer messages and referral notes
 * erased). Run nightly by the `orders.retention_purge` job; idempotent (anonymised rows are skipped).
 */
export async function anonymiseClosedOrders(
  deps: RetentionDeps,
): Promise<{ orders: number; demands: number }> {
  const orderCutoff = yearsBefore(deps.now, 3);
  const demandCutoff = yearsBefore(deps.now, 1);
  const orderTomb = deps.pii.encrypt(ANONYMISED, ORDER_ADDRESS_AAD);
  const demandTomb = deps.pii.encrypt(ANONYMISED, DEMAND_ADDRESS_AAD);
  let demands = 0;

  const anonymiseDemands = async (tx: Tx, ids: string[]) => {
    if (!ids.length) return 0;
    await tx.execute(sql`update demand set address_enc = ${demandTomb}, address_masked = ${ANONYMISED},
      description = ${ANONYMISED} where id in ${idList(ids)}`);
    await tx.execute(sql`update demand_offer set message = null where demand_id in ${idList(ids)}`);
    await tx.execute(sql`update referral set note = null where demand_id in ${idList(ids)}`);
    return ids.length;
  };

  const orders = await inBatches(deps, async (tx, limit, after) => {
    const ids = await lockIds(
      tx,
      sql`select id from service_order where state in ${FINAL}
        and coalesce(closed_at, cancelled_at, updated_at) < ${orderCutoff} and address_masked <> ${ANONYMISED}
        and id > ${after} order by id limit ${limit}`,
    );
    if (!ids.length) return [];
    await tx.execute(sql`update service_order set address_enc = ${orderTomb}, address_masked = ${ANONYMISED},
      note = null, state_reason = null where id in ${idList(ids)}`);
    await tx.execute(sql`update follow_up set notes = null where order_id in ${idList(ids)}`);
    await tx.execute(sql`update order_event set reason = null where order_id in ${idList(ids)}`);
    // The demand it became goes with the order.
    const demandIds = await lockIds(
      tx,
      sql`select id from demand where order_id in ${idList(ids)} and address_masked <> ${ANONYMISED}`,
    );
    demands += await anonymiseDemands(tx, demandIds);
    return ids;
  });

  demands += await inBatches(deps, async (tx, limit, after) => {
    const ids = await lockIds(
      tx,
      sql`select id from demand where order_id is null and state <> 'open' and updated_at < ${demandCutoff}
        and address_masked <> ${ANONYMISED} and id > ${after} order by id limit ${limit}`,
    );
    await anonymiseDemands(tx, ids);
    return ids;
  });

  await auditRetentionRun(deps, 'orders.retention_purge', {
    orders,
    demands,
    orderCutoff: orderCutoff.toISOString(),
    demandCutoff: demandCutoff.toISOString(),
  });
  return { orders, demands };
}
