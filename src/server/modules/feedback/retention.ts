import { sql } from 'drizzle-orm';
import {
  ANONYMISED,
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
 * Retention of complaints (test/data-inventory.ts, complaint.description: "3 years after the complaint closes, then
 * anonymised"; complaint.evidence: "3 years after the complaint closes"). The row stays — credit facts and the
 * insights complaint figures count it, with its outcome, subject and dates — but the description, the company's
 * response, the decision and appeal reasons and the notes on its events are erased, the evidence files deleted
 * from storage, and the employer link cut. Run nightly by the `feedback.complaint_purge` job; idempotent.
 */
export async function anonymiseClosedComplaints(
  deps: RetentionDeps,
): Promise<{ complaints: number; files: number }> {
  const cutoff = yearsBefore(deps.now, 3);
  let files = 0;
  const complaints = await inBatches(deps, async (tx, limit, after) => {
    const ids = await lockIds(
      tx,
      sql`select id from complaint where state in ('closed', 'withdrawn') and coalesce(closed_at, updated_at) < ${cutoff}
        and description <> ${ANONYMISED} and id > ${after} order by id limit ${limit}`,
    );
    if (!ids.length) return [];
    const evidence = rowsOf<{ user_id: string; file_id: string }>(
      await tx.execute(sql`select c.complainant_user_id user_id, f->>'fileId' file_id
        from complaint c cross join jsonb_array_elements(c.evidence) f where c.id in ${idList(ids)}`),
    );
    // The key scheme of feedback.service.ts (fileKey).
    files += await deleteFiles(
      deps.storage,
      evidence.map((e) => `feedback/${e.user_id.toLowerCase()}/${e.file_id}`),
    );
    await tx.execute(sql`update complaint set description = ${ANONYMISED}, evidence = '[]'::jsonb, response = null,
      decision_reason = null, appeal_reason = null, employer_user_id = null where id in ${idList(ids)}`);
    await tx.execute(sql`update complaint_event set note = null where complaint_id in ${idList(ids)}`);
    return ids;
  });
  await auditRetentionRun(deps, 'feedback.complaint_purge', {
    complaints,
    files,
    cutoff: cutoff.toISOString(),
  });
  return { complaints, files };
}
