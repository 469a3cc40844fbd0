import { sql } from 'drizzle-orm';
import {
  auditRetentionRun,
  deleteFiles,
  idList,
  inBatches,
  lockIds,
  type RetentionDeps,
  rowsOf,
  yearsBefore,
} from '../../platform/retention.js';

/**
 * Retention of chat and interviews (test/data-inventory.ts): message "3 years after the last message (complaints
 * and disputes), then deleted", its image "with the message"; conversation_report "3 years after review";
 * interview "while the interview record exists (1 year), then deleted". Deletes reviewed reports 3 years after
 * review; finished (completed or cancelled) interviews a year after they ended; and every message of a
 * conversation whose last message is more than 3 years old — unless a report on it is still open — with its
 * images in storage, read marks and blocks; the emptied conversation row goes too once no report or interview
 * refers to it. Run nightly by the `messaging.retention_purge` job; idempotent.
 */
export async function purgeOldConversations(
  deps: RetentionDeps,
): Promise<{ messages: number; files: number; conversations: number; reports: number; interviews: number }> {
  const chatCutoff = yearsBefore(deps.now, 3);
  const interviewCutoff = yearsBefore(deps.now, 1);
  let files = 0;

  const reports = await inBatches(deps, async (tx, limit, after) => {
    const ids = await lockIds(
      tx,
      sql`select id from conversation_report where state = 'reviewed' and reviewed_at < ${chatCutoff}
        and id > ${after} order by id limit ${limit}`,
    );
    if (ids.length) await tx.execute(sql`delete from conversation_report where id in ${idList(ids)}`);
    return ids;
  });

  const interviews = await inBatches(deps, async (tx, limit, after) => {
    const ids = await lockIds(
      tx,
      sql`select id from interview where state in ('completed', 'cancelled')
        and coalesce(ended_at, updated_at) < ${interviewCutoff} and id > ${after} order by id limit ${limit}`,
    );
    if (ids.length) await tx.execute(sql`delete from interview where id in ${idList(ids)}`);
    return ids;
  });

  const stale = sql`select c.id from conversation c where c.last_message_at < ${chatCutoff}
    and not exists (select 1 from conversation_report r where r.conversation_id = c.id and r.state = 'open')`;

  const messages = await inBatches(deps, async (tx, limit, after) => {
    const rows = rowsOf<{ id: string; image_key: string | null }>(
      await tx.execute(sql`select m.id, m.image_key from message m where m.conversation_id in (${stale})
        and m.id > ${after} order by m.id limit ${limit} for update skip locked`),
    );
    if (!rows.length) return [];
    files += await deleteFiles(
      deps.storage,
      rows.map((r) => r.image_key),
    );
    await tx.execute(sql`delete from message where id in ${idList(rows.map((r) => r.id))}`);
    return rows.map((r) => r.id);
  });

  const conversations = await inBatches(deps, async (tx, limit, after) => {
    const ids = await lockIds(
      tx,
      sql`select c.id from conversation c where c.id in (${stale})
        and not exists (select 1 from message m where m.conversation_id = c.id)
        and not exists (select 1 from conversation_report r where r.conversation_id = c.id)
        and not exists (select 1 from interview i where i.conversation_id = c.id)
        and c.id > ${after} order by c.id limit ${limit}`,
    );
    if (!ids.length) return [];
    await tx.execute(sql`delete from conversation_read where conversation_id in ${idList(ids)}`);
    await tx.execute(sql`delete from conversation_block where conversation_id in ${idList(ids)}`);
    await tx.execute(sql`delete from conversation where id in ${idList(ids)}`);
    return ids;
  });

  await auditRetentionRun(deps, 'messaging.retention_purge', {
    messages,
    files,
    conversations,
    reports,
    interviews,
    chatCutoff: chatCutoff.toISOString(),
    interviewCutoff: interviewCutoff.toISOString(),
  });
  return { messages, files, conversations, reports, interviews };
}
