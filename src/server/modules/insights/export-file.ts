import ExcelJS from 'exceljs';

/** One exported table: a sheet name, a title line, Chinese headers and the rows (numbers stay numbers in xlsx). */
export interface ExportTable {
  key: string;
  sheet: string;
  title: string;
  header: string[];
  rows: (string | number | null)[][];
}

// A leading ' keeps spreadsheet programs from running a cell as a formula (CSV injection).
const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
const csvCell = (v: string | number | null) => {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const s = safe(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** CSV with a UTF-8 BOM (so Excel reads the Chinese headers) and CRLF line ends. */
export function toCsv(t: ExportTable): Buffer {
  const text = [t.header, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\r\n');
  return Buffer.from(`\uFEFF${text}\r\n`, 'utf8');
}

/** An .xlsx workbook with one sheet per table: a title row, then the header row, then the data. */
export async function toXlsx(tables: ExportTable[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Anxin';
  for (const t of tables) {
    const ws = wb.addWorksheet(t.sheet);
    ws.addRow([t.title]).font = { bold: true };
    ws.addRow(t.header).font = { bold: true };
    for (const r of t.rows) ws.addRow(r.map((v) => (typeof v === 'string' ? safe(v) : v)));
    ws.columns.forEach((c) => {
      c.width = 16;
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
