import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { expiryReminder } from './certification.tables.js';

/** An expiry reminder sent to the worker; `ref` is `document/expiresOn/threshold` (the row's key besides the worker). */
export interface ExpiryReminderFact {
  ref: string;
  document: string;
  expiresOn: string;
  threshold: string;
  sentAt: string;
}

/** The expiry reminders sent about the worker's documents, newest first (for the e-file export). */
export async function expiryRemindersOf(db: DbOrTx, workerId: string): Promise<ExpiryReminderFact[]> {
  const rows = await db
    .select()
    .from(expiryReminder)
    .where(eq(expiryReminder.workerId, workerId))
    .orderBy(desc(expiryReminder.sentAt));
  return rows.map((r) => ({
    ref: `${r.document}/${r.expiresOn}/${r.threshold}`,
    document: r.document,
    expiresOn: r.expiresOn,
    threshold: r.threshold,
    sentAt: r.sentAt.toISOString(),
  }));
}
