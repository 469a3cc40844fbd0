import { parseCsv, parseXlsx } from '../../platform/tabular/tabular.js';

/** Most rows one uploaded enrolment list may carry. */
export const MAX_LIST_ROWS = 500;
const WORKER_ID = /^wk_[0-9a-hjkmnp-tv-z]{26}$/;

/**
 * Reads an enrolment list (.xlsx or .csv). The worker id column is the one headed 服务人员编号 / workerId (or the
 * first column); every other column is ignored. Returns the distinct worker ids, or null when the file is not a
 * list (unreadable, no ids, a malformed id, or too many rows).
 */
export async function readEnrolmentList(file: { data: Buffer; filename: string }): Promise<string[] | null> {
  let rows: string[][];
  try {
    rows = file.filename.toLowerCase().endsWith('.xlsx')
      ? await parseXlsx(file.data, MAX_LIST_ROWS + 1)
      : parseCsv(file.data.toString('utf8'));
  } catch {
    return null;
  }
  rows = rows.filter((r) => r.some((c) => c.trim() !== ''));
  if (rows.length === 0 || rows.length > MAX_LIST_ROWS + 1) return null;
  const header = rows[0]!.map((h) => h.trim());
  let col = header.findIndex((h) => h === '服务人员编号' || h.toLowerCase() === 'workerid');
  const hasHeader = col >= 0 || !WORKER_ID.test(header[0] ?? '');
  if (col < 0) col = 0;
  const ids: string[] = [];
  for (const r of hasHeader ? rows.slice(1) : rows) {
    const v = (r[col] ?? '').trim();
    if (!WORKER_ID.test(v)) return null;
    if (!ids.includes(v)) ids.push(v);
  }
  return ids.length ? ids : null;
}
