import ExcelJS from 'exceljs';

/** Most rows one uploaded enrolment list may carry. */
export const MAX_LIST_ROWS = 500;
const WORKER_ID = /^wk_[0-9a-hjkmnp-tv-z]{26}$/;

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM) into rows of strings. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

async function xlsxRows(data: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const rows: string[][] = [];
  for (let r = 1; r <= Math.min(ws.rowCount, MAX_LIST_ROWS + 1); r++) {
    const row = ws.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= Math.max(ws.columnCount, row.cellCount); c++) cells.push(row.getCell(c).text ?? '');
    rows.push(cells);
  }
  return rows;
}

/**
 * Reads an enrolment list (.xlsx or .csv). The worker id column is the one headed 服务人员编号 / workerId (or the
 * first column); every other column is ignored. Returns the distinct worker ids, or null when the file is not a
 * list (unreadable, no ids, a malformed id, or too many rows).
 */
export async function readEnrolmentList(file: { data: Buffer; filename: string }): Promise<string[] | null> {
  let rows: string[][];
  try {
    rows = file.filename.toLowerCase().endsWith('.xlsx')
      ? await xlsxRows(file.data)
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
