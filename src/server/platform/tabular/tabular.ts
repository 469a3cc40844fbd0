import ExcelJS from 'exceljs';

/**
 * Reading uploaded tables (question banks, enrolment lists): CSV and the first worksheet of an .xlsx, as rows of
 * strings. Modules validate the rows; this only turns bytes into cells.
 */

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

/**
 * Reads the first worksheet of an .xlsx file into rows of strings (rich text and numbers as their text), at most
 * `maxRows` rows when given (callers refuse longer files; reading stops early instead of loading them all).
 */
export async function parseXlsx(data: Buffer, maxRows = Number.POSITIVE_INFINITY): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const rows: string[][] = [];
  for (let r = 1; r <= Math.min(ws.rowCount, maxRows); r++) {
    const row = ws.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= Math.max(ws.columnCount, row.cellCount); c++) cells.push(row.getCell(c).text ?? '');
    rows.push(cells);
  }
  return rows;
}
